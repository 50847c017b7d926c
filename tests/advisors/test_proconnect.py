"""Sign-in with ProConnect, the whole OpenID Connect flow against a fake ProConnect on 127.0.0.1.

The fake is a real HTTP server in a thread: discovery document, JWKS (an RSA key made here), token endpoint
answering a signed ID token, userinfo answering a signed JWT as ProConnect does. These tests skip its
authorization endpoint: they read the ``state`` and ``nonce`` from our redirect to it, and come back to our
callback with a code the fake knows. (It answers a browser at once, as an agent who signs in: the browser
journey, tests/browser/test_proconnect.py, goes through it.)
"""

import functools
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

from advisors.models import User
from advisors.proconnect.logout import SESSION_KEY, STATE_SESSION_KEY
from config.settings import proconnect_providers, provider_origins
from tests.advisors.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory
from tests.advisors.test_accounts import assert_account_page, logged_in_user_id, login

pytestmark = pytest.mark.django_db

CLIENT_ID = "maillage-integration"
CLIENT_SECRET = "secret-de-test"
LOGIN_URL = "/compte/proconnect/connexion/"
CALLBACK_URL = "/compte/proconnect/connexion/retour/"


def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakeProConnect:
    """What ProConnect's endpoints answer, and what the tests change in it to play an attacker."""

    def __init__(self):
        self.key = rsa_key()
        self.kid = "cle-fake-1"
        # The key id the tokens name: the published one, unless a test names another.
        self.token_kid = self.kid
        # The key the tokens are signed with: the published one, unless a test forges them.
        self.id_token_key = self.key
        self.id_token_algorithm = "RS256"
        self.userinfo_key = self.key
        self.codes = {}
        self.tokens = {}
        self.requests = []
        self.logouts = []
        self.userinfo_content_type = "application/jwt"
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}/api/v2"

    def handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body, content_type="application/json"):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                path = urlsplit(self.path).path
                fake.requests.append(("GET", path))
                if path == "/api/v2/.well-known/openid-configuration":
                    return self.answer(200, fake.discovery())
                if path == "/api/v2/authorize":
                    query = {key: values[0] for key, values in parse_qs(urlsplit(self.path).query).items()}
                    if query.get("client_id") != CLIENT_ID or "nonce" not in query or "state" not in query:
                        return self.answer(400, {"error": "invalid_request"})
                    code = fake.issue_code(nonce=query["nonce"], redirect_uri=query["redirect_uri"])
                    self.send_response(302)
                    self.send_header("Location", f"{query['redirect_uri']}?code={code}&state={query['state']}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if path == "/api/v2/session/end":
                    # ProConnect's end_session_endpoint: the three parameters required, the ID token one
                    # it issued to this client, then (303) back to the service with the state.
                    query = {key: values[0] for key, values in parse_qs(urlsplit(self.path).query).items()}
                    fake.logouts.append(query)
                    try:
                        jwt.decode(
                            query.get("id_token_hint", ""),
                            fake.key.public_key(),
                            algorithms=["RS256"],
                            audience=CLIENT_ID,
                            issuer=fake.issuer,
                            options={"verify_exp": False},
                        )
                    except jwt.PyJWTError:
                        return self.answer(400, {"error": "invalid_id_token_hint"})
                    if set(query) != {"id_token_hint", "state", "post_logout_redirect_uri"}:
                        return self.answer(400, {"error": "invalid_request"})
                    self.send_response(303)
                    self.send_header("Location", f"{query['post_logout_redirect_uri']}?state={query['state']}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if path == "/api/v2/jwks":
                    public = jwt.algorithms.RSAAlgorithm.to_jwk(fake.key.public_key(), as_dict=True)
                    return self.answer(200, {"keys": [{**public, "kid": fake.kid, "alg": "RS256", "use": "sig"}]})
                if path == "/api/v2/userinfo":
                    claims = fake.tokens.get(self.headers.get("Authorization", "").removeprefix("Bearer "))
                    if claims is None:
                        return self.answer(401, {"error": "invalid_token"})
                    return self.answer(200, fake.userinfo(claims), fake.userinfo_content_type)
                return self.answer(404, {"error": "not_found"})

            def do_POST(self):
                path = urlsplit(self.path).path
                fake.requests.append(("POST", path))
                length = int(self.headers.get("Content-Length") or 0)
                form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
                if path != "/api/v2/token":
                    return self.answer(404, {"error": "not_found"})
                grant = fake.codes.pop(form.get("code"), None)
                if (
                    grant is None
                    or form.get("client_id") != CLIENT_ID
                    or form.get("client_secret") != CLIENT_SECRET
                    or form.get("grant_type") != "authorization_code"
                    or form.get("redirect_uri") != grant.get("redirect_uri", f"http://testserver{CALLBACK_URL}")
                ):
                    return self.answer(400, {"error": "invalid_grant"})
                access_token = f"jeton-{len(fake.tokens)}"
                fake.tokens[access_token] = grant
                return self.answer(200, fake.token_response(grant, access_token))

        return Handler

    def discovery(self):
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "end_session_endpoint": f"{self.issuer}/session/end",
            "jwks_uri": f"{self.issuer}/jwks",
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
            "userinfo_signing_alg_values_supported": ["RS256", "ES256"],
        }

    def issue_code(self, *, nonce, sub="agent-0042", email="camille.martin@loire.gouv.fr", **claims):
        code = f"code-{len(self.codes)}-{time.monotonic_ns()}"
        self.codes[code] = {"nonce": nonce, "sub": sub, "email": email, **claims}
        return code

    def token_response(self, grant, access_token):
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": grant.get("aud", CLIENT_ID),
            "sub": grant["sub"],
            "nonce": grant["nonce"],
            "iat": now,
            "exp": grant.get("exp", now + 60),
            "acr": "eidas1",
            "amr": ["pwd"],
            "idp_id": "fia1v2",
        }
        id_token = jwt.encode(
            claims, self.id_token_key, algorithm=self.id_token_algorithm, headers={"kid": self.token_kid}
        )
        return {"access_token": access_token, "token_type": "Bearer", "expires_in": 60, "id_token": id_token}

    def userinfo(self, grant):
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 60,
            "sub": grant.get("userinfo_sub", grant["sub"]),
            "email": grant["email"],
            "given_name": "Camille",
            "usual_name": "Martin",
            "uid": "1234",
            "siret": "22420001700016",
            "idp_id": "fia1v2",
        }
        if self.userinfo_content_type == "application/json":
            return claims
        return jwt.encode(claims, self.userinfo_key, algorithm="RS256", headers={"kid": self.token_kid}).encode()


