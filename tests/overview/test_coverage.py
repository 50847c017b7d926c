"""The coverage computation (``overview.coverage``) on hand-built territories.

Communes sit on a grid near 45° N, 4° E: 0.1 degree of latitude is about 11.1 km.
"""

from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advisors.enums import LieuApproval, PositionSource, SupportMode, Weekday
from overview.coverage import CoverageClass, Mode, Opening, coverage, summary
from skills.models import Domain, Public
from territories.models import Commune
from tests.advisors.factories import AdvisorFactory, LieuFactory, OpeningSlotFactory, StructureFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, EPCIFactory

pytestmark = pytest.mark.django_db

LAT, LON = 45.0, 4.0


@pytest.fixture
def demarches(db):
    return Domain.objects.get(slug="aide-aux-demarches-administratives")


@pytest.fixture
def loisirs(db):
    return Domain.objects.get(slug="loisirs-et-creations-numeriques")


def commune_at(departement, code, lat, lon, population=1000, epci=None, name=None):
    return CommuneFactory(
        departement=departement,
        code=code,
        name=name or f"Commune {code}",
        latitude=lat,
        longitude=lon,
        population=population,
        epci=epci or EPCIFactory(),
    )


def structure_offering(commune, *services, publics=(), perimeter=()):
    structure = StructureFactory(commune=commune)
    structure.services.set(services)
    structure.publics.set(publics)
    structure.perimeter.set(perimeter)
    return structure


def lieu_at(structure, commune, lat=None, lon=None, **kwargs):
    if lat is not None:
        kwargs.update(latitude=lat, longitude=lon, position_source=PositionSource.TYPED)
    return LieuFactory(structure=structure, commune=commune, **kwargs)


def rows_by_code(result):
    return {row.commune.code: row for row in result.rows}


def territory(departement):
    return Commune.objects.filter(departement=departement).order_by("code")


def test_a_commune_with_no_lieu_near_and_no_structure_is_a_zone_blanche(loire, demarches):
    alone = commune_at(loire, "42001", LAT, LON, population=800)
    result = coverage(territory(loire), domain=demarches)
    (row,) = result.rows
    assert row.commune == alone
    assert row.category == CoverageClass.ZONE_BLANCHE
    assert (row.lieux, row.structures, row.advisors, row.nearest) == (0, [], 0, None)
    assert result.totals["zone_blanche"].communes == 1
    assert result.totals["zone_blanche"].population == 800


def test_a_lieu_10_km_away_covers_a_commune_and_gives_its_distance(loire, demarches):
    far = commune_at(loire, "42001", LAT, LON)
    town = commune_at(loire, "42002", LAT + 0.09, LON)  # 10 km north
    lieu_at(structure_offering(town, demarches), town)
    rows = rows_by_code(coverage(territory(loire), domain=demarches))
    assert rows[far.code].category == CoverageClass.COVERED
    assert rows[far.code].nearest == pytest.approx(10.0, abs=0.1)
    assert rows[far.code].nearest_text == "à 10 km"
    assert rows[far.code].lieux == 0 and rows[far.code].structures == []
    assert rows[town.code].lieux == 1
    assert rows[town.code].nearest == pytest.approx(0)
    assert [s.name for s in rows[town.code].structures] == [s.name for s in town.structures.all()]


def test_the_distance_parameter_decides_between_zone_blanche_and_couverte(loire, demarches):
    far = commune_at(loire, "42001", LAT, LON)
    town = commune_at(loire, "42002", LAT + 0.18, LON)  # 20 km north
    lieu_at(structure_offering(town, demarches), town)
    assert rows_by_code(coverage(territory(loire), domain=demarches))[far.code].category == "zone_blanche"
    assert rows_by_code(coverage(territory(loire), domain=demarches))[far.code].nearest is None
    wider = rows_by_code(coverage(territory(loire), domain=demarches, distance=25))[far.code]
    assert wider.category == "couverte"
    assert wider.nearest == pytest.approx(20.0, abs=0.2)


