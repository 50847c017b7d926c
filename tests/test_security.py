"""Hostile requests get a clean answer (issue 8): NUL bytes, ``next`` values, rate limits
behind a proxy, the admin login, the health probe."""

import os
import subprocess
import sys

import pytest
from django.urls import reverse

from territories.scope import COOKIE_NAME
from tests.advisors.factories import DEFAULT_PASSWORD, UserFactory
from tests.skills.factories import ProjectCardFactory

pytestmark = pytest.mark.django_db

# NUL bytes: PostgreSQL refuses them in text, so each one used to reach a query and answer 500.


@pytest.mark.parametrize(
    "url",
    [
        "/conseillers/?q=%00",
        "/structures/?q=m%00",
        "/competences/carte/?departement=4%002",
        "/territoires/communes/suggestions/?q=%00",
        "/pres-de-chez-moi/4%002/",
        "/territoires/%00/",
        "/competences/a%00b/",
        "/?%00=1",
    ],
)
def test_nul_in_the_address_is_a_400(client, loire, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "Requête invalide" in response.content.decode()


def test_nul_in_a_posted_form_is_a_400(client, loire):
    response = client.post(reverse("overview:choose"), {"departement": "4\x002", "next": "/"})
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["4\x002", "%00", "x" * 4000, "42; DROP", "é"])
def test_a_bad_departement_cookie_is_ignored_on_every_page(client, loire, value):
    response = client.get("/conseillers/", HTTP_COOKIE=f"{COOKIE_NAME}={value}")
    assert response.status_code == 200


def test_a_good_departement_cookie_still_scopes_the_pages(client, loire):
    response = client.get("/conseillers/", HTTP_COOKIE=f"{COOKIE_NAME}=42")
    assert response.status_code == 200
    assert response.wsgi_request._current_departement == loire


# next=…: only a path of this site, else the form's own destination.


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/conseillers/?q=a", "/conseillers/?q=a"),
        ("x", "/"),
        ("competences", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_choosing_a_departement_comes_back_only_to_a_local_path(client, loire, next_url, expected):
    response = client.post(reverse("overview:choose"), {"departement": "42", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == expected


@pytest.mark.parametrize("next_url", ["x", "//evil.example", "javascript:alert(1)", "/\\evil"])
def test_marking_interest_with_a_bad_next_comes_back_to_the_card(client, loire, member, next_url):
    card = ProjectCardFactory(author__departement=loire)
    client.force_login(member)
    response = client.post(reverse("skills:card_interest", args=[card.pk]), {"interested": "1", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("skills:card_detail", args=[card.pk])


# Rate limits: per client, also behind a reverse proxy.


def login(client, email, password=DEFAULT_PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def test_behind_a_proxy_one_client_spending_its_allowance_locks_out_only_itself(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    user = UserFactory(email="odile.dupre@exemple.fr")
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.7", "REMOTE_ADDR": "10.0.0.2"}
    for attempt in range(30):
        assert login(client, f"essai{attempt}@exemple.fr", "essai-au-hasard", **attacker).status_code == 200
    assert login(client, user.email, **attacker).status_code == 429

    # Everyone comes through the same proxy address; the next person is not locked out.
    neighbour = {"HTTP_X_FORWARDED_FOR": "198.51.100.2", "REMOTE_ADDR": "10.0.0.2"}
    response = login(client, user.email, **neighbour)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_proxy_settings_come_from_the_environment():
    env = {**os.environ, "DJANGO_TRUSTED_PROXY_COUNT": "2", "DJANGO_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}
    code = "from config import settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    output = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert output.stdout.split() == ["2", "X-Real-IP"]


def test_the_admin_login_counts_failures_with_the_site_login(client):
    staff = UserFactory(email="admin@exemple.fr", is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for _ in range(5):
        response = client.post(url, {"username": staff.email, "password": "essai-au-hasard", "next": "/admin/"})
        assert response.status_code == 200

    # The right password, after five failures: refused until the pause is over.
    response = client.post(url, {"username": staff.email, "password": DEFAULT_PASSWORD, "next": "/admin/"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    # The failures on the admin count on the site's login too.
    assert "Trop de tentatives de connexion" in login(client, staff.email).content.decode()


def test_the_admin_login_still_lets_staff_in(client):
    staff = UserFactory(email="admin@exemple.fr", is_staff=True, is_superuser=True)
    response = client.post(
        reverse("admin:login"), {"username": staff.email, "password": DEFAULT_PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_the_admin_login_refuses_members_who_are_not_staff(client):
    member = UserFactory(email="membre@exemple.fr")
    response = client.post(reverse("admin:login"), {"username": member.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# The health probe answers the load balancers' HEAD.


@pytest.mark.parametrize("method", ["get", "head"])
def test_healthz_answers_get_and_head(client, db, method):
    response = getattr(client, method)(reverse("healthz"))
    assert response.status_code == 200
