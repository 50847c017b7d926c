"""The coverage page (``/couverture/``), its exports, and the rencontre it proposes for an empilement."""

import csv
import io
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from events.enums import EventKind, EventScope, OrganiserRole
from events.models import Event, Organiser
from skills.models import Domain
from territories.models import Commune, Outline
from tests.advisors.factories import AdvisorFactory, MembershipFactory
from tests.overview.test_coverage import LAT, LON, commune_at, lieu_at, structure_offering
from tests.pages import field_errors, page_text
from tests.territories.factories import EPCIFactory

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def demarches(db):
    return Domain.objects.get(slug="aide-aux-demarches-administratives")


def square(lon, lat, size=0.02):
    """A square outline in the vendored encoding (1e-4 degree, delta-encoded)."""
    step = round(size * 10_000)
    return f"[[[{round(lon * 10_000)},{round(lat * 10_000)},{step},0,0,{step},{-step},0]]]"


def outlined(commune):
    Outline.objects.create(key=f"commune:{commune.code}", contour=square(commune.longitude, commune.latitude))
    return commune


@pytest.fixture
def territory(loire, demarches):
    """Four communes of one EPCI: a zone blanche, a commune covered by a lieu 10 km away, the town with
    the lieu, and an empilement of three structures (one with a name that a spreadsheet would evaluate)."""
    epci = EPCIFactory(siren="200000042", name="Communauté de communes des Monts")
    blanche = outlined(commune_at(loire, "42001", LAT, LON, population=800, epci=epci, name="Sainte-Blanche"))
    near = outlined(commune_at(loire, "42002", LAT + 0.5, LON, population=1200, epci=epci, name="Prés-le-Bourg"))
    town = outlined(commune_at(loire, "42003", LAT + 0.59, LON, population=9000, epci=epci, name="Bourg"))
    crowded = outlined(commune_at(loire, "42004", LAT + 1, LON, population=170_000, epci=epci, name="Grandville"))
    lieu_at(structure_offering(town, demarches), town)
    structures = [structure_offering(crowded, demarches, perimeter=[crowded]) for _ in range(3)]
    structures[0].name = '=HYPERLINK("http://example.com")'
    structures[0].save()
    return {"blanche": blanche, "near": near, "town": town, "crowded": crowded, "structures": structures, "epci": epci}


def page(client, **query):
    return client.get(
        reverse("overview:coverage"), {"territoire": "42", "service": "aide-aux-demarches-administratives", **query}
    )


def svg_of(html):
    match = re.search(r"<svg[^>]* class=\"map\".*?</svg>", html, re.S)
    assert match, "no map on the page"
    # The inline map has no namespace declaration: give it one to parse it as a file would.
    return ET.fromstring(match[0].replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1))


def test_anyone_reads_the_coverage_of_a_departement_with_its_summary(client, territory):
    response = page(client)
    assert response.status_code == 200
    text = page_text(response)
    assert "1 commune, 800 habitants, sans lieu à moins de 15 km pour l’aide aux démarches administratives" in text
    assert "1 commune, 170 000 habitants, couvertes par au moins 3 structures" in text
    rows = {row.commune.code: row for row in response.context["rows"]}
    assert rows["42001"].category == "zone_blanche"
    assert rows["42002"].category == "couverte"
    assert rows["42002"].nearest_text == "à 10 km"
    assert rows["42004"].category == "empilement"


def test_the_table_is_the_text_alternative_and_sorts(client, territory):
    response = page(client)
    html = response.content.decode()
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html
    # Default order: zones blanches first, then empilements, then the rest by population.
    assert [row.commune.name for row in response.context["rows"]] == [
        "Sainte-Blanche",
        "Grandville",
        "Bourg",
        "Prés-le-Bourg",
    ]
    by_population = page(client, tri="-population").context["rows"]
    assert [row.population for row in by_population] == [170_000, 9000, 1200, 800]
    assert [row.commune.name for row in page(client, tri="commune").context["rows"]][0] == "Bourg"
    assert 'aria-sort="descending"' in page(client, tri="-population").content.decode()
    assert page(client, tri="n'importe quoi").status_code == 200
    # The rows are written in Python: names are escaped there too.
    Commune.objects.filter(code="42003").update(name="Bourg <em>")
    assert (
        '<th scope="row"><a href="/territoires/communes/42003/">Bourg &lt;em&gt;</a></th>'
        in page(client).content.decode()
    )


