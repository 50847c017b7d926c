"""Editing structures, their perimeter and their lieux: who may, what bad input gets back,
what is saved (or, on error, kept as typed and not saved), and what the editor pages cost."""

import re
from datetime import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advisors.enums import MembershipStatus, StructureKind
from advisors.models import Lieu, Membership, OpeningSlot, Structure
from advisors.services import places as services_places
from skills.enums import DomainKind
from skills.models import Domain, Public
from territories.models import EPCI, Commune, Departement
from tests.advisors.factories import (
    AdvisorFactory,
    LieuFactory,
    MembershipFactory,
    OpeningSlotFactory,
    StructureFactory,
    UserFactory,
)
from tests.pages import field_errors, page_text
from tests.territories.factories import CommuneFactory, EPCIFactory

VALID_SIRET = "44306184100047"


@pytest.fixture
def structure(saint_etienne):
    return StructureFactory(name="Médiathèque Tarentaize", commune=saint_etienne, address="20 rue Jo Gouttebarge")


@pytest.fixture
def lieu(structure, saint_etienne):
    lieu = LieuFactory(structure=structure, name="Salle informatique", commune=saint_etienne)
    OpeningSlotFactory(lieu=lieu, weekday=0, opens="09:00", closes="12:00")
    OpeningSlotFactory(lieu=lieu, weekday=0, opens="14:00", closes="17:00")
    return lieu


@pytest.fixture
def people(loire, savoie, structure, saint_etienne):
    """Everyone the permission matrix asks about, seen from a Loire structure."""
    other_structure = StructureFactory(commune=saint_etienne)
    return {
        "outsider": UserFactory(),
        "pending_advisor": AdvisorFactory(
            departement=loire,
            structure=structure,
            membership=False,
            user=MembershipFactory(departement=loire, pending=True).user,
        ).user,
        "other_departement_member": MembershipFactory(departement=savoie).user,
        "member_of_another_structure": AdvisorFactory(departement=loire, structure=other_structure).user,
        "member_without_structure": MembershipFactory(departement=loire).user,
        "other_departement_coordinator": MembershipFactory(departement=savoie, coordinator=True).user,
        "advisor_of_the_structure": AdvisorFactory(departement=loire, structure=structure).user,
        "coordinator": MembershipFactory(departement=loire, coordinator=True).user,
    }


ALLOWED = {"advisor_of_the_structure", "coordinator"}


def edit_urls(structure, lieu):
    return [
        ("get", reverse("advisors:structure_edit", args=[structure.pk]), {}),
        ("post", reverse("advisors:structure_edit", args=[structure.pk]), {"name": ""}),
        ("get", reverse("advisors:structure_perimeter", args=[structure.pk]), {}),
        ("post", reverse("advisors:structure_perimeter", args=[structure.pk]), {"add": "commune"}),
        ("post", reverse("advisors:structure_perimeter_remove", args=[structure.pk]), {"communes": ["42218"]}),
        ("get", reverse("advisors:lieu_create", args=[structure.pk]), {}),
        ("post", reverse("advisors:lieu_create", args=[structure.pk]), {"name": ""}),
        ("get", reverse("advisors:lieu_edit", args=[lieu.pk]), {}),
        ("post", reverse("advisors:lieu_edit", args=[lieu.pk]), {"name": ""}),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, structure, lieu):
    for method, url, data in edit_urls(structure, lieu) + [("get", reverse("advisors:structure_create"), {})]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response.url == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize(
    "who",
    [
        "outsider",
        "pending_advisor",
        "other_departement_member",
        "member_of_another_structure",
        "member_without_structure",
        "other_departement_coordinator",
        "advisor_of_the_structure",
        "coordinator",
    ],
)
def test_permission_matrix_of_the_edit_pages(client, people, structure, lieu, who):
    client.force_login(people[who])
    before = (Structure.objects.get(pk=structure.pk).name, Lieu.objects.get(pk=lieu.pk).name)
    for method, url, data in edit_urls(structure, lieu):
        response = getattr(client, method)(url, data)
        if who in ALLOWED:
            # Forms come back with their errors (200), or the removal redirects to the editor.
            assert response.status_code in (200, 302), (method, url)
        else:
            assert response.status_code == 403, (method, url)
            assert "Accès refusé" in page_text(response)
    # Nothing changed: the allowed ones sent invalid forms, the others were refused.
    assert (Structure.objects.get(pk=structure.pk).name, Lieu.objects.get(pk=lieu.pk).name) == before
    if who not in ALLOWED:
        assert structure.perimeter.count() == 0


