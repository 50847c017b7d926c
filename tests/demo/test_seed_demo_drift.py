"""seed_demo's drifting network: what the coordinators' dashboard of the Loire shows — profiles not
updated for 13 and 19 months among the quiet members, a reminder already sent, a minority of active
contributors, a newcomer who came to no event — and a second run changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from advisors.models import Advisor, User
from animation.models import Departure, ProfileReminder
from animation.queries import dashboard as queries
from demo import network
from demo.drift import drift_ensure
from territories.models import Departement
from tests.pages import page_text


def run(*args):
    call_command(*args, stdout=StringIO(), stderr=StringIO())


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    run("import_territories", "--departements", "42")
    run("seed_demo")
    return Departement.objects.get(code="42"), User.objects.get(email=network.COORDINATORS[0].email)


def test_the_dashboard_of_the_demo_shows_a_drifting_network(seeded, client):
    loire, coordinator = seeded
    twelve = list(queries.stale_profiles(loire, coordinator, months=12))
    eighteen = list(queries.stale_profiles(loire, coordinator, months=18))
    assert (len(twelve), len(eighteen)) == (8, 3)
    known = {account.email for account in [*network.COORDINATORS, network.DEMO_MEMBER]}
    assert not known & {advisor.user.email for advisor in twelve}
    quiet = set(queries.quiet_members(loire, coordinator).values_list("pk", flat=True))
    assert {advisor.pk for advisor in twelve} <= quiet
    assert sum(advisor.last_reminder is not None for advisor in eighteen) == 1
    summary = queries.contribution_summary(loire, coordinator)
    assert summary.quiet >= 10 and summary.core_percent <= 40
    assert any(not advisor.came and not advisor.coming for advisor in queries.newcomers(loire, coordinator))
    assert sum(month.gone for month in queries.membership_months(loire)) == 3

    client.force_login(coordinator)
    text = page_text(client.get(reverse("animation:dashboard", args=["42"])))
    assert "8 profils non mis à jour depuis 12 mois" in text
    assert "3 profils non mis à jour depuis 18 mois" in text


def test_a_second_drift_changes_nothing(seeded):
    loire, _ = seeded
    before = dict(Advisor.objects.values_list("pk", "updated_at"))
    assert drift_ensure(departement=loire) == 0
    assert dict(Advisor.objects.values_list("pk", "updated_at")) == before
    assert ProfileReminder.objects.count() == 1
    assert Departure.objects.count() == 3
