"""What a newcomer does first, in a real browser: choose their département (a form whose CSRF
token Django's test client would not check) and search a structure with accents."""

import re

import pytest
from playwright.sync_api import expect

from territories.scope import COOKIE_NAME
from tests.advisors.factories import StructureFactory
from tests.territories.factories import CommuneFactory, DepartementFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def loire(transactional_db):
    loire = DepartementFactory()
    saint_etienne = CommuneFactory(departement=loire, code="42218", name="Saint-Étienne", postal_codes="42000")
    StructureFactory(name="Médiathèque de Tarentaize", commune=saint_etienne)
    StructureFactory(name="Centre social Beaubrun", commune=saint_etienne)
    return loire


def test_a_visitor_chooses_their_departement_and_it_is_remembered(page, axe, loire):
    page.goto(loire.get_absolute_url())
    axe(page, "departement")
    page.get_by_role("button", name="Choisir Loire comme mon département").click()
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("403")
    expect(page.get_by_role("banner")).to_contain_text("Votre département : Loire (42)")
    assert {"name": COOKIE_NAME, "value": "42"}.items() <= next(
        cookie for cookie in page.context.cookies() if cookie["name"] == COOKIE_NAME
    ).items()
    page.goto(loire.get_absolute_url())
    expect(page.get_by_text("C’est votre département")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Choisir Loire"))).to_have_count(0)


def test_a_visitor_finds_a_structure_typing_its_accents(page, axe, loire):
    page.goto("/structures/")
    page.get_by_label("Nom de la structure").fill("médiathèque")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("heading", name="1 structure", exact=True)).to_be_visible()
    results = page.get_by_role("main")
    expect(results.get_by_role("link", name="Médiathèque de Tarentaize")).to_be_visible()
    expect(results).not_to_contain_text("Centre social Beaubrun")
    axe(page, "structures-recherche")