def test_edit_is_refused_once_the_membership_ends(client, loire, structure):
    advisor = AdvisorFactory(departement=loire, structure=structure)
    client.force_login(advisor.user)
    url = reverse("advisors:structure_edit", args=[structure.pk])
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=advisor.user).update(status=MembershipStatus.REFUSED)
    assert client.get(url).status_code == 403


# Creating a structure

CREATE_URL = reverse("advisors:structure_create")


def structure_data(**overrides):
    return {
        "name": "Centre social Beaubrun",
        "kind": StructureKind.CENTRE_SOCIAL,
        "siret": "",
        "address": "3 rue Beaubrun",
        "commune": "Saint-Étienne",
        "website": "https://beaubrun.exemple.fr",
        "email": "accueil@beaubrun.exemple.fr",
        "phone": "04 77 00 00 00",
        "presentation": "Ateliers et permanences.",
        "dispositifs": ["aidants_connect"],
        "join": "on",
        **overrides,
    }


def test_create_page_only_for_members_of_a_network(client, outsider, member):
    client.force_login(outsider)
    assert client.get(CREATE_URL).status_code == 403
    client.force_login(member)
    assert client.get(CREATE_URL).status_code == 200


def test_a_member_creates_a_structure_and_joins_it(client, loire, saint_etienne):
    advisor = AdvisorFactory(departement=loire)
    service = Domain.objects.filter(kind=DomainKind.SERVICE).first()
    client.force_login(advisor.user)
    response = client.post(CREATE_URL, structure_data(services=[service.pk]))
    structure = Structure.objects.get(name="Centre social Beaubrun")
    assert response.status_code == 302
    assert response.url == structure.get_absolute_url()
    assert structure.commune == saint_etienne
    assert structure.dispositifs == ["aidants_connect"]
    assert list(structure.services.all()) == [service]
    assert "La structure « Centre social Beaubrun » est créée." in page_text(client.get(response.url))
    advisor.refresh_from_db()
    assert advisor.structure == structure
    # Now an advisor of the structure, they may edit it.
    assert client.get(reverse("advisors:structure_edit", args=[structure.pk])).status_code == 200


def test_no_structure_in_a_departement_one_is_not_a_member_of(client, saint_etienne, savoie):
    client.force_login(MembershipFactory(departement=savoie).user)
    response = client.post(CREATE_URL, structure_data())
    assert response.status_code == 200
    assert field_errors(response, "commune") == [
        "Saint-Étienne est dans le département Loire (42), dont vous n’êtes pas membre du réseau : "
        "vous ne pouvez y ajouter une structure."
    ]
    assert not Structure.objects.filter(name="Centre social Beaubrun").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Indiquez le nom de la structure."),
        ("kind", "", "Choisissez le type de structure."),
        ("siret", "1234", "Un SIRET compte exactement 14 chiffres (exemple : 214 202 187 00016)."),
        ("siret", "443 061 841 00048", "Ce SIRET n’est pas valide : vérifiez les chiffres."),
        (
            "commune",
            "Zzyzx",
            "Aucune commune ne correspond à « Zzyzx ». Vérifiez l’orthographe ou tapez le code postal.",
        ),
        ("website", "beaubrun", "Adresse de site non valide (exemple : https://mediatheque.exemple.fr)."),
        ("email", "accueil@", "Adresse électronique non valide (exemple : contact@exemple.fr)."),
        ("phone", "appelez-nous", "Numéro de téléphone non valide (exemple : 04 77 12 34 56)."),
    ],
)
def test_bad_input_gets_a_french_message_next_to_the_field(client, member, saint_etienne, field, value, message):
    client.force_login(member)
    data = structure_data(**{field: value})
    response = client.post(CREATE_URL, data)
    assert response.status_code == 200
    assert field_errors(response, field) == [message]
    assert page_text(response).startswith("Erreur — Ajouter une structure")
    # What was typed elsewhere is still there.
    assert 'value="3 rue Beaubrun"' in response.content.decode()
    assert not Structure.objects.exists()