def test_the_map_has_one_named_link_per_commune_with_an_outline(client, territory):
    Outline.objects.filter(key="commune:42002").delete()
    svg = svg_of(page(client).content.decode())
    links = svg.findall(f".//{SVG}a")
    assert len(svg.findall(f".//{SVG}g/{SVG}a/{SVG}path")) == len(links) == 3
    labels = {link.get("aria-label").replace("\xa0", " ") for link in links}
    assert labels == {
        "Sainte-Blanche : zone blanche, aucun lieu à moins de 15 km",
        "Bourg : couverte, 1 lieu dans la commune, 1 structure",
        "Grandville : empilement, aucun lieu à moins de 15 km, 3 structures",
    }
    assert {link.get("href") for link in links} == {
        reverse("overview:commune", args=[code]) for code in ("42001", "42003", "42004")
    }
    # Patterns, not colours alone: the zone blanche is hatched, the empilement dotted.
    assert {pattern.get("id") for pattern in svg.iter(f"{SVG}pattern")} == {
        "couverture-motif-zone_blanche",
        "couverture-motif-empilement",
    }


def test_an_epci_is_a_territory_too(client, territory, savoie, demarches):
    elsewhere = commune_at(savoie, "73001", LAT, LON + 3, epci=territory["epci"])  # the EPCI spans two départements
    response = client.get(reverse("overview:coverage"), {"territoire": "epci-200000042"})
    assert response.status_code == 200
    assert {row.commune.code for row in response.context["rows"]} == {
        "42001",
        "42002",
        "42003",
        "42004",
        elsewhere.code,
    }
    assert "Communauté de communes des Monts" in page_text(response)
    bare = client.get(reverse("overview:coverage"), {"territoire": "200000042"})
    assert len(bare.context["rows"]) == 5


def test_filters_narrow_what_counts(client, territory):
    response = page(client, ouverture="samedi")  # no lieu opens on Saturday
    rows = {row.commune.code: row for row in response.context["rows"]}
    assert rows["42003"].lieux == 0
    assert rows["42002"].category == "zone_blanche"
    assert rows["42004"].category == "zone_blanche"  # none of its structures has a lieu open on Saturday
    # The lieu is 66 km from Sainte-Blanche.
    wider = page(client, distance="70", seuil="4").context["rows"]
    assert {row.commune.code: row.category for row in wider}["42001"] == "couverte"
    assert {row.commune.code: row.category for row in wider}["42004"] == "couverte"


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"distance": "0"}, "distance", "La distance va de 1 à 100 km."),
        ({"distance": "101"}, "distance", "La distance va de 1 à 100 km."),
        ({"distance": "loin"}, "distance", "Indiquez une distance en kilomètres, un nombre entier de 1 à 100."),
        ({"seuil": "1"}, "seuil", "Le seuil va de 2 à 20 structures."),
        ({"seuil": "21"}, "seuil", "Le seuil va de 2 à 20 structures."),
        ({"service": "pas-un-service"}, "service", "Choisissez un service de la liste."),
        ({"public": "martiens"}, "public", "Choisissez un public de la liste."),
        ({"ouverture": "dimanche"}, "ouverture", "Choisissez une ouverture de la liste."),
        ({"mode": "teleportation"}, "mode", "Choisissez une modalité de la liste."),
        ({"territoire": "99"}, "territoire", "Choisissez un département ou une intercommunalité de la liste."),
        (
            {"territoire": "epci-000000000"},
            "territoire",
            "Choisissez un département ou une intercommunalité de la liste.",
        ),
    ],
)
def test_bad_input_is_a_french_error_next_to_its_field(client, territory, query, field, message):
    response = page(client, **query)
    assert response.status_code == 200
    assert field_errors(response, field) == [message]
    assert "result" not in response.context or response.context.get("result") is None


