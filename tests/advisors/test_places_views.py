"""Structure and lieu pages as visitors see them: the list and its filters, the detail pages,
what each viewer may see, and how many queries each page costs."""

import re
from datetime import UTC, datetime, time
from html import unescape
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse

from advisors.enums import AccessMode, Dispositif, StructureKind, SupportMode
from advisors.queries.places import perimeter_groups
from advisors.services import places as services_places
from skills.enums import DomainKind
from skills.models import Domain, Public
from territories.models import EPCI, Commune
from territories.scope import COOKIE_NAME
from tests.advisors.factories import (
    AdvisorFactory,
    LieuFactory,
    OpeningSlotFactory,
    PermanenceFactory,
    StructureFactory,
)
from tests.pages import field_errors, page_text
from tests.territories.factories import CommuneFactory, DepartementFactory, EPCIFactory

LIST_URL = reverse("advisors:structures")


def structure_names(response):
    html = response.content.decode()
    return [
        unescape(name) for name in re.findall(r'<h3 class="card-title"><a href="/structures/\d+/">(.*?)</a>', html)
    ]


@pytest.fixture
def roanne(loire):
    epci = EPCIFactory(siren="200035731", name="Roannais Agglomération", kind="CA")
    return CommuneFactory(departement=loire, code="42187", name="Roanne", postal_codes="42300", epci=epci)


