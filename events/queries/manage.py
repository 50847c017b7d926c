"""Reads of the organisers' side of an event: the panel of its page, its organisers, the invitations."""

from django.db.models import Prefetch, prefetch_related_objects

from advisors.models import Advisor, memberships_of
from advisors.perms import is_member_anywhere
from events import perms
from events.enums import EventStatus, OrganiserStatus
from events.forms.events import InviteForm, NeedForm, NeedOfferForm
from events.models import Need, NeedOffer, Organiser
from territories.models import Departement


def creatable_departements(user):
    """The départements where ``user`` may create an event (``perms.can_create_event``), by code."""
    memberships = memberships_of(user).values()
    has_profile = user.is_authenticated and Advisor.objects.filter(user=user).exists()
    codes = [
        membership.departement_id
        for membership in memberships
        if membership.is_coordinator or (membership.is_active and has_profile)
    ]
    return Departement.objects.filter(code__in=codes).order_by("code")


def my_invitations(user):
    """The pending invitations of ``user`` to co-organise, soonest event first."""
    return (
        Organiser.objects.filter(advisor__user=user, status=OrganiserStatus.INVITED)
        .select_related("event__departement", "invited_by")
        .order_by("event__starts_at", "pk")
    )


def _organisers_loaded(event):
    """``event.organisers.all()`` with their people and structures, prefetched once if the page did not."""
    cache = getattr(event, "_prefetched_objects_cache", {})
    if "organisers" not in cache:
        prefetch_related_objects(
            [event],
            Prefetch("organisers", queryset=Organiser.objects.select_related("advisor__user", "structure__commune")),
        )
    return list(event.organisers.all())


def _needs_loaded(event):
    """The needs of ``event`` with their offers and who made them, prefetched once if the page did not."""
    cache = getattr(event, "_prefetched_objects_cache", {})
    if "needs" not in cache:
        prefetch_related_objects(
            [event],
            Prefetch(
                "needs",
                queryset=Need.objects.prefetch_related(
                    Prefetch("offers", queryset=NeedOffer.objects.select_related("user"))
                ),
            ),
        )
    return list(event.needs.all())


def _ordered(organisers):
    """Leads first, then accepted, then invited; people before structures."""
    rank = {OrganiserStatus.ACCEPTED: 0, OrganiserStatus.INVITED: 1, OrganiserStatus.DECLINED: 2}
    return sorted(
        organisers,
        key=lambda organiser: (
            not organiser.is_lead,
            rank.get(organiser.status, 3),
            organiser.advisor_id is None,
            str(organiser),
        ),
    )


def organisers_page(event, user):
    """Every organiser row of ``event`` (declined ones too, so they can be invited again), each with
    whether ``user`` may promote or remove it."""
    rows = []
    for organiser in _ordered(_organisers_loaded(event)):
        organiser.event = event
        may_change = perms.can_change_organiser(user, organiser)
        rows.append(
            {
                "organiser": organiser,
                "can_promote": may_change
                and organiser.advisor_id is not None
                and organiser.status == OrganiserStatus.ACCEPTED
                and not organiser.is_lead,
                "can_remove": may_change and not (organiser.is_lead and organiser.status == OrganiserStatus.ACCEPTED),
            }
        )
    return rows


def manage_panel(event, user):
    """Context of ``events/detail/manage.html`` for ``user`` on ``event``'s page.

    Three queries whatever the number of organisers, needs and offers: the organisers (unless the page
    prefetched them), the needs, their offers."""
    organisers = _organisers_loaded(event)
    can_edit = perms.can_edit_event(user, event)
    mine = perms.organiser_of(user, event)
    can_offer = perms.can_offer_help(user, event)
    needs = _needs_loaded(event)
    # Who offers what: for the members of the networks (as the profiles are), never for visitors.
    show_offers = can_edit or is_member_anywhere(user)
    need_rows = []
    for need in needs:
        offers = list(need.offers.all())
        my_offer = (
            next((offer for offer in offers if offer.user_id == user.pk), None) if user.is_authenticated else None
        )
        need_rows.append(
            {
                "need": need,
                "offers": offers if show_offers else [],
                "offers_count": len(offers),
                "my_offer": my_offer,
                "offer_form": NeedOfferForm(prefix=f"besoin-{need.pk}")
                if can_offer and not can_edit and my_offer is None and not need.covered
                else None,
            }
        )
    status = event.status
    return {
        "event": event,
        "can_edit": can_edit,
        "can_manage_organisers": perms.can_manage_organisers(user, event),
        "can_delete": perms.can_delete_event(user, event),
        "can_publish": can_edit and status in (EventStatus.DRAFT, EventStatus.POSTPONED),
        "can_cancel": can_edit and status in (EventStatus.PUBLISHED, EventStatus.POSTPONED),
        "can_postpone": can_edit and status in (EventStatus.PUBLISHED, EventStatus.POSTPONED),
        "can_leave": perms.can_leave_event(user, event),
        # A series is made from one event (events:series_create); an occurrence is not repeated again.
        "can_repeat": can_edit and event.series_id is None,
        "can_offer": can_offer,
        "invitation": mine if mine is not None and mine.status == OrganiserStatus.INVITED else None,
        "organisers": [
            organiser for organiser in _ordered(organisers) if organiser.status == OrganiserStatus.ACCEPTED
        ],
        "invited_count": sum(1 for organiser in organisers if organiser.status == OrganiserStatus.INVITED),
        "invite_form": InviteForm(prefix="invite") if perms.can_manage_organisers(user, event) else None,
        "need_form": NeedForm(prefix="need") if can_edit else None,
        "needs": need_rows,
    }
