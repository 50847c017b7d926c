"""Près de chez moi and the commune page's summary of it."""

import re
from datetime import date, datetime
from html import unescape
from types import SimpleNamespace
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advisors.models import Language, Lieu, LieuClosure, Membership
from advisors.services.serving import serving_refresh
from overview import queries as overview_queries
from overview import views as overview_views
from skills.enums import SkillLevel
from skills.models import Domain, Public
from tests.advisors.directory_data import build_places, make_advisor
from tests.advisors.factories import (
    AdvisorFactory,
    CohortFactory,
    LieuFactory,
    MembershipFactory,
    OpeningSlotFactory,
    PermanenceFactory,
    StructureFactory,
)
from tests.overview.near_data import (
    MONTBRISON,
    SAINT_ANTHEME,
    SAINT_ETIENNE,
    SAVIGNEUX,
    build_geo,
    expected_distance,
)
from tests.pages import field_errors, page_text
from tests.skills.factories import AdvisorSkillFactory, SkillFactory
from tests.territories.factories import CommuneFactory

# A Tuesday, 10 h in Paris.
TUESDAY_10H = datetime(2026, 3, 3, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def places(loire, savoie):
    return build_places(loire, savoie)


def near_url(commune):
    return reverse("overview:near", args=[commune.code])


def headings(response):
    return [section["title"] for section in response.context["sections"]]


def group_names(response, level, kind="advisors"):
    group = response.context["sections"][level][kind]
    if group is None:
        return []
    if kind == "advisors":
        return [advisor.user.get_full_name() for advisor in group.items]
    return [lieu.name for lieu in group.items]


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(overview_views, "timezone", SimpleNamespace(now=lambda: TUESDAY_10H))


@pytest.fixture
def around(places):
    """Firminy is the commune asked for; Saint-Étienne is in its EPCI; Bourg-Argental in the Pilat."""
    loire = places.firminy.departement
    return SimpleNamespace(
        here=make_advisor("Ici", departement=loire, commune=places.firminy, public=True),
        intervenes=_intervening(loire, places),
        epci=make_advisor("Métropole", departement=loire, commune=places.saint_etienne, public=True),
        departement=make_advisor("Pilat", departement=loire, commune=places.bourg_argental, public=True),
        nowhere=make_advisor("Sans-commune", departement=loire, public=True),
        elsewhere=make_advisor(
            "Savoyard", departement=places.chambery.departement, commune=places.chambery, public=True
        ),
    )


def _intervening(loire, places):
    return make_advisor(
        "Intervenant",
        departement=loire,
        commune=places.bourg_argental,
        intervention_communes=[places.firminy],
        public=True,
    )


def test_people_come_by_proximity_commune_then_epci_then_departement(client, places, around):
    response = client.get(near_url(places.firminy))
    assert response.status_code == 200
    assert headings(response) == [
        "À Firminy",
        "Ailleurs dans l’intercommunalité (Saint-Étienne Métropole)",
        "Ailleurs dans le département (Loire)",
    ]
    assert group_names(response, 0) == ["Ici Martin", "Intervenant Martin"]
    assert group_names(response, 1) == ["Métropole Martin"]
    assert group_names(response, 2) == ["Pilat Martin", "Sans-commune Martin"]
    text = page_text(response)
    assert "Savoyard" not in text
    assert text.index("À Firminy") < text.index("Ici Martin") < text.index("Métropole Martin") < text.index("Pilat")
    assert "2 conseillers" in text and "1 conseiller " in text


@pytest.mark.parametrize(
    "path",
    [
        "located_in_commune",
        "structure_in_commune",
        "lieu_in_commune",
        "intervenes_in_commune",
        "perimeter_covers_commune",
    ],
)
def test_every_way_of_serving_the_commune_puts_one_first(client, places, path):
    from tests.advisors import test_directory

    advisor = getattr(test_directory, path)(places, places.firminy)
    response = client.get(near_url(places.firminy))
    assert group_names(response, 0) == [advisor.user.get_full_name()]


def test_a_commune_without_epci_has_no_epci_section(client, places, loire):
    isolated = CommuneFactory(departement=loire, code="42999", name="Île-Isolée", epci=None)
    make_advisor("Isolé", departement=loire, commune=isolated, public=True)
    make_advisor("Pilat", departement=loire, commune=places.bourg_argental, public=True)
    response = client.get(near_url(isolated))
    assert headings(response) == ["À Île-Isolée", "Ailleurs dans le département (Loire)"]
    assert group_names(response, 0) == ["Isolé Martin"]
    assert group_names(response, 1) == ["Pilat Martin"]


def test_lieux_come_by_proximity_with_their_opening_status(client, places, frozen):
    here = LieuFactory(name="Médiathèque de Firminy", structure__commune=places.firminy)
    OpeningSlotFactory(lieu=here, weekday=1, opens="09:00", closes="12:00")
    covering = StructureFactory(commune=places.bourg_argental, name="Bus numérique")
    covering.perimeter.add(places.firminy)
    bus = LieuFactory(name="Bus du Pilat", structure=covering, itinerant=True)
    OpeningSlotFactory(lieu=bus, weekday=3, opens="14:00", closes="17:30")
    metropole = LieuFactory(name="France Services Saint-Étienne", structure__commune=places.saint_etienne)
    LieuFactory(name="Espace de Bourg-Argental", structure__commune=places.bourg_argental)
    LieuFactory(name="Chambéry numérique", structure__commune=places.chambery)
    response = client.get(near_url(places.firminy))
    assert group_names(response, 0, "lieux") == ["Bus du Pilat", "Médiathèque de Firminy"]
    assert group_names(response, 1, "lieux") == [metropole.name]
    assert group_names(response, 2, "lieux") == ["Espace de Bourg-Argental"]
    text = page_text(response)
    assert "Médiathèque de Firminy" in text and "Ouvert maintenant — ferme à 12 h" in text
    assert "Bus du Pilat" in text and "Fermé — ouvre jeudi à 14 h" in text
    assert "Horaires non renseignés" in text
    assert "Chambéry numérique" not in text
    assert "2 lieux d’accueil" in text and "1 lieu d’accueil" in text


def test_each_group_is_bounded_with_a_link_to_the_rest(client, places):
    loire = places.firminy.departement
    for index in range(overview_queries.ADVISORS_PER_GROUP + 3):
        make_advisor(f"P{index:02d}", departement=loire, commune=places.firminy, public=True)
    for index in range(overview_queries.LIEUX_PER_GROUP + 2):
        LieuFactory(name=f"Lieu {index:02d}", structure__commune=places.firminy)
    response = client.get(near_url(places.firminy))
    assert len(group_names(response, 0)) == overview_queries.ADVISORS_PER_GROUP
    text = page_text(response)
    assert "15 conseillers" in text
    assert "Voir la suite dans l’annuaire (3 autres)" in text
    assert f'href="/conseillers/?departement=&amp;commune=Firminy+%2842%29+%E2%80%94+{places.firminy.code}"' in (
        response.content.decode()
    )
    assert "12 lieux d’accueil" in text and "Et 2 autres lieux." in text
    # The link leads to the same people.
    directory = client.get(
        reverse("advisors:directory"), {"departement": "", "commune": places.firminy.label}
    ).context["page"]
    assert directory.paginator.count == 15


@pytest.fixture
def hidden(places, loire, savoie):
    return {
        "public": make_advisor("Publique", departement=loire, commune=places.firminy, public=True),
        "network": make_advisor("Réseau", departement=loire, commune=places.firminy),
        "coordinators": make_advisor(
            "Coordination", departement=loire, commune=places.firminy, coordinators_only=True
        ),
        # A Savoie profile for coordinators only, intervening in Firminy.
        "savoie": _savoie_coordinators_only(savoie, places),
    }


def _savoie_coordinators_only(savoie, places):
    return make_advisor(
        "Savoyarde",
        departement=savoie,
        commune=places.chambery,
        intervention_communes=[places.firminy],
        coordinators_only=True,
    )


@pytest.mark.parametrize(
    ("who", "seen"),
    [
        (None, ["public"]),
        ("outsider", ["public"]),
        ("member", ["public", "network"]),
        ("coordinator", ["public", "network", "coordinators"]),
        ("other_coordinator", ["public", "network", "savoie"]),
    ],
)
def test_near_me_shows_only_the_profiles_one_may_see(client, request, places, hidden, who, seen):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(near_url(places.firminy))
    assert sorted(group_names(response, 0)) == sorted(hidden[name].user.get_full_name() for name in seen)
    text = page_text(response)
    assert f"{len(seen)} conseiller{'s' if len(seen) > 1 else ''}" in text
    for name in set(hidden) - set(seen):
        assert hidden[name].user.get_full_name() not in text
    # The commune page counts the same people.
    commune_page = page_text(client.get(places.firminy.get_absolute_url()))
    assert f"Au service de Firminy : {len(seen)} conseiller" in commune_page


def test_coordinators_and_how_to_join(client, places, loire, outsider, member):
    coordinator = MembershipFactory(
        departement=loire, coordinator=True, user__first_name="Nadia", user__last_name="Benali"
    ).user
    AdvisorFactory(user=coordinator, departement=loire, public=True)
    url = near_url(places.firminy)
    text = page_text(client.get(url))
    assert "La coordination du réseau de la Loire Nadia Benali" in text
    assert "Créer un compte" in text and "Connectez-vous" in text
    client.force_login(outsider)
    html = client.get(url).content.decode()
    assert 'href="/reseau/rejoindre/?departement=42"' in html
    client.force_login(member)
    text = page_text(client.get(url))
    assert "Vous êtes membre du réseau de la Loire." in text
    assert "Demander à rejoindre" not in text
    Membership.objects.filter(user=outsider).delete()
    MembershipFactory(user=outsider, departement=loire, pending=True)
    client.force_login(outsider)
    assert "Votre demande pour rejoindre le réseau de la Loire est enregistrée." in page_text(client.get(url))


def test_an_empty_territory_says_who_to_ask(client, places):
    text = page_text(client.get(near_url(places.firminy)))
    assert "Personne n’est encore inscrit pour ce territoire." in text
    assert "Le réseau de la Loire n’a pas encore de coordinateur ou de coordinatrice." in text


def test_an_unknown_commune_is_a_404(client, db):
    assert client.get(reverse("overview:near", args=["99999"])).status_code == 404


def populate(places, count):
    loire = places.firminy.departement
    communes = [places.firminy, places.saint_etienne, places.bourg_argental]
    promo = CohortFactory()
    for index in range(count):
        structure = StructureFactory(commune=communes[index % 3])
        structure.perimeter.add(*communes)
        advisor = make_advisor(
            f"P{index}", departement=loire, commune=communes[index % 3], structure=structure, cohort=promo, public=True
        )
        advisor.intervention_communes.add(*communes)
        lieu = LieuFactory(structure=structure, commune=communes[(index + 1) % 3])
        OpeningSlotFactory(lieu=lieu)
        OpeningSlotFactory(lieu=lieu, weekday=3)
        PermanenceFactory(advisor=advisor, lieu=lieu)
        MembershipFactory(departement=loire, coordinator=True)


@pytest.mark.parametrize(("who", "expected"), [(None, 11), ("member", 14)])
def test_near_me_queries(client, request, places, who, expected, django_assert_num_queries):
    # A commune without a point (the factories' have none): commune, advisors of all groups, lieux of all
    # groups, their hours and closures, coordinators with their visible profile, upcoming events, the filters'
    # four lists (services, skills, languages, publics). Logged in: session, user, memberships (once, for the
    # visibility and the membership predicates).
    if who:
        client.force_login(request.getfixturevalue(who))
    populate(places, 3)
    with django_assert_num_queries(expected):
        client.get(near_url(places.saint_etienne))
    populate(places, 40)
    with django_assert_num_queries(expected):
        response = client.get(near_url(places.saint_etienne))
    assert len(group_names(response, 0)) == overview_queries.ADVISORS_PER_GROUP


# The commune page


def test_the_commune_page_leads_to_near_me(client, places):
    make_advisor("Ici", departement=places.firminy.departement, commune=places.firminy, public=True)
    LieuFactory.create_batch(2, structure__commune=places.firminy)
    response = client.get(places.firminy.get_absolute_url())
    text = page_text(response)
    assert "Au service de Firminy : 1 conseiller (installé ici ou qui y intervient) et 2 lieux d’accueil" in text
    assert f'<a class="button" href="{near_url(places.firminy)}">Voir qui fait quoi près de Firminy</a>' in (
        response.content.decode()
    )
    empty = page_text(client.get(places.bourg_argental.get_absolute_url()))
    assert "Aucun conseiller ni lieu d’accueil n’est encore inscrit à Bourg-Argental même" in empty
    assert "Voir qui fait quoi près de Bourg-Argental" in empty


def test_the_commune_page_queries(client, places, django_assert_num_queries):
    # Commune, advisors count, lieux count.
    with django_assert_num_queries(3):
        client.get(places.firminy.get_absolute_url())
    populate(places, 10)
    with django_assert_num_queries(3):
        response = client.get(places.firminy.get_absolute_url())
    assert "10 conseillers" in page_text(response)


# By distance: communes with their real points (tests/overview/near_data.py), Montbrison asked for.


@pytest.fixture
def geo(loire):
    return build_geo(loire)


def lieu_at(commune, name, **kwargs):
    return LieuFactory(name=name, structure__commune=commune, structure__name=f"Structure de {name}", **kwargs)


def lieu_names(response):
    return [lieu.name for lieu in response.context["lieux"].items]


def people_names(response):
    return [advisor.user.first_name for advisor in response.context["advisors"].items]


def test_lieux_come_by_real_distance_the_communes_own_first_across_the_border(client, geo):
    # Typed 6 km south of Montbrison's point, but in Montbrison: it stays first.
    lieu_at(geo.montbrison, "Annexe de Montbrison", latitude=45.553, longitude=4.063, position_source="typed")
    lieu_at(geo.boen, "Médiathèque de Boën")
    lieu_at(geo.saint_antheme, "Maison de Saint-Anthème")
    lieu_at(geo.champdieu, "Mairie de Champdieu")
    lieu_at(geo.savigneux, "Espace de Savigneux")
    lieu_at(geo.saint_etienne, "France Services Saint-Étienne")
    response = client.get(near_url(geo.montbrison))
    assert lieu_names(response) == [
        "Annexe de Montbrison",
        "Espace de Savigneux",
        "Mairie de Champdieu",
        "Maison de Saint-Anthème",
        "Médiathèque de Boën",
    ]
    text = page_text(response)
    assert "Dans la commune" in text
    for name, point in [("Espace de Savigneux", SAVIGNEUX), ("Maison de Saint-Anthème", SAINT_ANTHEME)]:
        assert f"{name} {expected_distance(MONTBRISON, point)}" in text
    assert "Espace de Savigneux À 1,5 km" in text and "Médiathèque de Boën À 16 km" in text
    assert "Saint-Anthème (63)" in text  # the other département says so
    assert "France Services Saint-Étienne" not in text
    assert "5 lieux, les plus proches d’abord" in text


def test_people_are_those_who_serve_the_commune_by_the_distance_of_their_commune(client, geo, loire):
    make_advisor("Ici", departement=loire, commune=geo.montbrison, public=True)
    make_advisor(
        "Loin", departement=loire, commune=geo.saint_etienne, intervention_communes=[geo.montbrison], public=True
    )
    # Placed by their structure's commune.
    make_advisor(
        "Voisine",
        departement=loire,
        structure=StructureFactory(commune=geo.savigneux),
        intervention_communes=[geo.montbrison],
        public=True,
    )
    make_advisor("Sans-lieu", departement=loire, intervention_communes=[geo.montbrison], public=True)
    # Near, but serving only Champdieu: a person who does not intervene in Montbrison.
    make_advisor("Champdieu", departement=loire, commune=geo.champdieu, public=True)
    response = client.get(near_url(geo.montbrison))
    assert people_names(response) == ["Ici", "Voisine", "Loin", "Sans-lieu"]
    text = page_text(response)
    assert "Les personnes qui interviennent à Montbrison" in text
    assert "4 conseillers" in text
    assert text.index("Ici Martin") < text.index("Dans la commune") < text.index("Voisine Martin")
    assert expected_distance(MONTBRISON, SAINT_ETIENNE) in text and "À 31 km" in text
    assert "Champdieu Martin" not in text
    # Lieux and people are two sections, lieux first.
    assert text.index("Les lieux d’accueil à Montbrison") < text.index("Les personnes qui interviennent")


def test_the_map_outlines_the_communes_around_with_the_nearest_lieux(client, geo):
    lieu_at(geo.savigneux, "Espace de Savigneux")
    lieu_at(geo.saint_antheme, "Maison de Saint-Anthème")
    response = client.get(near_url(geo.montbrison))
    html = response.content.decode()
    svg = re.search(r'<svg class="map".*?</svg>', html, re.S)[0]
    tree = ElementTree.fromstring(svg)
    names = [link.get("aria-label").replace("\u00a0", " ") for link in tree.iter("a")]
    # The communes within 15 km (Boën, Saint-Étienne are beyond), each a link; the lieux shown, and the commune.
    assert "Montbrison : la commune choisie" in names
    assert "Saint-Anthème : voir qui fait quoi près de cette commune" in names
    assert not any(name.startswith(("Boën", "Saint-Étienne")) for name in names)
    assert "Espace de Savigneux : à 1,5 km" in names and "Maison de Saint-Anthème : à 14 km" in names
    assert len(tree.findall(".//{*}circle")) == 3
    assert 'id="carte-pres-titre"' in svg and "Les lieux d’accueil autour de Montbrison" in svg


def test_lieux_show_their_public_contacts_and_people_never_their_personal_ones(client, geo, loire, member):
    lieu_at(
        geo.montbrison,
        "Médiathèque",
        public_phone="04 77 00 00 00",
        public_email="accueil@mediatheque.example",
        booking_url="https://rdv.example/mediatheque",
    )
    make_advisor(
        "Publique",
        departement=loire,
        commune=geo.montbrison,
        public=True,
        contact_email="perso@example.org",
        phone="06 12 34 56 78",
    )
    response = client.get(near_url(geo.montbrison))
    text, html = page_text(response), response.content.decode()
    assert "Téléphone de l’accueil : 04 77 00 00 00" in text
    assert 'href="tel:0477000000"' in html
    assert 'href="mailto:accueil@mediatheque.example"' in html
    assert '<a href="https://rdv.example/mediatheque" rel="noopener">Prendre rendez-vous en ligne</a>' in html
    for client_of in (None, member):
        if client_of:
            client.force_login(client_of)
        html = client.get(near_url(geo.montbrison)).content.decode()
        assert "Publique" in html
        assert "perso@example.org" not in html and "06 12 34 56 78" not in html


@pytest.fixture
def needs(geo, loire):
    """Two lieux and two people in Montbrison who answer different needs."""
    demarches = Domain.objects.get(slug="aide-aux-demarches-administratives")
    outils = Domain.objects.get(slug="maitrise-des-outils-numeriques-du-quotidien")
    portuguese, seniors = Language.objects.get(code="pt"), Public.objects.get(slug="seniors")
    caf = SkillFactory(name="Caf et allocations", slug="caf-et-allocations", domain=demarches)
    smartphone = SkillFactory(name="Prendre en main son smartphone", slug="smartphone", domain=outils)

    open_lieu = lieu_at(geo.montbrison, "Maison France Services")
    open_lieu.structure.services.add(demarches)
    open_lieu.structure.publics.add(seniors)
    OpeningSlotFactory(lieu=open_lieu, weekday=1, opens="09:00", closes="12:00")
    closed = lieu_at(geo.savigneux, "Atelier numérique")
    closed.structure.services.add(outils)
    OpeningSlotFactory(lieu=closed, weekday=1, opens="14:00", closes="17:00")

    ana = make_advisor("Ana", departement=loire, commune=geo.montbrison, structure=open_lieu.structure, public=True)
    ana.languages.add(portuguese)
    ana.publics.add(seniors)
    AdvisorSkillFactory(advisor=ana, skill=caf, level=SkillLevel.MASTER)
    AdvisorSkillFactory(advisor=ana, skill=smartphone, level=SkillLevel.LEARN)  # wanting to learn is no answer
    bruno = make_advisor("Bruno", departement=loire, commune=geo.savigneux, structure=closed.structure, public=True)
    bruno.intervention_communes.add(geo.montbrison)
    serving_refresh(advisors=[bruno])
    AdvisorSkillFactory(advisor=bruno, skill=smartphone, level=SkillLevel.PRACTICE)
    return SimpleNamespace(demarches=demarches, outils=outils, caf=caf, smartphone=smartphone, seniors=seniors)


@pytest.mark.parametrize(
    ("query", "lieux", "people"),
    [
        ({}, ["Maison France Services", "Atelier numérique"], ["Ana", "Bruno"]),
        ({"service": "aide-aux-demarches-administratives"}, ["Maison France Services"], ["Ana"]),
        ({"service": "maitrise-des-outils-numeriques-du-quotidien"}, ["Atelier numérique"], ["Bruno"]),
        ({"competence": "smartphone"}, ["Atelier numérique"], ["Bruno"]),
        ({"competence": "caf-et-allocations"}, ["Maison France Services"], ["Ana"]),
        ({"langue": "pt"}, ["Maison France Services"], ["Ana"]),
        ({"public": "seniors"}, ["Maison France Services"], ["Ana"]),
        ({"ouvert": "on"}, ["Maison France Services"], ["Ana", "Bruno"]),
        ({"langue": "pt", "service": "maitrise-des-outils-numeriques-du-quotidien"}, [], []),
    ],
)
def test_filters_narrow_both_lists(client, geo, needs, frozen, query, lieux, people):
    response = client.get(near_url(geo.montbrison), query)
    assert response.status_code == 200
    assert lieu_names(response) == lieux
    assert people_names(response) == people
    if not lieux and not people:
        assert "Personne ne correspond à ces critères près de Montbrison." in page_text(response)


@pytest.mark.parametrize("way", ["structure", "permanence"])
def test_a_lieu_speaks_a_language_only_through_profiles_the_viewer_may_see(client, geo, loire, member, way):
    # The only Portuguese speaker of the lieu has a profile for the network: a visitor must not learn,
    # through the lieu, that a hidden person speaks Portuguese there.
    lieu = lieu_at(geo.montbrison, "Médiathèque")
    if way == "structure":
        hidden = make_advisor("Réseau", departement=loire, commune=geo.montbrison, structure=lieu.structure)
    else:
        hidden = make_advisor("Réseau", departement=loire, commune=geo.savigneux)
        PermanenceFactory(advisor=hidden, lieu=lieu)
    hidden.languages.add(Language.objects.get(code="pt"))
    assert lieu_names(client.get(near_url(geo.montbrison), {"langue": "pt"})) == []
    client.force_login(member)
    assert lieu_names(client.get(near_url(geo.montbrison), {"langue": "pt"})) == ["Médiathèque"]


def test_without_a_point_a_lieu_speaks_a_language_only_through_visible_profiles(client, places, loire, member):
    lieu = LieuFactory(name="Médiathèque de Firminy", structure__commune=places.firminy)
    hidden = make_advisor("Réseau", departement=loire, commune=places.firminy, structure=lieu.structure)
    hidden.languages.add(Language.objects.get(code="pt"))
    assert group_names(client.get(near_url(places.firminy), {"langue": "pt"}), 0, "lieux") == []
    client.force_login(member)
    assert group_names(client.get(near_url(places.firminy), {"langue": "pt"}), 0, "lieux") == [
        "Médiathèque de Firminy"
    ]


def test_the_filters_form_is_labelled_and_a_wrong_value_is_said_next_to_it(client, geo, needs):
    response = client.get(near_url(geo.montbrison), {"service": "nimporte-quoi", "langue": "pt"})
    assert response.status_code == 200
    assert field_errors(response, "service") == ["Choisissez un service de la liste."]
    assert people_names(response) == ["Ana"]  # the language still filters
    html = response.content.decode()
    for name in ("service", "competence", "langue", "public", "ouvert"):
        assert f'<label for="id_{name}">' in html
    assert 'method="get"' in html


def test_voir_plus_leads_to_the_directory_and_structures_with_the_same_filters(client, geo, loire, needs):
    for index in range(overview_queries.NEAR_ADVISORS + 2):
        advisor = make_advisor(f"P{index:02d}", departement=loire, commune=geo.champdieu, public=True)
        advisor.intervention_communes.add(geo.montbrison)
        advisor.languages.add(Language.objects.get(code="pt"))
        serving_refresh(advisors=[advisor])
    for index in range(overview_queries.NEAR_LIEUX + 1):
        lieu_at(geo.champdieu, f"Lieu {index:02d}").structure.services.add(needs.demarches)
    response = client.get(near_url(geo.montbrison), {"langue": "pt"})
    assert len(people_names(response)) == overview_queries.NEAR_ADVISORS
    assert people_names(response)[0] == "Ana"
    text = page_text(response)
    assert "15 conseillers qui correspondent à vos critères" in text
    assert "Voir la suite dans l’annuaire (3 autres)" in text
    link = re.search(r'href="(/conseillers/\?[^"]+)">Voir la suite', response.content.decode())[1]
    directory = client.get(unescape(link))
    assert directory.context["page"].paginator.count == 15
    response = client.get(near_url(geo.montbrison), {"service": needs.demarches.slug})
    assert len(lieu_names(response)) == overview_queries.NEAR_LIEUX
    html = response.content.decode()
    assert f"service={needs.demarches.pk}" in html and "/structures/?commune=Montbrison" in html
    assert "Voir les 2 autres lieux à moins de 30 km" in page_text(response)
    link = re.search(r'href="([^"]+)#near-lieux">Voir les 2 autres', html)[1]
    everything = client.get(near_url(geo.montbrison) + unescape(link))
    assert len(lieu_names(everything)) == overview_queries.NEAR_LIEUX + 2
    assert lieu_names(everything)[0] == "Maison France Services"
    assert "Voir les" not in page_text(everything)


def populate_near(geo, loire, count, needs):
    communes = [geo.montbrison, geo.savigneux, geo.champdieu, geo.saint_antheme, geo.boen]
    for index in range(count):
        commune = communes[index % len(communes)]
        structure = StructureFactory(commune=commune)
        structure.services.add(needs.demarches)
        structure.publics.add(needs.seniors)
        advisor = make_advisor(f"Q{index}", departement=loire, commune=commune, structure=structure, public=True)
        advisor.intervention_communes.add(geo.montbrison)
        advisor.languages.add(Language.objects.get(code="pt"))
        advisor.publics.add(needs.seniors)
        AdvisorSkillFactory(advisor=advisor, skill=needs.caf, level=SkillLevel.MASTER)
        serving_refresh(advisors=[advisor])
        lieu = LieuFactory(structure=structure)
        OpeningSlotFactory(lieu=lieu)
        OpeningSlotFactory(lieu=lieu, weekday=3)
        PermanenceFactory(advisor=advisor, lieu=lieu)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"competence": "caf-et-allocations", "langue": "pt", "public": "seniors", "ouvert": "on"},
        {"service": "aide-aux-demarches-administratives"},
    ],
)
def test_near_by_distance_queries(client, geo, loire, needs, frozen, query):
    populate_near(geo, loire, 3, needs)
    with CaptureQueriesContext(connection) as small:
        client.get(near_url(geo.montbrison), query)
    populate_near(geo, loire, 30, needs)
    with CaptureQueriesContext(connection) as large:
        response = client.get(near_url(geo.montbrison), query)
    assert len(large) == len(small), "\n".join(q["sql"][:150] for q in large.captured_queries)
    assert len(response.context["advisors"].items) == overview_queries.NEAR_ADVISORS
    assert response.context["lieux"].items
    # Commune; each value of the form checked (up to three here); advisors (and, with a skill, their levels);
    # lieux with their slots and closures; map communes and outlines; coordinators and their profiles; events;
    # the form's four lists.
    assert len(large) <= 17