def test_a_lieu_across_the_departement_border_counts_for_the_distance(loire, demarches):
    haute_loire = DepartementFactory(code="43", name="Haute-Loire")
    border = commune_at(loire, "42001", LAT, LON)
    beyond = commune_at(haute_loire, "43001", LAT - 0.07, LON)  # 8 km south, in the Haute-Loire
    lieu_at(structure_offering(beyond, demarches), beyond)
    result = coverage(territory(loire), domain=demarches)
    (row,) = result.rows
    assert row.category == CoverageClass.COVERED
    assert row.nearest == pytest.approx(7.8, abs=0.1)
    assert row.commune == border


def test_a_lieu_with_a_typed_position_is_measured_from_it(loire, demarches):
    far = commune_at(loire, "42001", LAT, LON)
    town = commune_at(loire, "42002", LAT + 0.5, LON)  # 55 km north, but the lieu stands 5 km from far
    lieu_at(structure_offering(town, demarches), town, lat=LAT + 0.045, lon=LON)
    assert rows_by_code(coverage(territory(loire), domain=demarches))[far.code].nearest == pytest.approx(5, abs=0.1)


def test_three_structures_covering_by_their_perimeter_make_an_empilement(loire, demarches):
    crowded = commune_at(loire, "42001", LAT, LON, population=170_000)
    elsewhere = commune_at(loire, "42002", LAT + 1, LON)
    for _ in range(3):
        structure_offering(elsewhere, demarches, perimeter=[crowded])
    result = coverage(territory(loire), domain=demarches)
    row = rows_by_code(result)[crowded.code]
    assert row.category == CoverageClass.EMPILEMENT
    assert len(row.structures) == 3
    assert result.empilements == [row]
    assert result.totals["empilement"].population == 170_000
    # Below a higher threshold: no lieu anywhere, but covered by perimeter, so not a zone blanche.
    higher = rows_by_code(coverage(territory(loire), domain=demarches, threshold=4))[crowded.code]
    assert higher.category == CoverageClass.COVERED
    assert higher.nearest is None


def test_a_structure_counts_once_with_a_lieu_and_its_perimeter(loire, demarches):
    town = commune_at(loire, "42001", LAT, LON)
    structure = structure_offering(town, demarches, perimeter=[town])
    lieu_at(structure, town)
    lieu_at(structure, town)
    row = coverage(territory(loire), domain=demarches).rows[0]
    assert row.lieux == 2
    assert len(row.structures) == 1


def test_the_service_restricts_lieux_structures_and_advisors(loire, demarches, loisirs):
    town = commune_at(loire, "42001", LAT, LON)
    fun = structure_offering(town, loisirs, perimeter=[town])
    lieu_at(fun, town)
    AdvisorFactory(departement=loire, structure=fun, commune=town, public=True)
    for_demarches = coverage(territory(loire), domain=demarches).rows[0]
    assert (for_demarches.lieux, len(for_demarches.structures), for_demarches.advisors) == (0, 0, 0)
    assert for_demarches.category == CoverageClass.ZONE_BLANCHE
    all_services = coverage(territory(loire)).rows[0]
    assert (all_services.lieux, len(all_services.structures), all_services.advisors) == (1, 1, 1)
    assert all_services.category == CoverageClass.COVERED


def test_advisors_intervening_are_counted_by_commune(loire, demarches):
    town = commune_at(loire, "42001", LAT, LON)
    other = commune_at(loire, "42002", LAT + 1, LON)
    structure = structure_offering(other, demarches)
    AdvisorFactory(departement=loire, structure=structure, commune=other, intervention_communes=[town], public=True)
    AdvisorFactory(departement=loire, structure=structure, commune=town, public=True)
    AdvisorFactory(departement=loire, structure=None, commune=town, public=True)  # no structure: not for a service
    rows = rows_by_code(coverage(territory(loire), domain=demarches))
    assert rows[town.code].advisors == 2
    assert rows[other.code].advisors == 2  # their structure's commune: both serve it
    assert rows_by_code(coverage(territory(loire)))[town.code].advisors == 3


