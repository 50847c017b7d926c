"""The commune page: what a visitor sees and its query count. Its "Qui fait quoi ici ?" summary is tested with
"près de chez moi" (tests/overview/test_near.py), which counts the same people."""

import pytest

from tests.territories.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def test_commune_page(client, loire, django_assert_num_queries):
    commune = CommuneFactory(
        code="42218", name="Saint-Étienne", departement=loire, population=172718, postal_codes="42000 42100"
    )
    # Commune, then the advisors and lieux serving it (counts).
    with django_assert_num_queries(3):
        response = client.get("/territoires/communes/42218/")
    content = response.content.decode().replace("\u202f", " ").replace("\xa0", " ")
    assert "<h1>Saint-Étienne</h1>" in content
    assert "172 718 habitants" in content
    assert "42000, 42100" in content
    assert commune.epci.name in content


def test_an_unknown_commune_is_a_french_404(client, db):
    response = client.get("/territoires/communes/00000/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
