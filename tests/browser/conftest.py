"""Browser harness: the system Chromium driven by Playwright, axe-core on every page.

The browser is the one the distribution installs (``/usr/bin/chromium``, or ``CHROMIUM_PATH``);
nothing is ever downloaded. Without it the browser tests are skipped with one line, unless
``REQUIRE_BROWSER=1`` (CI), where a missing browser is a failure.

The Django server is pytest-django's ``live_server``: a thread of this process, so the test
sees the emails it sends in ``mailoutbox`` (the locmem backend appends to the same list).
"""

import io
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS_DIR = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
# Short enough that a broken page fails fast, long enough for a loaded CI machine.
TIMEOUT_MS = 10_000


_skipped_because = []


# Package scope: Chromium closes after the last browser test, not at the end of the whole run.
@pytest.fixture(scope="package")
def browser():
    executable = shutil.which(CHROMIUM_PATH)
    if not executable:
        missing = f"Chromium introuvable ({CHROMIUM_PATH})"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{missing} alors que REQUIRE_BROWSER=1 — apt-get install chromium", pytrace=False)
        reason = f"{missing} : tests navigateur ignorés — apt-get install chromium"
        _skipped_because.append(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # The screenshots of this run only: a person looking at them sees today's pages.
    shutil.rmtree(SCREENSHOTS_DIR, ignore_errors=True)
    # Playwright's sync API keeps an event loop running in the main thread; Django would then
    # refuse every ORM call of the test itself (factories, assertions) as "async-unsafe". Only
    # while the browser runs: subprocesses of other tests (manage.py check --deploy) must not see it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def pytest_terminal_summary(terminalreporter):
    # Said once, even with -q (which hides the reasons of skipped tests).
    if _skipped_because:
        terminalreporter.write_line(_skipped_because[0], yellow=True, bold=True)


@pytest.fixture
def site(live_server, settings):
    """The live server, with the links of outgoing emails pointing at it."""
    settings.SITE_URL = live_server.url
    # Each sign-up and log-in hashes a password: the real hasher would cost a second each time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return live_server


@pytest.fixture
def context_options():
    """What a test may change about its browser context (viewport, JavaScript…)."""
    return {}


def _new_context(browser, base_url, **options):
    defaults = {"locale": "fr-FR", "timezone_id": "Europe/Paris", "viewport": {"width": 1280, "height": 800}}
    context = browser.new_context(base_url=base_url, **{**defaults, **options})
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def context(browser, site, context_options):
    context = _new_context(browser, site.url, **context_options)
    context.javascript_enabled = context_options.get("java_script_enabled", True)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    # Script errors and Content-Security-Policy refusals: a page that has them fails its check.
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(f"erreur JavaScript : {error}"))
    page.on(
        "console",
        lambda message: (
            page.problems.append(f"console : {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return page


def _format_violations(url, violations):
    lines = [f"{len(violations)} violation(s) axe-core sur {url} :"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}) : {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    {target}")
            lines.append(f"      {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


@pytest.fixture
def axe(request, site):
    """``axe(page, "name")``: screenshot the page, then assert axe-core finds no violation on it.

    Screenshots land in ``test-artifacts/screenshots/<test>/NN-name.png`` for a person to look at.
    """
    from axe_playwright_python.sync_playwright import Axe

    runner = Axe()
    # label-content-name-mismatch is "experimental" in axe-core, so off by default; WCAG 2.5.3 asks for it.
    options = {"resultTypes": ["violations"], "rules": {"label-content-name-mismatch": {"enabled": True}}}
    folder = SCREENSHOTS_DIR / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    count = 0

    def check(page, name):
        nonlocal count
        count += 1
        page.wait_for_load_state("load")
        page.screenshot(path=folder / f"{count:02d}-{name}.png", full_page=True)
        if getattr(page.context, "javascript_enabled", True):
            violations = runner.run(page, options=options).response["violations"]
        else:
            # axe-core needs JavaScript (it never finishes otherwise): check the same address in a
            # JavaScript-enabled twin with the same cookies. Only for pages a GET gives back.
            twin = _new_context(page.context.browser, site.url)
            try:
                twin.add_cookies(page.context.cookies())
                twin_page = twin.new_page()
                twin_page.goto(page.url)
                violations = runner.run(twin_page, options=options).response["violations"]
            finally:
                twin.close()
        if violations:
            raise AssertionError(_format_violations(page.url, violations))
        problems, page.problems = getattr(page, "problems", []), []
        if problems:
            raise AssertionError(f"{page.url} :\n" + "\n".join(problems))

    check.folder = folder
    return check


@pytest.fixture
def log_in():
    """``log_in(page, email, password)`` through the login page; ends on the page it leads to."""

    def log_in(page, email, password, axe=None):
        page.get_by_role("link", name="Se connecter").click()
        if axe:
            axe(page, "connexion")
        page.get_by_label("Courriel").fill(email)
        page.get_by_label(re.compile(r"^Mot de passe(?!\s*\()")).fill(password)
        page.get_by_role("main").get_by_role("button", name=re.compile("^(Se connecter|Connexion)$")).click()

    return log_in


@pytest.fixture
def force_login(site):
    """``force_login(page, user)``: a session cookie for ``user``, without the login page."""
    from django.test import Client

    def force_login(page, user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": site.url}])

    return force_login


@pytest.fixture
def loire_territories(transactional_db):
    """The Loire's 320 real communes and their EPCI, from the vendored INSEE extract."""
    call_command("import_territories", "--departements", "42", stdout=io.StringIO())
