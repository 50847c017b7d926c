"""The national lieux export (issue 13): each département's accepted lieux in the « schéma des lieux de
médiation numérique », CSV and JSON, validated record by record by the national cartography's reference
library, run with Node (tests/schema/validate.cjs, installed by ``make test`` with ``npm ci``)."""

import csv
import io
import json
import shutil
import subprocess
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from advisors.enums import AccessMode, Dispositif, Fees, LieuApproval, SupportMode
from advisors.enums import StructureKind as Kind
from advisors.models import OpeningSlot
from overview import schema_lieux
from skills.enums import DomainKind, PublicKind
from skills.models import Domain, Public
from tests.advisors.factories import AdvisorFactory, LieuFactory, PermanenceFactory, StructureFactory
from tests.pages import page_text
from tests.territories.factories import CommuneFactory, DepartementFactory

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schema"
LIBRARY_DIR = SCHEMA_DIR / "node_modules" / "@gouvfr-anct" / "lieux-de-mediation-numerique"
FORMULA = '=HYPERLINK("https://evil.example","clic")'
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def osm(day):
    """A day as OpenStreetMap's ``opening_hours`` writes it: ``2026 Dec 22``."""
    return f"{day:%Y} {MONTHS[day.month - 1]} {day:%d}"


def validate(records):
    """The reference library's verdict on ``records``: ``{"checked": n, "failures": [...]}``. Never skipped: the
    suite fails, saying how to fix it, where Node or the library is missing."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js est nécessaire à ce test (validation du schéma national) : installez node et npm.")
    if not LIBRARY_DIR.is_dir():
        pytest.fail("La bibliothèque du schéma manque : lancez `make test` ou `npm ci --prefix tests/schema`.")
    result = subprocess.run(
        [node, str(SCHEMA_DIR / "validate.cjs")],
        input=json.dumps(records),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout, result.stderr
    report = json.loads(result.stdout)
    assert result.returncode == (1 if report["failures"] else 0)
    return report


def csv_records(content):
    """The CSV read back as the schema's records: empty cells absent, positions as numbers."""
    rows = list(csv.DictReader(io.StringIO(content.decode())))
    records = []
    for row in rows:
        record = {field: value for field, value in row.items() if value != ""}
        for field in ("latitude", "longitude"):
            if field in record:
                record[field] = float(record[field])
        records.append(record)
    return records


def services(*slugs):
    return Domain.objects.filter(slug__in=slugs)


@pytest.fixture
def every_kind(loire, saint_etienne):
    """Loire lieux of every kind: full, itinerant without address nor SIRET, a formula for a name, one per
    structure kind; a pending lieu and one whose structure offers no service, which the export leaves out."""
    full_structure = StructureFactory(
        name="Médiathèque Tarentaize",
        kind=Kind.MEDIATHEQUE,
        commune=saint_etienne,
        siret="21420218700016",
        website="https://www.mediatheques.saint-etienne.fr/",
        email="direction@structure-privee.fr",
        phone="04 77 00 00 01",
        presentation="Espace numérique de la médiathèque.",
        dispositifs=[choice.value for choice in Dispositif],
    )
    full_structure.services.set(Domain.objects.all())
    full_structure.publics.set(Public.objects.all())
    full = LieuFactory(
        structure=full_structure,
        name="Espace numérique Tarentaize",
        address="20, rue « Jean-Jaurès » #2, 42100",
        access_modes=[choice.value for choice in AccessMode],
        support_modes=[choice.value for choice in SupportMode],
        fees=Fees.FREE_UNDER_CONDITIONS,
        public_phone="04 77 12 34 56",
        public_email="accueil@mediatheque-tarentaize.fr",
        booking_url="https://rdv.exemple.fr/réserver?lieu=tarentaize",
        hours_note="Fermé en août",
    )
    for weekday in range(5):
        OpeningSlot.objects.create(lieu=full, weekday=weekday, opens=time(9), closes=time(12))
        OpeningSlot.objects.create(lieu=full, weekday=weekday, opens=time(14), closes=time(17, 30))
    OpeningSlot.objects.create(lieu=full, weekday=5, opens=time(10), closes=time(12))
    today = timezone.localdate()
    full.closures.create(starts_on=today + timedelta(days=20), ends_on=today + timedelta(days=33), reason="Congés")
    full.closures.create(starts_on=today - timedelta(days=40), ends_on=today - timedelta(days=35))
    full.closures.create(starts_on=today + timedelta(days=50), ends_on=today + timedelta(days=50))
    # An advisor of the lieu, whose own contacts stay out of the export.
    PermanenceFactory(
        lieu=full, advisor=AdvisorFactory(departement=loire, structure=full_structure, contact_email="perso@ex.fr")
    )

    bus_structure = StructureFactory(name="Bus numérique du Pilat", kind=Kind.ASSOCIATION, commune=saint_etienne)
    bus_structure.services.set(services("acces-internet-et-materiel-informatique"))
    bus = LieuFactory(
        structure=bus_structure,
        name="Bus numérique",
        itinerant=True,
        commune=CommuneFactory(departement=loire, code="42300", name="Château-Chinon (Ville)", postal_codes="42300"),
        public_phone="+33 (0)6 12 34 56 78",
        public_email="x@y.z",
    )
    formula = LieuFactory(structure=bus_structure, name=FORMULA, address="-3 place")
    kinds = []
    for kind in Kind:
        structure = StructureFactory(name=f"Structure {kind.label}", kind=kind, commune=saint_etienne)
        structure.services.set(services("aide-aux-demarches-administratives"))
        kinds.append(LieuFactory(structure=structure, name=f"Lieu {kind.label}", address="1 place de la Mairie"))

    pending = LieuFactory(structure=bus_structure, name="Lieu en attente", approval=LieuApproval.PENDING)
    craft = StructureFactory(name="Collectif de médiateurs", commune=saint_etienne)
    craft.services.set(services("metier-de-la-mediation"))
    without_service = LieuFactory(structure=craft, name="Lieu sans service")
    return {
        "full": full,
        "bus": bus,
        "formula": formula,
        "kinds": kinds,
        "left_out": [pending, without_service],
    }


