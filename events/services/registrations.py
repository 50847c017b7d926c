"""Writes about registrations: places, the waiting list, attendance. Keyword-only, one transaction each.

A registration is to an event (``slot=None``) or to one slot of its programme. Every write that can
change who holds a place first locks the row that carries the capacity — the ``Event``, or the
``Slot`` — so that counting the confirmed places and deciding happen with no one else deciding in
between: the capacity is never exceeded, and a freed place goes to exactly one person of the
waiting list, the first to have arrived (``queued_at``, then ``pk``). The target row is always
locked before any registration row, so two of these writes never wait on each other in a circle.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.mail import email_send
from events.dates import moment_label
from events.enums import Attendance, EventStatus, RegistrationStatus
from events.models import Event, Registration, Slot
from events.queries.registrations import registration_closed_reason, waitlist_rank

ALREADY_REGISTERED = "Une inscription existe déjà pour l’adresse {email}. Si vous ne trouvez plus le courriel, "
ALREADY_REGISTERED += "vérifiez vos indésirables ; il contient le lien pour l’annuler."


def _lock(*, event, slot):
    """Lock the row that carries the capacity; return (event, slot, target) freshly read."""
    if slot is not None:
        slot = Slot.objects.select_for_update().get(pk=slot.pk)
        event = Event.objects.select_related("departement").get(pk=slot.event_id)
        slot.event = event
        return event, slot, slot
    event = Event.objects.select_for_update().select_related("departement").get(pk=event.pk)
    return event, None, event


def _of_target(*, event, slot):
    """The registrations that compete for the same places."""
    if slot is not None:
        return Registration.objects.filter(slot=slot)
    return Registration.objects.filter(event=event, slot__isnull=True)


def _email(*, template, registration, event, slot, **context):
    """Emailed once the transaction commits; every one carries the link to cancel."""
    email_send(
        template=f"events/emails/{template}",
        to=registration.email,
        context={
            "registration": registration,
            "event": event,
            "slot": slot,
            "starts": moment_label((slot or event).starts_at, event.tzinfo),
            **context,
        },
    )


def _decide(*, registration, event, slot, target):
    """Give ``registration`` a place if one is free, else a rank on the waiting list (target locked)."""
    confirmed = _of_target(event=event, slot=slot).confirmed().count()
    full = target.capacity is not None and confirmed >= target.capacity
    registration.status = RegistrationStatus.WAITLISTED if full else RegistrationStatus.CONFIRMED
    registration.queued_at = timezone.now()


def _announce(*, registration, event, slot):
    """The email that tells a registrant where they stand: a place, or their rank on the waiting list."""
    if registration.status == RegistrationStatus.WAITLISTED:
        rank = waitlist_rank(registration)
        _email(template="registration_waitlisted", registration=registration, event=event, slot=slot, rank=rank)
    else:
        _email(template="registration_confirmed", registration=registration, event=event, slot=slot)


def _fill(*, event, slot, target):
    """Promote people of the waiting list, in arrival order, while places are free (target locked).

    Only for a published event (or slot) not started yet: a place freed on a cancelled, postponed or
    finished event is no news to give (« Une place s’est libérée » for a day that is over)."""
    if event.status != EventStatus.PUBLISHED or target.starts_at <= timezone.now():
        return []
    waiting = _of_target(event=event, slot=slot).waitlisted().select_for_update()
    if target.capacity is not None:
        free = target.capacity - _of_target(event=event, slot=slot).confirmed().count()
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    now = timezone.now()
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        _email(template="registration_promoted", registration=registration, event=event, slot=slot)
    return promoted


@transaction.atomic
def registration_create(*, event, slot=None, user=None, name="", email=""):
    """Register ``user`` (a place or the waiting list, decided at once) or a visitor by ``name`` and
    ``email`` (pending until they follow the emailed link: only then do they take a place or a rank)."""
    event, slot, target = _lock(event=event, slot=slot)
    reason = registration_closed_reason(event=event, slot=slot)
    if reason:
        raise ValidationError(reason)
    if user is not None:
        name = user.display_name
        email = user.email
    name, email = " ".join(name.split()), email.strip().lower()
    if not name:
        raise ValidationError({"name": "Indiquez votre nom."})
    if not email:
        raise ValidationError({"email": "Indiquez votre adresse électronique."})
    if _of_target(event=event, slot=slot).active().filter(email__iexact=email).exists():
        raise ValidationError(ALREADY_REGISTERED.format(email=email))
    registration = Registration(event=event, slot=slot, user=user, name=name, email=email)
    if user is not None:
        _decide(registration=registration, event=event, slot=slot, target=target)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:
        # The lock makes this unreachable for the same target; the constraint stays the last word.
        raise ValidationError(ALREADY_REGISTERED.format(email=email)) from error
    if user is not None:
        _announce(registration=registration, event=event, slot=slot)
    else:
        _email(template="registration_pending", registration=registration, event=event, slot=slot)
    return registration


@transaction.atomic
def registration_resend(*, event, slot=None, email):
    """Email again the links of ``email``'s registration (a visitor who lost the first email and
    registers again); ``None`` when that address has no registration there."""
    registration = _of_target(event=event, slot=slot).active().filter(email__iexact=email).first()
    if registration is None:
        return None
    if registration.status == RegistrationStatus.PENDING:
        _email(template="registration_pending", registration=registration, event=event, slot=slot)
    else:
        _announce(registration=registration, event=event, slot=slot)
    return registration


@transaction.atomic
def registration_confirm(*, registration):
    """A visitor followed their emailed link: now they take a place, or a rank on the waiting list.

    Following it again changes nothing."""
    event, slot, target = _lock(event=registration.event, slot=registration.slot)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        raise ValidationError("Cette inscription a été annulée : inscrivez-vous de nouveau si vous le souhaitez.")
    if registration.status != RegistrationStatus.PENDING:
        return registration
    reason = registration_closed_reason(event=event, slot=slot)
    if reason:
        raise ValidationError(reason)
    _decide(registration=registration, event=event, slot=slot, target=target)
    registration.save(update_fields=["status", "queued_at"])
    _announce(registration=registration, event=event, slot=slot)
    return registration


@transaction.atomic
def registration_cancel(*, registration):
    """Cancel a registration; a place it held goes to the first person of the waiting list.

    Cancelling twice changes nothing (and promotes no one the second time)."""
    event, slot, target = _lock(event=registration.event, slot=registration.slot)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    held_a_place = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if held_a_place:
        _fill(event=event, slot=slot, target=target)
    return registration


@transaction.atomic
def registration_capacity_set(*, event, slot=None, capacity):
    """Set the number of places of ``event`` (or of its ``slot``); ``None`` is unlimited.

    Lowering it below the places already given is refused; raising it gives the new places to the
    waiting list in arrival order, each person emailed. Returns the promoted registrations."""
    event, slot, target = _lock(event=event, slot=slot)
    if capacity is not None:
        confirmed = _of_target(event=event, slot=slot).confirmed().count()
        if capacity < confirmed:
            people = "1 personne est déjà inscrite" if confirmed == 1 else f"{confirmed} personnes sont déjà inscrites"
            raise ValidationError({"capacity": f"{people}\u00a0: la capacité ne peut pas descendre sous {confirmed}."})
    target.capacity = capacity
    target.save(update_fields=["capacity"])
    return _fill(event=event, slot=slot, target=target)


@transaction.atomic
def registration_mark_attendance(*, registration, attendance):
    """Mark a registrant present or absent (``""`` clears it): the organisers, on the day."""
    if attendance not in {"", *Attendance.values}:
        raise ValidationError({"attendance": "Choisissez présent ou absent."})
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.PENDING):
        raise ValidationError("Cette personne n’a pas de place à cet événement : sa présence ne se note pas.")
    registration.attendance = attendance
    registration.save(update_fields=["attendance"])
    return registration