@pytest.fixture
def fake_proconnect(settings, monkeypatch):
    """A running fake ProConnect, and the site configured for it as PROCONNECT_* would configure it."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    fake = FakeProConnect()
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    thread.start()
    settings.SOCIALACCOUNT_PROVIDERS = proconnect_providers(
        {
            "PROCONNECT_CLIENT_ID": CLIENT_ID,
            "PROCONNECT_CLIENT_SECRET": CLIENT_SECRET,
            "PROCONNECT_ISSUER_URL": fake.issuer + "/",
        }
    )
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "form-action": [*settings.SECURE_CSP["form-action"], *provider_origins(settings.SOCIALACCOUNT_PROVIDERS)],
    }
    yield fake
    fake.server.shutdown()
    fake.server.server_close()
    thread.join(timeout=5)


def start(client, **data):
    """Click « S’identifier avec ProConnect »: our redirect to ProConnect's authorization endpoint, read."""
    response = client.post(LOGIN_URL, data)
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    return url, {key: values[0] for key, values in parse_qs(url.query).items()}


def sign_in(client, fake, **claims):
    _, params = start(client)
    code = fake.issue_code(nonce=params["nonce"], **claims)
    return client.get(CALLBACK_URL, {"code": code, "state": params["state"]})


def assert_refused(client, response, *, users_before, links_before=0, reason="", caplog=None):
    """Refused (for ``reason``, in the log): the French error page, nobody logged in, no account made or linked."""
    if caplog is not None:
        assert reason in caplog.text
    content = assert_account_page(response, "La connexion avec ProConnect n’a pas abouti", status=401)
    assert "Vous n’êtes pas connecté·e" in content
    assert logged_in_user_id(client) is None
    assert User.objects.count() == users_before
    assert SocialAccount.objects.count() == links_before


# Configuration


