"""Près de chez moi and the commune page's summary of it."""

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from advisors.models import Membership
from overview import queries as overview_queries
from overview import views as overview_views
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
from tests.pages import page_text
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


@pytest.mark.parametrize(("who", "expected"), [(None, 7), ("member", 10)])
def test_near_me_queries(client, request, places, who, expected, django_assert_num_queries):
    # Commune, advisors of all groups, lieux of all groups, their hours and closures, coordinators with their visible
    # profile, upcoming events. Logged in: session, user, memberships (once, for the visibility and the
    # membership predicates).
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
