"""Two requests doing the same first write at once: the second gets the first one's row or a
form error, never a 500 (IntegrityError). Each test widens the window between the check and
the insert, where a real race lands."""

import threading
import time
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from advisors.models import Advisor, Cohort
from advisors.services import network, profiles
from skills import services as skill_services
from skills.models import Domain, Skill
from tests.advisors.factories import MembershipFactory
from tests.territories.factories import DepartementFactory


def run_at_once(target, args_list):
    """Run ``target(*args)`` for each args in threads released together; the results and errors."""
    barrier = threading.Barrier(len(args_list))
    results, errors = [], []

    def run(*args):
        try:
            barrier.wait(timeout=10)
            results.append(target(*args))
        except Exception as error:  # noqa: BLE001 — the test asserts on what came out
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=args) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


def slowed(function, delay=0.3):
    def wrapper(*args, **kwargs):
        time.sleep(delay)
        return function(*args, **kwargs)

    return wrapper


class SlowLocalDate:
    """``timezone`` whose ``localdate`` (read between the check and the insert) takes a while."""

    def __init__(self, real):
        self.real = real

    def __getattr__(self, name):
        return getattr(self.real, name)

    def localdate(self):
        time.sleep(0.3)
        return self.real.localdate()


@pytest.mark.django_db(transaction=True)
def test_first_profile_opened_in_three_tabs_at_once_is_created_once(monkeypatch):
    loire = DepartementFactory()
    user = MembershipFactory(departement=loire).user
    monkeypatch.setattr(network, "timezone", SlowLocalDate(network.timezone))

    results, errors = run_at_once(lambda: network.advisor_ensure(user=user, departement=loire), [()] * 3)

    assert errors == []
    assert Advisor.objects.filter(user=user).count() == 1
    assert {advisor.pk for advisor in results} == {Advisor.objects.get(user=user).pk}


@pytest.mark.django_db(transaction=True)
def test_two_members_proposing_the_same_skill_at_once_get_one_skill_and_a_form_error(monkeypatch):
    loire = DepartementFactory()
    members = [MembershipFactory(departement=loire).user for _ in range(2)]
    domain = Domain.objects.order_by("position").first()
    monkeypatch.setattr(skill_services, "_unique_slug", slowed(skill_services._unique_slug))

    results, errors = run_at_once(
        lambda user: skill_services.skill_propose(user=user, domain=domain, name="Impression 3D"),
        [(member,) for member in members],
    )

    assert len(results) == 1
    assert [type(error) for error in errors] == [ValidationError]
    message = " ".join(errors[0].message_dict["name"][0].split())  # no-break spaces read as spaces
    assert message.startswith("La compétence « Impression 3D » existe déjà")
    assert Skill.objects.filter(name="Impression 3D").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_creating_the_same_promo_at_once_get_the_same_promo(monkeypatch):
    monkeypatch.setattr(profiles, "slugify", slowed(profiles.slugify))
    start = date(2026, 9, 1)

    results, errors = run_at_once(
        lambda: profiles.cohort_create(name="Promo Forez", training_body="Hubik", start_date=start), [()] * 2
    )

    assert errors == []
    assert Cohort.objects.count() == 1
    assert {cohort.pk for cohort in results} == {Cohort.objects.get().pk}
