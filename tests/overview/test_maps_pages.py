"""The maps of the home, département and commune pages: valid SVG, one link per shape with an accessible name
and a title, a titled map, a legend and patterns, a table with the same figures, ids unique in the page, and a
query count that does not grow with the number of shapes."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advisors.enums import Visibility
from territories.enums import OutlineKind
from territories.models import Outline
from tests.advisors.factories import AdvisorFactory, LieuFactory, MembershipFactory, StructureFactory
from tests.pages import page_text
from tests.territories.factories import CommuneFactory, DepartementFactory, RegionFactory
from tests.territories.test_maps import square

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def maps_in(content):
    """Every ``<svg class="map">`` of a page, parsed (the inline SVG has no namespace declaration)."""
    found = re.findall(r'<svg class="map".*?</svg>', content, flags=re.S)
    return [ET.fromstring(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)) for svg in found]


def assert_accessible(tree):
    """A titled map whose every link has an accessible name, repeated in its shape's ``<title>``."""
    (title,) = tree.findall(f"{SVG}title")
    assert title.get("id") == tree.get("aria-labelledby") and title.text
    links = tree.findall(f".//{SVG}a")
    for link in links:
        shape = link[0]
        assert link.get("href") and link.get("aria-label")
        assert shape.find(f"{SVG}title").text == link.get("aria-label")
    return links


def assert_unique_ids(content):
    ids = re.findall(r'\sid="([^"]+)"', content)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def outline(kind, code, contour):
    Outline.objects.create(key=Outline.key_for(kind, code), contour=contour)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


# Home page: France's départements and their networks


def departements(count, *, start=1):
    region = RegionFactory(code="84", name="Auvergne-Rhône-Alpes")
    made = []
    for index in range(start, start + count):
        code = f"{index:02d}"
        made.append(DepartementFactory(code=code, name=f"Département {code}", region=region))
        outline(OutlineKind.DEPARTEMENT, code, square(index * 0.5, 45.0, 0.5))
    return made


def test_home_map_classes_departements_by_network_and_lists_active_ones(client, loire):
    outline(OutlineKind.DEPARTEMENT, "42", square(4.0, 45.5, 0.5))
    quiet = departements(2)
    reunion = DepartementFactory(reunion=True)
    outline(OutlineKind.DEPARTEMENT, "974", square(55.2, -21.4, 0.5))
    MembershipFactory(departement=loire, coordinator=True)
    MembershipFactory.create_batch(3, departement=loire)
    MembershipFactory(departement=loire, pending=True)
    # Members without coordination yet: not an active network under the rule the legend states.
    MembershipFactory(departement=quiet[0])
    MembershipFactory(departement=reunion, coordinator=True)

    response = client.get("/")
    content = response.content.decode()
    metropole, *overseas = maps_in(content)
    links = assert_accessible(metropole)
    labels = {link.get("href"): link.get("aria-label") for link in links}
    assert labels == {
        "/territoires/01/": "Département 01 (01)\u00a0: pas encore de réseau",
        "/territoires/02/": "Département 02 (02)\u00a0: pas encore de réseau",
        "/territoires/42/": "Loire (42)\u00a0: réseau actif, 4 membres",
    }
    fills = {link.get("href"): link[0].get("fill") for link in links}
    assert fills["/territoires/42/"] == "url(#carte-france-motif-reseau-actif)"
    assert fills["/territoires/01/"] == "#ffffff"
    assert metropole.find(f".//{SVG}pattern").get("id") == "carte-france-motif-reseau-actif"
    # The overseas département has its own small map.
    (reunion_map,) = overseas
    (reunion_link,) = assert_accessible(reunion_map)
    assert reunion_link.get("href") == "/territoires/974/"
    assert reunion_map.find(f"{SVG}title").text == "La Réunion (974)"
    # Legend with the rule, and the text alternative: a table of the active networks with their members.
    text = page_text(response)
    assert "réseau actif : au moins une personne à sa coordination" in text
    assert "pas encore de réseau" in text
    assert (
        "Départements au réseau actif Département Coordination Membres actifs Loire (42) 1 4 La Réunion (974) 1 1"
        in (text)
    )
    assert "css/maps.css" in content
    assert_unique_ids(content)


def test_home_without_any_outline_keeps_its_list_and_table(client, loire):
    content = client.get("/").content.decode()
    assert '<svg class="map"' not in content
    assert "/territoires/42/" in content and "Aucun réseau actif pour l’instant." in content


def test_home_queries_do_not_grow_with_departements_and_members(client, loire, django_assert_num_queries):
    outline(OutlineKind.DEPARTEMENT, "42", square(4.0, 45.5, 0.5))
    MembershipFactory(departement=loire, coordinator=True)
    # Régions, their départements, the memberships counted by département, the outlines.
    with django_assert_num_queries(4):
        client.get("/")
    for departement in departements(12):
        MembershipFactory(departement=departement, coordinator=True)
        MembershipFactory.create_batch(2, departement=departement)
    with django_assert_num_queries(4):
        response = client.get("/")
    assert len(maps_in(response.content.decode())[0].findall(f".//{SVG}a")) == 13


# Département page: its communes and who serves them