def test_a_siret_already_used_is_refused(client, coordinator, structure):
    services_places.structure_update(structure=structure, siret=VALID_SIRET)
    client.force_login(coordinator)
    response = client.post(CREATE_URL, structure_data(siret="443 061 841 00047"))
    assert field_errors(response, "siret") == ["Ce SIRET est déjà celui de la structure « Médiathèque Tarentaize »."]


# Editing a structure


def test_editing_a_structure(client, coordinator, structure):
    publics = list(Public.objects.all()[:2])
    client.force_login(coordinator)
    url = reverse("advisors:structure_edit", args=[structure.pk])
    form_page = client.get(url)
    assert 'value="Médiathèque Tarentaize"' in form_page.content.decode()
    assert 'value="Saint-Étienne (42) — 42218"' in form_page.content.decode()
    response = client.post(
        url,
        structure_data(name="Médiathèque de Tarentaize", siret=VALID_SIRET, publics=[p.pk for p in publics]),
    )
    assert response.status_code == 302
    structure.refresh_from_db()
    assert (structure.name, structure.siret, structure.kind) == (
        "Médiathèque de Tarentaize",
        VALID_SIRET,
        StructureKind.CENTRE_SOCIAL,
    )
    assert set(structure.publics.all()) == set(publics)
    # Its own SIRET is no duplicate when saving again.
    assert client.post(url, structure_data(siret=VALID_SIRET)).status_code == 302


