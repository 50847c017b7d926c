"""Writes about the programme of an event: its slots and their animators. Keyword-only, one transaction each.

Signing up to animate locks the person's ``Advisor`` row first: two sign-ups of the same person (two
tabs, two overlapping slots, a double click) run one after the other, and the second sees the first
when it looks for a clash.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from advisors.models import Advisor
from common.mail import email_send
from events.dates import day_label, time_range
from events.enums import AnimatorStatus, EventStatus
from events.models import AnimatorSignup, Slot
from events.queries.programme import animator_clash
from events.services.registrations import registration_capacity_set

SLOT_FIELDS = ("title", "description", "starts_at", "ends_at", "room", "capacity", "animators_wanted")


def _check_times(*, event, starts_at, ends_at):
    if ends_at <= starts_at:
        raise ValidationError({"ends": "L’heure de fin doit être après l’heure de début."})
    if starts_at < event.starts_at or ends_at > event.ends_at:
        bounds = time_range(event.starts_at, event.ends_at, event.tzinfo)
        field = "starts" if starts_at < event.starts_at else "ends"
        raise ValidationError({field: f"Le créneau doit se tenir pendant l’événement, {bounds}."})


@transaction.atomic
def slot_create(*, event, title, description="", starts_at, ends_at, room="", capacity=None, animators_wanted=1):
    """Add a programme item to ``event``, within its start and end."""
    _check_times(event=event, starts_at=starts_at, ends_at=ends_at)
    return Slot.objects.create(
        event=event,
        title=title,
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        room=room,
        capacity=capacity,
        animators_wanted=animators_wanted,
    )


@transaction.atomic
def slot_update(*, slot, **fields):
    """Change a slot. Its places go through the registrations' rule: never below the people already
    registered, and new places go to the waiting list in arrival order."""
    unknown = set(fields) - set(SLOT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown slot fields: {sorted(unknown)}")
    slot = Slot.objects.select_for_update().select_related("event__departement").get(pk=slot.pk)
    _check_times(
        event=slot.event,
        starts_at=fields.get("starts_at", slot.starts_at),
        ends_at=fields.get("ends_at", slot.ends_at),
    )
    capacity = fields.pop("capacity", slot.capacity)
    for name, value in fields.items():
        setattr(slot, name, value)
    slot.save(update_fields=list(fields))
    if capacity != slot.capacity:
        registration_capacity_set(event=slot.event, slot=slot, capacity=capacity)
        slot.capacity = capacity
    return slot


def _email_animator(*, template, signup, slot):
    event = slot.event
    email_send(
        template=f"events/emails/{template}",
        to=signup.advisor.user.email,
        context={
            "signup": signup,
            "slot": slot,
            "event": event,
            "name": signup.advisor.user.display_name,
            "when": _when(slot),
        },
    )


def _when(slot):
    """« le samedi 28 novembre 2026 de 14 h à 15 h »."""
    local = timezone.localtime(slot.starts_at, slot.event.tzinfo)
    return f"le {day_label(local)} {time_range(slot.starts_at, slot.ends_at, slot.event.tzinfo)}"


@transaction.atomic
def slot_delete(*, slot):
    """Remove a slot from the programme; its animators are told by email."""
    slot = Slot.objects.select_for_update().select_related("event__departement").get(pk=slot.pk)
    for signup in slot.animators.select_related("advisor__user"):
        _email_animator(template="animator_slot_deleted", signup=signup, slot=slot)
    slot.delete()


@transaction.atomic
def animator_propose(*, slot, advisor, now=None):
    """``advisor`` offers to animate ``slot`` (status « proposé », for the organisers to confirm).

    Refused with a French sentence when the slot is past or its event cancelled, or when it clashes
    with another commitment of theirs (``animator_clash``). Offering twice changes nothing."""
    Advisor.objects.select_for_update().only("pk").get(pk=advisor.pk)
    slot = Slot.objects.select_related("event__departement").get(pk=slot.pk)
    existing = AnimatorSignup.objects.filter(slot=slot, advisor=advisor).first()
    if existing is not None:
        return existing
    if slot.event.status == EventStatus.CANCELLED:
        raise ValidationError("Cet événement est annulé : on ne peut plus proposer d’animer ses créneaux.")
    if slot.ends_at <= (now or timezone.now()):
        raise ValidationError("Ce créneau est passé.")
    reason = animator_clash(advisor=advisor, slot=slot)
    if reason:
        raise ValidationError(reason)
    try:
        with transaction.atomic():
            return AnimatorSignup.objects.create(slot=slot, advisor=advisor, status=AnimatorStatus.PROPOSED)
    except IntegrityError:
        # The lock makes this unreachable for the same person; the constraint stays the last word.
        return AnimatorSignup.objects.get(slot=slot, advisor=advisor)


@transaction.atomic
def animator_withdraw(*, slot, advisor):
    """``advisor`` no longer animates ``slot``. Withdrawing twice changes nothing. Locks the person's
    ``Advisor`` row, as ``animator_propose`` does: an offer and a withdrawal of the same person (two
    tabs, a double click) run one after the other."""
    Advisor.objects.select_for_update().only("pk").get(pk=advisor.pk)
    deleted, _ = AnimatorSignup.objects.filter(slot=slot, advisor=advisor).delete()
    return bool(deleted)


@transaction.atomic
def animator_confirm(*, signup):
    """The organisers confirm a proposed animator, who is emailed. Confirming twice sends one email."""
    signup = AnimatorSignup.objects.select_for_update().select_related("advisor__user").get(pk=signup.pk)
    if signup.status == AnimatorStatus.CONFIRMED:
        return signup
    signup.status = AnimatorStatus.CONFIRMED
    signup.save(update_fields=["status"])
    slot = Slot.objects.select_related("event__departement").get(pk=signup.slot_id)
    _email_animator(template="animator_confirmed", signup=signup, slot=slot)
    return signup


@transaction.atomic
def animator_remove(*, signup):
    """The organisers take an animator off a slot; they are emailed. Removing twice sends one email."""
    signup = AnimatorSignup.objects.select_for_update().select_related("advisor__user").filter(pk=signup.pk).first()
    if signup is None:
        return False
    slot = Slot.objects.select_related("event__departement").get(pk=signup.slot_id)
    signup.delete()
    _email_animator(template="animator_removed", signup=signup, slot=slot)
    return True
