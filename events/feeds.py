"""iCalendar files and feeds (RFC 5545), as classes in the manner of Django's syndication feeds.

A feed class says which object its URL names (``get_object``), which events it lists (``items``),
and what its calendar is called; ``EventCalendar`` writes them the same way for all:

- a stable UID per event (``Event.ical_uid``) and its ``SEQUENCE``, raised by the services when the
  time or the place change, so calendars that imported the event update it rather than duplicate it;
- cancelled events kept, with ``STATUS:CANCELLED`` (clients strike them out), postponed ones
  ``TENTATIVE``;
- start and end with the ``TZID`` of the département, and a ``VTIMEZONE`` for every zone used
  (Europe/Paris, Indian/Reunion…), generated from the zoneinfo database;
- the online link only for whom ``perms.can_see_online_link`` lets see it.
"""

from datetime import UTC, timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from icalendar import Calendar
from icalendar import Event as VEvent

from events.enums import EventStatus, EventVisibility
from events.perms import can_view_event
from events.queries import feeds as queries
from territories.french import of_departement
from territories.models import Departement

PRODID = "-//Maillage//Événements du réseau//FR"
# How long the public feed of a département is served from the shared cache (a new event shows
# within this delay; clients poll hourly anyway).
FEED_CACHE_SECONDS = 300
ICAL_STATUS = {
    EventStatus.CANCELLED: "CANCELLED",
    EventStatus.POSTPONED: "TENTATIVE",
    EventStatus.PUBLISHED: "CONFIRMED",
}
STATUS_PREFIX = {EventStatus.CANCELLED: "Annulé : ", EventStatus.POSTPONED: "Reporté : "}


def event_description(event, *, url, online_link):
    """Plain text: the description (its Markdown source reads as text), accessibility, the page, and
    the online link when shown."""
    lines = [event.description.strip()] if event.description.strip() else []
    if event.accessibility.strip():
        lines.append(f"Accessibilité : {event.accessibility.strip()}")
    if online_link:
        lines.append(f"Lien de connexion : {event.online_url}")
    lines.append(f"Page de l’événement et inscriptions : {url}")
    return "\n\n".join(lines)


def event_component(event, *, online_link):
    """The VEVENT of ``event`` (its département loaded, and its lieu and commune for the place)."""
    url = settings.SITE_URL + event.get_absolute_url()
    zone = event.tzinfo
    component = VEvent()
    component.add("uid", event.ical_uid)
    component.add("sequence", event.sequence)
    component.add("dtstamp", event.updated_at.astimezone(UTC))
    component.add("created", event.created_at.astimezone(UTC))
    component.add("last-modified", event.updated_at.astimezone(UTC))
    component.add("dtstart", event.starts_at.astimezone(zone))
    component.add("dtend", event.ends_at.astimezone(zone))
    component.add("summary", STATUS_PREFIX.get(event.status, "") + event.title)
    component.add("status", ICAL_STATUS.get(event.status, "CONFIRMED"))
    component.add("class", "PUBLIC" if event.visibility == EventVisibility.PUBLIC else "PRIVATE")
    component.add("categories", [event.get_kind_display()])
    location = queries.event_location(event)
    if location:
        component.add("location", location)
    component.add("url", url)
    component.add("description", event_description(event, url=url, online_link=online_link))
    if event.is_cancelled:
        component.add("transp", "TRANSPARENT")
    return component


