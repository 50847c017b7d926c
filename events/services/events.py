"""Writes of an event itself: create, edit, publish, cancel, postpone, delete, its bilan.

Keyword-only, one transaction each. A change of time, place or format raises ``Event.sequence``
(iCalendar SEQUENCE), so that calendars that imported the event update it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from advisors.models import Advisor
from advisors.perms import is_coordinator
from advisors.services.network import advisor_ensure
from common.mail import email_send
from events.dates import moment_label
from events.enums import AnimatorStatus, EventStatus, OrganiserRole, OrganiserStatus, RegistrationStatus
from events.models import AnimatorSignup, Event, Organiser, Registration, Slot
from events.services.registrations import registration_capacity_set

# What calendars must learn again when it changes.
SCHEDULE_FIELDS = ("starts_at", "ends_at", "lieu_id", "address", "commune_id", "mode")
UNSET = object()


def _move_slots(*, event, previous_start):
    """An event moved to another day takes its programme along: each slot moves by the same number of
    days and keeps its wall-clock times in the département's zone (a 10 h workshop stays at 10 h, also
    across a change to summer time). Its animators and registrants keep their places. ``event`` locked."""
    tzinfo = event.tzinfo
    days = timezone.localtime(event.starts_at, tzinfo).date() - timezone.localtime(previous_start, tzinfo).date()
    if not days:
        return
    slots = list(Slot.objects.select_for_update().filter(event=event))
    for slot in slots:
        for name in ("starts_at", "ends_at"):
            local = timezone.localtime(getattr(slot, name), tzinfo).replace(tzinfo=None) + days
            setattr(slot, name, local.replace(tzinfo=tzinfo))
    Slot.objects.bulk_update(slots, ["starts_at", "ends_at"])


def _lead_advisor(*, user, departement):
    """The profile that leads a new event: the person's own, created for a coordinator who has none."""
    advisor = Advisor.objects.filter(user=user).first()
    if advisor is not None:
        return advisor
    if is_coordinator(user, departement):
        return advisor_ensure(user=user, departement=departement)
    raise ValidationError(
        "Pour organiser un événement, il faut un profil de conseiller : complétez « Mon profil » d’abord."
    )


@transaction.atomic
def event_create(*, by, departement, skills=(), structures=(), publish=False, **fields):
    """A new event of ``departement``, led by ``by`` (accepted lead organiser); a draft unless ``publish``.
    ``structures`` (of ``departement``) are shown as co-organisers, as ``organiser_structure_add`` does."""
    advisor = _lead_advisor(user=by, departement=departement)
    event = Event.objects.create(
        departement=departement,
        created_by=by,
        status=EventStatus.PUBLISHED if publish else EventStatus.DRAFT,
        **fields,
    )
    event.skills.set(skills)
    Organiser.objects.create(event=event, advisor=advisor, role=OrganiserRole.LEAD, status=OrganiserStatus.ACCEPTED)
    Organiser.objects.bulk_create(
        Organiser(
            event=event, structure=structure, role=OrganiserRole.CO, status=OrganiserStatus.ACCEPTED, invited_by=by
        )
        for structure in structures
        if structure.departement_id == getattr(departement, "code", departement)
    )
    return event


@transaction.atomic
def event_update(*, event, by, skills=None, capacity=UNSET, publish=False, **fields):
    """Change the fields given. A new capacity goes through ``registration_capacity_set`` (it refuses
    going below the confirmed places, with a ``ValidationError`` on ``capacity``, and fills new places
    from the waiting list); nothing is saved when it refuses."""
    locked = Event.objects.select_for_update().select_related("departement").get(pk=event.pk)
    if capacity is not UNSET and capacity != locked.capacity:
        registration_capacity_set(event=locked, capacity=capacity)
        locked.capacity = capacity
    before = {name: getattr(locked, name) for name in SCHEDULE_FIELDS}
    for name, value in fields.items():
        setattr(locked, name, value)
    if any(getattr(locked, name) != value for name, value in before.items()):
        locked.sequence += 1
    if publish and locked.status == EventStatus.DRAFT:
        locked.status = EventStatus.PUBLISHED
    locked.save()
    _move_slots(event=locked, previous_start=before["starts_at"])
    if skills is not None:
        locked.skills.set(skills)
    return locked


