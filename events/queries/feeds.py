"""Reads of the iCalendar files and feeds: which events, and which of them show their online link.

Every feed reads a fixed number of queries, whatever the number of events, and only a window of time
(three months back, a year ahead, at most ``FEED_LIMIT`` events): a calendar client asks for the
feed every hour or so, for years.
"""

from datetime import timedelta

from django.utils import timezone

from events.enums import AnimatorStatus, EventMode, EventVisibility, RegistrationStatus
from events.models import AnimatorSignup, CalendarToken, Event, Registration
from events.perms import can_see_online_link

FEED_PAST = timedelta(days=92)
FEED_AHEAD = timedelta(days=366)
FEED_LIMIT = 500


def _window(queryset, now):
    now = now or timezone.now()
    return queryset.filter(ends_at__gte=now - FEED_PAST, starts_at__lte=now + FEED_AHEAD).order_by("starts_at", "pk")[
        :FEED_LIMIT
    ]


def departement_feed_events(departement, *, now=None):
    """The public events of ``departement`` (published, postponed and cancelled; never drafts nor
    réseau ones)."""
    events = Event.objects.published().in_departement(departement).filter(visibility=EventVisibility.PUBLIC)
    return list(_window(events.with_cards(), now))


def private_feed_events(user, *, now=None):
    """The events ``user`` organises (accepted), animates (any slot) or is registered to (confirmed or
    waiting list, for the event or one of its slots), among those they may see."""
    events = Event.objects.published().visible_to(user).involving(user)
    # The organisers, as ``perms.organiser_of`` reads them: no query per event for the online link.
    return list(_window(events.with_cards().with_permissions(), now))


def online_links_shown(user, events):
    """The ids of ``events`` whose connection link ``user`` may see (``perms.can_see_online_link``):
    one query for the person's confirmed registrations, one for the slots they are confirmed to animate,
    none per event."""
    if not user.is_authenticated:
        return set()
    with_link = [event for event in events if event.online_url]
    if not with_link:
        return set()
    ids = [event.pk for event in with_link]
    registrations = {}
    for registration in Registration.objects.filter(
        user=user, event__in=ids, status=RegistrationStatus.CONFIRMED
    ).order_by("slot_id"):
        registrations.setdefault(registration.event_id, registration)
    animated = set(
        AnimatorSignup.objects.filter(
            advisor__user=user, slot__event__in=ids, status=AnimatorStatus.CONFIRMED
        ).values_list("slot__event_id", flat=True)
    )
    return {
        event.pk
        for event in with_link
        if can_see_online_link(user, event, registrations.get(event.pk), animates=event.pk in animated)
    }


def event_for_ics(pk):
    """The event of its ``.ics`` file, with what its permission check and its text read."""
    return Event.objects.with_cards().with_permissions().filter(pk=pk)


def calendar_token_owner(token):
    """The account whose private feed ``token`` opens, or ``None``."""
    found = CalendarToken.objects.select_related("user").filter(token=token, user__is_active=True).first()
    return found.user if found else None


def event_location(event):
    """« Médiathèque Tréfilerie, 1 rue …, Saint-Étienne », « En ligne », or empty."""
    if event.lieu is not None:
        parts = [event.lieu.name, event.lieu.address, event.lieu.commune.name]
    else:
        parts = [event.address, event.commune.name if event.commune else ""]
    place = ", ".join(part for part in parts if part)
    if event.mode == EventMode.DISTANCIEL:
        return "En ligne"
    if event.mode == EventMode.HYBRIDE:
        return f"{place} et en ligne" if place else "En ligne"
    return place
