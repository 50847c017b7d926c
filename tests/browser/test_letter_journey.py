"""The network's life in a real browser, axe-core on every page: a Loire coordinator opens the dashboard, reminds
the profiles not updated for a year, then composes this month's letter from the archive, writes the coordination's
word, sends herself a test, then sends it to the network; a member
finds it in the archive, reads it on the web, follows the unsubscribe link of the email she received and stops
the letter with one button."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from advisors.models import Advisor, User
from animation.models import Letter
from tests.advisors.factories import AdvisorFactory, MembershipFactory
from tests.events.factories import EventFactory
from tests.territories.factories import DepartementFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def loire_network(transactional_db):
    loire = DepartementFactory()
    coordinator = MembershipFactory(departement=loire, coordinator=True, user__email="claire@exemple.fr").user
    member = MembershipFactory(departement=loire, user__email="camille.martin@exemple.fr").user
    stale = AdvisorFactory(departement=loire, user__first_name="Alice", user__last_name="Arnaud")
    Advisor.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - timedelta(days=420))
    EventFactory(departement=loire, title="Café-visio : l’IA en atelier", starts_at=timezone.now() + timedelta(days=9))
    return coordinator, member, stale


def test_coordinator_sends_the_letter_and_a_member_reads_it_then_unsubscribes(
    page, axe, force_login, loire_network, mailoutbox
):
    coordinator, member, stale = loire_network
    force_login(page, coordinator)
    page.goto("/reseau/42/tableau-de-bord/")
    axe(page, "tableau-de-bord")
    page.get_by_role("link", name="1 profil non mis à jour depuis 12 mois").click()
    page.get_by_role("button", name="Relancer la personne de la liste").click()
    expect(page.get_by_text("Relance envoyée à")).to_be_visible()
    assert [message.to for message in mailoutbox] == [[stale.user.email]]
    mailoutbox.clear()

    page.goto("/reseau/42/tableau-de-bord/")
    page.get_by_role("link", name="La lettre d’information").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les lettres d’information du réseau de la Loire")
    axe(page, "archives-coordination")

    page.get_by_role("button", name="Composer la lettre").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Modifier la lettre")
    expect(page.get_by_label("Café-visio : l’IA en atelier")).to_be_checked()
    page.get_by_label("Le mot de la coordination").fill("Bonjour à toutes et à tous,\n\nLa **Fête** approche.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("La lettre est enregistrée.")).to_be_visible()
    axe(page, "modifier")

    page.get_by_role("button", name="M’envoyer un test").click()
    expect(page.get_by_text("Un test vous a été envoyé à claire@exemple.fr")).to_be_visible()
    assert [message.to for message in mailoutbox] == [["claire@exemple.fr"]]

    page.get_by_role("link", name="Envoyer la lettre…").click()
    expect(page.get_by_text("partira vers 3 membres du réseau de la Loire")).to_be_visible()
    axe(page, "confirmer")
    page.get_by_role("button", name="Envoyer à 3 membres").click()
    expect(page.get_by_text("La lettre part vers 3 membres du réseau")).to_be_visible()
    expect(page.get_by_text("Brouillon")).to_have_count(0)
    letter = Letter.objects.get()
    assert sorted(message.to[0] for message in mailoutbox[1:]) == sorted(
        ["camille.martin@exemple.fr", "claire@exemple.fr", stale.user.email]
    )

    page.context.clear_cookies()
    force_login(page, member)
    page.goto("/reseau/42/lettres/")
    page.get_by_role("link", name=letter.subject).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(letter.subject)
    expect(page.get_by_role("link", name="Café-visio : l’IA en atelier")).to_be_visible()
    expect(page.locator("strong", has_text="Fête")).to_be_visible()
    axe(page, "version-web")

    email = next(message for message in mailoutbox[1:] if message.to == ["camille.martin@exemple.fr"])
    link = email.extra_headers["List-Unsubscribe"].strip("<>")
    page.context.clear_cookies()  # opened from the mailbox, logged in or not
    page.goto(urlsplit(link).path)
    expect(page.get_by_text("c•••@exemple.fr")).to_be_visible()
    axe(page, "desinscription")
    page.get_by_role("button", name="Ne plus recevoir la lettre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous ne recevrez plus la lettre d’information")
    axe(page, "desinscription-confirmee")
    assert User.objects.get(pk=member.pk).receives_letter is False