def test_the_environment_configures_proconnect_only_when_all_three_variables_are_set():
    complete = {
        "PROCONNECT_CLIENT_ID": " client ",
        "PROCONNECT_CLIENT_SECRET": "secret",
        "PROCONNECT_ISSUER_URL": "https://auth.agentconnect.gouv.fr/api/v2/",
    }
    assert proconnect_providers(complete) == {
        "proconnect": {
            "APPS": [
                {
                    "client_id": "client",
                    "secret": "secret",
                    "settings": {"server_url": "https://auth.agentconnect.gouv.fr/api/v2"},
                }
            ],
            "VERIFIED_EMAIL": True,
        }
    }
    assert proconnect_providers({}) == {}
    for missing in complete:
        assert proconnect_providers({**complete, missing: " "}) == {}
    # The button's form leads to ProConnect: the pages' Content-Security-Policy lets it.
    assert provider_origins(proconnect_providers(complete)) == ["https://auth.agentconnect.gouv.fr"]
    assert provider_origins({}) == []


def test_without_configuration_no_button_and_the_provider_urls_answer_404(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    for page in ("/compte/login/", "/compte/signup/"):
        content = client.get(page).content.decode()
        assert "ProConnect" not in content
    assert client.get(LOGIN_URL).status_code == 404
    assert client.post(LOGIN_URL).status_code == 404
    assert client.get(CALLBACK_URL, {"code": "x", "state": "y"}).status_code == 404
    user = UserFactory()
    client.force_login(user)
    assert "ProConnect" not in client.get(reverse("account_email")).content.decode()


def test_the_login_and_signup_pages_show_the_proconnect_button(client, fake_proconnect, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/compte/login/?next=/reseau/")
    content = assert_account_page(
        response, 'S’identifier avec</span> <span class="proconnect-button-brand">ProConnect'
    )
    assert f'action="{LOGIN_URL}?next=%2Freseau%2F"' in content
    assert 'href="https://www.proconnect.gouv.fr/"' in content and "Qu’est-ce que ProConnect\u00a0?" in content
    assert_account_page(client.get("/compte/signup/"), "S’identifier avec")
    # No request leaves for ProConnect to draw a button.
    assert fake_proconnect.requests == []


def test_the_redirect_to_proconnect_carries_what_proconnect_asks_for(client, fake_proconnect):
    url, params = start(client, next="/reseau/")
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{fake_proconnect.issuer}/authorize"
    assert set(params) == {"client_id", "redirect_uri", "scope", "response_type", "state", "nonce"}
    assert params["client_id"] == CLIENT_ID
    assert params["redirect_uri"] == f"http://testserver{CALLBACK_URL}"
    assert set(params["scope"].split()) == {"openid", "email", "given_name", "usual_name", "uid", "siret"}
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    _, again = start(client)
    assert again["state"] != params["state"] and again["nonce"] != params["nonce"]


def test_a_get_on_the_login_url_asks_for_one_click_in_french(client, fake_proconnect):
    content = assert_account_page(client.get(LOGIN_URL), "S’identifier avec ProConnect")
    assert "Continuer vers ProConnect" in content
    assert fake_proconnect.requests == []


# The flow


def test_a_new_agent_signs_in_and_gets_an_account_without_password(client, fake_proconnect):
    response = sign_in(client, fake_proconnect)
    assert response.status_code == 302 and response["Location"] == reverse("advisors:my_network")
    user = User.objects.get()
    assert logged_in_user_id(client) == str(user.pk)
    assert (user.email, user.first_name, user.last_name) == ("camille.martin@loire.gouv.fr", "Camille", "Martin")
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == ("proconnect", "agent-0042")
    assert account.extra_data["userinfo"]["siret"] == "22420001700016"
    # No token is kept: neither the access token nor the ID token as sent.
    assert "jeton-" not in json.dumps(account.extra_data) and "eyJ" not in json.dumps(account.extra_data)
    # The usual path follows: join a network.
    page = client.get(response["Location"]).content.decode()
    assert reverse("advisors:membership_request") in page
    # The same agent comes back: the same account.
    client.logout()
    assert sign_in(client, fake_proconnect).status_code == 302
    assert User.objects.count() == 1 and SocialAccount.objects.count() == 1
    assert logged_in_user_id(client) == str(user.pk)


def test_an_account_with_the_same_verified_email_is_linked_not_duplicated(client, fake_proconnect):
    user = UserFactory(email="camille.martin@loire.gouv.fr", first_name="Camille", last_name="Martin-Durand")
    response = sign_in(client, fake_proconnect, email="Camille.Martin@loire.gouv.fr")
    assert response.status_code == 302
    assert User.objects.count() == 1
    assert logged_in_user_id(client) == str(user.pk)
    account = SocialAccount.objects.get()
    assert account.user == user and account.provider == "proconnect"
    user.refresh_from_db()
    assert user.last_name == "Martin-Durand"  # the person's own name is kept
    assert user.check_password(DEFAULT_PASSWORD)  # and their password still works


def coordinator(email):
    return MembershipFactory(user__email=email, coordinator=True).user


@pytest.mark.parametrize(
    "make_account",
    [
        pytest.param(coordinator, id="coordinator"),
        pytest.param(lambda email: UserFactory(email=email, is_staff=True), id="staff"),
        pytest.param(lambda email: UserFactory(email=email, is_superuser=True), id="superuser"),
    ],
)
def test_an_account_with_rights_is_never_taken_by_its_address_alone(client, fake_proconnect, make_account, caplog):
    """Any identity provider of the federation vouches for addresses: for a coordinator's or the staff's,
    a careless one would take the account over. Refused: nobody signed in, nothing linked nor created."""
    user = make_account("camille.martin@loire.gouv.fr")
    users_before = User.objects.count()
    response = sign_in(client, fake_proconnect, email="Camille.Martin@loire.gouv.fr")
    content = assert_account_page(response, "Ce compte ne peut pas encore se connecter avec ProConnect", status=403)
    assert "droits de coordination" in content and "Mon compte › ProConnect" in content
    assert reverse("account_login") in content
    assert logged_in_user_id(client) is None
    assert User.objects.count() == users_before and not SocialAccount.objects.exists()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)  # the way in that works is kept
    assert f"le compte {user.pk} a des droits" in caplog.text and "eyJ" not in caplog.text


def test_a_pending_or_member_membership_does_not_count_as_rights(client, fake_proconnect):
    member = MembershipFactory(user__email="camille.martin@loire.gouv.fr").user
    MembershipFactory(user=member, departement__code="73", departement__name="Savoie", coordinator=True, pending=True)
    assert sign_in(client, fake_proconnect).status_code == 302
    assert logged_in_user_id(client) == str(member.pk)
    assert SocialAccount.objects.get().user == member


def test_a_coordinator_links_proconnect_after_signing_in_with_the_password(client, fake_proconnect):
    user = coordinator("camille.martin@loire.gouv.fr")
    assert login(client, user.email).status_code == 302
    assert logged_in_user_id(client) == str(user.pk)
    content = client.get(reverse("socialaccount_connections")).content.decode()
    assert "Associer une identité ProConnect" in content
    _, params = start(client, process="connect")
    code = fake_proconnect.issue_code(nonce=params["nonce"])
    response = client.get(CALLBACK_URL, {"code": code, "state": params["state"]})
    assert response.status_code == 302
    assert SocialAccount.objects.get().user == user and User.objects.count() == 1
    # Linked: from now on ProConnect signs them in (by the linked identity, not by the address).
    client.logout()
    assert logged_in_user_id(client) is None
    response = sign_in(client, fake_proconnect)
    assert response.status_code == 302 and response["Location"] == reverse("advisors:my_network")
    assert logged_in_user_id(client) == str(user.pk)
    assert SocialAccount.objects.count() == 1 and User.objects.count() == 1


@pytest.mark.parametrize(
    ("forge", "reason"),
    [
        pytest.param(
            lambda fake: setattr(fake, "id_token_key", rsa_key()),
            "InvalidSignatureError",
            id="id-token-signed-by-another-key",
        ),
        pytest.param(
            lambda fake: setattr(fake, "userinfo_key", rsa_key()),
            "InvalidSignatureError",
            id="userinfo-signed-by-another-key",
        ),
        pytest.param(
            lambda fake: setattr(fake, "userinfo_content_type", "application/json"),
            "not a JWT",
            id="unsigned-userinfo",
        ),
        pytest.param(lambda fake: setattr(fake, "token_kid", "cle-inconnue"), "no published key", id="unknown-key-id"),
        pytest.param(
            # Signed with the client secret, which an attacker might know (a leaked configuration).
            lambda fake: fake.__dict__.update(id_token_key=CLIENT_SECRET.encode() * 3, id_token_algorithm="HS256"),
            "signed with 'HS256' is refused",
            id="symmetric-algorithm",
        ),
    ],
)
def test_a_forged_signature_is_refused(client, fake_proconnect, forge, reason, caplog):
    UserFactory(email="camille.martin@loire.gouv.fr")
    forge(fake_proconnect)
    assert_refused(client, sign_in(client, fake_proconnect), users_before=1, reason=reason, caplog=caplog)


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        pytest.param({"aud": "un-autre-service"}, "InvalidAudienceError", id="another-audience"),
        pytest.param({"exp": int(time.time()) - 3600}, "ExpiredSignatureError", id="expired"),
        pytest.param({"userinfo_sub": "quelqu-un-d-autre"}, "sub is not", id="userinfo-of-another-person"),
    ],
)
def test_a_token_not_meant_for_this_sign_in_is_refused(client, fake_proconnect, claims, reason, caplog):
    assert_refused(client, sign_in(client, fake_proconnect, **claims), users_before=0, reason=reason, caplog=caplog)


