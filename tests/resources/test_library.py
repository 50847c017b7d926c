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
# Count, page, authors, and the choices of the départements, thématiques and publics.
def test_index_queries_are_bounded(client, django_assert_num_queries, rows):
    ResourceFactory.create_batch(rows)
    with django_assert_num_queries(6):
        assert client.get(URL).status_code == 200


def test_mes_ressources_lists_my_drafts_too(client):
    from tests.advisors.factories import MembershipFactory

    membership = MembershipFactory()
    me = AdvisorFactory(user=membership.user, departement=membership.departement, membership=False)
    ResourceFactory(title="Mon brouillon", draft=True, authors=[me])
    ResourceFactory(title="Ma fiche", authors=[me])
    ResourceFactory(title="Une autre")
    client.force_login(me.user)
    assert sorted(titles(client.get(URL, {"mes_ressources": "on"}))) == ["Ma fiche", "Mon brouillon"]
    assert "Mon brouillon" not in titles(client.get(URL))
    assert "mes_ressources" not in client.__class__().get(URL).context["filter"].form.fields


def test_filters_skill_public_structure_event(client):
    from skills.models import Public, Skill
    from tests.advisors.factories import StructureFactory
    from tests.events.factories import EventFactory

    skill = Skill.objects.validated().first()
    public = Public.objects.first()
    structure = StructureFactory()
    event = EventFactory()
    tagged = ResourceFactory(title="Étiquetée", structure=structure, event=event)
    tagged.skills.add(skill)
    tagged.publics.add(public)
    ResourceFactory(title="Autre")
    assert titles(client.get(URL, {"competence": skill.slug})) == ["Étiquetée"]
    assert titles(client.get(URL, {"public": public.slug})) == ["Étiquetée"]
    assert titles(client.get(URL, {"structure": structure.pk})) == ["Étiquetée"]
    assert titles(client.get(URL, {"evenement": event.pk})) == ["Étiquetée"]


def test_search_from_the_list_ranks_title_first(client):
    ResourceFactory(title="Atelier", summary="Pour tous.", body="On y aborde les démarches en ligne.")
    ResourceFactory(title="Démarches administratives", summary="Pour tous.", body="")
    ResourceFactory(title="Sans rapport", summary="Rien.", body="")
    found = titles(client.get(URL, {"q": "DEMARCHE"}))
    assert set(found) == {"Atelier", "Démarches administratives"}
    from django.db import connection

    if connection.vendor == "postgresql":
        assert found == ["Démarches administratives", "Atelier"]


@pytest.mark.parametrize("rows", [1, 12])
def test_member_search_queries_are_bounded(client, member, django_assert_num_queries, rows):
    ResourceFactory.create_batch(rows, network=True)
    client.force_login(member)
    # Logged in: + session, user, memberships (visibility), profile (« Partager une ressource »).
    with django_assert_num_queries(10):
        response = client.get(URL, {"q": "adresse e-mail"})
    assert response.context["page"].paginator.count == rows