def test_a_commune_without_a_point_keeps_the_grouping_and_the_filters(client, places, loire):
    ana = make_advisor("Ana", departement=loire, commune=places.firminy, public=True)
    ana.languages.add(Language.objects.get(code="pt"))
    make_advisor("Bruno", departement=loire, commune=places.firminy, public=True)
    response = client.get(near_url(places.firminy), {"langue": "pt"})
    assert headings(response)[0] == "À Firminy"
    assert group_names(response, 0) == ["Ana Martin"]
    assert "lieux" not in response.context and "map" not in response.context


def test_without_a_point_ouvert_maintenant_keeps_the_open_lieux_of_each_level(client, places, frozen):
    open_here = LieuFactory(name="Ouvert ici", structure__commune=places.firminy)
    OpeningSlotFactory(lieu=open_here, weekday=1, opens="09:00", closes="12:00")
    closed_here = LieuFactory(name="Fermé ici", structure__commune=places.firminy)
    OpeningSlotFactory(lieu=closed_here, weekday=1, opens="14:00", closes="17:00")
    open_epci = LieuFactory(name="Ouvert à Saint-Étienne", structure__commune=places.saint_etienne)
    OpeningSlotFactory(lieu=open_epci, weekday=1, opens="08:00", closes="18:00")
    response = client.get(near_url(places.firminy), {"ouvert": "on"})
    assert group_names(response, 0, "lieux") == ["Ouvert ici"]
    assert group_names(response, 1, "lieux") == ["Ouvert à Saint-Étienne"]
    assert "Fermé ici" not in page_text(response)


def test_ouvert_maintenant_respects_closures_and_public_holidays(client, geo, needs, monkeypatch):
    maison = Lieu.objects.get(name="Maison France Services")
    # Tuesday 3 March 2026, 10 h: open, unless closed that week.
    monkeypatch.setattr(overview_views, "timezone", SimpleNamespace(now=lambda: TUESDAY_10H))
    LieuClosure.objects.create(lieu=maison, starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 6), reason="travaux")
    response = client.get(near_url(geo.montbrison), {"ouvert": "on"})
    assert lieu_names(response) == []
    assert "Ouvert maintenant" not in page_text(response)
    # Tuesday 14 July 2026, 10 h: the Fête nationale.
    holiday = datetime(2026, 7, 14, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    monkeypatch.setattr(overview_views, "timezone", SimpleNamespace(now=lambda: holiday))
    assert lieu_names(client.get(near_url(geo.montbrison), {"ouvert": "on"})) == []
    # Tuesday 7 July 2026, 10 h: open.
    ordinary = datetime(2026, 7, 7, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    monkeypatch.setattr(overview_views, "timezone", SimpleNamespace(now=lambda: ordinary))
    assert lieu_names(client.get(near_url(geo.montbrison), {"ouvert": "on"})) == ["Maison France Services"]
