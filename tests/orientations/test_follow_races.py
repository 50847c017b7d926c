"""Two receivers answering the same orientation at once: one consistent state, never a 500."""

import time

import pytest
from django.core.exceptions import ValidationError

from orientations.enums import OrientationStatus
from orientations.models import Orientation
from orientations.services import status as status_service
from tests.advisors.factories import AdvisorFactory, LieuFactory, StructureFactory
from tests.orientations.factories import OrientationFactory
from tests.territories.factories import CommuneFactory, DepartementFactory
from tests.test_races import run_at_once


class SlowNow:
    """``timezone`` whose ``now`` (read between the lock and the write) takes a while."""

    def __init__(self, real):
        self.real = real

    def __getattr__(self, name):
        return getattr(self.real, name)

    def now(self):
        time.sleep(0.3)
        return self.real.now()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("seen", ["sent", None])
def test_two_receivers_answering_at_once_leave_one_consistent_state(monkeypatch, seen):
    loire = DepartementFactory()
    structure = StructureFactory(commune=CommuneFactory(departement=loire))
    first, second = AdvisorFactory.create_batch(2, departement=loire, structure=structure)
    lieu = LieuFactory(structure=structure)
    orientation = OrientationFactory(
        sender=AdvisorFactory(departement=loire).user, receiver_advisor=None, receiver_lieu=lieu
    )
    monkeypatch.setattr(status_service, "timezone", SlowNow(status_service.timezone))

    def answer(advisor, status):
        return status_service.orientation_status_change(
            orientation=orientation, by=advisor.user, status=status, seen_status=seen
        )

    results, errors = run_at_once(answer, [(first, OrientationStatus.TAKEN), (second, OrientationStatus.NO_FOLLOW_UP)])

    orientation.refresh_from_db()
    if seen is None:
        # Without the state each one saw, both answers apply, one after the other: the last one stays.
        assert errors == [] and len(results) == 2
    else:
        # The second one finds the first one's answer and changes nothing.
        assert len(results) == 1 and len(errors) == 1
        assert isinstance(errors[0], ValidationError) and "Entre-temps" in errors[0].messages[0]
        [winner] = results
        assert (orientation.status, orientation.status_changed_by_id) == (winner.status, winner.status_changed_by_id)
    assert orientation.status in (OrientationStatus.TAKEN, OrientationStatus.NO_FOLLOW_UP)
    by = first.user if orientation.status == OrientationStatus.TAKEN else second.user
    assert orientation.status_changed_by_id == by.pk
    assert Orientation.objects.count() == 1
