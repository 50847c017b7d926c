"""An agent signs in with ProConnect (a fake one on 127.0.0.1), in the browser, through axe-core."""

import re

import pytest
from allauth.socialaccount.models import SocialAccount
from playwright.sync_api import expect

from advisors.models import User
from tests.advisors.factories import MembershipFactory
from tests.advisors.test_proconnect import fake_proconnect  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_signs_in_with_proconnect_and_is_asked_to_join_a_network(page, site, axe, fake_proconnect):  # noqa: F811
    page.goto("/compte/login/")
    button = page.get_by_role("button", name="S’identifier avec ProConnect")
    expect(button).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Qu’est-ce que ProConnect"))).to_have_attribute(
        "href", "https://www.proconnect.gouv.fr/"
    )
    axe(page, "connexion-proconnect")
    button.focus()
    page.keyboard.press("Enter")  # through ProConnect (which answers at once) and back
    expect(page.get_by_role("link", name="Demander à rejoindre un réseau")).to_be_visible()
    axe(page, "mon-reseau")
    page.goto("/compte/3rdparty/")
    expect(page.get_by_role("heading", name="Connexion avec ProConnect")).to_be_visible()
    axe(page, "reglages-proconnect")
    user = User.objects.get()
    assert user.email == "camille.martin@loire.gouv.fr"
    assert SocialAccount.objects.get().user == user
    # Signing out goes through ProConnect's end_session_endpoint (the page's form-action allows it) and back.
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Vous êtes aussi déconnecté·e de ProConnect.")).to_be_visible()
    assert len(fake_proconnect.logouts) == 1
    axe(page, "deconnexion-proconnect")


def test_a_coordinators_address_is_refused_with_a_way_forward(page, site, axe, fake_proconnect):  # noqa: F811
    MembershipFactory(user__email="camille.martin@loire.gouv.fr", coordinator=True)
    page.goto("/compte/login/")
    page.get_by_role("button", name="S’identifier avec ProConnect").click()
    expect(
        page.get_by_role("heading", name="Ce compte ne peut pas encore se connecter avec ProConnect")
    ).to_be_visible()
    expect(page.get_by_text("Mon compte › ProConnect")).to_be_visible()
    page.screenshot(path="/tmp/proconnect-refused.png", full_page=True)
    axe(page, "proconnect-compte-avec-droits")
    page.get_by_role("link", name="avec votre adresse électronique et votre mot de passe").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert not SocialAccount.objects.exists()
