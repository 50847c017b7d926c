"""Many people registering, cancelling, or the organisers raising the capacity, in the same second:
each thread is a real PostgreSQL transaction on its own connection, released together by a barrier.
The capacity is never exceeded, and a freed place goes to exactly one person, in arrival order."""

import pytest
from django.core import mail

from events.enums import RegistrationStatus
from events.models import Registration
from events.services import registrations as services
from tests.advisors.factories import UserFactory
from tests.events.factories import EventFactory, RegistrationFactory, SlotFactory
from tests.test_races import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def statuses(**filters):
    return list(Registration.objects.filter(**filters).values_list("status", flat=True))


def test_twelve_people_registering_at_once_for_five_places_get_five_places_and_seven_ranks():
    event = EventFactory(capacity=5)
    users = [UserFactory() for _ in range(12)]

    results, errors = run_at_once(
        lambda user: services.registration_create(event=event, user=user), [(user,) for user in users]
    )

    assert errors == []
    assert len(results) == 12
    assert statuses(event=event).count(RegistrationStatus.CONFIRMED) == 5
    assert statuses(event=event).count(RegistrationStatus.WAITLISTED) == 7
    # The ranks follow the order in which the places were decided.
    waiting = list(Registration.objects.filter(event=event).waitlisted())
    confirmed = list(Registration.objects.filter(event=event).confirmed())
    assert max(r.queued_at for r in confirmed) <= min(r.queued_at for r in waiting)


def test_visitors_confirming_at_once_never_exceed_a_slots_capacity():
    slot = SlotFactory(capacity=3)
    pending = [
        RegistrationFactory(event=slot.event, slot=slot, visitor=True, pending=True, email=f"v{n}@exemple.fr")
        for n in range(8)
    ]

    results, errors = run_at_once(
        lambda registration: services.registration_confirm(registration=registration), [(r,) for r in pending]
    )

    assert errors == []
    assert statuses(slot=slot).count(RegistrationStatus.CONFIRMED) == 3
    assert statuses(slot=slot).count(RegistrationStatus.WAITLISTED) == 5


def test_the_same_person_registering_twice_at_once_gets_one_registration_and_a_message():
    event = EventFactory(capacity=5)
    user = UserFactory()

    results, errors = run_at_once(lambda: services.registration_create(event=event, user=user), [()] * 3)

    assert len(results) == 1
    assert len(errors) == 2
    assert all("existe déjà" in error.messages[0] for error in errors)
    assert Registration.objects.filter(event=event).count() == 1


def test_cancellations_at_once_each_promote_exactly_one_person_in_order():
    event = EventFactory(capacity=4)
    confirmed = [RegistrationFactory(event=event) for _ in range(4)]
    waiting = [RegistrationFactory(event=event, waitlisted=True) for _ in range(5)]
    mail.outbox.clear()

    results, errors = run_at_once(
        lambda registration: services.registration_cancel(registration=registration), [(r,) for r in confirmed[:3]]
    )

    assert errors == []
    promoted = set(Registration.objects.filter(event=event, promoted_at__isnull=False).values_list("pk", flat=True))
    assert promoted == {r.pk for r in waiting[:3]}
    assert statuses(event=event).count(RegistrationStatus.CONFIRMED) == 4
    assert statuses(event=event).count(RegistrationStatus.WAITLISTED) == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted(r.email for r in waiting[:3])


def test_the_same_cancellation_twice_at_once_promotes_one_person():
    event = EventFactory(capacity=1)
    holder = RegistrationFactory(event=event)
    waiting = [RegistrationFactory(event=event, waitlisted=True) for _ in range(3)]

    results, errors = run_at_once(lambda: services.registration_cancel(registration=holder), [()] * 4)

    assert errors == []
    assert list(Registration.objects.filter(event=event).confirmed()) == [waiting[0]]


def test_raising_the_capacity_while_people_register_promotes_k_and_never_overbooks():
    event = EventFactory(capacity=2)
    [RegistrationFactory(event=event) for _ in range(2)]
    waiting = [RegistrationFactory(event=event, waitlisted=True) for _ in range(6)]
    newcomers = [UserFactory() for _ in range(4)]

    def act(kind, who):
        if kind == "raise":
            return services.registration_capacity_set(event=event, capacity=5)
        return services.registration_create(event=event, user=who)

    results, errors = run_at_once(act, [("raise", None), *(("register", user) for user in newcomers)])

    assert errors == []
    assert statuses(event=event).count(RegistrationStatus.CONFIRMED) == 5
    # Three new places: the three first of the waiting list get them, the newcomers queue behind.
    promoted = set(Registration.objects.filter(event=event, promoted_at__isnull=False).values_list("pk", flat=True))
    assert promoted == {r.pk for r in waiting[:3]}