def test_without_a_territory_the_page_asks_for_one_or_takes_the_visitors(client, territory):
    response = client.get(reverse("overview:coverage"))
    assert response.status_code == 200
    assert "Choisissez un département ou une intercommunalité" in page_text(response)
    assert not response.context["form"].errors
    client.cookies["maillage_dep"] = "42"
    assert len(client.get(reverse("overview:coverage")).context["rows"]) == 4


def test_the_rencontre_link_is_for_those_who_may_create_an_event_there(
    client, territory, coordinator, other_coordinator
):
    member = AdvisorFactory(departement=territory["town"].departement).user
    pending = MembershipFactory(departement=territory["town"].departement, pending=True).user
    expected = {None: False, other_coordinator: False, pending: False, member: True, coordinator: True}
    for user, shown in expected.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = page(client)
        assert ("Proposer une rencontre d’inter-connaissance" in page_text(response)) is shown, user
        # The overlapping structures are public information: everyone sees them.
        assert all(structure.name in page_text(response) for structure in territory["structures"][1:])


def test_the_rencontre_link_prepares_the_event_with_the_structures_as_co_organisers(client, territory):
    advisor = AdvisorFactory(departement=territory["town"].departement)
    client.force_login(advisor.user)
    ((row, url),) = page(client).context["empilements"]
    assert row.commune == territory["crowded"]
    form = client.get(url).context["form"]
    assert form["kind"].value() == EventKind.RENCONTRE
    assert form["scope"].value() == EventScope.COMMUNE
    assert form["title"].value() == "Rencontre d’inter-connaissance à Grandville : aide aux démarches administratives"
    assert "42004" in form["commune"].value()
    ids = sorted(structure.pk for structure in territory["structures"])
    assert sorted(int(pk) for pk in form["structures"].value()) == ids
    # A structure of another département slipped into the link is not offered.
    assert {
        s.pk for s in client.get(url + f",{structure_in_savoie().pk}").context["form"].fields["structures"].queryset
    } == set(ids)

    data = {
        "departement": "42",
        "kind": "rencontre",
        "title": "Rencontre à Grandville",
        "description": "",
        "date": date(date.today().year + 1, 3, 10).isoformat(),
        "start_time": "14:00",
        "end_time": "16:00",
        "mode": "presentiel",
        "address": "Mairie",
        "commune": territory["crowded"].label,
        "scope": "commune",
        "audience": "reseau",
        "visibility": "reseau",
        "structures": [*ids[:2], structure_in_savoie().pk],
        "action": "draft",
    }
    refused = client.post(reverse("events:create"), data)
    assert field_errors(refused, "structures") == ["Choisissez des structures du département de l’événement."]
    assert not Event.objects.filter(title="Rencontre à Grandville").exists()

    response = client.post(reverse("events:create"), {**data, "structures": ids[:2]})
    assert response.status_code == 302, response.context["form"].errors
    event = Event.objects.get(title="Rencontre à Grandville")
    organisers = Organiser.objects.filter(event=event, structure__isnull=False)
    assert sorted(organisers.values_list("structure_id", flat=True)) == ids[:2]
    assert {o.role for o in organisers} == {OrganiserRole.CO}


def structure_in_savoie():
    from tests.territories.factories import DepartementFactory  # noqa: PLC0415

    savoie = DepartementFactory(savoie=True)
    commune = commune_at(savoie, "73999", LAT, LON + 2)
    return commune.structures.first() or structure_offering(commune)


