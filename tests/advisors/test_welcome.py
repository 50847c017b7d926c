"""The welcome panel of "Mon réseau": a newcomer's coordinators, closest colleagues and promo."""

import pytest
from django.urls import reverse
from django.utils import timezone

from advisors.models import Membership
from tests.advisors.directory_data import build_places, make_advisor
from tests.advisors.factories import AdvisorFactory, CohortFactory, MembershipFactory, StructureFactory
from tests.animation.factories import ChannelFactory
from tests.pages import page_text


@pytest.fixture
def places(loire, savoie):
    return build_places(loire, savoie)


MY_NETWORK = reverse("advisors:my_network")


@pytest.fixture
def newcomer(places, loire):
    """Arrived ten days ago in Firminy, promo 2025, profile still thin."""
    promo = CohortFactory(slug="promo-2025", name="Promo 2025")
    advisor = make_advisor("Nouvelle", "Venue", departement=loire, commune=places.firminy, newcomer=True, cohort=promo)
    return advisor


def test_a_newcomer_is_welcomed(client, places, loire, savoie, newcomer):
    coordinator = MembershipFactory(
        departement=loire, coordinator=True, user__first_name="Nadia", user__last_name="Benali"
    ).user
    MembershipFactory(departement=savoie, coordinator=True, user__first_name="Savoie", user__last_name="Coord")
    make_advisor("Voisine", departement=loire, commune=places.firminy)
    make_advisor("Métropole", departement=loire, commune=places.saint_etienne)
    make_advisor("Pilat", departement=loire, commune=places.bourg_argental)
    make_advisor("Secrète", departement=loire, commune=places.firminy, coordinators_only=True)
    make_advisor("Camarade", departement=savoie, commune=places.chambery, cohort=newcomer.cohort)
    make_advisor("Cachée", departement=savoie, commune=places.chambery, cohort=newcomer.cohort, coordinators_only=True)
    client.force_login(newcomer.user)
    response = client.get(MY_NETWORK)
    text = page_text(response)
    assert "Bienvenue dans le réseau !" in text
    assert "ajoutez votre structure et une courte présentation." in text
    welcome = response.context["welcome"]
    assert [membership.user for membership in welcome.coordinators] == [coordinator]
    assert "Nadia Benali" in text and "Savoie Coord" not in text
    assert [advisor.user.first_name for advisor in welcome.closest] == ["Voisine", "Métropole", "Pilat"]
    assert "Près de chez vous (Firminy)" in text
    assert f'href="{reverse("overview:near", args=[places.firminy.code])}"' in response.content.decode()
    assert [advisor.user.first_name for advisor in welcome.promo] == ["Camarade"]
    assert "Votre promo : Promo 2025" in text and 'href="/promos/promo-2025/"' in response.content.decode()
    assert "Secrète" not in text and "Cachée" not in text


def test_no_welcome_for_a_settled_member_with_a_full_profile(client, places, loire):
    advisor = make_advisor(
        "Ancienne",
        departement=loire,
        commune=places.firminy,
        structure=StructureFactory(commune=places.firminy),
        bio="J’anime des ateliers depuis 2019.",
    )
    client.force_login(advisor.user)
    assert "Bienvenue dans le réseau" not in page_text(client.get(MY_NETWORK))
    # An incomplete profile brings the panel back, whatever the arrival date.
    advisor.bio = ""
    advisor.save()
    assert "ajoutez une courte présentation." in page_text(client.get(MY_NETWORK))


def test_no_welcome_without_an_active_membership(client, places, loire, pending_member):
    AdvisorFactory(user=pending_member, departement=loire, newcomer=True, membership=False)
    client.force_login(pending_member)
    assert "Bienvenue dans le réseau" not in page_text(client.get(MY_NETWORK))


def test_a_newcomer_without_commune_is_asked_for_one(client, loire):
    advisor = make_advisor("Sans", departement=loire, newcomer=True)
    client.force_login(advisor.user)
    text = page_text(client.get(MY_NETWORK))
    assert "Indiquez votre commune dans votre profil pour voir les collègues les plus proches." in text
    assert "ajoutez votre structure, votre commune et une courte présentation." in text


def test_the_commune_given_when_joining_is_used_until_the_profile_has_one(client, places, loire):
    advisor = make_advisor("Sans", departement=loire, newcomer=True)
    Membership.objects.filter(user=advisor.user).update(commune=places.saint_etienne)
    make_advisor("Stéphanoise", departement=loire, commune=places.saint_etienne)
    client.force_login(advisor.user)
    response = client.get(MY_NETWORK)
    assert "Près de chez vous (Saint-Étienne)" in page_text(response)
    assert response.context["welcome"].closest[0].user.first_name == "Stéphanoise"


def test_my_network_welcome_queries(client, places, loire, newcomer, django_assert_num_queries):
    client.force_login(newcomer.user)
    # Session, user, memberships (once, for predicates and visibility), memberships listed, profile,
    # commune, promo, coordinators, closest, the network's channels (animation's template tag).
    with django_assert_num_queries(10):
        client.get(MY_NETWORK)
    for index in range(20):
        make_advisor(f"P{index}", departement=loire, commune=places.firminy, cohort=newcomer.cohort)
        MembershipFactory(departement=loire, coordinator=True)
        space = ChannelFactory(departement=loire, name=f"Espace {index}")
        ChannelFactory(departement=loire, parent=space)
    with django_assert_num_queries(10):
        response = client.get(MY_NETWORK)
    assert len(response.context["welcome"].closest) == 6
    assert timezone.localdate() > newcomer.arrival_date