def test_a_wrong_nonce_is_refused(client, fake_proconnect, caplog):
    _, params = start(client)
    _, other = start(client)  # another sign-in of the same browser: its nonce is not this one's
    code = fake_proconnect.issue_code(nonce=other["nonce"])
    response = client.get(CALLBACK_URL, {"code": code, "state": params["state"]})
    assert_refused(client, response, users_before=0, reason="nonce is not the one sent", caplog=caplog)


def test_a_state_is_used_once_and_only_by_its_browser(client, fake_proconnect):
    _, params = start(client)
    code = fake_proconnect.issue_code(nonce=params["nonce"])
    assert client.get(CALLBACK_URL, {"code": code, "state": params["state"]}).status_code == 302
    client.logout()
    code = fake_proconnect.issue_code(nonce=params["nonce"])
    assert_refused(
        client, client.get(CALLBACK_URL, {"code": code, "state": params["state"]}), users_before=1, links_before=1
    )


def test_a_callback_started_elsewhere_is_refused(client, fake_proconnect):
    from django.test import Client

    _, params = start(Client())  # the attacker's browser starts; the victim's comes back
    code = fake_proconnect.issue_code(nonce=params["nonce"])
    assert_refused(client, client.get(CALLBACK_URL, {"code": code, "state": params["state"]}), users_before=0)


