"""Finding people in a browser: the directory's filters without JavaScript, near-me, promos, the
département and commune pages and the welcome panel, each through axe-core."""

import re

import pytest
from playwright.sync_api import expect

from advisors.enums import AdvisorRole
from tests.advisors.directory_data import build_places, make_advisor
from tests.advisors.factories import CohortFactory, LieuFactory, MembershipFactory, OpeningSlotFactory
from tests.territories.factories import DepartementFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def network(transactional_db):
    loire, savoie = DepartementFactory(), DepartementFactory(savoie=True)
    places = build_places(loire, savoie)
    promo = CohortFactory(slug="promo-2025", name="Promo 2025")
    MembershipFactory(departement=loire, coordinator=True, user__first_name="Nadia", user__last_name="Benali")
    make_advisor("Hélène", "Dupré", departement=loire, commune=places.firminy, public=True, cohort=promo)
    make_advisor(
        "Karim", "Benhamou", departement=loire, commune=places.saint_etienne, public=True, role=AdvisorRole.MEDIATEUR
    )
    make_advisor("Odile", "Vernay", departement=loire, commune=places.bourg_argental, cohort=promo)
    lieu = LieuFactory(name="Médiathèque de Firminy", structure__commune=places.firminy, structure__name="Ville")
    OpeningSlotFactory(lieu=lieu)
    newcomer = make_advisor(
        "Nouvelle", "Venue", departement=loire, commune=places.firminy, newcomer=True, cohort=promo
    )
    return places, newcomer


@pytest.mark.parametrize("context_options", [{"java_script_enabled": False}])
def test_the_directory_filters_without_javascript(page, axe, network):
    page.goto("/conseillers/?departement=42")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Conseillers et médiateurs")
    expect(page.get_by_role("heading", name="2 conseillers")).to_be_visible()
    axe(page, "annuaire")
    page.get_by_label("Rechercher un nom, une structure, un mot de la présentation").fill("helene")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("heading", name="1 conseiller", exact=True)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Hélène Dupré")
    page.get_by_label("Rechercher un nom, une structure, un mot de la présentation").fill("")
    page.get_by_label("Commune").fill("Saint-Étienne")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Saint-Étienne")
    expect(page.get_by_role("main")).to_contain_text("Karim Benhamou")
    expect(page.get_by_role("main")).not_to_contain_text("Hélène Dupré")
    axe(page, "annuaire-commune")


def test_finding_people_pages_pass_axe(page, axe, force_login, network):
    places, newcomer = network
    page.goto(places.firminy.get_absolute_url())
    page.get_by_role("link", name="Voir qui fait quoi près de Firminy").click()
    expect(page).to_have_url(re.compile(r"/pres-de-chez-moi/42095/$"))
    main = page.get_by_role("main")
    expect(main).to_contain_text("Hélène Dupré")
    expect(main).to_contain_text("Médiathèque de Firminy")
    # The coordinator has no profile: a visitor is told she exists, not her name (README, « Ce que voit qui »).
    expect(main).to_contain_text("1 personne au profil que vous ne pouvez pas voir")
    expect(main).not_to_contain_text("Nadia Benali")
    axe(page, "pres-de-chez-moi")
    page.goto("/territoires/42/")
    expect(main).to_contain_text("2 conseillers et médiateurs")
    axe(page, "departement")
    page.goto("/promos/")
    axe(page, "promos")
    page.get_by_role("link", name="Promo 2025").click()
    expect(page.get_by_role("heading", level=2, name="Loire (42)")).to_be_visible()
    axe(page, "promo")
    force_login(page, newcomer.user)
    page.goto("/reseau/")
    expect(page.get_by_role("heading", name="Bienvenue dans le réseau !")).to_be_visible()
    expect(main).to_contain_text("Odile Vernay")  # same promo, visible to members
    expect(main).to_contain_text("Nadia Benali")  # her coordinator, named to members
    axe(page, "bienvenue")
