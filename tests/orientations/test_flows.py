"""The coordinators' page of the orientation flows between the structures of their département."""

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from orientations.enums import OrientationStatus
from orientations.grid import MAX_STRUCTURES, OTHERS, flows_grid
from orientations.queries.flows import flows, months_ago
from tests.advisors.factories import AdvisorFactory, MembershipFactory, StructureFactory
from tests.orientations.factories import OrientationFactory
from tests.pages import page_text

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def network(loire, saint_etienne):
    """Three structures of the Loire and one advisor in each."""
    names = ["Médiathèque Tarentaize", "Centre social Montreynaud", "France Services Firminy"]
    advisors = {}
    for name in names:
        structure = StructureFactory(commune=saint_etienne, name=name)
        advisors[name] = AdvisorFactory(
            departement=loire, structure=structure, user__first_name="Prénom", user__last_name=f"De{len(advisors)}"
        )
    return advisors


def send(network, source, target, *, count=1, taken=0, days=10, **kwargs):
    sender, receiver = network[source], network[target]
    for index in range(count):
        OrientationFactory(
            sender=sender.user,
            sender_structure=sender.structure,
            receiver_advisor=receiver,
            receiver_structure=receiver.structure,
            status=OrientationStatus.TAKEN if index < taken else OrientationStatus.SENT,
            created_at=timezone.now() - timedelta(days=days),
            person_first_name="Maria",
            person_phone="06 11 22 33 44",
            message="Maria Dupont a besoin d’aide",
            **kwargs,
        )


@pytest.fixture
def story(network):
    med, cs, fs = network
    send(network, cs, med, count=3, taken=2)
    send(network, cs, fs, count=2)
    send(network, fs, med, count=1, taken=1)
    send(network, med, fs, count=1)
    # Older than six months: in the year's figures only.
    send(network, med, cs, count=4, taken=4, days=200)
    return network


def test_the_table_goes_from_the_biggest_flow_with_the_share_taken_in_charge(client, story, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("orientations:flows", args=["42"]))

    assert response.status_code == 200
    result = response.context["result"]
    assert [(f.source, f.target, f.count, f.taken, f.taken_percent) for f in result.flows] == [
        ("Centre social Montreynaud", "Médiathèque Tarentaize", 3, 2, 67),
        ("Centre social Montreynaud", "France Services Firminy", 2, 0, 0),
        ("France Services Firminy", "Médiathèque Tarentaize", 1, 1, 100),
        ("Médiathèque Tarentaize", "France Services Firminy", 1, 0, 0),
    ]
    assert [(s.name, s.sent, s.received, s.taken) for s in result.structures] == [
        ("Centre social Montreynaud", 5, 0, 0),
        ("Médiathèque Tarentaize", 1, 4, 3),
        ("France Services Firminy", 1, 3, 0),
    ]
    text = page_text(response)
    assert "7 orientations, dont 3 prises en charge (43 %)" in text
    assert "Centre social Montreynaud Médiathèque Tarentaize 3 2 (67 %)" in text
    assert "Télécharger les flux (CSV)" in text


def test_the_period_takes_in_older_orientations(client, story, coordinator):
    client.force_login(coordinator)

    year = client.get(reverse("orientations:flows", args=["42"]), {"periode": "12"}).context["result"]
    odd = client.get(reverse("orientations:flows", args=["42"]), {"periode": "zz"}).context["result"]

    assert year.total == 11 and year.months == 12
    assert ("Médiathèque Tarentaize", "Centre social Montreynaud", 4) in [
        (f.source, f.target, f.count) for f in year.flows
    ]
    assert odd.months == 3 and odd.total == 7


def test_nobody_is_named_only_structures(client, story, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("orientations:flows", args=["42"]), {"periode": "12"}).content.decode()
    for personal in ("Maria", "06 11 22 33 44", "Dupont", "De0", "De1", "De2", "Prénom"):
        assert personal not in html