@pytest.fixture
def reunion_lieu(db):
    reunion = DepartementFactory(reunion=True)
    saint_denis = CommuneFactory(departement=reunion, code="97411", name="Saint-Denis", postal_codes="97400 97490")
    structure = StructureFactory(name="Case numérique", kind=Kind.EPN, commune=saint_denis)
    structure.services.set(services("maitrise-des-outils-numeriques-du-quotidien"))
    lieu = LieuFactory(structure=structure, name="Case numérique du Chaudron", public_phone="0262 12 34 56")
    OpeningSlot.objects.create(lieu=lieu, weekday=2, opens=time(8), closes=time(16))
    lieu.closures.create(starts_on=date(2036, 12, 20), ends_on=date(2036, 12, 20))
    return lieu


def test_every_value_of_our_vocabularies_has_its_schema_string(db):
    """A new domain, public, structure kind, dispositif or mode without its national string fails here, rather
    than disappearing from the export."""
    for domain in Domain.objects.all():
        if domain.kind == DomainKind.SERVICE:
            assert domain.slug in schema_lieux.SERVICES, domain
        else:
            assert domain.slug in schema_lieux.NOT_SERVICES, domain
    for public in Public.objects.all():
        mapping = schema_lieux.PUBLICS if public.kind == PublicKind.PUBLIC else schema_lieux.SPECIFIC_SUPPORTS
        assert public.slug in mapping, public
    for choices, mapping in (
        (Kind, schema_lieux.TYPOLOGIES),
        (Dispositif, schema_lieux.DISPOSITIFS),
        (AccessMode, schema_lieux.ACCESS_MODES),
        (SupportMode, schema_lieux.SUPPORT_MODES),
        (Fees, schema_lieux.FEES),
    ):
        assert set(choices.values) == set(mapping), choices
    # Labels that only drift in typography map to the schema's spelling.
    assert schema_lieux.DISPOSITIFS[Dispositif.PAN_CAF] == "Point d'accès numérique CAF"


def test_every_exported_record_passes_the_reference_library(client, every_kind, reunion_lieu):
    loire = client.get("/donnees/lieux/42.json").json()
    reunion = client.get("/donnees/lieux/974.json").json()
    from_csv = csv_records(client.get("/donnees/lieux/42.csv").content)

    report = validate(loire + reunion + from_csv)
    assert report == {"checked": 2 * len(loire) + len(reunion), "failures": []}
    exported = {record["id"] for record in loire}
    assert f"maillage-lieu-{every_kind['full'].pk}" in exported
    assert len(loire) == 3 + len(Kind) and {f"maillage-lieu-{lieu.pk}" for lieu in every_kind["left_out"]}.isdisjoint(
        exported
    )


