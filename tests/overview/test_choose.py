"""Choosing one's département: remembered in a cookie, with a way back only to a page of this site."""

import pytest

pytestmark = pytest.mark.django_db


def test_choosing_a_departement_is_remembered(client, loire, django_assert_num_queries):
    response = client.post("/territoires/choisir/", {"departement": "42", "next": "/territoires/"})
    assert response.status_code == 302 and response["Location"] == "/territoires/"
    assert response.cookies["maillage_dep"].value == "42"
    content = client.get("/").content.decode()
    assert "Votre département" in content and "Loire (42)" in content


def test_choosing_refuses_foreign_redirects(client, loire):
    response = client.post("/territoires/choisir/", {"departement": "42", "next": "https://ailleurs.example/"})
    assert response["Location"] == "/"


def test_choosing_an_unknown_departement_forgets_the_choice(client, loire):
    client.post("/territoires/choisir/", {"departement": "42"})
    response = client.post("/territoires/choisir/", {"departement": "zz"})
    assert response.cookies["maillage_dep"].value == ""
