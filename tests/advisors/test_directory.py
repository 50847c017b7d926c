"""The directory /conseillers/: every filter, territory matching, visibility, search, pages and queries."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from advisors.enums import AdvisorRole, StructureKind
from advisors.models import Language
from advisors.queries.territory import months_before
from territories.scope import COOKIE_NAME
from tests.advisors.directory_data import build_places, make_advisor
from tests.advisors.factories import (
    CohortFactory,
    LieuFactory,
    MembershipFactory,
    PermanenceFactory,
    StructureFactory,
)
from tests.pages import page_text
from tests.territories.factories import CommuneFactory

URL = reverse("advisors:directory")


@pytest.fixture
def places(loire, savoie):
    return build_places(loire, savoie)


def names(response):
    """The names on the cards of the page, in their order."""
    return [advisor.user.get_full_name() for advisor in response.context["page"].object_list]


def get(client, **params):
    """The directory over all départements unless one is given."""
    return client.get(URL, {"departement": "", **params})


# Territory


def test_the_visitors_departement_is_the_default(client, loire, savoie):
    make_advisor("Léa", departement=loire, public=True)
    make_advisor("Hugo", departement=savoie, public=True)
    client.cookies[COOKIE_NAME] = "73"
    response = client.get(URL)
    assert names(response) == ["Hugo Martin"]
    assert response.context["filter"].form["departement"].value() == "73"
    assert "Conseillers et médiateurs — Savoie" in page_text(response)
    # An explicit "Tous les départements" shows all of France.
    assert sorted(names(client.get(URL, {"departement": ""}))) == ["Hugo Martin", "Léa Martin"]


def test_without_a_chosen_departement_all_are_listed(client, loire, savoie):
    make_advisor("Léa", departement=loire, public=True)
    make_advisor("Hugo", departement=savoie, public=True)
    assert sorted(names(client.get(URL))) == ["Hugo Martin", "Léa Martin"]


def located_in_commune(places, commune):
    return make_advisor("Commune", departement=commune.departement, commune=commune, public=True)


def structure_in_commune(places, commune):
    structure = StructureFactory(commune=commune, name="Centre social")
    return make_advisor("Structure", departement=commune.departement, structure=structure, public=True)


def lieu_in_commune(places, commune):
    advisor = make_advisor("Lieu", departement=commune.departement, commune=places.bourg_argental, public=True)
    structure = StructureFactory(commune=places.bourg_argental)
    PermanenceFactory(advisor=advisor, lieu=LieuFactory(structure=structure, commune=commune))
    return advisor


def intervenes_in_commune(places, commune):
    return make_advisor(
        "Intervention",
        departement=commune.departement,
        commune=places.bourg_argental,
        intervention_communes=[commune],
        public=True,
    )


def perimeter_covers_commune(places, commune):
    structure = StructureFactory(commune=places.bourg_argental)
    structure.perimeter.add(commune, places.bourg_argental)
    return make_advisor("Perimetre", departement=commune.departement, structure=structure, public=True)


PATHS = [located_in_commune, structure_in_commune, lieu_in_commune, intervenes_in_commune, perimeter_covers_commune]


@pytest.mark.parametrize("path", PATHS)
def test_a_commune_finds_advisors_located_or_intervening_there(client, places, path):
    expected = path(places, places.firminy)
    make_advisor("Ailleurs", departement=places.firminy.departement, commune=places.bourg_argental, public=True)
    response = get(client, commune=places.firminy.label)
    assert names(response) == [expected.user.get_full_name()]
    assert "1 conseiller" in page_text(response)


@pytest.mark.parametrize("path", PATHS)
def test_an_epci_finds_advisors_located_or_intervening_in_any_of_its_communes(client, places, path):
    expected = path(places, places.firminy)
    make_advisor("Ailleurs", departement=places.firminy.departement, commune=places.bourg_argental, public=True)
    response = get(client, departement="42", epci=places.metropole.siren)
    assert names(response) == [expected.user.get_full_name()]


@pytest.mark.parametrize("path", PATHS)
def test_a_departement_finds_the_advisors_of_other_networks_who_work_there(client, places, savoie, path):
    # A Savoie profile whose work is in the Loire (Firminy).
    expected = path(places, places.firminy)
    expected.departement = savoie
    expected.save()
    make_advisor("Savoyard", departement=savoie, commune=places.chambery, public=True)
    assert names(get(client, departement="42")) == [expected.user.get_full_name()]


def test_a_departement_finds_its_members_who_did_not_say_where_they_work(client, loire, savoie):
    make_advisor("Sans-commune", departement=loire, public=True)
    make_advisor("Savoyard", departement=savoie, public=True)
    assert names(get(client, departement="42")) == ["Sans-commune Martin"]


def test_an_advisor_matching_by_every_path_is_listed_once(client, places):
    advisor = perimeter_covers_commune(places, places.firminy)
    advisor.commune = places.firminy
    advisor.save()
    advisor.intervention_communes.add(places.firminy, places.saint_etienne)
    lieu = LieuFactory(structure=advisor.structure, commune=places.firminy)
    PermanenceFactory.create_batch(3, advisor=advisor, lieu=lieu)
    for params in ({"commune": places.firminy.label}, {"departement": "42", "epci": places.metropole.siren}):
        response = get(client, **params)
        assert names(response) == ["Perimetre Martin"]
        assert response.context["page"].paginator.count == 1


def test_the_most_precise_territory_wins(client, places):
    make_advisor("Chambérien", departement=places.chambery.departement, commune=places.chambery, public=True)
    make_advisor("Stéphanois", departement=places.firminy.departement, commune=places.saint_etienne, public=True)
    make_advisor("Firminien", departement=places.firminy.departement, commune=places.firminy, public=True)
    # A commune of another département than the one chosen: the commune.
    assert names(client.get(URL, {"departement": "42", "commune": places.chambery.label})) == ["Chambérien Martin"]
    # A commune inside the EPCI chosen: the commune.
    response = client.get(URL, {"departement": "42", "epci": places.metropole.siren, "commune": "Firminy"})
    assert names(response) == ["Firminien Martin"]
    assert "Conseillers et médiateurs — Firminy" in page_text(response)


def test_the_epci_list_follows_the_departement(client, places):
    html = get(client, departement="42").content.decode()
    assert "Saint-Étienne Métropole" in html and "CC des Monts du Pilat" in html
    assert "Grand Chambéry" not in html
    text = page_text(get(client))
    assert "Choisissez d’abord un département pour voir ses intercommunalités." in text
    # An EPCI given by a link stays chosen, whatever the département.
    response = get(client, epci=places.metropole.siren)
    assert '<option value="244200770" selected>Saint-Étienne Métropole</option>' in response.content.decode()


# The other filters, each alone then together


@pytest.fixture
def varied(loire):
    """Five public Loire profiles that differ by one trait each from "Base"."""
    occitan = Language.objects.get(code="oc") if Language.objects.filter(code="oc").exists() else None
    language = occitan or Language.objects.first()
    promo = CohortFactory(slug="promo-2025", name="Promo 2025")
    base = make_advisor("Base", departement=loire, public=True)
    mediateur = make_advisor("Médiateur", departement=loire, public=True, role=AdvisorRole.MEDIATEUR)
    ccas = make_advisor(
        "Ccas", departement=loire, public=True, structure=StructureFactory(kind=StructureKind.CCAS, name="CCAS")
    )
    polyglotte = make_advisor("Polyglotte", departement=loire, public=True)
    polyglotte.languages.add(language, Language.objects.exclude(pk=language.pk).first())
    promu = make_advisor("Promu", departement=loire, public=True, cohort=promo)
    nouveau = make_advisor("Nouveau", departement=loire, public=True, newcomer=True)
    coanimateur = make_advisor("Coanimateur", departement=loire, public=True, available_for_co_animation=True)
    return SimpleNamespace(
        language=language,
        promo=promo,
        base=base,
        mediateur=mediateur,
        ccas=ccas,
        polyglotte=polyglotte,
        promu=promu,
        nouveau=nouveau,
        coanimateur=coanimateur,
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"role": AdvisorRole.MEDIATEUR}, ["Médiateur Martin"]),
        ({"type_structure": StructureKind.CCAS}, ["Ccas Martin"]),
        ({"langue": "LANGUAGE"}, ["Polyglotte Martin"]),
        ({"promo": "promo-2025"}, ["Promu Martin"]),
        ({"nouveaux": "on"}, ["Nouveau Martin"]),
        ({"coanimation": "on"}, ["Coanimateur Martin"]),
        ({"q": "ccas"}, ["Ccas Martin"]),
    ],
)
def test_each_filter_alone(client, varied, params, expected):
    params = {name: varied.language.pk if value == "LANGUAGE" else value for name, value in params.items()}
    response = get(client, **params)
    assert names(response) == expected
    # The form shows what was chosen.
    for name, value in params.items():
        assert str(response.context["filter"].form[name].value()) in {str(value), "True"}


def test_filters_combine(client, loire, varied):
    both = make_advisor(
        "Tout",
        departement=loire,
        public=True,
        role=AdvisorRole.MEDIATEUR,
        cohort=varied.promo,
        newcomer=True,
        available_for_co_animation=True,
        structure=StructureFactory(kind=StructureKind.CCAS, name="CCAS de Roanne"),
    )
    both.languages.add(varied.language)
    params = {
        "departement": "42",
        "role": AdvisorRole.MEDIATEUR,
        "type_structure": StructureKind.CCAS,
        "langue": varied.language.pk,
        "promo": "promo-2025",
        "nouveaux": "on",
        "coanimation": "on",
        "q": "roanne",
    }
    assert names(client.get(URL, params)) == ["Tout Martin"]
    # Each criterion left out lets its own "partial match" through, never anyone else.
    assert names(client.get(URL, {**params, "q": "", "role": ""})) == ["Tout Martin"]
    assert names(client.get(URL, {**params, "promo": "", "nouveaux": ""})) == ["Tout Martin"]
    assert names(client.get(URL, {"departement": "42", "role": AdvisorRole.MEDIATEUR, "nouveaux": "on"})) == [
        "Tout Martin"
    ]
    assert sorted(names(client.get(URL, {"departement": "42", "role": AdvisorRole.MEDIATEUR}))) == [
        "Médiateur Martin",
        "Tout Martin",
    ]


@pytest.mark.parametrize(
    ("days_ago", "listed"),
    [("six_months", False), ("six_months_minus_one_day", True), ("today", True), ("seven_months", False)],
)
def test_newcomers_arrived_less_than_six_months_ago(client, loire, days_ago, listed):
    today = timezone.localdate()
    arrival = {
        "six_months": months_before(today, 6),
        "six_months_minus_one_day": months_before(today, 6) + timedelta(days=1),
        "today": today,
        "seven_months": months_before(today, 7),
    }[days_ago]
    make_advisor("Arrivé", departement=loire, public=True, arrival_date=arrival)
    make_advisor("Inconnu", departement=loire, public=True, arrival_date=None)
    assert names(get(client, nouveaux="on")) == (["Arrivé Martin"] if listed else [])


def test_months_before_clamps_to_the_end_of_a_shorter_month():
    assert months_before(timezone.datetime(2026, 8, 31).date(), 6) == timezone.datetime(2026, 2, 28).date()
    assert months_before(timezone.datetime(2026, 3, 15).date(), 6) == timezone.datetime(2025, 9, 15).date()


# Free-text search


@pytest.mark.parametrize("typed", ["hélène", "HELENE", "Hélène   Dupré", "dupre helene", "Hélène-Dupré"])
def test_search_ignores_accents_and_case(client, loire, typed):
    make_advisor("Helene", "Dupre", departement=loire, public=True)
    make_advisor("Hélène", "Dupré", departement=loire, public=True)
    make_advisor("Marc", "Dupont", departement=loire, public=True)
    found = names(get(client, q=typed))
    assert sorted(found) == ["Helene Dupre", "Hélène Dupré"]


def test_search_looks_into_the_structure_name_and_the_bio(client, loire):
    make_advisor("Inès", departement=loire, public=True, structure=StructureFactory(name="Médiathèque de Tarentaize"))
    make_advisor("Paul", departement=loire, public=True, bio="J’anime des ateliers « Smartphone » pour les aînés.")
    make_advisor("Zoé", departement=loire, public=True)
    assert names(get(client, q="tarentaize")) == ["Inès Martin"]
    assert names(get(client, q="mediatheque")) == ["Inès Martin"]
    assert names(get(client, q="ainés SMARTPHONE")) == ["Paul Martin"]
    assert names(get(client, q="ateliers zoé")) == []


def test_profile_created_on_approval_is_searchable(client, loire, coordinator):
    from advisors.services.network import membership_decide

    membership = MembershipFactory(
        departement=loire, pending=True, user__first_name="Éloïse", user__last_name="Gérard"
    )
    membership_decide(membership=membership, by=coordinator, approve=True)
    client.force_login(coordinator)
    assert names(get(client, q="eloise gerard")) == ["Éloïse Gérard"]


# Visibility: hidden profiles are in no list, count or search result


@pytest.fixture
def profiles(loire, savoie):
    return {
        "public": make_advisor("Publique", "Loire", departement=loire, public=True),
        "network": make_advisor("Réseau", "Loire", departement=loire),
        "coordinators": make_advisor("Coordination", "Loire", departement=loire, coordinators_only=True),
        "savoie_coordinators": make_advisor("Coordination", "Savoie", departement=savoie, coordinators_only=True),
    }


@pytest.mark.parametrize(
    ("who", "seen"),
    [
        (None, ["public"]),
        ("outsider", ["public"]),
        ("pending_member", ["public"]),
        ("member", ["public", "network"]),
        ("coordinator", ["public", "network", "coordinators"]),
        ("other_coordinator", ["public", "network", "savoie_coordinators"]),
    ],
)
def test_visibility_in_the_list_the_count_and_the_search(client, request, profiles, who, seen):
    if who:
        client.force_login(request.getfixturevalue(who))
    expected = sorted(profiles[name].user.get_full_name() for name in seen)
    response = get(client)
    assert sorted(names(response)) == expected
    count = len(seen)
    assert f"{count} conseiller{'s' if count > 1 else ''}" in page_text(response)
    # A search on every profile's shared word finds only the visible ones.
    assert sorted(names(get(client, q="loire"))) + sorted(names(get(client, q="savoie"))) == sorted(
        name for name in expected if name.endswith("Loire")
    ) + sorted(name for name in expected if name.endswith("Savoie"))
    # Nor do they show in a filtered count.
    assert get(client, departement="42", coanimation="").context["page"].paginator.count == len(
        [name for name in seen if name != "savoie_coordinators"]
    )


def test_an_advisor_sees_their_own_hidden_profile(client, loire):
    advisor = make_advisor("Discrète", departement=loire, coordinators_only=True)
    client.force_login(advisor.user)
    assert names(get(client)) == ["Discrète Martin"]


# What a card shows; pages; bad input


def test_a_card_shows_initials_role_structure_and_commune(client, places):
    structure = StructureFactory(commune=places.saint_etienne, name="CCAS de Saint-Étienne")
    make_advisor(
        "Inès",
        "Moulin",
        departement=places.saint_etienne.departement,
        public=True,
        role=AdvisorRole.MEDIATEUR,
        structure=structure,
        available_for_co_animation=True,
    )
    response = get(client)
    text = page_text(response)
    assert (
        "IM Inès Moulin Médiation numérique CCAS de Saint-Étienne Saint-Étienne (42) Disponible pour co-animer" in text
    )
    assert '<span class="avatar avatar-initials" aria-hidden="true">IM</span>' in response.content.decode()


@pytest.mark.parametrize(("count", "heading"), [(0, "0 conseiller"), (1, "1 conseiller"), (2, "2 conseillers")])
def test_the_count_follows_the_french_plural(client, loire, count, heading):
    for index in range(count):
        make_advisor(f"Personne{index}", departement=loire, public=True)
    assert f'<h2 id="results-title">{heading}</h2>' in get(client).content.decode()


def test_twenty_per_page_and_the_links_keep_the_filters(client, loire):
    for index in range(45):
        make_advisor(f"P{index:02d}", departement=loire, public=True, role=AdvisorRole.AIDANT)
    response = client.get(URL, {"departement": "42", "role": AdvisorRole.AIDANT})
    assert len(response.context["page"].object_list) == 20
    assert "45 conseillers" in page_text(response)
    html = response.content.decode()
    assert 'href="?departement=42&amp;role=aidant_numerique&amp;page=2"' in html
    third = client.get(URL, {"departement": "42", "role": AdvisorRole.AIDANT, "page": "3"})
    assert names(third) == [f"P{index:02d} Martin" for index in range(40, 45)]
    # A page number that is not one shows the first or the last page, never an error.
    assert client.get(URL, {"page": "abc"}).status_code == 200
    assert names(client.get(URL, {"departement": "42", "page": "99"})) == names(third)


def test_bad_filter_values_get_a_french_message_next_to_the_field(client, places):
    make_advisor("Léa", departement=places.firminy.departement, commune=places.firminy, public=True)
    response = client.get(URL, {"departement": "999", "role": "pirate", "commune": "Zzyzx"})
    assert response.status_code == 200
    text = page_text(response)
    assert "Sélectionnez un choix valide" in text
    assert "Aucune commune ne correspond à « Zzyzx »" in text
    assert "Un filtre n’a pas pu être appliqué" in text
    # The filters in error are left out: the list is not emptied by a typo.
    assert names(response) == ["Léa Martin"]


def test_homonym_communes_are_offered_as_a_choice(client, loire, savoie):
    CommuneFactory(departement=loire, code="42200", name="Saint-Marcel")
    CommuneFactory(departement=savoie, code="73253", name="Saint-Marcel")
    response = get(client, commune="saint marcel")
    html = response.content.decode()
    assert "2 communes correspondent à « saint marcel »" in page_text(response)
    assert 'name="commune_choice" id="id_commune-choice-1" value="42200"' in html
    advisor = make_advisor("Marcelline", departement=loire, public=True, commune_id="42200")
    assert names(get(client, commune="saint marcel", commune_choice="42200")) == [advisor.user.get_full_name()]


def test_every_filter_field_has_a_label(client, places):
    html = get(client).content.decode()
    for name in ("q", "departement", "epci", "commune", "role", "type_structure", "langue", "promo"):
        assert f'<label for="id_{name}">' in html
    assert '<input type="checkbox" name="nouveaux" id="id_nouveaux">' in html
    assert '<label for="id_nouveaux">Nouveaux arrivants (arrivés il y a moins de six mois)</label>' in html
    assert '<label for="id_coanimation">Disponibles pour co-animer</label>' in html
    assert '<form method="get" action="/conseillers/"' in html


def test_the_results_render_alone(client, loire):
    make_advisor("Léa", departement=loire, public=True)
    response = get(client)
    context = {name: response.context[name] for name in ("page", "filter")}
    html = render_to_string("advisors/directory/index.html#results", context)
    assert html.strip().startswith('<h2 id="results-title">1 conseiller</h2>')
    assert "Léa Martin" in html
    assert "<form" not in html


# Queries: the same whatever the number of profiles


def populate(places, count):
    languages = list(Language.objects.all()[:3])
    promo = CohortFactory(slug="promo-bench")
    communes = [places.saint_etienne, places.firminy, places.bourg_argental]
    for index in range(count):
        structure = StructureFactory(commune=communes[index % 3])
        structure.perimeter.add(*communes)
        advisor = make_advisor(
            f"P{index}",
            departement=places.saint_etienne.departement,
            commune=communes[index % 3],
            structure=structure,
            cohort=promo,
            visibility=["public", "reseau", "coordinateurs"][index % 3],
        )
        advisor.languages.add(*languages)
        advisor.intervention_communes.add(*communes)
        PermanenceFactory(advisor=advisor, lieu=LieuFactory(structure=structure))


@pytest.mark.parametrize("who", [None, "coordinator"])
def test_directory_queries(client, request, places, who, django_assert_num_queries):
    if who:
        client.force_login(request.getfixturevalue(who))
    client.cookies[COOKIE_NAME] = "42"
    params = {"epci": places.metropole.siren, "role": AdvisorRole.CONSEILLER, "langue": ""}
    # Anonymous: département of the cookie, its choice checked, EPCI checked, the lists of départements,
    # EPCI, languages, skills and promos, count, page, the cards' mastered skills. Logged in: session, user,
    # memberships (visibility).
    expected = 13 if who is None else 16  # + the publics and the services of the filter form
    populate(places, 5)
    with django_assert_num_queries(expected):
        response = client.get(URL, params)
    few = response.context["page"].paginator.count

    populate(places, 40)
    with django_assert_num_queries(expected):
        response = client.get(URL, params)
    many = response.context["page"].paginator.count
    assert many > few
    assert len(response.context["page"].object_list) == min(many, 20)


def test_public_filter_finds_the_advisors_of_that_speciality(client, loire):
    from skills.models import Public

    deafness = Public.objects.get(slug="surdite")
    specialist = make_advisor("Signes", departement=loire, public=True)
    specialist.publics.add(deafness)
    make_advisor("Autre", departement=loire, public=True)
    response = get(client, public="surdite")
    assert names(response) == ["Signes Martin"]
    assert "Surdité" in page_text(client.get(specialist.get_absolute_url()))
