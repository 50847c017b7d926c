"""Server-drawn maps and the geography under them: distances, boxes, the contours' encoding, the projection,
the SVG (valid, one link per shape with an accessible name, a title, patterns and a legend), its weight on
the real Loire, and the EPCI page's map."""

import gzip
import json
import math
import re
import xml.etree.ElementTree as ET

import pytest

from territories.enums import OutlineKind
from territories.geo import KM_PER_DEGREE, Box, Projection, decode, distance_km, format_distance
from territories.importer import DEFAULT_PATH
from territories.maps import POPULATION_CATEGORIES, Category, MapPoint, MapShape, SvgMap, population_category
from territories.models import Outline
from tests.territories.factories import CommuneFactory, EPCIFactory

SVG = "{http://www.w3.org/2000/svg}"
GEOGRAPHY = DEFAULT_PATH.parent / "geography.json.gz"


def encode(*rings):
    """One polygon of ``rings`` of (lon, lat) degrees, in the vendored encoding (deltas of 1e-4 degree)."""
    polygon = []
    for ring in rings:
        points = [(round(lon * 10_000), round(lat * 10_000)) for lon, lat in ring]
        flat = list(points[0])
        for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
            flat += [x1 - x0, y1 - y0]
        polygon.append(flat)
    return json.dumps([polygon])


def square(lon, lat, size=0.05):
    return encode([(lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size), (lon, lat)])


def parse(svg):
    """The map as an XML tree (namespaces declared, as a standalone file has them)."""
    return ET.fromstring(str(svg))


CATEGORIES = [
    Category("plein", "un lieu dans la commune", "#2b5d9b", "dots", "#ffffff"),
    Category("raye", "servie sans lieu", "#cadcf2", "hatch"),
    Category("vide", "personne ne s’y déclare", "#ffffff"),
]


def three_communes(**kwargs):
    shapes = [
        MapShape("42001", "Aboën", square(4.0, 45.0), "plein", "/territoires/communes/42001/", "2 lieux"),
        MapShape("42002", "Ailleux", square(4.05, 45.0), "raye", "/territoires/communes/42002/"),
        MapShape("42003", "L’Hôpital <sous> Rochefort", square(4.1, 45.0), "vide", "/territoires/communes/42003/"),
    ]
    return SvgMap("Les communes", shapes, categories=CATEGORIES, **kwargs)


# Geography


def test_distance_km_between_two_town_halls():
    saint_etienne, lyon = (45.4397, 4.3872), (45.7676, 4.8359)
    assert 49 < distance_km(saint_etienne, lyon) < 51
    assert distance_km(lyon, saint_etienne) == distance_km(saint_etienne, lyon)
    assert distance_km(lyon, lyon) == 0
    # One degree of latitude along a meridian.
    assert distance_km((45, 4), (46, 4)) == pytest.approx(KM_PER_DEGREE, rel=1e-9)


@pytest.mark.parametrize(
    "km, text",
    [
        (0.04, "à 100 m"),
        (0.8, "à 800 m"),
        (0.96, "à 1 km"),
        (7, "à 7 km"),
        (7.04, "à 7 km"),
        (7.5, "à 7,5 km"),
        (9.97, "à 10 km"),
        (12, "à 12 km"),
        (12.4, "à 12 km"),
    ],
)
def test_format_distance(km, text):
    assert format_distance(km) == text


def destination(point, km, bearing_degrees):
    """The point ``km`` away from ``point`` along ``bearing_degrees`` on the sphere of ``distance_km``."""
    lat, lon = map(math.radians, point)
    bearing, angle = math.radians(bearing_degrees), km / (KM_PER_DEGREE * 180 / math.pi)
    lat2 = math.asin(math.sin(lat) * math.cos(angle) + math.cos(lat) * math.sin(angle) * math.cos(bearing))
    lon2 = lon + math.atan2(
        math.sin(bearing) * math.sin(angle) * math.cos(lat), math.cos(angle) - math.sin(lat) * math.sin(lat2)
    )
    return math.degrees(lat2), math.degrees(lon2)


