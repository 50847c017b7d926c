"""The home page: the commune picker and the départements' networks."""

import pytest

pytestmark = pytest.mark.django_db


def test_home_lists_departements_and_offers_the_picker(client, loire, django_assert_num_queries):
    # Régions, their départements, and for the map the memberships by département and the outlines.
    with django_assert_num_queries(4):
        response = client.get("/")
    content = response.content.decode()
    assert "Qui fait quoi près de chez moi\u202f?" in content
    assert 'name="commune"' in content and "data-commune-picker" in content
    assert "/territoires/42/" in content
