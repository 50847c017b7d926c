"""Territory pages (the list of départements, an EPCI) and the time zone of the chosen département: what a visitor
sees, and bounded query counts whatever the number of rows.

The département and commune pages and the choice of one's département are in overview: see tests/overview/.
"""

import pytest

from tests.territories.factories import CommuneFactory, DepartementFactory, EPCIFactory, RegionFactory, make_epcis

pytestmark = pytest.mark.django_db


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


def test_an_epci_spanning_two_departements_says_so(client, loire, savoie):
    epci = EPCIFactory(name="CC des Deux Rives")
    CommuneFactory(departement=loire, epci=epci, name="Rive-Gauche")
    CommuneFactory(departement=savoie, epci=epci, name="Rive-Droite")
    response = client.get(f"/territoires/epci/{epci.siren}/")
    content = response.content.decode()
    assert "Loire (42)" in content and "Savoie (73)" in content
    assert content.index("Rive-Gauche") < content.index("Rive-Droite")  # grouped by département code


def test_epci_page_query_count_does_not_grow(client, loire, django_assert_num_queries):
    small, large = make_epcis(loire, 1, communes_each=2)[0], make_epcis(loire, 1, communes_each=40)[0]
    # EPCI, the pager's count and page, totals, départements, and the map's communes and their outlines.
    with django_assert_num_queries(7):
        client.get(f"/territoires/epci/{small.siren}/")
    with django_assert_num_queries(7):
        response = client.get(f"/territoires/epci/{large.siren}/")
    assert response.content.decode().count("hab.</span>") == 40


def test_an_unknown_epci_is_a_french_404(client, db):
    response = client.get("/territoires/epci/000000000/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


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