@pytest.mark.parametrize("centre", [(45.44, 4.39), (-21.1, 55.5), (51.0, 2.3), (16.2, -61.5)])
@pytest.mark.parametrize("radius", [0.5, 15, 80])
def test_box_around_holds_every_point_of_the_circle(centre, radius):
    box = Box.around(centre, radius)
    for bearing in range(0, 360, 5):
        lat, lon = destination(centre, radius, bearing)
        assert distance_km(centre, (lat, lon)) == pytest.approx(radius, rel=1e-6)
        assert box.lat_min <= lat <= box.lat_max and box.lon_min <= lon <= box.lon_max, (bearing, lat, lon)
    # And it is a prefilter, not the whole map: a point twice as far east is outside.
    lat, lon = destination(centre, 2 * radius, 90)
    assert not box.lon_min <= lon <= box.lon_max


def test_box_lookups_name_the_indexed_columns():
    box = Box(45.0, 46.0, 4.0, 5.0)
    assert box.lookups() == {
        "latitude__gte": 45.0,
        "latitude__lte": 46.0,
        "longitude__gte": 4.0,
        "longitude__lte": 5.0,
    }
    assert set(box.lookups("lieu__")) == {
        "lieu__latitude__gte",
        "lieu__latitude__lte",
        "lieu__longitude__gte",
        "lieu__longitude__lte",
    }


def test_decode_reads_the_vendored_deltas():
    assert decode("") == []
    assert decode("[[[43000, 452000, 10, 0, 0, 10, -10, -10]]]") == [
        [[(4.3, 45.2), (4.301, 45.2), (4.301, 45.201), (4.3, 45.2)]]
    ]
    # The parsed list is read the same way; several polygons, a ring with a hole.
    parsed = json.loads(square(4.0, 45.0)) + json.loads(square(5.0, 46.0))
    polygons = decode(parsed)
    assert len(polygons) == 2 and polygons[1][0][0] == (5.0, 46.0)


def test_projection_keeps_north_up_and_shapes_true():
    projection = Projection((4.0, 45.0, 5.0, 46.0), width=1000, margin=0)
    assert projection(4.0, 46.0) == (0, 0)  # north-west corner at the top left
    assert projection(5.0, 46.0)[0] == 1000
    # A degree of longitude at 45.5° is cos(45.5°) of a degree of latitude: the drawing is taller than wide.
    assert projection.height == round(1000 / math.cos(math.radians(45.5)))
    x, y = projection(4.5, 45.0)
    assert x == 500 and y == pytest.approx(projection.height, abs=0.5)