@pytest.mark.parametrize(
    ("who", "counted"),
    [
        (None, ["public"]),
        ("outsider", ["public"]),
        ("member", ["public", "network"]),
        ("coordinator", ["public", "network", "coordinators"]),
        ("self", ["public", "network", "self"]),  # one's own profile, hidden as it may be
    ],
)
def test_only_the_profiles_the_viewer_may_see_are_counted(request, loire, savoie, demarches, who, counted):
    # In a small commune, a count larger than the public profiles would tell of a hidden one.
    town = commune_at(loire, "42001", LAT, LON)
    structure = structure_offering(town, demarches)
    profiles = {
        "public": AdvisorFactory(departement=loire, structure=structure, commune=town, public=True),
        "network": AdvisorFactory(departement=loire, structure=structure, commune=town),
        "coordinators": AdvisorFactory(departement=loire, structure=structure, commune=town, coordinators_only=True),
        "self": AdvisorFactory(departement=savoie, structure=structure, commune=town, coordinators_only=True),
    }
    viewer = profiles["self"].user if who == "self" else request.getfixturevalue(who) if who else None
    for domain in (demarches, None):
        assert coverage(territory(loire), viewer=viewer, domain=domain).rows[0].advisors == len(counted)


def test_pending_lieux_do_not_count(loire, demarches):
    town = commune_at(loire, "42001", LAT, LON)
    lieu_at(structure_offering(town, demarches), town, approval=LieuApproval.PENDING)
    row = coverage(territory(loire), domain=demarches).rows[0]
    assert row.lieux == 0 and row.category == CoverageClass.ZONE_BLANCHE


def test_public_filter_keeps_structures_serving_it(loire, demarches):
    surdite = Public.objects.get(slug="surdite")
    town = commune_at(loire, "42001", LAT, LON)
    near = commune_at(loire, "42002", LAT + 0.05, LON)
    lieu_at(structure_offering(town, demarches), town)
    lieu_at(structure_offering(near, demarches, publics=[surdite]), near)
    structure_offering(near, demarches, perimeter=[town])  # no public: does not cover with the filter
    rows = rows_by_code(coverage(territory(loire), domain=demarches, public=surdite))
    assert rows[town.code].lieux == 0 and rows[town.code].structures == []
    assert rows[town.code].nearest == pytest.approx(5.6, abs=0.1)
    assert rows[near.code].lieux == 1


def test_opening_filters_restrict_lieux_and_the_structures_covering_by_perimeter(loire, demarches):
    town = commune_at(loire, "42001", LAT, LON)
    other = commune_at(loire, "42002", LAT + 1, LON)
    weekday_only = lieu_at(structure_offering(town, demarches), town)
    OpeningSlotFactory(lieu=weekday_only, weekday=Weekday.TUESDAY, opens=time(9), closes=time(12))
    saturday_structure = structure_offering(other, demarches, perimeter=[town])
    saturday = lieu_at(saturday_structure, other)
    OpeningSlotFactory(lieu=saturday, weekday=Weekday.SATURDAY, opens=time(9), closes=time(12))
    evening_structure = structure_offering(other, demarches, perimeter=[town])
    evening = lieu_at(evening_structure, other)
    OpeningSlotFactory(lieu=evening, weekday=Weekday.MONDAY, opens=time(16), closes=time(19, 30))

    def names(**filters):
        row = rows_by_code(coverage(territory(loire), domain=demarches, **filters))[town.code]
        return row.lieux, {s.pk for s in row.structures}

    assert names() == (1, {weekday_only.structure_id, saturday_structure.pk, evening_structure.pk})
    assert names(opening=Opening.SATURDAY) == (0, {saturday_structure.pk})
    assert names(opening=Opening.EVENING) == (0, {evening_structure.pk})


