"""A coordinator adds the network's Mattermost team and one of its channels, with a webhook, then a
newcomer finds them in the welcome panel of « Mon réseau » and on the channels page. Every page through
axe-core."""

import pytest
from playwright.sync_api import expect

from animation.models import Channel
from tests.advisors.factories import AdvisorFactory, MembershipFactory
from tests.territories.factories import DepartementFactory

pytestmark = pytest.mark.browser


def test_a_coordinator_adds_channels_and_a_newcomer_finds_them(page, axe, force_login, transactional_db):
    loire = DepartementFactory()
    coordinator = MembershipFactory(departement=loire, coordinator=True).user
    newcomer = AdvisorFactory(departement=loire, newcomer=True)

    force_login(page, coordinator)
    page.goto("/reseau/42/canaux/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Où discuter")
    axe(page, "canaux-vides")
    page.get_by_role("link", name="Ajouter un canal ou un espace").click()
    page.get_by_role("textbox", name="Nom").fill("Réseau numérique Loire")
    page.locator("#id_platform").select_option("mattermost")
    page.get_by_label("À quoi il sert").fill("L’équipe Mattermost du réseau.")
    page.get_by_label("Lien pour rejoindre").fill("https://mattermost.example.fr/signup/loire")
    axe(page, "formulaire")
    page.get_by_role("button", name="Ajouter le canal").click()
    expect(page.get_by_role("heading", name="Réseau numérique Loire")).to_be_visible()

    page.get_by_role("link", name="Ajouter un canal ou un espace").click()
    page.get_by_role("textbox", name="Nom").fill("~evenements")
    page.locator("#id_platform").select_option("mattermost")
    page.get_by_label("Dans l’espace").select_option(label="Réseau numérique Loire (Mattermost)")
    page.get_by_label("À quoi il sert").fill("Les rencontres du réseau, annoncées dès leur publication.")
    page.get_by_label("Adresse du webhook entrant").fill("http://chat.example.fr/hooks/abc")
    page.get_by_label("Y annoncer les nouveaux événements du réseau").check()
    page.get_by_role("button", name="Ajouter le canal").click()
    # http is refused, next to the field, and what was typed is kept.
    expect(page.get_by_text("L’adresse d’un webhook commence par https://")).to_be_visible()
    expect(page.get_by_label("À quoi il sert")).to_have_value(
        "Les rencontres du réseau, annoncées dès leur publication."
    )
    axe(page, "formulaire-erreur")
    page.get_by_label("Adresse du webhook entrant").fill("https://chat.example.fr/hooks/abcd1234")
    page.get_by_role("button", name="Ajouter le canal").click()
    expect(page.get_by_text("https://chat.example.fr/…1234")).to_be_visible()
    expect(page.get_by_text("Jamais utilisé")).to_be_visible()
    axe(page, "canaux-coordination")
    assert Channel.objects.get(name="~evenements").parent.name == "Réseau numérique Loire"

    page.context.clear_cookies()
    force_login(page, newcomer.user)
    page.goto("/reseau/")
    panel = page.get_by_role("region", name="Bienvenue dans le réseau !")
    expect(panel.get_by_text("Où échanger avec le réseau")).to_be_visible()
    expect(panel.get_by_text("Réseau numérique Loire › ~evenements")).to_be_visible()
    axe(page, "bienvenue")
    panel.get_by_role("link", name="Tous les canaux du réseau").click()
    expect(page.get_by_role("heading", name="~evenements")).to_be_visible()
    expect(page.get_by_text("chat.example.fr")).to_have_count(0)
    axe(page, "canaux-membre")