def test_the_reference_library_refuses_a_broken_record(client, every_kind):
    """The validation can fail: a service outside the national list, a postal code of four digits."""
    records = client.get("/donnees/lieux/42.json").json()
    broken = {**records[0], "services": "Cuisine numérique", "code_postal": "4200", "courriels": "pas-un-courriel"}
    report = validate([records[1], broken, {**records[2], "champ_maison": "x"}])
    assert [failure["index"] for failure in report["failures"]] == [1, 2]
    assert "pas-un-courriel" in " ".join(report["failures"][0]["errors"])
    assert report["failures"][1]["errors"] == ["champ inconnu du schéma : champ_maison"]
    assert "Error" in report["failures"][0]["errors"][0]


def test_a_full_lieu_record(client, every_kind):
    full = every_kind["full"]
    record = next(r for r in client.get("/donnees/lieux/42.json").json() if r["id"] == f"maillage-lieu-{full.pk}")
    assert record["pivot"] == "21420218700016" and record["typologie"] == "BIB"
    assert (record["commune"], record["code_postal"], record["code_insee"]) == ("Saint-Étienne", "42100", "42218")
    assert record["adresse"] == "20, rue Jean-Jaurès 2, 42100"
    assert record["telephone"] == "+33477123456" and record["courriels"] == "accueil@mediatheque-tarentaize.fr"
    assert record["prise_rdv"] == "https://rdv.exemple.fr/r%C3%A9server?lieu=tarentaize"
    assert record["services"].split("|") == list(schema_lieux.SERVICES.values())
    assert record["publics_specifiquement_adresses"] == "Jeunes|Étudiants|Familles et/ou enfants|Seniors|Femmes"
    assert "Langues étrangères (anglais)" in record["prise_en_charge_specifique"].split("|")
    assert record["modalites_acces"] == "Se présenter|Téléphoner|Contacter par mail|Prendre un RDV en ligne"
    assert record["frais_a_charge"] == "Gratuit sous condition" and record["itinerance"] == "Fixe"
    assert "Point d'accès numérique CAF" in record["dispositif_programmes_nationaux"].split("|")
    today = timezone.localdate()
    starts, ends, single = today + timedelta(days=20), today + timedelta(days=33), today + timedelta(days=50)
    assert record["horaires"] == (
        f"Mo-Fr 09:00-12:00,14:00-17:30; Sa 10:00-12:00; PH off; {osm(starts)}-{osm(ends)} off; {osm(single)} off"
    )
    assert record["presentation_detail"] == "Espace numérique de la médiathèque.\n\nHoraires : Fermé en août"
    assert record["structure_parente"] == "Médiathèque Tarentaize" and record["source"] == "Maillage"
    assert record["date_maj"] == timezone.localdate().isoformat()
    assert list(record) == [field for field in schema_lieux.FIELDS if field in record]


def test_an_itinerant_lieu_without_address_nor_siret(client, every_kind):
    bus = every_kind["bus"]
    record = next(r for r in client.get("/donnees/lieux/42.json").json() if r["id"] == f"maillage-lieu-{bus.pk}")
    assert record["itinerance"] == "Itinérant" and record["pivot"] == "00000000000000"
    # The library's pattern for a commune has no parentheses; the address falls back on the commune's name.
    assert record["commune"] == record["adresse"] == "Château-Chinon Ville"
    assert record["telephone"] == "+33612345678"
    assert "courriels" not in record and "horaires" not in record  # « x@y.z »: refused by the library


def test_la_reunion_local_hours_and_phone(client, reunion_lieu):
    [record] = client.get("/donnees/lieux/974.json").json()
    assert record["telephone"] == "+262262123456" and record["code_postal"] == "97400"
    assert record["horaires"] == "We 08:00-16:00; PH off; 2036 Dec 20 off"


def test_only_public_contacts_are_exported(client, every_kind):
    for extension in ("csv", "json"):
        content = client.get(f"/donnees/lieux/42.{extension}").content.decode()
        for private in ("perso@ex.fr", "direction@structure-privee.fr", "04 77 00 00 01", "+33477000001"):
            assert private not in content


