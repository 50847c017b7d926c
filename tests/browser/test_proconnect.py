"""An agent signs in with ProConnect (a fake one on 127.0.0.1), in the browser, through axe-core."""

import re

import pytest
from allauth.socialaccount.models import SocialAccount
from playwright.sync_api import expect

from advisors.models import User
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
