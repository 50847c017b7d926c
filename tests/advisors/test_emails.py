"""What the emails say: plain text as typed, and the site's public address in every link."""

import os
import re
import subprocess
import sys
from pathlib import Path

from advisors.services import network as services
from tests.advisors.factories import MembershipFactory, UserFactory

BASE_DIR = Path(__file__).resolve().parents[2]


def test_plain_text_emails_are_not_html_escaped(loire, mailoutbox, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://maillage.example.fr"
    MembershipFactory(departement=loire, coordinator=True)
    person = UserFactory(first_name="Inès", last_name="O'Neil & <b>Moulin</b>")
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_request(
            user=person, departement=loire, structure_name="Médiathèque « L'Arobase » & <b>co</b>", message="a < b"
        )
    [message] = mailoutbox
    assert "O'Neil & <b>Moulin</b>" in message.body
    assert "Médiathèque « L'Arobase » & <b>co</b>" in message.body
    assert "a < b" in message.body
    assert "&lt;" not in message.body and "&amp;" not in message.body and "&#x27;" not in message.body
    assert "https://maillage.example.fr/" in message.body


def test_allauth_emails_link_to_the_public_address_not_the_requests_host(client, db, mailoutbox, settings):
    settings.SITE_URL = "https://maillage.example.fr"
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    UserFactory(email="benedicte.ravel@exemple.fr")
    client.post("/compte/password/reset/", {"email": "benedicte.ravel@exemple.fr"}, HTTP_HOST="127.0.0.1")
    [mail] = mailoutbox
    assert "127.0.0.1" not in mail.body
    assert re.search(r"https://maillage\.example\.fr/compte/password/reset/key/\S+", mail.body)


def test_production_mode_refuses_to_start_without_the_public_address():
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 60, "SITE_URL": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "SITE_URL doit être défini" in result.stderr


def test_allauth_says_courriel_like_the_rest_of_the_site(client, db, mailoutbox):
    UserFactory(email="benedicte.ravel@exemple.fr")
    response = client.post("/compte/password/reset/", {"email": "benedicte.ravel@exemple.fr"}, follow=True)
    assert "Nous vous avons envoyé un courriel." in response.content.decode()
    [mail] = mailoutbox
    assert "e-mail" not in (mail.subject + mail.body).lower()
    for url in ("/compte/login/", "/compte/signup/", "/compte/password/reset/"):
        assert "e-mail" not in client.get(url).content.decode().lower()
