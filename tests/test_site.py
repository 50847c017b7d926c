"""Site-wide behaviour: health check, error pages, security headers, production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_healthz_answers_ok_after_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_pages_send_a_csp_and_security_headers(client, settings):
    from django.utils.csp import CSP

    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    # Inline code is only ever allowed with the request's nonce.
    assert CSP.NONCE in settings.SECURE_CSP["script-src"] and CSP.NONCE in settings.SECURE_CSP["style-src"]
    assert "'unsafe-inline'" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_pages_have_no_inline_script_or_style(client):
    content = client.get("/").content.decode()
    assert "<script>" not in content and "style=" not in content and "<style>" not in content


@pytest.mark.django_db
def test_french_404_in_the_site_layout(client, settings):
    settings.DEBUG = False
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    content = response.content.decode()
    assert '<html lang="fr">' in content and "Page introuvable" in content and "Aller au contenu" in content


def test_french_500_page_needs_no_database(rf):
    from config.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()


@pytest.mark.django_db
def test_french_403_page(client, member):
    client.force_login(member)
    response = client.get("/reseau/42/demandes/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


# /competences/, /evenements/ and /ressources/ are real pages now: their query counts are tested in
# tests/skills/test_taxonomy_views.py, tests/events/test_calendar.py and tests/resources/test_library.py.
@pytest.mark.parametrize("url", ["/accessibilite/", "/mentions-legales/"])
@pytest.mark.django_db
def test_static_pages_render(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1


def test_sources_page_cites_the_territorial_data(client, db):
    content = client.get("/sources-des-donnees/").content.decode()
    assert "Code officiel géographique 2026" in content and "Licence Ouverte 2.0" in content


def test_check_deploy_reports_nothing_in_production_mode():
    """With DJANGO_DEBUG=0 and real values, Django's deployment checklist is clean."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 20 + "une-vraie-cle-secrete-longue-et-aleatoire-0123456789",
        "DJANGO_ALLOWED_HOSTS": "maillage.example.fr",
        "SITE_URL": "https://maillage.example.fr",
        "EMAIL_HOST": "smtp.example.fr",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_postgresql_connections_do_not_jit(db):
    """JIT compilation cost a second on near-me's national queries for nothing: it is off for our connections."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_uploaded_files_in_development_never_500_and_never_bypass_resource_permissions(client, settings, tmp_path):
    """``make run`` serves /media/ itself: an absurd path is a 404, and resource files only go through
    ``resources:file``, which checks who may see them."""
    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = True
    (tmp_path / "resources").mkdir()
    (tmp_path / "resources" / "secret.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    assert client.get("/media/photo.png").status_code == 200
    assert client.get("/media/resources/secret.pdf").status_code == 404
    assert client.get("/media/" + "x" * 300).status_code == 404
    # In production the proxy serves them: the site answers 404.
    settings.DEBUG = False
    assert client.get("/media/photo.png").status_code == 404
