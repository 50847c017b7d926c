"""The home page: the commune picker and the départements' networks."""

import pytest

pytestmark = pytest.mark.django_db


def test_home_lists_departements_and_offers_the_picker(client, loire, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get("/")
    content = response.content.decode()
    assert "Qui fait quoi près de chez moi\u202f?" in content
    assert 'name="commune"' in content and "data-commune-picker" in content
    assert "/territoires/42/" in content