def test_odd_callbacks_never_answer_a_server_error(client, fake_proconnect):
    _, params = start(client)
    odd = [
        {},
        {"state": params["state"]},
        {"code": "inconnu", "state": params["state"]},
        {"code": "x" * 3000, "state": "é" * 3000},
        {"error": "access_denied", "state": params["state"]},
        {"error": "\x00", "code": "\x00", "state": "\x00"},
    ]
    for query in odd:
        response = client.get(CALLBACK_URL, query)
        assert response.status_code < 500, query
        assert logged_in_user_id(client) is None
    assert client.post(LOGIN_URL, {"next": "//evil.example", "process": "\x00"}).status_code < 500
    assert not User.objects.exists()


def test_proconnect_out_of_reach_shows_the_french_error(client, fake_proconnect):
    fake_proconnect.server.shutdown()
    fake_proconnect.server.server_close()
    response = client.post(LOGIN_URL)
    assert_account_page(response, "La connexion avec ProConnect n’a pas abouti", status=401)


# The account's settings


def test_the_connections_page_lists_the_link_and_keeps_the_last_way_in(client, fake_proconnect):
    sign_in(client, fake_proconnect)
    content = assert_account_page(client.get(reverse("socialaccount_connections")), "Connexion avec ProConnect")
    assert "camille.martin@loire.gouv.fr" in content and "choisissez d’abord un mot de passe" in content
    account = SocialAccount.objects.get()
    response = client.post(reverse("socialaccount_connections"), {"account": account.pk})
    assert_account_page(response, "Connexion avec ProConnect")
    assert SocialAccount.objects.filter(pk=account.pk).exists()  # no password: ProConnect is the only way in


