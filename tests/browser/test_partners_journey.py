"""A member proposes a partner to the Loire network (a first try with mistakes), a coordinator publishes
it from the suggestions waiting, and the member says they know it. Each page through axe-core, on a
computer and on a phone."""

import re

import pytest
from playwright.sync_api import expect

from animation.enums import PartnerStatus
from animation.models import Partner
from tests.advisors.factories import AdvisorFactory, MembershipFactory
from tests.animation.factories import PartnerFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, EPCIFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def network(transactional_db):
    loire = DepartementFactory()
    epci = EPCIFactory(siren="244200770", name="Saint-Étienne Métropole", kind="METRO")
    CommuneFactory(departement=loire, code="42218", name="Saint-Étienne", postal_codes="42000 42100", epci=epci)
    coordinator = MembershipFactory(departement=loire, coordinator=True).user
    member = AdvisorFactory(departement=loire, user__first_name="Camille", user__last_name="Ferrand").user
    PartnerFactory(departement=loire, name="CAF de la Loire", contact_phone="04 65 71 90 02")
    return member, coordinator


@pytest.mark.parametrize("width", [1280, 375])
def test_a_member_proposes_a_partner_that_the_coordination_publishes(page, axe, force_login, network, width):
    member, coordinator = network
    page.set_viewport_size({"width": width, "height": 800})
    force_login(page, member)
    page.goto("/reseau/42/partenaires/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Les partenaires du réseau de la Loire")
    expect(page.get_by_role("link", name="CAF de la Loire")).to_be_visible()
    axe(page, f"annuaire-membre-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_role("link", name="Proposer un partenaire").click()
    page.get_by_label("Site web").fill("pas une adresse")
    page.get_by_label("Son téléphone").fill("abc")
    page.get_by_role("button", name="Envoyer ma proposition").click()
    expect(page.get_by_text("Indiquez le nom du partenaire.")).to_be_visible()
    expect(page.get_by_text(re.compile("Adresse non valide"))).to_be_visible()
    axe(page, f"proposition-erreurs-{width}")

    page.get_by_label("Nom du partenaire").fill("Emmaüs Connect Saint-Étienne")
    page.get_by_label("Type de partenaire").select_option(label="association ou réseau associatif")
    page.get_by_label("communal", exact=True).check()
    page.get_by_label("Commune").fill("Saint-Étienne")
    page.get_by_label("Site web").fill("https://emmaus-connect.example.org")
    page.get_by_label("Son téléphone").fill("04 65 71 90 08")
    page.get_by_role("button", name="Envoyer ma proposition").click()
    expect(page.get_by_text(re.compile("Votre proposition attend la coordination"))).to_be_visible()
    axe(page, f"proposition-envoyee-{width}")
    assert Partner.objects.get(name="Emmaüs Connect Saint-Étienne").status == PartnerStatus.SUGGESTED

    page.context.clear_cookies()
    force_login(page, coordinator)
    page.goto("/reseau/42/partenaires/")
    page.get_by_role("link", name="voir la proposition").click()
    expect(page.get_by_role("heading", name="1 proposition en attente")).to_be_visible()
    axe(page, f"propositions-coordination-{width}")
    page.get_by_role("button", name="Publier Emmaüs Connect Saint-Étienne").click()
    expect(page.get_by_text(re.compile("Emmaüs Connect Saint-Étienne est publié dans l’annuaire"))).to_be_visible()

    page.context.clear_cookies()
    force_login(page, member)
    page.goto("/reseau/42/partenaires/")
    page.get_by_role("link", name="Emmaüs Connect Saint-Étienne").click()
    page.get_by_label("Comment vous le connaissez (facultatif)").fill("permanence commune le mardi")
    page.get_by_role("button", name="Je connais ce partenaire").click()
    expect(page.get_by_text(re.compile("vos collègues savent que vous connaissez"))).to_be_visible()
    expect(page.get_by_role("link", name="Camille Ferrand")).to_be_visible()
    axe(page, f"fiche-partenaire-{width}")
