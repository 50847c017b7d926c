"""A coordinator reads the Loire's coverage for « aide aux démarches administratives »: finds a zone
blanche in the summary and the table, opens the commune from the map, then proposes a rencontre to
the structures that pile up in Saint-Étienne. Each page through axe-core."""

import re

import pytest
from playwright.sync_api import expect

from skills.models import Domain
from territories.models import Commune
from tests.advisors.factories import AdvisorFactory, LieuFactory, MembershipFactory, StructureFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def coverage_story(loire_territories):
    """Three structures offering démarches cover Saint-Étienne, one has a lieu there; Usson-en-Forez, in
    the Monts du Forez 40 km away, has nobody."""
    demarches = Domain.objects.get(slug="aide-aux-demarches-administratives")
    saint_etienne = Commune.objects.get(code="42218")
    structures = []
    for name in ("Centre social Beaulieu", "Médiathèque de Tarentaize", "PIMMS Saint-Étienne"):
        structure = StructureFactory(name=name, commune=saint_etienne)
        structure.services.set([demarches])
        structure.perimeter.set([saint_etienne])
        structures.append(structure)
    LieuFactory(structure=structures[0], commune=saint_etienne, name="Centre social Beaulieu")
    coordinator = MembershipFactory(departement_id="42", coordinator=True).user
    AdvisorFactory(user=coordinator, departement_id="42", membership=False)
    return coordinator


def test_a_coordinator_finds_a_zone_blanche_and_proposes_a_rencontre(page, axe, force_login, coverage_story):
    force_login(page, coverage_story)
    page.goto("/couverture/")
    page.get_by_label("Territoire").select_option("42")
    page.get_by_label("Service").select_option(label="Aide aux démarches administratives")
    page.get_by_role("button", name="Afficher la couverture").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Couverture du territoire : Loire (42)")
    summary = page.locator(".coverage-summary")
    expect(summary).to_contain_text("sans lieu à moins de 15 km pour l’aide aux démarches administratives")
    expect(summary).to_contain_text("1 commune, 173")  # Saint-Étienne, the one empilement
    axe(page, "couverture-loire")

    # The table's first rows are the zones blanches, the most populated first; Usson-en-Forez is one.
    usson = page.get_by_role("row", name=re.compile("Usson-en-Forez"))
    expect(usson).to_contain_text("zone blanche")
    # The map says the same of its shape, and leads to the commune's page.
    shape = page.locator("svg.map a[aria-label^='Usson-en-Forez']")
    expect(shape).to_have_attribute("aria-label", re.compile("zone blanche, aucun lieu à moins de 15 km"))
    shape.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Usson-en-Forez")
    page.go_back()

    page.get_by_role("link", name="Proposer une rencontre d’inter-connaissance à Saint-Étienne").click()
    expect(page.get_by_label("Titre")).to_have_value(
        "Rencontre d’inter-connaissance à Saint-Étienne : aide aux démarches administratives"
    )
    for name in ("Centre social Beaulieu", "Médiathèque de Tarentaize", "PIMMS Saint-Étienne"):
        expect(page.get_by_label(name)).to_be_checked()
    axe(page, "rencontre-preremplie")
