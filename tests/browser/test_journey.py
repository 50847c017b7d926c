"""The whole story of a newcomer, in a real browser, with axe-core on every page.

A visitor finds their commune, signs up, confirms their address from the email, asks to
join the Loire network; the Loire coordinator approves; the newcomer is a member.
"""

import re

import pytest
from playwright.sync_api import expect

from advisors.enums import MembershipStatus
from advisors.models import Membership
from territories.models import Departement
from tests.advisors.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.browser

NEWCOMER_EMAIL = "camille.martin@exemple.fr"
NEWCOMER_PASSWORD = "Fibre-optique-2026"
CONFIRM_LINK = re.compile(r"https?://\S+/compte/confirm-email/\S+/")


def log_out(page, axe):
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    axe(page, "deconnecte")


def test_newcomer_finds_commune_signs_up_and_joins_the_loire_network(page, axe, log_in, mailoutbox, loire_territories):
    coordinator = MembershipFactory(
        departement=Departement.objects.get(code="42"),
        coordinator=True,
        user=UserFactory(first_name="Dominique", last_name="Coordo"),
    ).user

    # Home page: the commune picker, typed the way people type.
    page.goto("/")
    axe(page, "accueil")
    page.get_by_label("Votre commune ou votre code postal").fill("st etienne")
    page.get_by_role("button", name="Voir ma commune").click()

    # One commune is called exactly that: its page opens directly.
    expect(page).to_have_url(re.compile(r"/territoires/communes/42218/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Saint-Étienne")
    expect(page.locator(".facts")).to_contain_text("42000")
    expect(page.locator(".facts")).to_contain_text("Saint-Étienne Métropole")
    axe(page, "commune")

    # Sign up.
    page.get_by_role("link", name="Créer un compte").click()
    axe(page, "inscription")
    page.get_by_label("Courriel").fill(NEWCOMER_EMAIL)
    page.get_by_label(re.compile(r"^Mot de passe(?!\s*\()")).fill(NEWCOMER_PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(NEWCOMER_PASSWORD)
    page.get_by_role("main").get_by_role("button", name=re.compile("compte")).click()
    expect(page).to_have_url(re.compile(r"/compte/confirm-email/$"))
    axe(page, "courriel-envoye")

    # The confirmation email, then its link: confirming logs the newcomer in.
    (confirmation,) = [mail for mail in mailoutbox if NEWCOMER_EMAIL in mail.to]
    link = CONFIRM_LINK.search(confirmation.body)
    assert link, confirmation.body
    page.goto(link.group(0))
    axe(page, "confirmation")
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon réseau")
    expect(page.get_by_role("main")).to_contain_text(NEWCOMER_EMAIL)
    expect(page.get_by_role("main")).to_contain_text("Vous ne faites encore partie d’aucun réseau départemental.")
    axe(page, "mon-reseau-vide")

    # Ask to join the Loire network; the commune through the picker's suggestions.
    page.get_by_role("link", name="Demander à rejoindre un réseau").click()
    axe(page, "demande-adhesion")
    page.get_by_label("Réseau départemental").select_option("42")
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label(re.compile(r"^Nom\b")).fill("Martin")
    page.get_by_label("Votre structure").fill("Médiathèque Tarentaize")
    commune = page.get_by_label("Commune où vous exercez")
    commune.press_sequentially("st eti")
    suggestion = page.locator(f"#{commune.get_attribute('list')} option").first
    expect(suggestion).to_have_attribute("value", "Saint-Étienne (42) — 42218")
    # Picking a suggestion puts its text in the box (the native list itself is out of reach).
    commune.fill(suggestion.get_attribute("value"))
    page.get_by_role("button", name="Envoyer ma demande").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mon réseau")
    expect(page.get_by_role("status")).to_contain_text("rejoindre le réseau de la Loire est envoyée")
    expect(page.get_by_role("main")).to_contain_text("Demande en attente")
    axe(page, "demande-en-attente")
    request = Membership.objects.get(user__email=NEWCOMER_EMAIL)
    assert (request.status, request.departement_id, request.commune_id) == (MembershipStatus.PENDING, "42", "42218")
    assert any(coordinator.email in mail.to for mail in mailoutbox), "les coordinateurs ne sont pas prévenus"
    log_out(page, axe)

    # The Loire coordinator approves the request.
    log_in(page, coordinator.email, DEFAULT_PASSWORD, axe=axe)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon réseau")
    axe(page, "mon-reseau-coordination")
    page.get_by_role("link", name="Demandes d’adhésion à examiner").click()
    request_card = page.locator(".card", has_text="Camille Martin")
    expect(request_card).to_contain_text("Médiathèque Tarentaize à Saint-Étienne (Saint-Étienne Métropole)")
    axe(page, "demandes")
    request_card.get_by_role("button", name="Accepter la demande de Camille Martin").click()
    expect(page.get_by_role("status")).to_contain_text("Camille Martin est maintenant membre du réseau")
    expect(page.get_by_role("main")).to_contain_text("Aucune demande en attente.")
    axe(page, "demande-acceptee")
    log_out(page, axe)

    # The newcomer is told by email, comes back and is an active member.
    assert any(NEWCOMER_EMAIL in mail.to and "accept" in mail.body for mail in mailoutbox)
    log_in(page, NEWCOMER_EMAIL, NEWCOMER_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon réseau")
    loire_card = page.locator(".card", has_text="Réseau de la Loire (42)")
    expect(loire_card).to_contain_text(re.compile(r"Membre actif depuis le \d{1,2} \w+ \d{4}\."))
    expect(page.get_by_role("main")).not_to_contain_text("Demande en attente")
    axe(page, "membre-actif")


@pytest.mark.parametrize("context_options", [{"java_script_enabled": False}], ids=["sans-javascript"])
def test_commune_picker_works_without_javascript(page, axe, loire_territories):
    page.goto("/")
    page.get_by_label("Votre commune ou votre code postal").fill("saint-etienne")
    page.get_by_role("button", name="Voir ma commune").click()
    if "/territoires/communes/?" in page.url:
        # Several communes matched: the server lists them as radio buttons.
        axe(page, "choix-commune")
        page.get_by_label(re.compile(r"^Saint-Étienne — Loire \(42\)")).check()
        page.get_by_role("button", name="Voir la commune").click()
    expect(page).to_have_url(re.compile(r"/territoires/communes/42218/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Saint-Étienne")
    axe(page, "commune")