def test_exports_give_the_table_and_the_map(client, territory):
    base = {"territoire": "42", "service": "aide-aux-demarches-administratives"}
    url = reverse("overview:coverage_export")

    response = client.get(url, {**base, "format": "csv"})
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="couverture-42-aide-aux-demarches-administratives.csv"'
    )
    lines = list(
        csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff")), delimiter=";")
    )
    assert lines[0][:3] == ["Code INSEE", "Commune", "Population"]
    by_code = {line[0]: line for line in lines[1:]}
    assert by_code["42001"][1:] == ["Sainte-Blanche", "800", "0", "0", "0", "", "zone blanche", ""]
    assert by_code["42002"][6] == "10.0"
    assert "'=HYPERLINK" in by_code["42004"][8]  # formula-safe

    response = client.get(url, {**base, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "Code INSEE" and len(values) == 5
    crowded = next(row for row in values if row[0] == "42004")
    assert crowded[2] == 170_000 and crowded[4] == 3 and crowded[8].startswith("'=HYPERLINK")

    response = client.get(url, {**base, "format": "svg"})
    assert response["Content-Type"] == "image/svg+xml"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="couverture-42-aide-aux-demarches-administratives.svg"'
    )
    svg = ET.fromstring(response.content)
    assert svg.tag == f"{SVG}svg"
    links = svg.findall(f".//{SVG}a")
    assert len(links) == 4
    assert all(link.get("href").startswith("http://testserver/territoires/communes/") for link in links)


def test_an_export_with_bad_input_goes_back_to_the_page(client, territory):
    url = reverse("overview:coverage_export")
    response = client.get(url, {"territoire": "42", "distance": "0", "format": "csv"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('overview:coverage')}?territoire=42&distance=0"
    assert client.get(url, {"territoire": "42", "format": "pdf"}).status_code == 302


@pytest.mark.parametrize(("who", "counted"), [(None, 1), ("outsider", 1), ("member", 2), ("coordinator", 3)])
def test_the_page_and_its_exports_count_only_the_profiles_the_viewer_may_see(
    client, request, territory, demarches, who, counted
):
    town = territory["town"]
    structure = town.structures.get()
    for trait in ({"public": True}, {}, {"coordinators_only": True}):
        AdvisorFactory(departement=town.departement, structure=structure, commune=town, **trait)
    if who:
        client.force_login(request.getfixturevalue(who))
    base = {"territoire": "42", "service": demarches.slug}
    rows = {row.commune.code: row for row in client.get(reverse("overview:coverage"), base).context["rows"]}
    assert rows[town.code].advisors == counted
    url = reverse("overview:coverage_export")
    response = client.get(url, {**base, "format": "csv"})
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    by_code = {line[0]: line for line in csv.reader(io.StringIO(text), delimiter=";")}
    assert by_code[town.code][5] == str(counted)
    sheet = load_workbook(io.BytesIO(client.get(url, {**base, "format": "xlsx"}).content)).active
    assert next(row for row in sheet.values if row[0] == town.code)[5] == counted


def build(departement, size, demarches, first_code):
    epci = EPCIFactory()
    communes = [
        outlined(commune_at(departement, f"{first_code + index:05d}", LAT + index * 0.027, LON, epci=epci))
        for index in range(size)
    ]
    for commune in communes:
        structure = structure_offering(commune, demarches, perimeter=communes[:3])
        lieu_at(structure, commune)
        AdvisorFactory(departement=departement, structure=structure, commune=commune)
    return communes


@pytest.mark.parametrize("export", [None, "csv", "xlsx", "svg"])
def test_queries_do_not_grow_with_the_number_of_communes(client, loire, savoie, demarches, coordinator, export):
    build(loire, 3, demarches, 42001)
    build(savoie, 25, demarches, 73001)
    client.force_login(coordinator)
    counts = []
    for code in ("42", "73"):
        query = {"territoire": code, "service": demarches.slug, "ouverture": "soir"}
        url = reverse("overview:coverage")
        if export:
            url, query = reverse("overview:coverage_export"), {**query, "format": export}
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, query)
            if export == "csv":
                b"".join(response.streaming_content)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 16


def test_a_link_with_odd_values_prefills_nothing_wrong(client, territory):
    advisor = AdvisorFactory(departement=territory["town"].departement)
    client.force_login(advisor.user)
    response = client.get(
        reverse("events:create"),
        {"kind": "zz", "scope": "zz", "commune": "99999", "structures": "abc,-1,99999999999", "title": "x" * 300},
    )
    form = response.context["form"]
    assert response.status_code == 200
    assert form["kind"].value() in (None, "")
    assert form["title"].value() == "x" * 200
    assert "structures" not in form.fields  # no structure named: no checkboxes
    assert not form["commune"].value()