@transaction.atomic
def event_publish(*, event, by):
    """A draft (or a postponed event, once its new date is set) shows in calendars and opens registrations."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status not in (EventStatus.DRAFT, EventStatus.POSTPONED):
        raise ValidationError("Cet événement est déjà publié, ou annulé.")
    event.status = EventStatus.PUBLISHED
    event.save(update_fields=["status", "updated_at"])
    return event


def _people_to_tell(event):
    """Addresses of the confirmed and waitlisted registrants (event and its slots) and of its animators."""
    registrants = Registration.objects.filter(
        event=event, status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]
    ).values_list("email", flat=True)
    animators = AnimatorSignup.objects.filter(
        slot__event=event, status__in=[AnimatorStatus.PROPOSED, AnimatorStatus.CONFIRMED]
    ).values_list("advisor__user__email", flat=True)
    return sorted({email.lower() for email in [*registrants, *animators] if email})


def _tell(*, event, template, message, previous_start=None):
    context = {
        "event": event,
        "message": message,
        "starts": moment_label(event.starts_at, event.tzinfo),
        "previous_starts": moment_label(previous_start, event.tzinfo) if previous_start else "",
    }
    # One email per person: registrants never see each other's addresses.
    for email in _people_to_tell(event):
        email_send(template=f"events/emails/{template}", to=email, context=context)


@transaction.atomic
def event_cancel(*, event, by, message=""):
    """« Annuler l’événement » : kept in calendars as cancelled; registrants and animators are emailed."""
    event = Event.objects.select_for_update().select_related("departement").get(pk=event.pk)
    if event.status == EventStatus.CANCELLED:
        raise ValidationError("Cet événement est déjà annulé.")
    if event.status == EventStatus.DRAFT:
        raise ValidationError("Un brouillon ne s’annule pas : supprimez-le.")
    event.status = EventStatus.CANCELLED
    event.sequence += 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    _tell(event=event, template="event_cancelled", message=message.strip())
    return event


@transaction.atomic
def event_postpone(*, event, by, starts_at=None, ends_at=None, message=""):
    """« Reporter » : with its new date, the event moves and stays published (its registrations, slots
    and reminders follow it to the new time); without one, it is marked postponed — « date à
    préciser », registrations closed, no reminders — until it is postponed again with its date. The
    sequence rises either way (calendars update); registrants and animators are emailed."""
    event = Event.objects.select_for_update().select_related("departement").get(pk=event.pk)
    if event.status in (EventStatus.CANCELLED, EventStatus.DRAFT):
        raise ValidationError("Seul un événement publié se reporte.")
    previous_start = event.starts_at
    if starts_at is not None:
        event.starts_at, event.ends_at = starts_at, ends_at
        event.status = EventStatus.PUBLISHED
    else:
        event.status = EventStatus.POSTPONED
    event.sequence += 1
    event.save(update_fields=["status", "starts_at", "ends_at", "sequence", "updated_at"])
    _move_slots(event=event, previous_start=previous_start)
    _tell(
        event=event,
        template="event_postponed",
        message=message.strip(),
        previous_start=previous_start if starts_at is not None else None,
    )
    return event


@transaction.atomic
def event_delete(*, event, by):
    """Only a draft: nobody could register to it, nobody is told."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != EventStatus.DRAFT:
        raise ValidationError("Seul un brouillon se supprime : un événement publié s’annule.")
    event.delete()


@transaction.atomic
def event_report(*, event, by, attendance_count, report):
    """The attendance and the bilan, once the event is over."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    event.attendance_count = attendance_count
    event.report = report
    event.save(update_fields=["attendance_count", "report", "updated_at"])
    return event
