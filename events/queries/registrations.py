"""Reads about registrations: the panel of the event page, the states of the programme's slots, the
organisers' lists. Counts come from one aggregate query, whatever the number of registrants."""

from django.db.models import Count, Max, Q
from django.utils import timezone

from events.dates import moment_label
from events.enums import EventStatus, EventVisibility, RegistrationStatus
from events.forms.registrations import VisitorRegistrationForm
from events.models import Registration, Slot
from events.perms import can_edit_event, can_see_online_link
from territories.text import normalize

CONFIRMED = RegistrationStatus.CONFIRMED
WAITLISTED = RegistrationStatus.WAITLISTED
PENDING = RegistrationStatus.PENDING


def registration_closed_reason(*, event, slot=None, now=None):
    """Why no one can register now (a sentence in French), or ``None`` when registration is open."""
    now = now or timezone.now()
    if event.status == EventStatus.DRAFT:
        return "Cet événement n’est pas encore publié : on ne peut pas encore s’y inscrire."
    if event.status == EventStatus.CANCELLED:
        return "Cet événement est annulé : les inscriptions sont fermées."
    if event.status == EventStatus.POSTPONED:
        return "Cet événement est reporté : les inscriptions rouvriront avec sa nouvelle date."
    starts_at = slot.starts_at if slot is not None else event.starts_at
    if starts_at <= now:
        what = "Ce créneau" if slot is not None else "Cet événement"
        return f"{what} a déjà commencé : les inscriptions sont closes."
    if event.registration_opens_at and now < event.registration_opens_at:
        return f"Inscriptions ouvertes à partir du {moment_label(event.registration_opens_at, event.tzinfo)}."
    if event.registration_closes_at and now >= event.registration_closes_at:
        return f"Les inscriptions sont closes depuis le {moment_label(event.registration_closes_at, event.tzinfo)}."
    return None


def _counts(registrations):
    return registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=CONFIRMED)),
        waitlist=Count("pk", filter=Q(status=WAITLISTED)),
        pending=Count("pk", filter=Q(status=PENDING)),
    )


def _own(user):
    """``user``'s registrations: their account's, and those made as a visitor with their address."""
    return Q(user=user) | Q(user__isnull=True, email__iexact=user.email)


def _first_own(registrations, user):
    # Their account's row first, then one they made as a visitor.
    return registrations.active().filter(_own(user)).order_by("user_id").first()


def own_registration(user, *, event, slot=None):
    """``user``'s live registration to ``event`` (to its ``slot`` when given), ``None`` when there is none."""
    return _first_own(Registration.objects.filter(event=event, slot=slot), user)


def registration_by_token(token):
    """The registration of an emailed link, with its event and slot as the page shows them; ``None``
    for an unknown token."""
    return (
        Registration.objects.select_related("event__departement", "event__lieu", "event__commune", "slot")
        .filter(token=token)
        .first()
    )


def event_registration(event, pk):
    """The registration ``pk`` to ``event`` itself (not to a slot), ``None`` when it is not one."""
    return Registration.objects.filter(pk=pk, event=event, slot__isnull=True).first()


def _mine(registrations, user):
    """The viewer's own registration (not cancelled), with its rank when on the waiting list."""
    if not user.is_authenticated:
        return None
    mine = _first_own(registrations, user)
    if mine is not None and mine.status == WAITLISTED:
        mine.rank = waitlist_rank(mine)
    return mine


def waitlist_rank(registration):
    """1 for the first person of the waiting list (of the event, or of the slot)."""
    return (
        Registration.objects.filter(event_id=registration.event_id, slot_id=registration.slot_id, status=WAITLISTED)
        .filter(Q(queued_at__lt=registration.queued_at) | Q(queued_at=registration.queued_at, pk__lte=registration.pk))
        .count()
    )


def registration_panel(event, user, form=None):
    """Context of ``events/detail/registration.html`` for ``user`` on ``event``'s page.

    ``form``: the visitor form with its errors, when the page is shown again after a refused POST."""
    registrations = Registration.objects.filter(event=event, slot__isnull=True)
    counts = _counts(registrations)
    remaining = None if event.capacity is None else max(event.capacity - counts["confirmed"], 0)
    mine = _mine(registrations, user)
    closed = registration_closed_reason(event=event)
    public = event.visibility == EventVisibility.PUBLIC
    visitor_form = None
    if not user.is_authenticated and public and not closed:
        visitor_form = form or VisitorRegistrationForm()
    return {
        "event": event,
        "capacity": event.capacity,
        "confirmed": counts["confirmed"],
        "waitlist": counts["waitlist"],
        "pending": counts["pending"],
        "remaining": remaining,
        "full": remaining == 0,
        "mine": mine,
        "closed": closed,
        "can_register": user.is_authenticated and mine is None and not closed,
        "visitor_form": visitor_form,
        "login_needed": not user.is_authenticated and not public and not closed,
        "online_url": event.online_url if event.online_url and can_see_online_link(user, event, mine) else "",
        "can_manage": can_edit_event(user, event),
    }