def test_a_refused_edit_keeps_what_was_typed_and_saves_nothing(client, coordinator, structure):
    client.force_login(coordinator)
    url = reverse("advisors:structure_edit", args=[structure.pk])
    response = client.post(url, structure_data(name="Nouveau nom", siret="12"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Nouveau nom"' in html
    # The page title and heading show the saved name, not the refused one.
    assert "<h1>Modifier Médiathèque Tarentaize</h1>" in html
    structure.refresh_from_db()
    assert structure.name == "Médiathèque Tarentaize"


def test_a_structure_moves_only_to_a_departement_of_the_editor(client, coordinator, structure, savoie):
    CommuneFactory(departement=savoie, code="73065", name="Chambéry", postal_codes="73000")
    client.force_login(coordinator)
    url = reverse("advisors:structure_edit", args=[structure.pk])
    response = client.post(url, structure_data(commune="Chambéry"))
    assert field_errors(response, "commune") == [
        "Chambéry est dans le département Savoie (73), dont vous n’êtes pas membre du réseau : "
        "vous ne pouvez y déplacer la structure."
    ]
    assert Structure.objects.get(pk=structure.pk).departement_id == "42"
    # A coordinator of both networks may move it.
    MembershipFactory(user=coordinator, departement=savoie)
    assert client.post(url, structure_data(commune="Chambéry")).status_code == 302
    assert Structure.objects.get(pk=structure.pk).departement_id == "73"


def test_admin_pages_of_structures_and_lieux(client, lieu):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in [
        reverse("admin:advisors_structure_changelist"),
        reverse("admin:advisors_structure_change", args=[lieu.structure_id]),
        reverse("admin:advisors_lieu_changelist"),
        reverse("admin:advisors_lieu_change", args=[lieu.pk]),
    ]:
        assert client.get(url).status_code == 200, url


# Perimeter editor


@pytest.fixture
def real_loire(db):
    call_command("import_territories", "--departements", "42", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Commune.objects.filter(departement="42")


def perimeter_url(structure):
    return reverse("advisors:structure_perimeter", args=[structure.pk])


def remove_url(structure):
    return reverse("advisors:structure_perimeter_remove", args=[structure.pk])


def test_add_one_commune(client, coordinator, structure, saint_etienne):
    client.force_login(coordinator)
    response = client.post(perimeter_url(structure), {"add": "commune", "add-commune-commune": "42000"})
    assert response.status_code == 302
    assert list(structure.perimeter.all()) == [saint_etienne]
    followed = client.get(response.url)
    assert "1 commune ajoutée au périmètre." in page_text(followed)
    again = client.post(perimeter_url(structure), {"add": "commune", "add-commune-commune": "Saint-Étienne"})
    assert "Ces communes étaient déjà toutes dans le périmètre ou demandées." in page_text(client.get(again.url))


def test_add_a_whole_epci_spanning_two_departements(client, coordinator, structure, saint_etienne, savoie):
    metropole = saint_etienne.epci
    CommuneFactory.create_batch(2, departement=structure.departement, epci=metropole)
    CommuneFactory(departement=savoie, epci=metropole, name="Commune savoyarde")
    client.force_login(coordinator)
    form_page = client.get(perimeter_url(structure))
    assert '<option value="244200770">Saint-Étienne Métropole — 4 communes</option>' in form_page.content.decode()
    response = client.post(perimeter_url(structure), {"add": "epci", "add-epci-epci": "244200770"})
    assert (
        "3 communes ajoutées au périmètre. 1 commune d’un autre département attend l’accord de sa coordination : "
        "d’ici là, elle ne compte pas." in page_text(client.get(response.url))
    )
    text = page_text(client.get(perimeter_url(structure)))
    assert "Saint-Étienne Métropole — 3 communes sur 4" in text
    assert "En attente d’une autre coordination" in text
    assert "Département 73 : Commune savoyarde" in text


def test_add_a_whole_departement(client, coordinator, structure, savoie):
    CommuneFactory.create_batch(3, departement=savoie)
    client.force_login(coordinator)
    response = client.post(perimeter_url(structure), {"add": "departement", "add-departement-departement": "73"})
    assert "3 communes d’un autre département attendent l’accord" in page_text(client.get(response.url))
    assert structure.perimeter.count() == 0
    assert structure.perimeter_requests.count() == 3
    response = client.post(perimeter_url(structure), {"add": "departement", "add-departement-departement": "42"})
    assert "1 commune ajoutée au périmètre." in page_text(client.get(response.url))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"add": "commune", "add-commune-commune": "Zzyzx"}, "add-commune-commune", "Aucune commune ne correspond"),
        ({"add": "commune", "add-commune-commune": ""}, "add-commune-commune", "Indiquez une commune."),
        ({"add": "epci", "add-epci-epci": ""}, "add-epci-epci", "Choisissez une intercommunalité."),
        ({"add": "epci", "add-epci-epci": "999999999"}, "add-epci-epci", "Cette intercommunalité n’est pas"),
        ({"add": "departement", "add-departement-departement": "99"}, "add-departement-departement", "Ce départ"),
    ],
)
def test_bad_additions_say_why_next_to_the_field(client, coordinator, structure, saint_etienne, data, field, message):
    client.force_login(coordinator)
    response = client.post(perimeter_url(structure), data)
    assert response.status_code == 200
    errors = field_errors(response, field)
    assert len(errors) == 1 and errors[0].startswith(message)
    assert page_text(response).startswith("Erreur — Périmètre")
    assert structure.perimeter.count() == 0