def test_mode_filters_keep_itinerant_or_remote_lieux(loire, demarches):
    town = commune_at(loire, "42001", LAT, LON)
    lieu_at(structure_offering(town, demarches), town, support_modes=[SupportMode.INDIVIDUAL])
    lieu_at(structure_offering(town, demarches), town, itinerant=True)
    lieu_at(structure_offering(town, demarches), town, support_modes=[SupportMode.WORKSHOP, SupportMode.REMOTE])
    assert coverage(territory(loire), domain=demarches).rows[0].lieux == 3
    assert coverage(territory(loire), domain=demarches, mode=Mode.ITINERANT).rows[0].lieux == 1
    assert coverage(territory(loire), domain=demarches, mode=Mode.REMOTE).rows[0].lieux == 1
    lonely = coverage(territory(loire), domain=demarches, mode=Mode.REMOTE, threshold=2).rows[0]
    assert lonely.category == CoverageClass.COVERED
    assert coverage(territory(loire), domain=demarches, threshold=2).rows[0].category == CoverageClass.EMPILEMENT


def test_a_commune_without_position_is_classed_by_its_structures_only(loire, demarches):
    unknown = commune_at(loire, "42001", None, None)
    covered = commune_at(loire, "42002", None, None)
    structure_offering(covered, demarches, perimeter=[covered])
    next_door = commune_at(loire, "42003", LAT, LON)
    lieu_at(structure_offering(next_door, demarches), next_door)
    rows = rows_by_code(coverage(territory(loire), domain=demarches))
    assert rows[unknown.code].category == CoverageClass.ZONE_BLANCHE
    assert rows[unknown.code].nearest_text == "position inconnue"
    assert rows[covered.code].category == CoverageClass.COVERED
    assert rows[covered.code].nearest is None


def test_summary_sentences_weighted_by_population(loire, demarches):
    for index in range(3):
        commune_at(loire, f"42{index:03d}", LAT + index, LON, population=3200 + index * 100)
    result = coverage(territory(loire), domain=demarches)
    blanche = summary(result, demarches)[0]
    assert blanche["category"] == "zone_blanche"
    assert blanche["text"] == (
        "3 communes, 9\xa0900 habitants, sans lieu à moins de 15 km pour l’aide aux démarches administratives"
    )
    assert summary(result, None)[0]["text"].endswith("tous services confondus")


def build_territory(departement, size, demarches):
    """``size`` communes in a row 3 km apart, each with a lieu, a perimeter structure and an advisor."""
    epci = EPCIFactory()
    communes = [
        commune_at(departement, f"{departement.code}{index:03d}", LAT + index * 0.027, LON, epci=epci)
        for index in range(size)
    ]
    for commune in communes:
        structure = structure_offering(commune, demarches, perimeter=communes[:3])
        lieu_at(structure, commune)
        AdvisorFactory(departement=departement, structure=structure, commune=commune)
    return communes


@pytest.mark.parametrize("filters", [{}, {"opening": Opening.SATURDAY, "mode": Mode.REMOTE}])
def test_queries_do_not_grow_with_the_number_of_communes(loire, savoie, demarches, filters):
    surdite = Public.objects.get(slug="surdite")
    build_territory(loire, 3, demarches)
    build_territory(savoie, 25, demarches)
    counts = []
    for departement in (loire, savoie):
        with CaptureQueriesContext(connection) as queries:
            result = coverage(territory(departement), domain=demarches, public=surdite, **filters)
            [row.structures for row in result.rows]
        counts.append(len(queries))
    assert counts[0] == counts[1] == 4
    assert len(coverage(territory(savoie), domain=demarches).rows) == 25
    assert coverage(territory(savoie), domain=demarches).totals["empilement"].communes == 3
