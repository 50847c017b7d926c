"""``import_territories`` on the real vendored extract, ``data/territories.json.gz`` (COG 2026).

Loading all of France takes a few seconds, so the ``france`` fixture does it once for the
module, outside the per-test transactions, and removes it after the last test. Each test
still runs in a transaction that is rolled back, so it may change or delete rows freely.
Tests that need empty tables ask for ``no_territories``; they come first in the file so
that, in a normal run, there is nothing yet to delete.
"""

import gzip
import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext

from territories.enums import OutlineKind
from territories.geo import decode, distance_km
from territories.importer import DEFAULT_PATH
from territories.models import EPCI, Commune, Departement, Outline, Region

pytestmark = pytest.mark.django_db

# Children first: départements and régions are protected.
TERRITORY_MODELS = (Outline, Commune, EPCI, Departement, Region)
FULL_IMPORT_OUTPUT = (
    "Régions : 18 créées, 0 modifiée.\n"
    "Départements : 101 créés, 0 modifié.\n"
    "EPCI : 1255 créés, 0 modifié, 0 supprimé.\n"
    "Communes : 34875 créées, 0 modifiée, 0 supprimée.\n"
    "Contours : 36227 créés, 0 modifié, 0 supprimé.\n"
)
UP_TO_DATE = "Aucun changement : les territoires sont à jour.\n"


def import_territories(*args):
    stdout = StringIO()
    call_command("import_territories", *args, stdout=stdout)
    return stdout.getvalue()


@pytest.fixture(scope="module")
def france(django_db_setup, django_db_blocker):
    """All of France, committed once for the module; yields what the import printed."""
    with django_db_blocker.unblock():
        present_before = {model: set(model.objects.values_list("pk", flat=True)) for model in TERRITORY_MODELS}
        output = import_territories()
    yield output
    with django_db_blocker.unblock():
        for model in TERRITORY_MODELS:
            model.objects.exclude(pk__in=present_before[model]).delete()


@pytest.fixture
def no_territories():
    for model in TERRITORY_MODELS:
        model.objects.all().delete()


def test_departements_option_loads_only_those_departements(no_territories):
    output = import_territories("--departements", "42", "73", "2a")

    assert output == (
        "Régions : 2 créées, 0 modifiée.\n"
        "Départements : 3 créés, 0 modifié.\n"
        "EPCI : 36 créés, 0 modifié, 0 supprimé.\n"
        "Communes : 717 créées, 0 modifiée, 0 supprimée.\n"
        "Contours : 756 créés, 0 modifié, 0 supprimé.\n"
    )
    assert set(Region.objects.values_list("code", flat=True)) == {"84", "94"}
    assert set(Departement.objects.values_list("code", flat=True)) == {"2A", "42", "73"}
    assert Commune.objects.filter(departement="42").count() == 320
    # CC Cœur de Chartreuse spans Isère and Savoie: only its Savoie communes are loaded…
    chartreuse = EPCI.objects.get(siren="200040111")
    assert set(chartreuse.communes.values_list("departement", flat=True)) == {"73"}
    assert chartreuse.communes.count() == 10

    # …until Isère is loaded too (18 EPCI, one of them already there), which leaves the
    # départements loaded before as they were.
    output = import_territories("--departements", "38")

    assert output == (
        "Régions : 0 créée, 0 modifiée.\n"
        "Départements : 1 créé, 0 modifié.\n"
        "EPCI : 17 créés, 0 modifié, 0 supprimé.\n"
        "Communes : 512 créées, 0 modifiée, 0 supprimée.\n"
        "Contours : 530 créés, 0 modifié, 0 supprimé.\n"
    )
    assert chartreuse.communes.count() == 17
    assert Commune.objects.filter(departement="42").count() == 320


def test_unknown_departement_is_refused_before_anything_is_written(no_territories):
    message = "Département inconnu : 99, 975. Codes possibles : 01 à 19, 2A, 2B, 21 à 95, 971 à 974, 976."

    with pytest.raises(CommandError, match=re.escape(message)):
        import_territories("--departements", "42", "975", "99")

    assert not Region.objects.exists()
    assert not Commune.objects.exists()


def test_all_of_france_is_loaded(france):
    assert france == FULL_IMPORT_OUTPUT
    assert Region.objects.count() == 18
    assert Departement.objects.count() == 101
    assert EPCI.objects.count() == 1255
    assert Commune.objects.count() == 34875
    assert Commune.objects.aggregate(total=Sum("population"))["total"] == 68_350_798


