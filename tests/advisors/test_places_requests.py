"""Who may edit a structure, and what needs someone else's accord: attaching oneself to a
structure, perimeter communes and lieux in another département (issue 8, defect 4)."""

import pytest
from django.urls import reverse

from advisors.enums import LieuApproval, StructureKind, Visibility
from advisors.models import Advisor, Lieu, Structure, StructureAttachment
from advisors.queries.territory import advisors_serving, lieux_serving
from advisors.services import places as services
from tests.advisors.factories import AdvisorFactory, LieuFactory, MembershipFactory, StructureFactory
from tests.advisors.test_profile_edit import identity_data, places_data, section_url
from tests.territories.factories import CommuneFactory


@pytest.fixture
def structure(saint_etienne):
    return StructureFactory(name="Médiathèque Tarentaize", commune=saint_etienne)


@pytest.fixture
def attached(loire, structure):
    """An advisor already working at the structure (accepted before)."""
    return AdvisorFactory(departement=loire, structure=structure)


@pytest.fixture
def intruder(loire, saint_etienne):
    """A Loire member with a hidden profile, as in the issue's attack."""
    return AdvisorFactory(departement=loire, commune=saint_etienne, visibility=Visibility.COORDINATORS)


def edit_urls(structure, lieu):
    return [
        reverse("advisors:structure_edit", args=[structure.pk]),
        reverse("advisors:structure_perimeter", args=[structure.pk]),
        reverse("advisors:lieu_create", args=[structure.pk]),
        reverse("advisors:lieu_edit", args=[lieu.pk]),
    ]


def test_picking_a_structure_in_mon_profil_gives_no_right_until_accepted(client, structure, attached, intruder):
    lieu = LieuFactory(structure=structure)
    client.force_login(intruder.user)
    response = client.post(section_url("identite"), identity_data(intruder, structure=str(structure.pk)))
    assert response.status_code == 302
    intruder.refresh_from_db()
    assert intruder.structure_id is None
    assert StructureAttachment.objects.get(advisor=intruder).structure == structure
    for url in edit_urls(structure, lieu):
        assert client.get(url).status_code == 403
    perimeter_post = client.post(
        reverse("advisors:structure_perimeter", args=[structure.pk]),
        {"add": "departement", "add-departement-departement": "73"},
    )
    assert perimeter_post.status_code == 403
    # Mon profil says the request waits, and saving the section again keeps it.
    page = client.get(reverse("advisors:my_profile")).content.decode()
    assert "Votre rattachement à « Médiathèque Tarentaize » attend l’accord" in page
    client.post(section_url("identite"), identity_data(intruder, structure=str(structure.pk)))
    assert StructureAttachment.objects.filter(advisor=intruder).exists()

    # The structure's advisor sees the request on the structure page and accepts it.
    client.force_login(attached.user)
    detail = client.get(structure.get_absolute_url()).content.decode()
    assert "Demandes de rattachement" in detail
    attachment = StructureAttachment.objects.get(advisor=intruder)
    response = client.post(reverse("advisors:attachment_decide", args=[attachment.pk]), {"decision": "accepter"})
    assert response.status_code == 302
    intruder.refresh_from_db()
    assert intruder.structure == structure
    client.force_login(intruder.user)
    for url in edit_urls(structure, lieu):
        assert client.get(url).status_code == 200


def test_a_refused_request_leaves_the_profile_as_it_was(client, structure, attached, intruder, coordinator):
    attachment = services.structure_attachment_request(advisor=intruder, structure=structure)
    client.force_login(coordinator)
    url = reverse("advisors:attachment_decide", args=[attachment.pk])
    assert client.post(url, {"decision": "refuser", "retour": "reseau"}).url == reverse(
        "advisors:place_requests", args=["42"]
    )
    intruder.refresh_from_db()
    assert intruder.structure_id is None
    assert not StructureAttachment.objects.exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("other_departement", 403),
        ("member", 403),
        ("requester", 403),
        ("attached", 302),
        ("creator", 302),
        ("coordinator", 302),
        ("coordinator_elsewhere", 403),
    ],
)
def test_who_decides_an_attachment(client, who, expected, loire, savoie, structure, attached, intruder, coordinator):
    creator = MembershipFactory(departement=loire).user
    Structure.objects.filter(pk=structure.pk).update(created_by=creator)
    attachment = services.structure_attachment_request(advisor=intruder, structure=structure)
    users = {
        "other_departement": MembershipFactory(departement=savoie).user,
        "member": MembershipFactory(departement=loire).user,
        "requester": intruder.user,
        "attached": attached.user,
        "creator": creator,
        "coordinator": coordinator,
        "coordinator_elsewhere": MembershipFactory(departement=savoie, coordinator=True).user,
    }
    if who in users:
        client.force_login(users[who])
    response = client.post(reverse("advisors:attachment_decide", args=[attachment.pk]), {"decision": "accepter"})
    assert response.status_code == expected
    intruder.refresh_from_db()
    assert (intruder.structure_id == structure.pk) == (expected == 302 and who != "anonymous")