def test_the_csv_has_the_schema_columns_and_keeps_formulas_inert(client, every_kind):
    response = client.get("/donnees/lieux/42.csv")
    content = response.content.decode()
    assert not content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == schema_lieux.FIELDS and all(len(row) == len(schema_lieux.FIELDS) for row in rows)
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    formula = by_id[f"maillage-lieu-{every_kind['formula'].pk}"]
    assert formula["nom"] == f"'{FORMULA}" and formula["adresse"] == "'-3 place"
    # What the site writes is never altered, even where it starts with « + ».
    assert by_id[f"maillage-lieu-{every_kind['full'].pk}"]["telephone"] == "+33477123456"
    json_formula = next(r for r in client.get("/donnees/lieux/42.json").json() if r["id"] == formula["id"])
    assert json_formula["nom"] == FORMULA


def test_the_export_headers(client, every_kind):
    csv_response = client.get("/donnees/lieux/42.csv")
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response["Content-Disposition"] == (
        f'attachment; filename="{timezone.localdate():%Y%m%d}_lieux-de-mediation-numerique_42.csv"'
    )
    json_response = client.get("/donnees/lieux/42.json")
    assert json_response["Content-Type"] == "application/json"
    for response in (csv_response, json_response):
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Cache-Control"] == "public, max-age=3600"
        assert response["Link"] == '<https://www.etalab.gouv.fr/licence-ouverte-open-licence/>; rel="license"'
    # Unchanged content: a 304 without body; changed: the new content and another ETag.
    etag = json_response["ETag"]
    again = client.get("/donnees/lieux/42.json", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    every_kind["full"].structure.services.set(services("aide-aux-demarches-administratives"))
    changed = client.get("/donnees/lieux/42.json", headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert client.head("/donnees/lieux/42.json").status_code == 200
    assert client.post("/donnees/lieux/42.json").status_code == 405


def test_a_departement_without_lieux_and_an_unknown_one(client, loire):
    assert client.get("/donnees/lieux/42.json").json() == []
    assert client.get("/donnees/lieux/42.csv").content.decode().splitlines() == [",".join(schema_lieux.FIELDS)]
    assert client.get("/donnees/lieux/99.json").status_code == 404
    assert client.get("/donnees/lieux/42.xml").status_code == 404


def _lieux(departement, count):
    commune = CommuneFactory(departement=departement, code=f"{departement.code}218")
    for index in range(count):
        structure = StructureFactory(commune=commune, kind=Kind.EPN)
        structure.services.set(services("aide-aux-demarches-administratives", "loisirs-et-creations-numeriques"))
        structure.publics.set(Public.objects.all()[:2])
        lieu = LieuFactory(structure=structure, name=f"Lieu {index}")
        OpeningSlot.objects.create(lieu=lieu, weekday=1, opens=time(9), closes=time(12))
        lieu.closures.create(starts_on=date(2036, 12, 22), ends_on=date(2037, 1, 2))


@pytest.mark.parametrize("count", [2, 12])
@pytest.mark.parametrize("extension", ["csv", "json"])
def test_the_export_query_count_does_not_grow(client, loire, django_assert_num_queries, count, extension):
    _lieux(loire, count)
    # The département; the lieux with structure and commune; their slots, closures, services and publics.
    with django_assert_num_queries(6):
        response = client.get(f"/donnees/lieux/42.{extension}")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_the_open_data_page(client, loire, savoie, django_assert_num_queries, count):
    _lieux(loire, count)
    _lieux(savoie, 1)
    StructureFactory(commune=CommuneFactory(departement=savoie, code="73065"))
    LieuFactory(structure=StructureFactory(commune=CommuneFactory(departement=savoie, code="73008")))
    with django_assert_num_queries(1):
        response = client.get("/donnees/")
    text = page_text(response)
    assert f"Loire (42) {count} 0 CSV — Loire · JSON — Loire" in text
    assert "Savoie (73) 1 1 CSV" in text
    assert "Licence Ouverte / Etalab 2.0" in text
    assert "@gouvfr-anct/lieux-de-mediation-numerique (version 2.3.0)" in text
    content = response.content.decode()
    assert 'href="/donnees/lieux/42.csv"' in content and 'href="/donnees/lieux/73.json"' in content


def test_the_data_sources_page_points_to_the_exports(client, db):
    response = client.get("/sources-des-donnees/")
    assert 'href="/donnees/"' in response.content.decode()
    assert "schéma national des lieux de médiation numérique" in page_text(response)
