import pytest

from resources.enums import Licence, ResourceKind
from tests.advisors.factories import AdvisorFactory
from tests.resources.factories import ResourceFactory
from tests.territories.factories import DepartementFactory

pytestmark = pytest.mark.django_db
URL = "/ressources/"


def titles(response):
    return [resource.title for resource in response.context["page"].object_list]


def test_index_lists_published_public_resources_for_visitors(client):
    shown = ResourceFactory(title="Visible")
    ResourceFactory(title="Brouillon", draft=True)
    ResourceFactory(title="Masquée", hidden=True)
    ResourceFactory(title="Réseau", network=True)
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == ["Visible"]
    assert shown.get_absolute_url() in response.content.decode()


def test_filters_kind_licence_author(client):
    author = AdvisorFactory()
    ResourceFactory(title="Fiche", kind=ResourceKind.FICHE, licence=Licence.CC_BY, authors=[author])
    ResourceFactory(title="Kit", kind=ResourceKind.KIT, licence=Licence.CC0)
    assert titles(client.get(URL, {"type": "kit"})) == ["Kit"]
    assert titles(client.get(URL, {"licence": "cc-by-4.0"})) == ["Fiche"]
    assert titles(client.get(URL, {"auteur": author.pk})) == ["Fiche"]


def test_filter_departement(client):
    loire = ResourceFactory(title="Loire")
    ResourceFactory(title="Ailleurs", departement=DepartementFactory(savoie=True))
    assert titles(client.get(URL, {"departement": loire.departement.code})) == ["Loire"]


@pytest.mark.parametrize(
    "params",
    [{"auteur": "9" * 40}, {"auteur": "x\x00"}, {"type": "nope"}, {"page": "99999999999"}, {"departement": "\x00"}],
)
def test_bad_filters_never_fail(client, params):
    ResourceFactory()
    assert client.get(URL, params).status_code in (200, 400)


def test_partial_results(client):
    ResourceFactory(title="Seule")
    response = client.get(URL, {"partial": 1})
    assert "<html" not in response.content.decode()
    assert "Seule" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 12])
def test_index_queries_are_bounded(client, django_assert_num_queries, rows):
    ResourceFactory.create_batch(rows)
    with django_assert_num_queries(6):
        assert client.get(URL).status_code == 200