def test_communes_deleguees_and_associees_are_not_communes(france):
    # 01015 is the code of the commune nouvelle Arboys en Bugey and of its commune déléguée Arbignieu.
    assert list(Commune.objects.filter(code="01015").values_list("name", flat=True)) == ["Arboys en Bugey"]
    assert not Commune.objects.filter(name="Arbignieu").exists()
    # Béon (déléguée) and Cordieux (associée) have codes of their own, and no commune row.
    assert not Commune.objects.filter(code__in=["01039", "01120"]).exists()


def test_corsican_codes_are_strings(france):
    ajaccio = Commune.objects.select_related("departement__region").get(code="2A004")

    assert ajaccio.name == "Ajaccio"
    assert ajaccio.departement.code == "2A"
    assert ajaccio.departement.name == "Corse-du-Sud"
    assert ajaccio.departement.region.name == "Corse"
    assert Commune.objects.get(code="2B033").name == "Bastia"
    assert not Departement.objects.filter(code="20").exists()


def test_leading_zeros_are_kept(france):
    commune = Commune.objects.get(code="01001")

    assert commune.name == "L'Abergement-Clémenciat"
    assert commune.departement_id == "01"
    assert commune.postal_codes == "01400"


def test_overseas_departements_have_their_time_zones_and_collectivites_are_left_out(france):
    overseas = dict(Departement.objects.filter(code__startswith="97").values_list("code", "timezone"))

    assert overseas == {
        "971": "America/Guadeloupe",
        "972": "America/Martinique",
        "973": "America/Cayenne",
        "974": "Indian/Reunion",
        "976": "Indian/Mayotte",
    }
    assert Departement.objects.filter(timezone="Europe/Paris").count() == 96
    assert Commune.objects.get(code="97411").name == "Saint-Denis"
    assert Commune.objects.filter(departement__in=overseas).count() == 129
    collectivites = ["975", "977", "978", "984", "986", "987", "988", "989"]
    assert not Departement.objects.filter(code__in=collectivites).exists()
    assert not Region.objects.filter(code__in=collectivites).exists()
    assert not Commune.objects.filter(code__regex=r"^(975|977|978|98)").exists()


def test_arrondissements_municipaux_are_not_communes_nor_counted_twice(france):
    assert not Commune.objects.filter(code__regex=r"^(751[0-2]|6938|132[0-1])").exists()
    paris = Commune.objects.get(code="75056")
    assert paris.population == 2_103_778
    assert Commune.objects.filter(departement="75").aggregate(total=Sum("population"))["total"] == paris.population
    assert Commune.objects.get(code="69123").population == 519_127
    assert Commune.objects.get(code="13055").population == 886_040
    # The arrondissements' postal codes are on their city, so a postal code search finds it.
    assert len(paris.postal_code_list) == 21
    assert [commune.code for commune in Commune.objects.search("75116")] == ["75056"]


def test_four_island_communes_belong_to_no_epci(france):
    without_epci = dict(Commune.objects.filter(epci__isnull=True).values_list("code", "name"))

    assert without_epci == {
        "22016": "Île-de-Bréhat",
        "29083": "Île-de-Sein",
        "29155": "Ouessant",
        "85113": "L'Île-d'Yeu",
    }


def test_epcis_may_span_several_departements(france):
    spanning = EPCI.objects.annotate(departements=Count("communes__departement", distinct=True)).filter(
        departements__gt=1
    )

    assert spanning.count() == 89
    beaune = EPCI.objects.get(siren="200006682")
    assert beaune.name == "CA Beaune, Côte et Sud - Communauté Beaune-Chagny-Nolay"
    assert set(beaune.communes.values_list("departement", flat=True)) == {"21", "71"}


def test_metropole_de_lyon_is_a_met69_over_rhone_communes(france):
    lyon = EPCI.objects.get(siren="200046977")

    assert (lyon.name, lyon.kind) == ("Métropole de Lyon", "MET69")
    assert lyon.communes.count() == 58
    assert set(lyon.communes.values_list("departement", flat=True)) == {"69"}
    assert lyon.communes.filter(code="69123").exists()