def slot_registration_states(event, user, slots=None):
    """``{slot_id: {"registered", "status", "remaining", "waitlist"}}`` for the programme of ``event``:
    one query for the counts of every slot and the viewer's own registrations, grouped by slot.
    ``slots``: the event's slots when the page loaded them already; otherwise one more query."""
    if slots is None:
        slots = Slot.objects.filter(event=event)
    counts = {
        "confirmed": Count("pk", filter=Q(status=CONFIRMED)),
        "waitlist": Count("pk", filter=Q(status=WAITLISTED)),
    }
    if user.is_authenticated:
        # At most one live registration per slot and address; the account's own, or one made as a visitor.
        own = _own(user) & ~Q(status=RegistrationStatus.CANCELLED)
        counts["own"] = Max("status", filter=own)
    rows = {
        row["slot_id"]: row
        for row in Registration.objects.filter(event=event, slot__isnull=False)
        .values("slot_id")
        .annotate(**counts)
        .order_by()
    }
    empty = {"confirmed": 0, "waitlist": 0, "own": None}
    states = {}
    for slot in slots:
        row = rows.get(slot.pk, empty)
        status = row.get("own")
        states[slot.pk] = {
            "registered": status is not None,
            "status": status,
            "remaining": None if slot.capacity is None else max(slot.capacity - row["confirmed"], 0),
            "waitlist": row["waitlist"],
        }
    return states


def _sort_key(registration):
    """By last name: the account's when there is one, else the last word of the name typed."""
    user = registration.user
    last = user.last_name if user is not None and user.last_name else registration.name.rsplit(" ", 1)[-1]
    return normalize(last), normalize(registration.name), registration.pk


def registrations_by_status(event):
    """The organisers' list: for the event and for each slot, the confirmed people (by last name),
    the waiting list (in its order), those who still have to confirm, and the cancelled ones.

    One query for all of them: a registration list is bounded by the places of the event (a few
    hundred at a Fête du numérique), so it is shown whole rather than paginated, like the sheet
    people sign on the day."""
    registrations = list(
        Registration.objects.filter(event=event)
        .select_related("user", "slot")
        .order_by("queued_at", "created_at", "pk")
    )
    groups = {}
    for registration in registrations:
        group = groups.setdefault(
            registration.slot_id,
            {"slot": registration.slot, "confirmed": [], "waitlisted": [], "pending": [], "cancelled": []},
        )
        key = {CONFIRMED: "confirmed", WAITLISTED: "waitlisted", PENDING: "pending"}.get(registration.status)
        group[key or "cancelled"].append(registration)
    for group in groups.values():
        group["starts"] = moment_label(group["slot"].starts_at, event.tzinfo) if group["slot"] else ""
        group["confirmed"].sort(key=_sort_key)
        group["present"] = sum(1 for registration in group["confirmed"] if registration.attendance == "present")
    event_group = groups.pop(None, {"slot": None, "confirmed": [], "waitlisted": [], "pending": [], "cancelled": []})
    event_group.setdefault("present", 0)
    slot_groups = sorted(
        groups.values(), key=lambda group: (group["slot"].starts_at, group["slot"].room, group["slot"].pk)
    )
    return event_group, slot_groups


def sign_in_rows(event):
    """The confirmed people of the event (not of its slots), by last name: the émargement sheet."""
    registrations = Registration.objects.filter(event=event, slot__isnull=True).confirmed().select_related("user")
    return sorted(registrations, key=_sort_key)


def export_rows(event):
    """Rows of the CSV: a header, then one row per registration (event, then each slot)."""
    event_group, slot_groups = registrations_by_status(event)
    yield ["Créneau", "Nom", "Adresse électronique", "Statut", "Rang d’attente", "Inscrit le", "Présence", "Compte"]
    tzinfo = event.tzinfo
    for group in [event_group, *slot_groups]:
        slot_title = group["slot"].title if group["slot"] else "Événement"
        ordered = [
            *((registration, "") for registration in group["confirmed"]),
            *((registration, rank) for rank, registration in enumerate(group["waitlisted"], start=1)),
            *((registration, "") for registration in group["pending"]),
            *((registration, "") for registration in group["cancelled"]),
        ]
        for registration, rank in ordered:
            yield [
                slot_title,
                registration.name,
                registration.email,
                registration.get_status_display(),
                rank,
                registration.created_at.astimezone(tzinfo).strftime("%d/%m/%Y %H:%M"),
                registration.get_attendance_display() if registration.attendance else "",
                "oui" if registration.user_id else "non",
            ]