def test_an_epci_of_another_departement_is_not_offered(client, coordinator, structure, savoie):
    alpine = EPCIFactory(siren="247300254", name="Grand Chambéry")
    CommuneFactory(departement=savoie, epci=alpine)
    client.force_login(coordinator)
    response = client.post(perimeter_url(structure), {"add": "epci", "add-epci-epci": alpine.siren})
    assert field_errors(response, "add-epci-epci") == ["Cette intercommunalité n’est pas dans la liste."]


def test_unknown_action_is_explained(client, coordinator, structure):
    client.force_login(coordinator)
    response = client.post(perimeter_url(structure), {"add": "planete"})
    assert response.status_code == 200
    assert "Choisissez ce que vous voulez ajouter" in page_text(response)


def test_remove_ticked_communes_or_a_whole_epci(client, coordinator, structure, saint_etienne):
    metropole = saint_etienne.epci
    others = CommuneFactory.create_batch(3, departement=structure.departement, epci=metropole)
    lone = CommuneFactory(departement=structure.departement, epci=None, name="Île sans EPCI")
    services_places.structure_perimeter_add(structure=structure, epci=metropole, communes=[lone])
    client.force_login(coordinator)
    page = client.get(perimeter_url(structure))
    assert "Communes sans intercommunalité — 1 commune" in page_text(page)
    assert 'href="?groupe=sans-epci#communes-sans-epci"' in page.content.decode()
    lone_group = client.get(perimeter_url(structure), {"groupe": "sans-epci"}).content.decode()
    assert f'<input type="checkbox" name="communes" value="{lone.code}">' in lone_group
    assert f'value="{others[0].code}"' not in lone_group
    response = client.post(remove_url(structure), {"communes": [others[0].code, others[1].code]})
    assert response.status_code == 302
    assert "2 communes retirées du périmètre." in page_text(client.get(response.url))
    client.post(remove_url(structure), {"epci": metropole.siren})
    assert list(structure.perimeter.all()) == [lone]
    client.post(remove_url(structure), {"communes": [lone.code]})
    assert structure.perimeter.count() == 0


def test_remove_with_nothing_ticked_or_unknown_codes(client, coordinator, structure, saint_etienne):
    structure.perimeter.add(saint_etienne)
    client.force_login(coordinator)
    response = client.post(remove_url(structure), {})
    assert "Cochez au moins une commune à retirer." in page_text(client.get(response.url))
    response = client.post(remove_url(structure), {"communes": ["ABCDE"], "epci": "nope"})
    assert "Ces communes sont inconnues : rechargez la page." in page_text(client.get(response.url))
    assert structure.perimeter.count() == 1
    assert client.get(remove_url(structure)).status_code == 405


@pytest.mark.parametrize("size", [5, 300])
def test_perimeter_editor_query_count_and_weight(client, django_assert_num_queries, real_loire, size):
    saint_etienne = Commune.objects.get(code="42218")
    structure = StructureFactory(commune=saint_etienne)
    structure.perimeter.set(real_loire.order_by("code")[:size])
    coordinator = MembershipFactory(departement=structure.departement, coordinator=True).user
    client.force_login(coordinator)
    # session, user, structure, memberships (perms), viewer's advisor profile, perimeter communes, EPCI totals,
    # the choices of EPCI and départements
    with django_assert_num_queries(9):
        response = client.get(perimeter_url(structure))
    text = page_text(response)
    assert f"{size} communes couvertes" in text
    if size == 300:
        assert len(EPCI.objects.in_departement("42")) == 11
        assert text.count("Retirer ces ") == 11  # one button per EPCI, not one per commune
        assert 'type="checkbox"' not in response.content.decode()
        assert len(response.content) < 30_000
        # One group at a time offers its communes to tick: here those of Saint-Étienne Métropole.
        with django_assert_num_queries(9):
            one_group = client.get(perimeter_url(structure), {"groupe": "244200770"})
        in_metropole = structure.perimeter.filter(epci="244200770").count()
        assert in_metropole > 40
        assert one_group.content.decode().count('type="checkbox" name="communes"') == in_metropole
        assert len(one_group.content) < 35_000


