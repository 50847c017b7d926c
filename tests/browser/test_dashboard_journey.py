"""A coordinator opens the Loire's dashboard, follows the figure of the profiles not updated for a year
to its list and sends them all a reminder; the list then says they were reminded this month. Each page
through axe-core, on a computer and on a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from advisors.models import Advisor
from tests.advisors.factories import AdvisorFactory, MembershipFactory
from tests.territories.factories import DepartementFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def drifting(transactional_db):
    loire = DepartementFactory()
    coordinator = MembershipFactory(departement=loire, coordinator=True).user
    for first, last in (("Alice", "Arnaud"), ("Bruno", "Besson")):
        advisor = AdvisorFactory(departement=loire, user__first_name=first, user__last_name=last)
        Advisor.objects.filter(pk=advisor.pk).update(updated_at=timezone.now() - timedelta(days=420))
    AdvisorFactory(departement=loire, user__first_name="Chloé", user__last_name="Chabert")
    return coordinator


@pytest.mark.parametrize("width", [1280, 375])
def test_a_coordinator_reminds_the_stale_profiles_from_the_dashboard(page, axe, force_login, drifting, width):
    page.set_viewport_size({"width": width, "height": 800})
    force_login(page, drifting)
    page.goto("/reseau/42/tableau-de-bord/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord du réseau de la Loire")
    expect(page.get_by_role("img", name="Membres actifs")).to_be_visible()
    axe(page, f"tableau-de-bord-{width}")

    page.get_by_role("link", name="2 profils non mis à jour depuis 12 mois").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Profils non mis à jour depuis 12 mois")
    expect(page.get_by_role("link", name="Alice Arnaud")).to_be_visible()
    expect(page.get_by_text("Chloé Chabert")).to_have_count(0)
    axe(page, f"profils-12-mois-{width}")
    # Nothing wider than the screen on a phone: the rows read as cards.
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_role("button", name="Relancer les 2 personnes de la liste").click()
    expect(page.get_by_text("Relance envoyée à")).to_be_visible()
    expect(page.get_by_text("relancé ce mois-ci")).to_have_count(2)
    axe(page, f"relances-envoyees-{width}")
