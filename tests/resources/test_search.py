"""Relevance of the library's French full-text search (PostgreSQL) and its SQLite fallback."""

import pytest
from django.db import connection
from django.urls import reverse

from resources.models import Resource
from resources.services.search import resource_search_refresh
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")


def found(text):
    return list(Resource.objects.published().search(text).values_list("title", flat=True))


def test_without_accent_finds_accented_plural():
    ResourceFactory(title="Les démarches administratives en ligne", body="")
    ResourceFactory(title="Créer une adresse e-mail", summary="Pas de rapport.", body="")
    assert found("demarche") == ["Les démarches administratives en ligne"]


def test_accent_in_query_finds_unaccented_text():
    ResourceFactory(title="Atelier securite numerique", body="")
    assert found("sécurité") == ["Atelier securite numerique"]


def test_case_is_ignored():
    ResourceFactory(title="France Connect pas à pas", body="")
    assert found("FRANCE connect") == ["France Connect pas à pas"]


@postgres_only
def test_inflections_match():
    ResourceFactory(title="Ateliers numériques pour les seniors", body="")
    assert found("atelier numerique") == ["Ateliers numériques pour les seniors"]
    assert found("Numériques") == ["Ateliers numériques pour les seniors"]


@postgres_only
def test_title_ranks_above_body():
    in_body = ResourceFactory(title="Fiche atelier", summary="Une fiche.", body="On y parle de messagerie.")
    in_title = ResourceFactory(title="La messagerie électronique", summary="Une fiche.", body="")
    assert found("messagerie") == ["La messagerie électronique", "Fiche atelier"]
    # Even when the body match is the most recent one.
    Resource.objects.filter(pk=in_title.pk).update(published_at=in_body.published_at.replace(year=2020))
    assert found("messagerie") == ["La messagerie électronique", "Fiche atelier"]


def test_refresh_after_queryset_update():
    resource = ResourceFactory(title="Ancien titre", body="")
    Resource.objects.filter(pk=resource.pk).update(title="Tablettes et smartphones")
    resource_search_refresh(resource)
    assert found("tablette") == ["Tablettes et smartphones"]


def test_nul_bytes_and_long_queries_do_not_fail(client):
    ResourceFactory(title="Tablettes", body="")
    assert client.get(reverse("resources:index"), {"q": "tab\x00lette"}).status_code in (200, 400)
    assert client.get(reverse("resources:index"), {"q": "é" * 5000 + " & | ! ( :*"}).status_code == 200