def test_adding_an_epci_costs_the_same_queries_for_5_or_53_communes(client, real_loire):
    coordinator = MembershipFactory(departement=Departement.objects.get(code="42"), coordinator=True).user
    client.force_login(coordinator)
    epcis = list(EPCI.objects.in_departement("42").annotate(size=Count("communes")).order_by("size"))
    smallest, largest = epcis[0], epcis[-1]
    counts = []
    for epci in (smallest, largest):
        structure = StructureFactory(commune=Commune.objects.get(code="42218"))
        with CaptureQueriesContext(connection) as captured:
            client.post(perimeter_url(structure), {"add": "epci", "add-epci-epci": epci.siren})
        assert structure.perimeter.count() == epci.size
        counts.append(len(captured))
    assert largest.size > 50 > smallest.size
    assert counts[0] == counts[1]


# Lieux and their opening hours


def hours_rows(*rows, initial=0, extra=3):
    """The POST data of the hours formset: ``rows`` of (weekday, opens, closes[, delete])."""
    data = {"horaires-TOTAL_FORMS": str(len(rows) + extra), "horaires-INITIAL_FORMS": str(initial)}
    for index, row in enumerate(rows):
        weekday, opens, closes, *delete = row
        data[f"horaires-{index}-weekday"] = str(weekday)
        data[f"horaires-{index}-opens"] = opens
        data[f"horaires-{index}-closes"] = closes
        if delete:
            data[f"horaires-{index}-DELETE"] = "on"
    return data


def lieu_data(**overrides):
    return {
        "name": "Espace numérique Carnot",
        "address": "5 place Carnot",
        "commune": "Saint-Étienne (42) — 42218",
        "access_modes": ["se_presenter", "telephoner"],
        "support_modes": ["atelier_collectif"],
        "fees": "gratuit",
        "reduced_mobility_access": "on",
        "hours_note": "Fermé en août",
        **overrides,
    }


def slots_of(lieu):
    return list(OpeningSlot.objects.filter(lieu=lieu).values_list("weekday", "opens", "closes"))


def test_create_a_lieu_with_its_hours(client, coordinator, structure):
    client.force_login(coordinator)
    url = reverse("advisors:lieu_create", args=[structure.pk])
    form_page = client.get(url)
    # The structure's commune and address are proposed; ten empty rows for the hours.
    assert 'value="Saint-Étienne (42) — 42218"' in form_page.content.decode()
    assert form_page.content.decode().count('type="time"') == 20
    data = {**lieu_data(), **hours_rows((0, "09:00", "12:00"), (0, "14 h", "17 h 30"), ("", "", ""))}
    response = client.post(url, data)
    lieu = Lieu.objects.get(name="Espace numérique Carnot")
    assert response.status_code == 302
    assert response.url == lieu.get_absolute_url()
    assert lieu.structure == structure
    assert lieu.reduced_mobility_access
    assert slots_of(lieu) == [(0, time(9), time(12)), (0, time(14), time(17, 30))]
    assert "Le lieu « Espace numérique Carnot » est ajouté." in page_text(client.get(response.url))