def test_the_picture_is_valid_svg_with_one_cell_per_flow_and_a_text_alternative(client, story, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("orientations:flows", args=["42"])).content.decode()

    svg = ET.fromstring(
        re.search(r"<svg class=\"flow-grid\".*?</svg>", html, re.S)[0].replace(
            "<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1
        )
    )

    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text.startswith("Orientations entre structures depuis le")
    assert "Le tableau qui suit donne les mêmes chiffres" in svg.find(f"{SVG}desc").text
    cells = svg.findall(f".//{SVG}g")
    assert sorted(cell.find(f"{SVG}text").text for cell in cells) == ["1", "1", "2", "3"]
    assert any(
        cell.find(f"{SVG}title").text == "Centre social Montreynaud vers Médiathèque Tarentaize\u00a0: 3 orientations"
        for cell in cells
    )
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html


def test_the_busiest_structures_get_a_row_the_others_are_merged(loire, saint_etienne):
    advisors = {}
    for index in range(15):
        structure = StructureFactory(commune=saint_etienne, name=f"Structure {index:02d}")
        advisors[structure.name] = AdvisorFactory(departement=loire, structure=structure)
    names = list(advisors)
    for index, name in enumerate(names[1:], start=1):
        send(advisors, names[0], name, count=1 + (index % 3))
    grid = flows_grid(flows(loire))

    assert len(grid.names) == MAX_STRUCTURES and grid.names[-1] == OTHERS
    assert sum(grid.counts.values()) == flows(loire).total


def test_other_departements_are_not_counted(client, story, coordinator, savoie, chambery):
    structure = StructureFactory(commune=chambery, name="Savoie Numérique")
    savoyard = AdvisorFactory(departement=savoie, structure=structure)
    OrientationFactory(receiver_advisor=savoyard, receiver_structure=structure, commune=chambery)
    client.force_login(coordinator)

    result = client.get(reverse("orientations:flows", args=["42"])).context["result"]

    assert "Savoie Numérique" not in [s.name for s in result.structures]


def test_the_flows_download_as_csv(client, story, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("orientations:flows", args=["42"]), {"format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    assert "orientations-42-3-mois.csv" in response["Content-Disposition"]
    lines = b"".join(response.streaming_content).decode().lstrip("\ufeff").splitlines()
    assert lines[0] == "structure d’origine;structure destinataire;orientations;prises en charge;prises en charge (%)"
    assert lines[1] == "Centre social Montreynaud;Médiathèque Tarentaize;3;2;67"
    assert len(lines) == 5


def test_only_the_coordination_of_the_departement_sees_its_flows(client, story, loire, other_coordinator):
    url = reverse("orientations:flows", args=["42"])
    for user in (other_coordinator, MembershipFactory(departement=loire).user, story["Médiathèque Tarentaize"].user):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_an_empty_period_says_so(client, network, coordinator):
    client.force_login(coordinator)
    text = page_text(client.get(reverse("orientations:flows", args=["42"])))
    assert "Aucune orientation dans le réseau sur cette période." in text


@pytest.mark.parametrize("size", [1, 4])
def test_the_page_runs_the_same_queries_whatever_the_flows(
    size, loire, saint_etienne, coordinator, django_assert_num_queries
):
    advisors = {}
    for index in range(size + 1):
        structure = StructureFactory(commune=saint_etienne, name=f"Structure {index}")
        advisors[structure.name] = AdvisorFactory(departement=loire, structure=structure)
    names = list(advisors)
    for source in names:
        for target in names:
            if source != target:
                send(advisors, source, target, count=2, taken=1)
    client = Client()
    client.force_login(coordinator)
    # Session and user (2), memberships (1), the département (1), the flows (1).
    with django_assert_num_queries(5):
        response = client.get(reverse("orientations:flows", args=["42"]))
    assert len(response.context["result"].flows) == (size + 1) * size


def test_months_ago_keeps_the_day_or_takes_the_last_of_a_shorter_month():
    assert str(months_ago(datetime(2026, 5, 31, 12), 3)) == "2026-02-28"
    assert str(months_ago(datetime(2026, 1, 15, 12), 3)) == "2025-10-15"
    assert str(months_ago(datetime(2026, 12, 31, 12), 12)) == "2025-12-31"