def test_search_columns_are_filled_by_the_import(france):
    assert Commune.objects.get(code="42218").search_text == "saint etienne 42000 42100 42230"
    assert [commune.code for commune in Commune.objects.search("st etienne")[:1]] == ["42218"]
    assert [commune.code for commune in Commune.objects.search("ajaccio")[:1]] == ["2A004"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index exists on PostgreSQL only")
def test_an_import_that_changed_rows_refreshes_the_planner_statistics(france):
    # Without statistics on freshly loaded rows PostgreSQL plans sequential scans for the picker
    # (seen: 8.5 ms instead of under 1 ms); the import runs ANALYZE when it changed something.
    Commune.objects.filter(code="42218").update(population=1)
    with CaptureQueriesContext(connection) as queries:
        import_territories("--departements", "42")

    analyzed = [query["sql"] for query in queries if query["sql"].startswith("ANALYZE")]
    assert any("territories_commune" in sql for sql in analyzed)


def test_second_import_writes_nothing_and_says_so(france):
    with CaptureQueriesContext(connection) as queries:
        output = import_territories()

    assert output == UP_TO_DATE
    writes = [query["sql"] for query in queries if query["sql"].lstrip().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []


def test_import_restores_rows_changed_in_the_database(france):
    Commune.objects.filter(code="42218").update(name="Saint-Étienne-sur-Furan", search_name="x", population=1)
    EPCI.objects.filter(siren="244200770").update(name="Métropole stéphanoise", kind="CA")
    Departement.objects.filter(code="42").update(timezone="Europe/London")

    output = import_territories("--departements", "42")

    assert output == (
        "Régions : 0 créée, 0 modifiée.\n"
        "Départements : 0 créé, 1 modifié.\n"
        "EPCI : 0 créé, 1 modifié, 0 supprimé.\n"
        "Communes : 0 créée, 1 modifiée, 0 supprimée.\n"
        "Contours : 0 créé, 0 modifié, 0 supprimé.\n"
    )
    commune = Commune.objects.select_related("epci", "departement").get(code="42218")
    assert (commune.name, commune.population, commune.search_name) == ("Saint-Étienne", 173_136, "saint etienne")
    assert (commune.epci.name, commune.epci.kind) == ("Saint-Étienne Métropole", "METRO")
    assert commune.departement.timezone == "Europe/Paris"
    assert import_territories() == UP_TO_DATE


def test_communes_gone_from_the_file_are_deleted_with_their_emptied_epci(france, tmp_path):
    with gzip.open(DEFAULT_PATH, "rt", encoding="utf-8") as stream:
        extract = json.load(stream)
    # A file covering Ain only, where L'Abergement-Clémenciat (01001) and the six communes of
    # the CC de Miribel et du Plateau (240100800) no longer exist.
    extract["communes"]["rows"] = [
        row for row in extract["communes"]["rows"] if row[2] == "01" and row[0] != "01001" and row[3] != "240100800"
    ]
    extract["departements"]["rows"] = [row for row in extract["departements"]["rows"] if row[0] == "01"]
    kept_epcis = {row[3] for row in extract["communes"]["rows"]}
    extract["epcis"]["rows"] = [row for row in extract["epcis"]["rows"] if row[0] in kept_epcis]
    path = tmp_path / "ain.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        json.dump(extract, stream)

    output = import_territories("--file", str(path))

    assert output == (
        "Régions : 0 créée, 0 modifiée.\n"
        "Départements : 0 créé, 0 modifié.\n"
        "EPCI : 0 créé, 0 modifié, 1 supprimé.\n"
        "Communes : 0 créée, 0 modifiée, 7 supprimées.\n"
        "Contours : 0 créé, 0 modifié, 8 supprimés.\n"
    )
    assert not Commune.objects.filter(code__in=["01001", "01249"]).exists()
    assert not EPCI.objects.filter(siren="240100800").exists()
    # Départements absent from the file keep their communes, and the EPCI that have some.
    assert Commune.objects.count() == 34875 - 7
    assert EPCI.objects.count() == 1255 - 1
    assert EPCI.objects.get(siren="200040111").communes.count() == 17


def test_geography_gives_points_and_outlines(france):
    saint_etienne = Commune.objects.get(code="42218")
    # The town hall, place de l'Hôtel-de-Ville: within a few hundred metres of 45.4397 N, 4.3872 E.
    assert distance_km(saint_etienne.point, (45.4397, 4.3872)) < 1
    outlines = Outline.objects.of(OutlineKind.COMMUNE, ["42218"])
    (polygon, *_), *_ = decode(outlines["42218"])
    assert len(polygon) > 10
    lons, lats = zip(*polygon, strict=True)
    assert 4.2 < min(lons) < max(lons) < 4.5 and 45.3 < min(lats) < max(lats) < 45.5
    assert Outline.objects.of(OutlineKind.DEPARTEMENT, ["974", "2A"]).keys() == {"974", "2A"}
    assert Outline.objects.filter(key__startswith="epci:").count() == 1255
    # Communes re-created in 2024 that the source has no outline for yet: no point, no outline.
    assert Commune.objects.get(code="15031").point is None
    assert Commune.objects.filter(latitude__isnull=True).count() == 4