def test_edit_replaces_the_hours(client, coordinator, lieu):
    client.force_login(coordinator)
    url = reverse("advisors:lieu_edit", args=[lieu.pk])
    form_page = client.get(url).content.decode()
    assert 'name="horaires-0-opens" value="09:00"' in form_page
    data = {
        **lieu_data(name="Salle informatique"),
        **hours_rows((0, "09:00", "12:00", "delete"), (0, "14:00", "18:00"), (5, "10:00", "12:00"), initial=2),
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert slots_of(lieu) == [(0, time(14), time(18)), (5, time(10), time(12))]
    text = page_text(client.get(response.url))
    assert "Le lieu et ses horaires sont enregistrés." in text
    assert "Mo 14:00-18:00; Sa 10:00-12:00" in text


def row_errors(response, index):
    html = response.content.decode()
    found = re.findall(rf'<ul class="errors slot-errors" id="(?:id_)?horaires-{index}[^"]*">(.*?)</ul>', html, re.S)
    return [re.sub(r"<[^>]+>", "", item).strip() for block in found for item in re.findall(r"<li>(.*?)</li>", block)]


@pytest.mark.parametrize(
    ("rows", "index", "message"),
    [
        ([(0, "12:00", "09:00")], 0, "L’heure de fermeture doit être après l’heure d’ouverture (12 h)."),
        ([(0, "09:00", "12:00"), (0, "11:30", "14:00")], 1, "Ce créneau chevauche celui de 9 h – 12 h le lundi."),
        ([(0, "11:30", "14:00"), (0, "09:00", "12:00")], 0, "Ce créneau chevauche celui de 9 h – 12 h le lundi."),
        ([("", "09:00", "12:00")], 0, "Choisissez le jour."),
        ([(2, "", "12:00")], 0, "Indiquez l’heure d’ouverture."),
        ([(2, "9 heures", "12:00")], 0, "Heure non valide : écrivez par exemple 9:30 ou 14 h."),
        ([(9, "09:00", "12:00")], 0, "Sélectionnez un choix valide. 9 n’en fait pas partie."),
    ],
)
def test_bad_hours_are_explained_next_to_the_row_and_nothing_is_saved(client, coordinator, lieu, rows, index, message):
    client.force_login(coordinator)
    before = slots_of(lieu)
    response = client.post(
        reverse("advisors:lieu_edit", args=[lieu.pk]), {**lieu_data(name="Nom changé"), **hours_rows(*rows)}
    )
    assert response.status_code == 200
    assert row_errors(response, index) == [message]
    assert page_text(response).startswith("Erreur — Modifier Salle informatique")
    # Nothing typed is lost...
    html = response.content.decode()
    assert 'value="Nom changé"' in html
    if rows[index][1]:
        assert f'name="horaires-{index}-opens" value="{rows[index][1]}"' in html
    # ...and nothing is saved.
    lieu.refresh_from_db()
    assert lieu.name == "Salle informatique"
    assert slots_of(lieu) == before


def test_errors_in_the_lieu_and_in_the_hours_show_together(client, coordinator, lieu):
    client.force_login(coordinator)
    response = client.post(
        reverse("advisors:lieu_edit", args=[lieu.pk]),
        {**lieu_data(name="", commune="Zzyzx"), **hours_rows((0, "12:00", "09:00"))},
    )
    assert field_errors(response, "name") == ["Indiquez le nom du lieu."]
    assert field_errors(response, "commune")
    assert row_errors(response, 0) == ["L’heure de fermeture doit être après l’heure d’ouverture (12 h)."]


def test_a_tampered_formset_is_an_error_not_a_crash(client, coordinator, lieu):
    client.force_login(coordinator)
    response = client.post(reverse("advisors:lieu_edit", args=[lieu.pk]), lieu_data())
    assert response.status_code == 200
    assert slots_of(lieu) == [(0, time(9), time(12)), (0, time(14), time(17))]


@pytest.mark.parametrize("slots", [2, 20])
def test_lieu_editor_query_count_does_not_grow(client, django_assert_num_queries, coordinator, lieu, slots):
    OpeningSlot.objects.filter(lieu=lieu).delete()
    for index in range(slots):
        OpeningSlotFactory(
            lieu=lieu, weekday=index % 7, opens=time(index // 7 * 3 + 8), closes=time(index // 7 * 3 + 10)
        )
    client.force_login(coordinator)
    # session, user, lieu (structure, département, commune), slots, memberships, commune label
    with django_assert_num_queries(6):
        response = client.get(reverse("advisors:lieu_edit", args=[lieu.pk]))
    assert response.content.decode().count('type="time"') == 2 * (slots + 3)