def commune_with_outline(departement, index, **kwargs):
    commune = CommuneFactory(
        departement=departement, code=f"{departement.code}{index:03d}", name=f"Commune {index:03d}", **kwargs
    )
    outline(OutlineKind.COMMUNE, commune.code, square(4 + 0.05 * (index % 6), 45 + 0.05 * (index // 6)))
    return commune


@pytest.fixture
def served_loire(loire):
    """Three communes: one with a lieu, one a public advisor intervenes in, one nobody serves."""
    with_lieu, with_advisor, nobody = (commune_with_outline(loire, index, population=1000) for index in (1, 2, 3))
    LieuFactory(structure=StructureFactory(commune=with_lieu), commune=with_lieu, name="Médiathèque")
    AdvisorFactory(departement=loire, visibility=Visibility.PUBLIC, intervention_communes=[with_advisor])
    return with_lieu, with_advisor, nobody


def test_departement_map_classes_each_commune_with_its_link_and_table(client, served_loire):
    with_lieu, with_advisor, nobody = served_loire
    response = client.get("/territoires/42/")
    content = response.content.decode()
    (drawn,) = maps_in(content)
    links = assert_accessible(drawn)
    assert [link.get("href") for link in links] == [f"/territoires/communes/{c.code}/" for c in served_loire]
    assert [link.get("aria-label") for link in links] == [
        "Commune 001\u00a0: 1 lieu dans la commune",
        "Commune 002\u00a0: 1 conseiller",
        "Commune 003\u00a0: personne ne s’y déclare",
    ]
    assert [link[0].get("fill") for link in links] == [
        "url(#carte-departement-motif-lieu)",
        "url(#carte-departement-motif-servie)",
        "#ffffff",
    ]
    assert {pattern.get("id") for pattern in drawn.iter(f"{SVG}pattern")} == {
        "carte-departement-motif-lieu",
        "carte-departement-motif-servie",
    }
    assert drawn.get("aria-describedby") == "carte-departement-desc"
    text = page_text(response)
    assert "Légende un lieu d’accueil dans la commune servie sans lieu dans la commune" in text
    # The text alternative: the classes summed up, then commune by commune.
    assert "Qui les sert Communes Habitants Un lieu d’accueil dans la commune 1 1 000" in text
    assert "Personne ne s’y déclare 1 1 000" in text
    assert "Commune 002 0 0 1 servie sans lieu dans la commune" in text
    assert 'href="/couverture/?territoire=42"' in content
    assert_unique_ids(content)


def test_departement_map_counts_only_profiles_the_viewer_may_see(client, loire):
    hidden_here = commune_with_outline(loire, 1)
    AdvisorFactory(departement=loire, intervention_communes=[hidden_here])  # network visibility
    (drawn,) = maps_in(client.get("/territoires/42/").content.decode())
    assert drawn.find(f".//{SVG}a").get("aria-label") == "Commune 001\u00a0: personne ne s’y déclare"
    member = AdvisorFactory(departement=loire).user
    client.force_login(member)
    (drawn,) = maps_in(client.get("/territoires/42/").content.decode())
    assert drawn.find(f".//{SVG}a").get("aria-label") == "Commune 001\u00a0: 1 conseiller"


def test_departement_map_queries_do_not_grow_with_communes_lieux_and_advisors(client, served_loire, loire):
    small, _ = count_queries(client, "/territoires/42/")
    for index in range(4, 40):
        commune = commune_with_outline(loire, index)
        if index % 3 == 0:
            LieuFactory(structure=StructureFactory(commune=commune), commune=commune)
        if index % 4 == 0:
            AdvisorFactory(departement=loire, visibility=Visibility.PUBLIC, intervention_communes=[commune])
    large, response = count_queries(client, "/territoires/42/")
    assert large == small
    # The map adds four queries to the page: lieux and advisors by commune, the communes, their outlines.
    assert small <= 16
    assert len(maps_in(response.content.decode())[0].findall(f".//{SVG}a")) == 39


# Commune page: the commune and its neighbours


def test_commune_page_draws_the_commune_among_its_neighbours(client, loire, savoie, django_assert_num_queries):
    here = commune_with_outline(loire, 7, latitude=45.075, longitude=4.075)
    near = [commune_with_outline(loire, index, latitude=45.025, longitude=4.025 + 0.05 * index) for index in (0, 1)]
    # Across the border of the département, still a neighbour; far away, not one.
    across = CommuneFactory(departement=savoie, code="73001", name="Voisine-en-Savoie", latitude=45.1, longitude=4.12)
    outline(OutlineKind.COMMUNE, across.code, square(4.1, 45.1))
    CommuneFactory(departement=loire, code="42099", name="Lointaine", latitude=46.5, longitude=4.0)
    # Commune, advisors and lieux serving it, the communes around, the outlines.
    with django_assert_num_queries(5):
        response = client.get(here.get_absolute_url())
    content = response.content.decode()
    (drawn,) = maps_in(content)
    links = assert_accessible(drawn)
    assert [link.get("aria-label") for link in links] == ["Commune 000", "Commune 001", "Voisine-en-Savoie"]
    assert [link.get("href") for link in links] == [
        f"/territoires/communes/{code}/" for code in (near[0].code, near[1].code, "73001")
    ]
    # The commune itself is drawn, last (on top), with its own pattern, and is not a link.
    *_, last = drawn.find(f"{SVG}g")
    assert last.tag == f"{SVG}path" and last.get("fill") == "url(#carte-commune-motif-ici)"
    assert last.find(f"{SVG}title").text == "Commune 007\u00a0: cette commune"
    text = page_text(response)
    assert "Communes voisines : Commune 000, Commune 001, Voisine-en-Savoie." in text
    assert "Lointaine" not in text
    assert_unique_ids(content)


def test_a_commune_without_a_point_has_no_map_and_no_query_for_it(client, loire, django_assert_num_queries):
    commune = commune_with_outline(loire, 1)
    with django_assert_num_queries(3):
        response = client.get(commune.get_absolute_url())
    assert '<svg class="map"' not in response.content.decode()