class EventCalendar:
    """Base of the iCalendar responses; a subclass instance is the view (``path(…, Feed(), …)``)."""

    cache_control = "private, max-age=0"

    def get_object(self, request, **kwargs):
        raise NotImplementedError

    def items(self, request, obj):
        raise NotImplementedError

    def title(self, obj):
        raise NotImplementedError

    def filename(self, obj):
        raise NotImplementedError

    def calendar_uid(self, obj):
        raise NotImplementedError

    def timezone_name(self, obj):
        """The calendar's default zone (``X-WR-TIMEZONE``), ``None`` when its events span several."""
        return None

    def online_links(self, request, obj, events):
        """Ids of the events whose online link the file may carry: none unless a feed says so."""
        return set()

    def shared_cache_key(self, obj):
        """A key under which every visitor gets the same file for a while, or ``None`` (per viewer)."""
        return None

    def __call__(self, request, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        obj = self.get_object(request, **kwargs)
        key = self.shared_cache_key(obj)
        body = cache.get(key) if key else None
        if body is None:
            body = self.render(request, obj)
            if key:
                cache.set(key, body, FEED_CACHE_SECONDS)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.filename(obj)}"'
        response["Cache-Control"] = self.cache_control
        response["X-Robots-Tag"] = "noindex"
        return response

    def render(self, request, obj):
        events = self.items(request, obj)
        shown = self.online_links(request, obj, events)
        calendar = Calendar.new(
            prodid=PRODID,
            uid=self.calendar_uid(obj),
            name=self.title(obj),
            method="PUBLISH",
            refresh_interval=timedelta(hours=1),
        )
        if self.timezone_name(obj):
            calendar.add("x-wr-timezone", self.timezone_name(obj))
        # Outlook reads its own name for the refresh interval.
        calendar.add("x-published-ttl", "PT1H")
        for event in events:
            calendar.add_component(event_component(event, online_link=event.pk in shown))
        if events:
            # Each zone's rules over the years of the events, so clients place every date right.
            first = min(event.starts_at for event in events).date().replace(month=1, day=1)
            last = max(event.ends_at for event in events).date().replace(month=1, day=1)
            calendar.add_missing_timezones(first_date=first, last_date=last.replace(year=last.year + 2))
        return calendar.to_ical()


class EventFile(EventCalendar):
    """``/evenements/<pk>/evenement.ics``: one event, seen as its page would be (online link
    included for its organisers and confirmed registrants)."""

    def get_object(self, request, pk):
        event = get_object_or_404(queries.event_for_ics(pk))
        # As the event page: an event the viewer may not see is not found, its existence not revealed.
        if not can_view_event(request.user, event):
            raise Http404
        return event

    def items(self, request, event):
        return [event]

    def online_links(self, request, event, events):
        return queries.online_links_shown(request.user, events)

    def title(self, event):
        return event.title

    def filename(self, event):
        return f"evenement-{event.pk}.ics"

    def calendar_uid(self, event):
        return f"evenement-{event.pk}-fichier@maillage"

    def timezone_name(self, event):
        return event.departement.timezone


class DepartementFeed(EventCalendar):
    """``/evenements/flux/<code>.ics``: the public events of a département, for anyone to subscribe
    to. Nothing but what the public event page shows: never a réseau event, never an online link."""

    cache_control = "public, max-age=900"

    def get_object(self, request, code):
        return get_object_or_404(Departement, code=code)

    def shared_cache_key(self, departement):
        # The same file for everyone: calendar clients poll it every hour, a whole département's year
        # of events costs ~100 ms to write (bench/README.md), so it is written once per few minutes.
        return f"events:departement-feed:{departement.code}"

    def items(self, request, departement):
        return queries.departement_feed_events(departement)

    def title(self, departement):
        return f"Événements du réseau {of_departement(departement)} — Maillage"

    def filename(self, departement):
        return f"evenements-{departement.code}.ics"

    def calendar_uid(self, departement):
        return f"flux-{departement.code}@maillage"

    def timezone_name(self, departement):
        return departement.timezone


class PrivateFeed(EventCalendar):
    """``/evenements/flux/personnel/<token>.ics``: the events a member organises, animates or attends,
    réseau ones included, with the online link where they may see it. The secret address is the key:
    a wrong or reset token answers 404."""

    def get_object(self, request, token):
        user = queries.calendar_token_owner(token)
        if user is None:
            raise Http404("Ce lien d’agenda n’existe pas ou a été renouvelé.")
        return user

    def items(self, request, user):
        return queries.private_feed_events(user)

    def online_links(self, request, user, events):
        return queries.online_links_shown(user, events)

    def title(self, user):
        return "Mes événements — Maillage"

    def filename(self, user):
        return "mes-evenements.ics"

    def calendar_uid(self, user):
        return f"agenda-{user.pk}@maillage"
