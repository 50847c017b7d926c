"""Territory pages: what a visitor sees, and bounded query counts whatever the number of rows."""

import pytest

from tests.advisors.factories import MembershipFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, EPCIFactory, RegionFactory

pytestmark = pytest.mark.django_db


def make_epcis(departement, count, communes_each=3):
    epcis = []
    for index in range(count):
        epci = EPCIFactory(name=f"Communauté de communes du Pilat {index}")
        for _ in range(communes_each):
            CommuneFactory(departement=departement, epci=epci, population=500)
        epcis.append(epci)
    return epcis


def test_index_groups_departements_by_region(client, django_assert_num_queries):
    ara = RegionFactory()
    bretagne = RegionFactory(code="53", name="Bretagne")
    DepartementFactory(region=ara)
    DepartementFactory(code="22", name="Côtes-d’Armor", region=bretagne)
    DepartementFactory(code="29", name="Finistère", region=bretagne)
    with django_assert_num_queries(2):  # regions, their départements
        response = client.get("/territoires/")
    content = response.content.decode()
    assert response.status_code == 200
    assert content.index("Bretagne") < content.index("Côtes-d’Armor") < content.index("Finistère")
    assert "Auvergne-Rhône-Alpes" in content


def test_home_lists_departements_and_offers_the_picker(client, loire, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get("/")
    content = response.content.decode()
    assert "Qui fait quoi près de chez moi\u202f?" in content
    assert 'name="commune"' in content and "data-commune-picker" in content
    assert "/territoires/42/" in content


def test_departement_page_lists_its_epcis_with_counts(client, loire, django_assert_num_queries):
    epcis = make_epcis(loire, 2)
    MembershipFactory(departement=loire, coordinator=True, user__first_name="Nadia", user__last_name="Benali")
    # Département, EPCI, totals, communes without EPCI, coordinators, members count, advisors (visible count and
    # newcomers), structures by kind, lieux count.
    with django_assert_num_queries(9):
        response = client.get("/territoires/42/")
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
    with django_assert_num_queries(9):
        client.get("/territoires/42/")


def test_an_epci_spanning_two_departements_says_so(client, loire, savoie):
    epci = EPCIFactory(name="CC des Deux Rives")
    CommuneFactory(departement=loire, epci=epci, name="Rive-Gauche")
    CommuneFactory(departement=savoie, epci=epci, name="Rive-Droite")
    content = client.get("/territoires/42/").content.decode()
    assert "sur 2 départements" in content
    response = client.get(f"/territoires/epci/{epci.siren}/")
    content = response.content.decode()
    assert "Loire (42)" in content and "Savoie (73)" in content
    assert content.index("Rive-Gauche") < content.index("Rive-Droite")  # grouped by département code


def test_epci_page_query_count_does_not_grow(client, loire, django_assert_num_queries):
    small, large = make_epcis(loire, 1, communes_each=2)[0], make_epcis(loire, 1, communes_each=40)[0]
    with django_assert_num_queries(5):
        client.get(f"/territoires/epci/{small.siren}/")
    with django_assert_num_queries(5):
        response = client.get(f"/territoires/epci/{large.siren}/")
    assert response.content.decode().count("hab.</span>") == 40


def test_communes_without_epci_are_listed_on_the_departement_page(client, loire):
    CommuneFactory(departement=loire, epci=None, name="Île-Isolée")
    assert "Île-Isolée" in client.get("/territoires/42/").content.decode()


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


def test_unknown_territories_are_french_404(client, db):
    for url in ["/territoires/99/", "/territoires/epci/000000000/", "/territoires/communes/00000/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert "Page introuvable" in response.content.decode()


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


def test_dates_are_shown_in_the_chosen_departements_time_zone(client, db):
    from datetime import UTC, datetime

    from tests.advisors.factories import MembershipFactory

    reunion = DepartementFactory(reunion=True)
    membership = MembershipFactory(departement=reunion, pending=True)
    membership.created_at = datetime(2026, 11, 28, 22, 30, tzinfo=UTC)
    membership.save()
    client.force_login(membership.user)
    assert "28 novembre 2026" in client.get("/reseau/").content.decode()  # Paris: 23 h 30
    client.cookies["maillage_dep"] = "974"
    assert "29 novembre 2026" in client.get("/reseau/").content.decode()  # Réunion: 2 h 30 the next day