def test_a_member_links_proconnect_from_the_settings(client, fake_proconnect):
    user = UserFactory(email="c.martin@exemple.fr")
    client.force_login(user)
    content = client.get(reverse("account_email")).content.decode()
    assert reverse("socialaccount_connections") in content
    _, params = start(client, process="connect")
    code = fake_proconnect.issue_code(nonce=params["nonce"], email="camille.martin@loire.gouv.fr")
    response = client.get(CALLBACK_URL, {"code": code, "state": params["state"]})
    assert response.status_code == 302
    assert SocialAccount.objects.get().user == user
    assert User.objects.count() == 1
    client.post(reverse("socialaccount_connections"), {"account": SocialAccount.objects.get().pk})
    assert not SocialAccount.objects.exists()  # with a password, the link can go


def test_without_an_address_from_proconnect_the_signup_form_asks_for_one(client, fake_proconnect, mailoutbox):
    response = sign_in(client, fake_proconnect, email="")
    assert response.status_code == 302 and response["Location"] == reverse("socialaccount_signup")
    content = assert_account_page(client.get(response["Location"]), "Créer votre compte Maillage")
    assert 'name="email"' in content
    response = client.post(reverse("socialaccount_signup"), {"email": "camille.martin@exemple.fr"})
    assert response.status_code == 302
    user = User.objects.get(email="camille.martin@exemple.fr")
    assert SocialAccount.objects.get().user == user
    # An address typed here is not vouched for by ProConnect: it is verified by email, as at sign-up.
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1


def test_allauths_social_pages_are_french_in_the_site_layout(client):
    assert_account_page(client.get("/compte/3rdparty/login/error/"), "n’a pas abouti", status=401)
    assert_account_page(client.get("/compte/3rdparty/login/cancelled/"), "Connexion annulée")
    assert client.get("/compte/3rdparty/signup/").status_code == 302  # no sign-in under way
    client.force_login(UserFactory())
    assert_account_page(client.get("/compte/3rdparty/"), "Aucune identité ProConnect")


def test_an_account_made_by_proconnect_chooses_a_password_to_confirm_its_deletion(client, fake_proconnect):
    sign_in(client, fake_proconnect)
    content = assert_account_page(client.get(reverse("advisors:account_delete")), "choisissez d’abord un mot de passe")
    assert reverse("account_set_password") in content
    content = assert_account_page(client.get(reverse("account_set_password")), "mot de passe")
    assert 'name="password1"' in content


def test_my_data_tells_what_proconnect_sent(client, fake_proconnect):
    sign_in(client, fake_proconnect)
    data = json.loads(client.get(reverse("advisors:my_data_download")).content)
    (identity,) = data["compte"]["identités ProConnect"]
    assert identity["identifiant"] == "agent-0042"
    assert identity["données transmises"]["siret"] == "22420001700016"
    assert "exp" not in identity["données transmises"]