@pytest.fixture
def real_loire(db):
    """The 320 communes and 11 EPCI of the Loire, from the vendored COG extract."""
    call_command("import_territories", "--departements", "42", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Commune.objects.filter(departement="42")


# The list: /structures/


def test_list_shows_the_structures_of_the_visitors_departement(client, saint_etienne, chambery):
    StructureFactory(name="Médiathèque Tarentaize", commune=saint_etienne)
    StructureFactory(name="France Services Chambéry", commune=chambery)
    client.cookies[COOKIE_NAME] = "42"
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert structure_names(response) == ["Médiathèque Tarentaize"]
    assert "Structures — Loire" in page_text(response)
    # Another département, chosen in the filter, wins over the cookie; "Tous" shows all.
    assert structure_names(client.get(LIST_URL, {"departement": "73"})) == ["France Services Chambéry"]
    assert len(structure_names(client.get(LIST_URL, {"departement": ""}))) == 2


def test_list_without_a_chosen_departement_shows_all(client, saint_etienne, chambery):
    StructureFactory(commune=saint_etienne)
    StructureFactory(commune=chambery)
    response = client.get(LIST_URL)
    assert len(structure_names(response)) == 2
    assert "2 structures" in page_text(response)


def test_cards_show_kind_commune_and_counts_of_lieux_and_visible_advisors(client, loire, saint_etienne, coordinator):
    structure = StructureFactory(name="CCAS de Saint-Étienne", kind=StructureKind.CCAS, commune=saint_etienne)
    LieuFactory.create_batch(2, structure=structure)
    AdvisorFactory(departement=loire, structure=structure, public=True)
    AdvisorFactory(departement=loire, structure=structure)  # réseau
    AdvisorFactory(departement=loire, structure=structure, coordinators_only=True)
    text = page_text(client.get(LIST_URL, {"departement": "42"}))
    assert "CCAS de Saint-Étienne CCAS Saint-Étienne 2 lieux d’accueil · 1 conseiller" in text
    client.force_login(coordinator)
    assert "2 lieux d’accueil · 3 conseillers" in page_text(client.get(LIST_URL, {"departement": "42"}))


def test_filter_by_kind_service_and_public(client, saint_etienne):
    service = Domain.objects.filter(kind=DomainKind.SERVICE).first()
    public = Public.objects.first()
    library = StructureFactory(name="Médiathèque", kind=StructureKind.MEDIATHEQUE, commune=saint_etienne)
    library.services.add(service)
    ccas = StructureFactory(name="CCAS", kind=StructureKind.CCAS, commune=saint_etienne)
    ccas.publics.add(public)
    assert structure_names(client.get(LIST_URL, {"type_structure": "ccas"})) == ["CCAS"]
    assert structure_names(client.get(LIST_URL, {"service": service.pk})) == ["Médiathèque"]
    assert structure_names(client.get(LIST_URL, {"public": public.pk})) == ["CCAS"]


@pytest.mark.parametrize("typed", ["mediatheque", "MÉDIATHÈQUE", "médiathèque st etienne", "Saint-Étienne"])
def test_free_text_ignores_accents_and_case(client, saint_etienne, typed):
    StructureFactory(name="Médiathèque de Saint-Étienne", commune=saint_etienne)
    StructureFactory(name="Centre social Beaubrun", commune=saint_etienne)
    assert structure_names(client.get(LIST_URL, {"q": typed})) == ["Médiathèque de Saint-Étienne"]


def test_filter_by_commune_finds_structures_located_there_or_covering_it(client, saint_etienne, roanne):
    StructureFactory(name="Installée à Roanne", commune=roanne)
    covering = StructureFactory(name="Couvre Roanne", commune=saint_etienne)
    covering.perimeter.add(roanne)
    StructureFactory(name="Ailleurs", commune=saint_etienne)
    names = structure_names(client.get(LIST_URL, {"commune": "Roanne"}))
    assert names == ["Couvre Roanne", "Installée à Roanne"]


def test_filter_by_epci(client, saint_etienne, roanne):
    StructureFactory(name="Roannaise", commune=roanne)
    covering = StructureFactory(name="Couvre le Roannais", commune=saint_etienne)
    covering.perimeter.add(roanne)
    StructureFactory(name="Stéphanoise", commune=saint_etienne)
    response = client.get(LIST_URL, {"departement": "42", "epci": "200035731"})
    assert structure_names(response) == ["Couvre le Roannais", "Roannaise"]
    # The select offers the EPCI of the département chosen.
    assert '<option value="244200770">Saint-Étienne Métropole</option>' in response.content.decode()


def test_bad_filters_get_a_french_message_not_an_error_page(client, saint_etienne):
    StructureFactory(commune=saint_etienne)
    response = client.get(LIST_URL, {"commune": "Zzyzx", "type_structure": "banque", "departement": "999"})
    assert response.status_code == 200
    assert field_errors(response, "commune") == [
        "Aucune commune ne correspond à « Zzyzx ». Vérifiez l’orthographe ou tapez le code postal."
    ]
    assert field_errors(response, "type_structure")  # Django's French "select a valid choice"
    assert "Corrigez les filtres ci-dessus" in page_text(response)
    assert page_text(response).startswith("Erreur — Structures")


def test_ambiguous_commune_offers_a_choice(client, loire):
    first = CommuneFactory(departement=loire, code="42279", name="Saint-Just-Saint-Rambert")
    CommuneFactory(departement=loire, code="42255", name="Saint-Just-en-Chevalet")
    StructureFactory(name="Médiathèque de Saint-Just", commune=first)
    response = client.get(LIST_URL, {"commune": "Saint-Just"})
    assert response.status_code == 200
    assert field_errors(response, "commune") == [
        "2 communes correspondent à « Saint-Just » : choisissez la vôtre dans la liste."
    ]
    assert 'name="commune_choice" id="id_commune-choice-1" value="42255"' in response.content.decode()
    # Choosing one of them (without JavaScript: the radio button) filters.
    chosen = client.get(LIST_URL, {"commune": "Saint-Just", "commune_choice": "42279"})
    assert structure_names(chosen) == ["Médiathèque de Saint-Just"]


def test_list_is_paginated_and_keeps_its_filters(client, saint_etienne):
    for n in range(25):
        StructureFactory(name=f"Structure {n:02d}", kind=StructureKind.ASSOCIATION, commune=saint_etienne)
    first = client.get(LIST_URL, {"type_structure": "association"})
    assert len(structure_names(first)) == 20
    assert 'href="?type_structure=association&amp;page=2"' in first.content.decode()
    second = client.get(LIST_URL, {"type_structure": "association", "page": "2"})
    assert structure_names(second) == [f"Structure {n}" for n in range(20, 25)]
    # A page out of range or not a number shows a page, not an error.
    assert client.get(LIST_URL, {"page": "999"}).status_code == 200
    assert client.get(LIST_URL, {"page": "deux"}).status_code == 200


def test_only_members_see_the_add_button(client, member, outsider):
    assert "Ajouter une structure" not in page_text(client.get(LIST_URL))
    client.force_login(outsider)
    assert "Ajouter une structure" not in page_text(client.get(LIST_URL))
    client.force_login(member)
    assert "Ajouter une structure" in page_text(client.get(LIST_URL))


@pytest.mark.parametrize("rows", [3, 30])
def test_list_query_count_does_not_grow(client, django_assert_num_queries, loire, member, saint_etienne, rows):
    for _ in range(rows):
        structure = StructureFactory(commune=saint_etienne)
        LieuFactory(structure=structure)
        AdvisorFactory(departement=loire, structure=structure)
    client.force_login(member)
    client.cookies[COOKIE_NAME] = "42"
    # session, user, memberships (once, for profile visibility and perms), current département,
    # département (form), count, the choices of départements, EPCI, services and publics, the page with its counts
    with django_assert_num_queries(11):
        response = client.get(LIST_URL)
    assert len(structure_names(response)) == min(rows, 20)


# Structure page


@pytest.fixture
def structure(loire, saint_etienne):
    return services_places.structure_create(
        name="Médiathèque Tarentaize",
        kind=StructureKind.MEDIATHEQUE,
        commune=saint_etienne,
        address="20 rue Jo Gouttebarge",
        website="https://mediatheque.exemple.fr",
        email="contact@mediatheque.exemple.fr",
        phone="04 77 43 09 77",
        presentation="Ateliers numériques pour tous.",
        dispositifs=[Dispositif.AIDANTS_CONNECT],
        services=list(Domain.objects.filter(kind=DomainKind.SERVICE)[:1]),
        publics=list(Public.objects.all()[:1]),
    )


def structure_url(structure):
    return reverse("advisors:structure", args=[structure.pk])


def test_structure_page_shows_what_it_does(client, structure):
    text = page_text(client.get(structure_url(structure)))
    assert "Médiathèque Tarentaize" in text
    assert "Médiathèque / bibliothèque · Saint-Étienne (Saint-Étienne Métropole)" in text
    assert "Ateliers numériques pour tous." in text
    assert "Aidants Connect" in text
    assert structure.services.get().name in text
    assert structure.publics.get().name in text


def test_contact_details_only_for_logged_in_viewers(client, structure, outsider):
    text = page_text(client.get(structure_url(structure)))
    assert "contact@mediatheque.exemple.fr" not in text
    assert "04 77 43 09 77" not in text
    assert "Connectez-vous pour voir les coordonnées." in text
    client.force_login(outsider)
    text = page_text(client.get(structure_url(structure)))
    assert "contact@mediatheque.exemple.fr · 04 77 43 09 77" in text


def test_structure_page_lists_only_the_advisors_the_viewer_may_see(client, loire, structure, member, coordinator):
    public = AdvisorFactory(departement=loire, structure=structure, public=True, user__first_name="Awa")
    network = AdvisorFactory(departement=loire, structure=structure, user__first_name="Bruno")
    hidden = AdvisorFactory(departement=loire, structure=structure, coordinators_only=True, user__first_name="Chloé")
    names = {advisor: advisor.user.display_name for advisor in (public, network, hidden)}

    def seen():
        text = page_text(client.get(structure_url(structure)))
        return {advisor for advisor, name in names.items() if name in text}

    assert seen() == {public}
    client.force_login(member)
    assert seen() == {public, network}
    client.force_login(coordinator)
    assert seen() == {public, network, hidden}


def test_structure_page_shows_its_lieux_with_their_status(client, structure, saint_etienne):
    lieu = LieuFactory(structure=structure, name="Salle informatique", commune=saint_etienne)
    OpeningSlotFactory(lieu=lieu, weekday=0, opens="09:00", closes="12:00")
    LieuFactory(structure=structure, name="Bus numérique", itinerant=True)
    text = page_text(client.get(structure_url(structure)))
    assert "Bus numérique" in text and "itinérant" in text
    assert "Horaires non renseignés" in text
    assert re.search(r"Salle informatique .* (Ouvert maintenant — ferme à 12 h|Fermé — ouvre)", text)


def test_structure_page_perimeter_by_epci(client, loire, savoie, structure, saint_etienne):
    metropole = saint_etienne.epci
    CommuneFactory.create_batch(2, departement=loire, epci=metropole)
    neighbour = EPCIFactory(name="CC des Monts du Lyonnais")
    here = CommuneFactory(departement=loire, epci=neighbour, name="Chazelles-sur-Lyon")
    CommuneFactory(departement=savoie, epci=neighbour, name="Ailleurs-en-Savoie")
    services_places.structure_perimeter_add(structure=structure, epci=metropole)
    services_places.structure_perimeter_add(structure=structure, communes=[here])
    text = page_text(client.get(structure_url(structure)))
    assert "4 communes couvertes" in text
    assert "CC des Monts du Lyonnais — 1 commune sur 2" in text
    assert "Saint-Étienne Métropole — 3 communes, toute l’intercommunalité" in text
    # The EPCI come in alphabetical order.
    assert text.index("CC des Monts") < text.index("Saint-Étienne Métropole — 3")


def test_edit_links_only_for_those_who_may_edit(client, loire, structure, member, coordinator):
    edit = reverse("advisors:structure_edit", args=[structure.pk])
    assert edit not in client.get(structure_url(structure)).content.decode()
    client.force_login(member)
    assert edit not in client.get(structure_url(structure)).content.decode()
    client.force_login(coordinator)
    assert edit in client.get(structure_url(structure)).content.decode()
    client.force_login(AdvisorFactory(departement=loire, structure=structure).user)
    assert edit in client.get(structure_url(structure)).content.decode()


def test_unknown_structure_is_a_404(client, db):
    assert client.get(reverse("advisors:structure", args=[999999])).status_code == 404


@pytest.mark.parametrize("size", ["small", "large"])
def test_structure_page_query_count_does_not_grow(client, django_assert_num_queries, real_loire, member, size):
    saint_etienne = Commune.objects.get(code="42218")
    structure = StructureFactory(commune=saint_etienne)
    structure.services.set(Domain.objects.all())
    structure.publics.set(Public.objects.all())
    if size == "large":
        # 300 communes of the Loire in its 11 EPCI, 8 lieux with hours, 12 advisors.
        structure.perimeter.set(real_loire.order_by("code")[:300])
        for _ in range(8):
            lieu = LieuFactory(structure=structure)
            OpeningSlotFactory(lieu=lieu, weekday=1)
            OpeningSlotFactory(lieu=lieu, weekday=2)
        for _ in range(12):
            AdvisorFactory(departement=structure.departement, structure=structure, commune=saint_etienne)
    else:
        structure.perimeter.set(real_loire.order_by("code")[:3])
        OpeningSlotFactory(lieu=LieuFactory(structure=structure))
        AdvisorFactory(departement=structure.departement, structure=structure)
    client.force_login(member)
    # session, user, structure, services, publics, lieux, their slots, their closures not over, memberships
    # (once, for visibility and perms), advisors, perimeter communes, EPCI totals, viewer's advisor profile
    with django_assert_num_queries(13):
        response = client.get(structure_url(structure))
    assert response.status_code == 200
    if size == "large":
        assert "300 communes couvertes" in page_text(response)
        assert len(response.content) < 40_000


# Lieu page


@pytest.fixture
def lieu(structure, saint_etienne):
    return services_places.lieu_create(
        structure=structure,
        name="Salle informatique",
        commune=saint_etienne,
        address="12 rue de la Paix",
        access_modes=[AccessMode.WALK_IN, AccessMode.ONLINE_BOOKING],
        support_modes=[SupportMode.WORKSHOP],
        fees="gratuit_sous_condition",
        reduced_mobility_access=True,
        hours_note="Fermé en août",
        slots=[(day, time(9), time(12)) for day in (0, 1)]
        + [(day, time(14), time(17)) for day in (0, 1)]
        + [(2, time(14), time(18, 30))],
    )


def lieu_url(lieu):
    return reverse("advisors:lieu", args=[lieu.pk])


def test_lieu_page_shows_hours_access_and_the_osm_string(client, lieu):
    text = page_text(client.get(lieu_url(lieu)))
    assert "Lundi 9 h – 12 h, 14 h – 17 h" in text
    assert "Mercredi 14 h – 18 h 30" in text
    assert "Jeudi fermé" in text
    assert "Fermé en août" in text
    assert "Mo,Tu 09:00-12:00,14:00-17:00; We 14:00-18:30" in text
    assert "Se présenter, Prendre un RDV en ligne" in text
    assert "Dans un atelier collectif" in text
    assert "Gratuit sous condition" in text
    assert "Lieu accessible" in text
    assert "Fixe" in text


def test_lieu_status_in_the_time_zone_of_its_departement(client, db):
    """At 6 h 30 UTC on a Monday, a lieu of La Réunion open 9 h–12 h is open (10 h 30 there)."""
    reunion = DepartementFactory(reunion=True)
    saint_denis = CommuneFactory(departement=reunion, code="97411", name="Saint-Denis", postal_codes="97400")
    lieu = LieuFactory(structure=StructureFactory(commune=saint_denis), commune=saint_denis)
    OpeningSlotFactory(lieu=lieu, weekday=0, opens="09:00", closes="12:00")
    with mock.patch("advisors.views.places.timezone.now", return_value=datetime(2026, 11, 30, 6, 30, tzinfo=UTC)):
        text = page_text(client.get(lieu_url(lieu)))
    assert "Ouvert maintenant — ferme à 12 h" in text
    assert "Heures locales (La Réunion)." in text


def test_lieu_page_lists_the_visible_advisors_and_their_permanences(client, loire, lieu, member):
    public = AdvisorFactory(departement=loire, public=True, user__first_name="Awa", user__last_name="Diallo")
    PermanenceFactory(advisor=public, lieu=lieu, weekday=2, opens="14:00", closes="17:00")
    PermanenceFactory(advisor=public, lieu=lieu, weekday=4, opens="09:30", closes="12:00")
    network = AdvisorFactory(departement=loire, user__first_name="Bruno", user__last_name="Faure")
    PermanenceFactory(advisor=network, lieu=lieu)
    text = page_text(client.get(lieu_url(lieu)))
    assert "Awa Diallo — mercredi 14 h – 17 h, vendredi 9 h 30 – 12 h" in text
    assert "Bruno Faure" not in text
    client.force_login(member)
    assert "Bruno Faure" in page_text(client.get(lieu_url(lieu)))


@pytest.mark.parametrize("rows", [1, 15])
def test_lieu_page_query_count_does_not_grow(client, django_assert_num_queries, loire, lieu, member, rows):
    for _ in range(rows):
        PermanenceFactory(advisor=AdvisorFactory(departement=loire), lieu=lieu)
    client.force_login(member)
    # session, user, lieu (structure, commune, département), slots, closures not over, memberships (once,
    # for visibility and perms), permanences, viewer's advisor profile, the commune's outline (map)
    with django_assert_num_queries(9):
        response = client.get(lieu_url(lieu))
    assert response.status_code == 200


def test_unknown_lieu_is_a_404(client, db):
    assert client.get(reverse("advisors:lieu", args=[999999])).status_code == 404


def test_epci_totals_are_counted_across_departements(loire, savoie, saint_etienne):
    """An EPCI over two départements counts all its communes (used by the 'sur N' of the groups)."""
    epci = EPCI.objects.get(siren="244200770")
    CommuneFactory(departement=savoie, epci=epci)
    structure = StructureFactory(commune=saint_etienne)
    structure.perimeter.add(saint_etienne)
    (group,) = perimeter_groups(structure)
    assert (len(group.communes), group.epci_total, group.complete) == (1, 2, False)
