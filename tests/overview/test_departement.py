"""The département page: its communes and EPCI, its network, and "Qui fait quoi dans le département" (visible
counts, newcomers, structures, lieux); bounded query counts whatever the number of rows."""

import pytest

from advisors.enums import MembershipRole, StructureKind
from tests.advisors.directory_data import build_places, make_advisor
from tests.advisors.factories import AdvisorFactory, LieuFactory, MembershipFactory, StructureFactory
from tests.pages import page_text
from tests.territories.factories import CommuneFactory, EPCIFactory, make_epcis

URL = "/territoires/42/"


def test_departement_page_lists_its_epcis_with_counts(client, loire, django_assert_num_queries):
    epcis = make_epcis(loire, 2)
    # Named to a visitor because her profile is public (README, « Ce que voit qui »).
    nadia = AdvisorFactory(departement=loire, public=True, user__first_name="Nadia", user__last_name="Benali")
    nadia.user.memberships.update(role=MembershipRole.COORDINATOR)
    # Département, EPCI, totals, communes without EPCI, coordinators, members count, advisors (visible count and
    # newcomers), structures by kind, lieux count, upcoming events, the resources panel; the map's lieux and
    # advisors by commune, its communes and their outlines.
    with django_assert_num_queries(15):
        response = client.get(URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Loire" in content
    assert "6 communes, 3 000 habitants, 2 intercommunalités" in content.replace("\u202f", " ").replace("\xa0", " ")
    assert epcis[0].name in content
    assert "Nadia Benali" in content


def test_departement_page_query_count_does_not_grow(client, loire, django_assert_num_queries):
    make_epcis(loire, 12, communes_each=5)
    for _ in range(5):
        MembershipFactory(departement=loire, coordinator=True)
    with django_assert_num_queries(15):
        client.get(URL)


def test_an_epci_spanning_two_departements_says_so(client, loire, savoie):
    epci = EPCIFactory(name="CC des Deux Rives")
    CommuneFactory(departement=loire, epci=epci, name="Rive-Gauche")
    CommuneFactory(departement=savoie, epci=epci, name="Rive-Droite")
    assert "sur 2 départements" in client.get(URL).content.decode()


def test_communes_without_epci_are_listed_on_the_departement_page(client, loire):
    CommuneFactory(departement=loire, epci=None, name="Île-Isolée")
    assert "Île-Isolée" in client.get(URL).content.decode()


def test_an_unknown_departement_is_a_french_404(client, db):
    response = client.get("/territoires/99/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


# Qui fait quoi dans le département


@pytest.fixture
def places(loire, savoie):
    return build_places(loire, savoie)


@pytest.fixture
def network(places, loire, savoie):
    make_advisor("Publique", departement=loire, public=True, newcomer=True)
    make_advisor("Réseau", departement=loire, newcomer=True)
    make_advisor("Coordination", departement=loire, coordinators_only=True, newcomer=True)
    make_advisor("Ancienne", departement=loire, public=True)
    # A Savoie profile intervening in the Loire counts for the Loire; one staying in Savoie does not.
    make_advisor(
        "Frontalière", departement=savoie, public=True, commune=places.chambery, intervention_communes=[places.firminy]
    )
    make_advisor("Savoyarde", departement=savoie, public=True, commune=places.chambery)
    make_advisor("Cachée", departement=savoie, coordinators_only=True, commune=places.chambery)


@pytest.mark.parametrize(
    ("who", "total", "newcomers"),
    [
        (None, "3 conseillers et médiateurs", "1 nouvel arrivant"),
        ("outsider", "3 conseillers et médiateurs", "1 nouvel arrivant"),
        ("member", "4 conseillers et médiateurs", "2 nouveaux arrivants"),
        ("coordinator", "5 conseillers et médiateurs", "3 nouveaux arrivants"),
        ("other_coordinator", "4 conseillers et médiateurs", "2 nouveaux arrivants"),
    ],
)
def test_the_departement_counts_the_advisors_one_may_see(client, request, network, who, total, newcomers):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(URL)
    text = page_text(response)
    assert f"{total}, dont {newcomers}" in text
    html = response.content.decode()
    assert '<a href="/conseillers/?departement=42"><strong>' in html
    assert 'href="/conseillers/?departement=42&amp;nouveaux=on"' in html
    # The link leads to as many people as announced.
    directory = client.get("/conseillers/", {"departement": "42"})
    assert directory.context["page"].paginator.count == int(total.split()[0])
    assert client.get("/conseillers/", {"departement": "42", "nouveaux": "on"}).context["page"].paginator.count == int(
        newcomers.split()[0]
    )


def test_the_departement_counts_its_structures_by_kind_and_its_lieux(client, places):
    StructureFactory.create_batch(2, commune=places.firminy, kind=StructureKind.CCAS)
    StructureFactory.create_batch(3, commune=places.firminy, kind=StructureKind.ASSOCIATION)
    StructureFactory.create_batch(2, commune=places.firminy, kind=StructureKind.CENTRE_SOCIAL)
    mediatheque = StructureFactory(commune=places.saint_etienne, kind=StructureKind.MEDIATHEQUE)
    StructureFactory(commune=places.chambery, kind=StructureKind.FABLAB)
    LieuFactory.create_batch(3, structure=mediatheque)
    LieuFactory(structure__commune=places.chambery)
    response = client.get(URL)
    text = page_text(response)
    assert "0 conseiller et médiateur" in text
    assert "8 structures : " in text
    for kinds in ("3 associations", "2 CCAS", "2 centres sociaux", "1 médiathèque / bibliothèque"):
        assert kinds in text
    assert "fablab" not in text
    assert "3 lieux d’accueil" in text
    assert 'href="/structures/?departement=42"' in response.content.decode()


def test_an_empty_departement(client, loire):
    text = page_text(client.get(URL))
    assert "0 conseiller et médiateur" in text and "nouvel arrivant" not in text
    assert "0 structure" in text and "0 lieu d’accueil" in text


@pytest.mark.parametrize(("who", "expected"), [(None, 15), ("coordinator", 18)])
def test_departement_page_queries(client, request, places, who, expected, django_assert_num_queries):
    # See test_departement_page_lists_its_epcis_with_counts; logged in: session, user, memberships (visibility).
    if who:
        client.force_login(request.getfixturevalue(who))
    loire = places.firminy.departement

    def fill(count):
        for index in range(count):
            structure = StructureFactory(commune=places.firminy, kind=list(StructureKind)[index % 5])
            structure.perimeter.add(places.firminy, places.saint_etienne)
            advisor = make_advisor(f"P{index}", departement=loire, structure=structure, newcomer=index % 2 == 0)
            advisor.intervention_communes.add(places.firminy, places.bourg_argental)
            LieuFactory(structure=structure)

    fill(3)
    with django_assert_num_queries(expected):
        client.get(URL)
    fill(30)
    with django_assert_num_queries(expected):
        response = client.get(URL)
    assert "33 structures" in page_text(response)
