"""The national vocabularies seeded by migrations are there for every kind of test."""

import pytest

from advisors.models import Language
from skills.models import Domain, Public, Skill


def _counts():
    return Domain.objects.count(), Public.objects.count(), Skill.objects.count(), Language.objects.count()


@pytest.mark.django_db
def test_vocabularies_are_seeded():
    domains, publics, skills, languages = _counts()
    assert domains == 10 and publics == 12 and skills >= 33 and languages == 30


@pytest.mark.django_db(transaction=True)
def test_vocabularies_survive_a_transactional_test_first():
    assert _counts()[0] == 10


@pytest.mark.django_db(transaction=True)
def test_vocabularies_survive_a_transactional_test_second():
    # The first transactional test flushed the database at its end.
    assert _counts()[0] == 10 and _counts()[3] == 30