def test_the_settings_module_reads_the_variables_at_start(tmp_path):
    """config.settings itself, started with the variables (as a server starts): provider and CSP origin."""
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps([list(settings.SOCIALACCOUNT_PROVIDERS), settings.SECURE_CSP['form-action'][1:]]))"
    )
    variables = {
        "PROCONNECT_CLIENT_ID": CLIENT_ID,
        "PROCONNECT_CLIENT_SECRET": CLIENT_SECRET,
        "PROCONNECT_ISSUER_URL": "https://fca.integ01.dev-agentconnect.fr/api/v2",
    }
    base = {key: value for key, value in os.environ.items() if not key.startswith("PROCONNECT_")}
    base["DJANGO_SETTINGS_MODULE"] = "config.settings"
    run = functools.partial(subprocess.run, [sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(run(env={**base, **variables}).stdout) == [
        ["proconnect"],
        ["https://fca.integ01.dev-agentconnect.fr"],
    ]
    assert json.loads(run(env=base).stdout) == [[], []]


def test_the_admin_shows_the_linked_identities_not_apps_nor_tokens(client, fake_proconnect):
    sign_in(client, fake_proconnect)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    index = client.get("/admin/").content.decode()
    assert "/admin/socialaccount/socialaccount/" in index
    assert "/admin/socialaccount/socialapp/" not in index and "/admin/socialaccount/socialtoken/" not in index
    assert "agent-0042" in client.get("/admin/socialaccount/socialaccount/").content.decode()
    assert "agent-0042" in client.get("/admin/socialaccount/socialaccount/", {"q": "camille"}).content.decode()


@pytest.mark.parametrize(("next_url", "landing"), [("/evenements/", "/evenements/"), ("//evil.example", "/reseau/")])
def test_the_agent_lands_where_they_were_going(client, fake_proconnect, next_url, landing):
    _, params = start(client, next=next_url)
    code = fake_proconnect.issue_code(nonce=params["nonce"])
    response = client.get(CALLBACK_URL, {"code": code, "state": params["state"]})
    assert response.status_code == 302 and response["Location"] == landing


# Signing out


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def follow_to_proconnect(url):
    """The browser at ProConnect's end_session_endpoint: where it is sent back to."""
    try:
        urllib.request.build_opener(NoRedirect).open(url)
    except urllib.error.HTTPError as answer:
        assert answer.code == 303, answer.read()
        return answer.headers["Location"]
    raise AssertionError("ProConnect did not redirect")


def test_signing_out_signs_out_of_proconnect_too(client, fake_proconnect, caplog):
    caplog.set_level("DEBUG")
    sign_in(client, fake_proconnect)
    id_token = client.session[SESSION_KEY]["id_token"]
    assert id_token.startswith("eyJ")
    # The ID token lives in the session only: neither in the linked account nor in any log.
    assert id_token not in json.dumps(SocialAccount.objects.get().extra_data)
    response = client.post(reverse("account_logout"))
    assert logged_in_user_id(client) is None and SESSION_KEY not in client.session
    url, params = urlsplit(response["Location"]), parse_qs(urlsplit(response["Location"]).query)
    assert response.status_code == 302
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{fake_proconnect.issuer}/session/end"
    assert set(params) == {"id_token_hint", "state", "post_logout_redirect_uri"}
    assert params["id_token_hint"] == [id_token]
    assert params["post_logout_redirect_uri"] == ["http://testserver/compte/proconnect/deconnexion/retour/"]
    (state,) = params["state"]
    assert len(state) >= 32 and client.session[STATE_SESSION_KEY] == state
    # ProConnect accepts it and sends the browser back with the state: checked, used once.
    back = follow_to_proconnect(response["Location"])
    assert back == f"http://testserver/compte/proconnect/deconnexion/retour/?state={state}"
    response = client.get(back, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Vous êtes aussi déconnecté·e de ProConnect." in response.content.decode()
    assert STATE_SESSION_KEY not in client.session
    replayed = client.get(back, follow=True)
    assert "déconnecté·e de ProConnect" not in replayed.content.decode()
    assert id_token not in caplog.text


def test_a_logout_callback_with_another_state_says_nothing(client, fake_proconnect):
    sign_in(client, fake_proconnect)
    client.post(reverse("account_logout"))
    for query in ({"state": "x" * 43}, {}, {"state": "\x00"}):
        response = client.get("/compte/proconnect/deconnexion/retour/", query, follow=True)
        assert response.status_code < 500  # a NUL byte: the site's 400
        assert "déconnecté·e de ProConnect" not in response.content.decode()


def test_signing_out_of_a_password_session_stays_here(client, fake_proconnect):
    user = UserFactory(email="c.martin@exemple.fr")
    login(client, user.email)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302 and response["Location"] == "/"
    assert logged_in_user_id(client) is None and fake_proconnect.logouts == []


def test_a_coordinator_who_linked_proconnect_signs_out_of_it_after_a_proconnect_sign_in(client, fake_proconnect):
    user = coordinator("camille.martin@loire.gouv.fr")
    login(client, user.email)
    _, params = start(client, process="connect")
    code = fake_proconnect.issue_code(nonce=params["nonce"])
    client.get(CALLBACK_URL, {"code": code, "state": params["state"]})
    # Linking is no sign-in: the password session signs out here only.
    assert SESSION_KEY not in client.session
    assert client.post(reverse("account_logout"))["Location"] == "/"
    sign_in(client, fake_proconnect)
    assert logged_in_user_id(client) == str(user.pk)
    assert client.post(reverse("account_logout"))["Location"].startswith(f"{fake_proconnect.issuer}/session/end?")