def test_the_creator_edits_the_structure_they_created_without_working_there(client, member, saint_etienne):
    client.force_login(member)
    response = client.post(
        reverse("advisors:structure_create"),
        {"name": "Tiers-lieu du Crêt", "kind": StructureKind.TIERS_LIEU, "commune": "Saint-Étienne (42) — 42218"},
    )
    structure = Structure.objects.get(name="Tiers-lieu du Crêt")
    assert response.url == structure.get_absolute_url()
    assert structure.created_by == member
    assert not Advisor.objects.filter(user=member, structure=structure).exists()
    assert client.get(reverse("advisors:structure_edit", args=[structure.pk])).status_code == 200
    # Another member of the département may not.
    client.force_login(MembershipFactory(departement=structure.departement).user)
    assert client.get(reverse("advisors:structure_edit", args=[structure.pk])).status_code == 403


def test_creating_a_likely_duplicate_asks_to_confirm(client, member, structure, saint_etienne):
    client.force_login(member)
    data = {"name": "Médiathèque de Tarentaize", "kind": StructureKind.MEDIATHEQUE, "commune": "42000"}
    response = client.post(reverse("advisors:structure_create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cette structure existe peut-être déjà" in page
    assert f'href="{structure.get_absolute_url()}"' in page
    assert "Vérifiez que la structure n’existe pas déjà, puis cochez cette case" in page
    assert Structure.objects.count() == 1
    response = client.post(reverse("advisors:structure_create"), {**data, "not_duplicate": "on"})
    assert response.status_code == 302
    assert Structure.objects.count() == 2


def test_a_structure_with_another_name_or_elsewhere_is_no_duplicate(client, member, structure, saint_etienne):
    client.force_login(member)
    data = {"name": "Centre social Beaubrun", "kind": StructureKind.CENTRE_SOCIAL, "commune": "42000"}
    assert client.post(reverse("advisors:structure_create"), data).status_code == 302


# Another département's communes and lieux


@pytest.fixture
def savoie_coordinator(savoie):
    return MembershipFactory(departement=savoie, coordinator=True).user


def test_a_lieu_in_another_departement_shows_nowhere_there_until_accepted(
    client, structure, attached, chambery, savoie, savoie_coordinator, coordinator
):
    client.force_login(attached.user)
    response = client.post(
        reverse("advisors:lieu_create", args=[structure.pk]),
        {"name": "Antenne savoyarde", "commune": "73000", "fees": "gratuit", **empty_hours()},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    lieu = Lieu.objects.get(name="Antenne savoyarde")
    assert lieu.approval == LieuApproval.PENDING
    assert not Lieu.objects.filter(lieux_serving(savoie)).exists()
    assert not Lieu.objects.filter(lieux_serving(chambery)).exists()
    # Neither the Loire coordination nor the structure's advisor decides for the Savoie.
    decide = reverse("advisors:lieu_decide", args=[lieu.pk])
    for user in (attached.user, coordinator):
        client.force_login(user)
        assert client.post(decide, {"decision": "accepter"}).status_code == 403
    client.force_login(savoie_coordinator)
    page = client.get(reverse("advisors:place_requests", args=["73"])).content.decode()
    assert "Antenne savoyarde" in page
    assert client.post(decide, {"decision": "accepter"}).status_code == 302
    assert list(Lieu.objects.filter(lieux_serving(chambery))) == [lieu]


def empty_hours():
    return {
        "horaires-TOTAL_FORMS": "0",
        "horaires-INITIAL_FORMS": "0",
        "horaires-MIN_NUM_FORMS": "0",
        "horaires-MAX_NUM_FORMS": "42",
    }


def test_a_pending_lieu_brings_no_advisor_to_that_departement(structure, attached, chambery, savoie):
    lieu = services.lieu_create(structure=structure, commune=chambery, name="Antenne", by=attached.user)
    attached.permanences.create(lieu=lieu, weekday=1, opens="09:00", closes="12:00")
    assert not Advisor.objects.filter(advisors_serving(chambery)).exists()
    services.lieu_decide(lieu=lieu, accept=True)
    assert list(Advisor.objects.filter(advisors_serving(chambery))) == [attached]


def test_perimeter_communes_of_another_departement_wait_for_its_coordination(
    client, structure, attached, chambery, savoie, savoie_coordinator, coordinator
):
    client.force_login(attached.user)
    url = reverse("advisors:structure_perimeter", args=[structure.pk])
    client.post(url, {"add": "commune", "add-commune-commune": "73000"})
    assert structure.perimeter.count() == 0
    assert not Advisor.objects.filter(advisors_serving(chambery)).exists()
    decide = reverse("advisors:perimeter_decide", args=["73", structure.pk])
    # The structure's own coordination may not decide for the Savoie, nor act on the Savoie's page.
    client.force_login(coordinator)
    assert client.post(decide, {"decision": "accepter"}).status_code == 403
    assert client.get(reverse("advisors:place_requests", args=["73"])).status_code == 403
    client.force_login(savoie_coordinator)
    page = client.get(reverse("advisors:place_requests", args=["73"])).content.decode()
    assert "Médiathèque Tarentaize" in page and "Chambéry" in page
    assert client.post(decide, {"decision": "accepter"}).status_code == 302
    assert list(structure.perimeter.all()) == [chambery]
    assert list(Advisor.objects.filter(advisors_serving(chambery))) == [attached]


@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", 302), ("member", 403), ("coordinator_elsewhere", 403), ("coordinator", 200)]
)
def test_who_sees_the_place_requests(client, who, expected, savoie, loire, savoie_coordinator):
    users = {
        "member": MembershipFactory(departement=savoie).user,
        "coordinator_elsewhere": MembershipFactory(departement=loire, coordinator=True).user,
        "coordinator": savoie_coordinator,
    }
    if who in users:
        client.force_login(users[who])
    assert client.get(reverse("advisors:place_requests", args=["73"])).status_code == expected


@pytest.mark.parametrize("size", [2, 12])
def test_place_requests_page_query_count(client, django_assert_num_queries, size, loire, savoie, savoie_coordinator):
    for _ in range(size):
        structure = StructureFactory(commune=CommuneFactory(departement=loire))
        services.structure_perimeter_add(structure=structure, communes=[CommuneFactory(departement=savoie)])
        LieuFactory(structure=structure, commune=CommuneFactory(departement=savoie), approval=LieuApproval.PENDING)
        here = StructureFactory(commune=CommuneFactory(departement=savoie))
        services.structure_attachment_request(advisor=AdvisorFactory(departement=savoie), structure=here)
    client.force_login(savoie_coordinator)
    # session, user, memberships, département, attachments, perimeter requests, lieux
    with django_assert_num_queries(7):
        response = client.get(reverse("advisors:place_requests", args=["73"]))
    assert response.content.decode().count("Confirmer le refus") == 3 * size


def test_intervention_communes_only_in_ones_networks(client, loire, chambery, saint_etienne):
    advisor = AdvisorFactory(departement=loire)
    client.force_login(advisor.user)
    response = client.post(section_url("lieux"), places_data([], add_commune="Chambéry (73) — 73065"))
    assert response.status_code == 200
    assert "Chambéry est dans le département Savoie (73), dont vous n’êtes pas membre du réseau" in (
        response.content.decode()
    )
    assert advisor.intervention_communes.count() == 0
    response = client.post(section_url("lieux"), places_data([], add_commune="Saint-Étienne (42) — 42218"))
    assert response.status_code == 302
    assert list(advisor.intervention_communes.all()) == [saint_etienne]
