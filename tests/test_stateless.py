"""Two app servers, one database: a person's requests may land on either (several machines).

Two gunicorn processes with the production settings serve the test database; one browser session
alternates between them. Whatever a process kept in memory would show here: the session, the CSRF
token, the one-time messages and the failed-login counters must all live in the shared database.
"""

import html
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from advisors.models import Invitation
from tests.advisors.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
# The tests' settings where production's would slow them down or need collectstatic.
SETTINGS = """
from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
"""
# Both processes sit behind one load balancer: the same public host name reaches either.
HOST = "maillage.exemple.fr"
PRODUCTION_CACHE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "maillage_cache"}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two gunicorn processes (one worker each, like two machines) on the test database, started once
    for this module's tests: they see the rows each test commits (transactional_db)."""
    with django_db_blocker.unblock(), override_settings(CACHES={"default": PRODUCTION_CACHE}):
        call_command("createcachetable", verbosity=0)
        url = database_url()
    tmp_path = tmp_path_factory.mktemp("stateless")
    (tmp_path / "stateless_settings.py").write_text(SETTINGS)
    ports = [free_port(), free_port()]
    env = {
        "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
        "PYTHONPATH": f"{tmp_path}:{ROOT}",
        "DJANGO_SETTINGS_MODULE": "stateless_settings",
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "stateless-test-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "SITE_URL": f"https://{HOST}",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            deadline = time.monotonic() + 20
            while True:
                assert process.poll() is None, process.stderr.read().decode()
                try:
                    HTTPConnection("127.0.0.1", port, timeout=5).request("HEAD", "/healthz", headers={"Host": HOST})
                    break
                except OSError:
                    assert time.monotonic() < deadline, "gunicorn did not start in 20 s"
                    time.sleep(0.1)
        yield [Server(port) for port in ports]
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown: nothing to drain here
        for process in processes:
            process.wait(timeout=10)
            process.stderr.close()


class Server:
    """One app process; the cookies live in the Session, which visits both."""

    def __init__(self, port):
        self.port = port


class Session:
    """A browser: one cookie jar, whichever server answers. Behind the TLS proxy (X-Forwarded-Proto)."""

    def __init__(self):
        self.cookies = {}

    def request(self, server, method, path, form=None):
        connection = HTTPConnection("127.0.0.1", server.port, timeout=20)
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
        }
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://{HOST}{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                value = rest.split(";", 1)[0]
                if value in ('""', "") or "Max-Age=0" in rest:
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = value
        content = response.read().decode()
        connection.close()
        return response.status, response.getheader("Location"), content

    def get(self, server, path):
        return self.request(server, "GET", path)

    def post(self, server, path, form):
        return self.request(server, "POST", path, form)


def csrf_token(content):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1)


def login_form(email, token, password=DEFAULT_PASSWORD):
    return {"csrfmiddlewaretoken": token, "login": email, "password": password}


def test_one_session_alternates_between_two_app_processes(servers, transactional_db, loire):
    a, b = servers
    coordinator = MembershipFactory(
        departement=loire, coordinator=True, user=UserFactory(email="nadia.benali@exemple.fr")
    ).user
    browser = Session()

    # The login form comes from B, its POST goes to A: the CSRF token is the same secret everywhere.
    status, _, content = browser.get(b, "/compte/login/")
    assert status == 200
    status, location, _ = browser.post(a, "/compte/login/", login_form(coordinator.email, csrf_token(content)))
    assert (status, location) == (302, "/reseau/")

    # The session A opened is known to B.
    status, _, content = browser.get(b, "/reseau/42/invitations/")
    assert status == 200
    assert "nadia.benali@exemple.fr" in content

    # A form from B posted to A; A's message is shown by B, once.
    form = {"csrfmiddlewaretoken": csrf_token(content), "email": "joel.ferrandiere@exemple.fr", "role": "member"}
    status, location, _ = browser.post(a, "/reseau/42/invitations/", form)
    assert (status, location) == (302, "/reseau/42/invitations/")
    assert Invitation.objects.filter(email="joel.ferrandiere@exemple.fr", departement=loire).exists()
    status, _, content = browser.get(b, location)
    assert "Invitation envoyée à joel.ferrandiere@exemple.fr. Le lien est valable 14 jours." in html.unescape(content)
    status, _, content = browser.get(a, location)
    assert "Invitation envoyée" not in html.unescape(content)

    # Logging out on B (with A's token) logs out on A too.
    status, location, _ = browser.post(b, "/compte/logout/", {"csrfmiddlewaretoken": csrf_token(content)})
    assert status == 302
    status, location, _ = browser.get(a, "/reseau/42/invitations/")
    assert (status, location) == (302, "/compte/login/?next=/reseau/42/invitations/")


def test_failed_logins_count_on_every_app_process(servers, transactional_db):
    a, b = servers
    UserFactory(email="maryse.quere@exemple.fr")
    browser = Session()
    _, _, content = browser.get(a, "/compte/login/")
    token = csrf_token(content)

    # Five failures for one account, spread over both processes: the limit (5/5m/key) is shared.
    for server in (a, b, a, b, a):
        status, _, content = browser.post(server, "/compte/login/", login_form("maryse.quere@exemple.fr", token, "x"))
        assert "L’adresse électronique ou le mot de passe sont incorrects." in html.unescape(content)

    status, _, content = browser.post(b, "/compte/login/", login_form("maryse.quere@exemple.fr", token))
    assert status == 200
    assert "ce compte est bloqué pendant 5 minutes" in html.unescape(content)
