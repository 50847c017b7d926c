"""Two people acting on the same partner at once: one consistent state, never an IntegrityError or a 500."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from animation.enums import PartnerStatus
from animation.models import PartnerAcquaintance
from animation.services import partners as services
from tests.advisors.factories import AdvisorFactory, MembershipFactory
from tests.animation.factories import PartnerFactory
from tests.territories.factories import DepartementFactory
from tests.test_races import run_at_once


class SlowNow:
    def now(self):
        time.sleep(0.3)
        return timezone.now()


@pytest.mark.django_db(transaction=True)
def test_saying_i_know_it_several_times_at_once_keeps_one_row():
    loire = DepartementFactory()
    partner = PartnerFactory(departement=loire)
    advisor = AdvisorFactory(departement=loire)

    def know(note):
        return services.partner_know(partner=partner, advisor=advisor, know=True, note=note)

    results, errors = run_at_once(know, [("un",), ("deux",), ("trois",)])

    assert errors == [] and len(results) == 3
    [acquaintance] = PartnerAcquaintance.objects.all()
    assert acquaintance.note in {"un", "deux", "trois"}


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_deciding_at_once_decide_once(monkeypatch):
    loire = DepartementFactory()
    first, second = (MembershipFactory(departement=loire, coordinator=True).user for _ in range(2))
    suggester = AdvisorFactory(departement=loire).user
    partner = PartnerFactory(departement=loire, status=PartnerStatus.SUGGESTED, suggested_by=suggester)
    # The first one to hold the lock takes a while to write (``timezone.now`` is read between the lock and
    # the write): without the lock, the second one would read the suggestion still waiting and decide too.
    monkeypatch.setattr(services, "timezone", SlowNow())

    def decide(by, approve):
        return services.partner_decide(partner=partner, by=by, approve=approve)

    results, errors = run_at_once(decide, [(first, True), (second, False)])

    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError) and "déjà été traitée" in errors[0].messages[0]
    partner.refresh_from_db()
    [winner] = results
    assert (partner.status, partner.decided_by_id) == (winner.status, winner.decided_by_id)


@pytest.mark.django_db
def test_a_row_created_between_the_look_up_and_the_insert_is_updated_not_an_error(monkeypatch):
    """What the partner's lock makes rare (a request that does not take it, a retried form): the unique
    constraint answers, and the service updates the row the other request wrote."""
    loire = DepartementFactory()
    partner = PartnerFactory(departement=loire)
    advisor = AdvisorFactory(departement=loire)
    PartnerAcquaintance.objects.create(partner=partner, advisor=advisor, note="l’autre requête")

    def get_or_create_missed(defaults=None, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(PartnerAcquaintance.objects, "get_or_create", get_or_create_missed)
    acquaintance = services.partner_know(partner=partner, advisor=advisor, know=True, note="la mienne")
    assert acquaintance.note == "la mienne"
    assert PartnerAcquaintance.objects.get().note == "la mienne"
