import importlib

import pytest
from django.apps import apps
from django.core.cache import cache

from tests.advisors.factories import MembershipFactory, UserFactory
from tests.client import CsrfClient
from tests.territories.factories import CommuneFactory, DepartementFactory, EPCIFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: no test inherits another's failed logins."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    settings.SITE_URL = "http://testserver"
    # Real hashing costs ~0.7 s per account on this machine; tests check behaviour, not the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Static files are served from the source folders in tests: no collectstatic needed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def client():
    """Every test's client enforces CSRF and checks that each POST form it gets carries its token."""
    return CsrfClient()


@pytest.fixture
def loire(db):
    return DepartementFactory()


@pytest.fixture
def savoie(db):
    return DepartementFactory(savoie=True)


@pytest.fixture
def saint_etienne_metropole(loire):
    return EPCIFactory(siren="244200770", name="Saint-Étienne Métropole", kind="METRO")


@pytest.fixture
def saint_etienne(loire, saint_etienne_metropole):
    return CommuneFactory(
        departement=loire, code="42218", name="Saint-Étienne", postal_codes="42000 42100", epci=saint_etienne_metropole
    )


@pytest.fixture
def chambery(savoie):
    return CommuneFactory(departement=savoie, code="73065", name="Chambéry", postal_codes="73000")


@pytest.fixture
def coordinator(loire):
    """An active coordinator of the Loire network."""
    return MembershipFactory(departement=loire, coordinator=True).user


@pytest.fixture
def member(loire):
    """An active member of the Loire network."""
    return MembershipFactory(departement=loire).user


@pytest.fixture
def pending_member(loire):
    return MembershipFactory(departement=loire, pending=True).user


@pytest.fixture
def other_coordinator(savoie):
    """A coordinator of another département (Savoie): no right in the Loire."""
    return MembershipFactory(departement=savoie, coordinator=True).user


@pytest.fixture
def outsider(db):
    """Logged-in account with no membership anywhere."""
    return UserFactory()


# Vocabularies that data migrations seed: a transactional test (live server, races) flushes
# the whole database at its end, seeds included, so each such test seeds them again.
SEED_MIGRATIONS = [
    "skills.migrations.0002_seed_domains_and_publics",
    "skills.migrations.0004_seed_skills",
    "advisors.migrations.0003_seed_languages",
]


@pytest.fixture(autouse=True)
def _seeded_vocabularies(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    for module in SEED_MIGRATIONS:
        importlib.import_module(module).seed(apps, None)