def test_projection_path_snaps_to_its_grid_and_merges_straight_moves():
    projection = Projection((0.0, 0.0, 1.0, 1.0), width=1000, margin=0)
    # A square whose south side has three collinear points and a repeated one.
    ring = [(0.0, 0.0), (0.25, 0.0), (0.5, 0.0), (0.5, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]
    d = projection.path([[ring]])
    assert d.startswith("M0 ") and d.endswith("z")
    assert d.count("l") == 1
    moves = d.split("l")[1].rstrip("z")
    # South side in one move, then east, north, west sides.
    assert moves.replace("-", " -").split() == ["1000", "0", "0", "-1000", "-1000", "0", "0", "1000"]
    # Two neighbours share their border exactly: the same grid points on both sides.
    left = [(0.0, 0.0), (0.5004, 0.0), (0.5004, 1.0), (0.0, 1.0), (0.0, 0.0)]
    right = [(0.5004, 0.0), (1.0, 0.0), (1.0, 1.0), (0.5004, 1.0), (0.5004, 0.0)]
    coarse = Projection((0.0, 0.0, 1.0, 1.0), width=1000, margin=0, decimals=0)
    assert coarse(0.5004, 0.0) == (500, 1000)
    assert "M500 1000" in coarse.path([[right]]) and "1000l500" in coarse.path([[left]])


def test_a_degenerate_ring_is_not_drawn():
    projection = Projection((0.0, 0.0, 1.0, 1.0), width=100)
    assert projection.path([[[(0.5, 0.5), (0.50001, 0.5), (0.5, 0.5)]]]) == ""


# The SVG


def test_svg_parses_with_one_link_per_commune_each_named_and_titled():
    tree = parse(three_communes().render(standalone=True))
    assert tree.tag == f"{SVG}svg"
    title_id = tree.get("aria-labelledby")
    (title,) = tree.findall(f"{SVG}title")
    assert title.get("id") == title_id and title.text == "Les communes"
    links = tree.findall(f".//{SVG}a")
    assert [link.get("href") for link in links] == [f"/territoires/communes/4200{n}/" for n in (1, 2, 3)]
    for link in links:
        path = link.find(f"{SVG}path")
        assert link.get("aria-label") and path.find(f"{SVG}title").text == link.get("aria-label")
        assert path.get("d").startswith("M")
    # Names are escaped, details follow the name after a French colon.
    assert links[2].get("aria-label") == "L’Hôpital <sous> Rochefort"
    assert links[0].get("aria-label") == "Aboën\u00a0: 2 lieux"


def test_svg_defines_a_pattern_for_each_patterned_category_and_fills_with_it():
    tree = parse(three_communes(id_prefix="carte-test").render(standalone=True))
    patterns = {pattern.get("id") for pattern in tree.iter(f"{SVG}pattern")}
    assert patterns == {"carte-test-motif-plein", "carte-test-motif-raye"}
    fills = [link.find(f"{SVG}path").get("fill") for link in tree.iter(f"{SVG}a")]
    assert fills == ["url(#carte-test-motif-plein)", "url(#carte-test-motif-raye)", "#ffffff"]


def test_legend_lists_every_category_with_a_swatch_of_its_pattern():
    legend = three_communes(id_prefix="carte-test").legend()
    assert [item["category"].label for item in legend] == [category.label for category in CATEGORIES]
    assert 'fill="url(#carte-test-motif-plein)"' in legend[0]["swatch"]
    assert 'aria-hidden="true"' in legend[0]["swatch"]
    assert 'fill="#ffffff"' in legend[2]["swatch"]


def test_two_maps_on_one_page_have_distinct_ids():
    page = f"<div>{three_communes(id_prefix='carte-a').render()}{three_communes(id_prefix='carte-b').render()}</div>"
    tree = ET.fromstring(page.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" '))
    ids = [element.get("id") for element in tree.iter() if element.get("id")]
    assert len(ids) == len(set(ids)) == 6  # two titles and two patterns per map


def test_a_description_is_announced_after_the_title():
    tree = parse(three_communes(description="Le tableau suit.").render(standalone=True))
    assert tree.get("aria-describedby") == "carte-desc"
    assert tree.find(f"{SVG}desc").text == "Le tableau suit."


def test_shapes_without_link_and_points():
    drawn = SvgMap(
        "Ici",
        [MapShape("42001", "Aboën", square(4.0, 45.0))],
        points=[
            MapPoint(45.02, 4.02, "Médiathèque", "/lieux/1/", "à 800 m"),
            MapPoint(45.03, 4.03, "Ici", emphasis=True),
        ],
    )
    tree = parse(drawn.render(standalone=True))
    (link,) = tree.iter(f"{SVG}a")
    assert link.get("aria-label") == "Médiathèque\u00a0: à 800 m"
    circles = list(tree.iter(f"{SVG}circle"))
    assert len(circles) == 2 and "map-point-here" in circles[1].get("class")


def test_a_map_of_points_alone_has_an_extent():
    tree = parse(SvgMap("Lieux", [], points=[MapPoint(45.0, 4.0, "Un lieu")]).render(standalone=True))
    assert float(tree.get("width")) == 1000 and float(tree.get("height")) > 0


def test_cached_drawing_changes_with_what_is_drawn():
    first = str(three_communes(cache_timeout=60).render())
    assert str(three_communes(cache_timeout=60).render()) == first
    changed = three_communes(cache_timeout=60)
    changed.shapes[1].category = "plein"
    assert str(changed.render()) != first
    assert str(changed.render()) == str(changed._draw(standalone=False))


def test_the_loire_map_weighs_under_150_kb():
    """All 320 communes of the real vendored geography, each a link with a long label, as the département page
    draws them."""
    with gzip.open(GEOGRAPHY, "rt") as file:
        geography = json.load(file)
    columns = geography["communes"]["columns"]
    rows = [dict(zip(columns, row, strict=True)) for row in geography["communes"]["rows"]]
    loire = [row for row in rows if row["code"].startswith("42") and row["contour"]]
    assert len(loire) == 320
    drawn = SvgMap(
        "Qui sert les communes du département : Loire (42)",
        [
            MapShape(
                row["code"],
                f"Commune {row['code']}",
                row["contour"],
                CATEGORIES[index % 3].key,
                f"/territoires/communes/{row['code']}/",
                "servie par 3 lieux voisins, 12 conseillers",
            )
            for index, row in enumerate(loire)
        ],
        categories=CATEGORIES,
        decimals=0,
    )
    svg = str(drawn.render(standalone=True)).encode()
    assert len(svg) < 150_000
    assert len(gzip.compress(svg)) < 50_000
    assert len(parse(svg.decode()).findall(f".//{SVG}a")) == 320


def test_population_classes():
    assert [population_category(n) for n in (None, 0, 499, 500, 1999, 2000, 9999, 10_000, 172_718)] == [
        "moins-500",
        "moins-500",
        "moins-500",
        "500-2000",
        "500-2000",
        "2000-10000",
        "2000-10000",
        "10000",
        "10000",
    ]
    assert {category.key for category in POPULATION_CATEGORIES} == {"moins-500", "500-2000", "2000-10000", "10000"}
    # Readable without colour: each class has its own pattern.
    assert len({category.pattern for category in POPULATION_CATEGORIES}) == len(POPULATION_CATEGORIES)


# The EPCI page


def make_epci(count):
    epci = EPCIFactory(siren="244200770", name="Saint-Étienne Métropole", kind="METRO")
    for index in range(count):
        commune = CommuneFactory(
            code=f"42{index + 1:03d}", name=f"Commune {index:03d}", epci=epci, population=300 * (index + 1) ** 2
        )
        Outline.objects.create(
            key=Outline.key_for(OutlineKind.COMMUNE, commune.code),
            contour=square(4 + 0.05 * (index % 6), 45 + index // 6 * 0.05),
        )
    return epci


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 12])
def test_epci_page_maps_its_communes_in_constant_queries(client, loire, count, django_assert_num_queries):
    make_epci(count)
    # EPCI, the pager's count and its page of communes, totals, départements, the map's communes, their outlines.
    with django_assert_num_queries(7):
        response = client.get("/territoires/epci/244200770/")
    content = response.content.decode()
    start = content.index("<svg")
    svg = content[start : content.index("</svg>", start) + 6]
    tree = ET.fromstring(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))
    links = tree.findall(f".//{SVG}a")
    assert len(links) == count
    assert links[0].get("href") == "/territoires/communes/42001/"
    assert links[0].get("aria-label") == "Commune 000\u00a0: 300 habitants"
    title_id = tree.get("aria-labelledby")
    assert tree.find(f"{SVG}title").get("id") == title_id
    assert "Les communes de Saint-Étienne Métropole par population" in tree.find(f"{SVG}title").text
    # The legend, in text, and the stylesheet.
    assert "10 000 habitants et plus" in content and "css/maps.css" in content
    ids = re.findall(r' id="([^"]+)"', content)
    assert len(ids) == len(set(ids))


@pytest.mark.django_db
def test_epci_page_without_outlines_draws_no_map(client, loire):
    epci = EPCIFactory(siren="200000001", name="CC sans contours")
    CommuneFactory(epci=epci, name="Sans-Contour")
    content = client.get(epci.get_absolute_url()).content.decode()
    assert "Sans-Contour" in content and '<svg class="map"' not in content
