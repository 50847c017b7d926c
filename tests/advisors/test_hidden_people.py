"""« Ce que voit qui »: a figure counts everyone and says how many of them the viewer may not see;
a name appears only with a profile the viewer may see (README)."""

import pytest
from django.test import Client
from django.urls import reverse

from advisors.enums import Visibility
from tests.advisors.factories import AdvisorFactory, MembershipFactory
from tests.pages import page_text
from tests.skills.factories import ProjectCardFactory, ProjectInterestFactory
from tests.territories.factories import CommuneFactory


def person(departement, visibility, name, *, coordinator=False):
    advisor = AdvisorFactory(
        departement=departement, visibility=visibility, user__first_name=name, user__last_name="Testard"
    )
    if coordinator:
        advisor.user.memberships.update(role="coordinator")
    return advisor


@pytest.fixture
def loire_people(loire):
    """Coordinators (public, for members, without profile) and members of every visibility, one without profile."""
    return {
        "public_coordinator": person(loire, Visibility.PUBLIC, "Paule", coordinator=True),
        "network_coordinator": person(loire, Visibility.NETWORK, "Nina", coordinator=True),
        "public": person(loire, Visibility.PUBLIC, "Pablo"),
        "network": person(loire, Visibility.NETWORK, "Noé"),
        "coordinators_only": person(loire, Visibility.COORDINATORS, "Côme"),
        "no_profile": MembershipFactory(departement=loire, user__first_name="Sans", user__last_name="Profil").user,
        # Named as a profile of the default visibility would be: to members, not to visitors.
        "coordinator_without_profile": MembershipFactory(
            departement=loire, coordinator=True, user__first_name="Sandra", user__last_name="Bootstrap"
        ).user,
    }


def viewer_client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_a_visitor_reads_how_many_members_they_may_not_see_and_only_visible_coordinators_names(loire, loire_people):
    text = page_text(viewer_client().get(reverse("overview:departement", args=[loire.code])))

    assert "7 membres actifs, dont 5 au profil que vous ne pouvez pas voir." in text
    assert "Coordination : Paule Testard et 2 autres personnes au profil que vous ne pouvez pas voir." in text
    assert "Nina" not in text
    assert "Sans Profil" not in text
    assert "Sandra" not in text


def test_a_member_sees_the_coordinators_by_name_and_fewer_hidden_members(loire, loire_people):
    member = loire_people["network"].user
    text = page_text(viewer_client(member).get(reverse("overview:departement", args=[loire.code])))

    # Côme (coordinators only) and the two people without a profile have no profile to see.
    assert "7 membres actifs, dont 3 au profil que vous ne pouvez pas voir." in text
    assert "Coordination : Sandra Bootstrap, Nina Testard, Paule Testard." in text


def test_the_near_page_names_only_the_coordinators_one_may_see(loire, loire_people):
    commune = CommuneFactory(departement=loire)
    text = page_text(viewer_client().get(reverse("overview:near", args=[commune.code])))
    assert "Paule Testard" in text
    assert "Nina" not in text and "Sandra" not in text
    assert "et 2 autres personnes au profil que vous ne pouvez pas voir" in text


def test_a_newcomers_welcome_panel_counts_a_coordinator_whose_profile_they_may_not_see(loire):
    AdvisorFactory(departement=loire, visibility=Visibility.COORDINATORS, user__first_name="Cyrielle")
    MembershipFactory._meta.model.objects.filter(user__first_name="Cyrielle").update(role="coordinator")
    newcomer = AdvisorFactory(departement=loire, newcomer=True).user

    text = page_text(viewer_client(newcomer).get(reverse("advisors:my_network")))

    assert "Cyrielle" not in text
    assert "1 personne au profil que vous ne pouvez pas voir" in text
    assert "pas encore de coordinateur" not in text


def test_a_cards_interest_count_says_how_many_interested_people_the_viewer_may_not_see(loire):
    card = ProjectCardFactory(author=AdvisorFactory(departement=loire, public=True), title="Repair café")
    ProjectInterestFactory(card=card, advisor=AdvisorFactory(departement=loire, public=True))
    ProjectInterestFactory(card=card, advisor=AdvisorFactory(departement=loire))
    ProjectInterestFactory(card=card, advisor=AdvisorFactory(departement=loire, coordinators_only=True))
    board = reverse("skills:board") + f"?departement={loire.code}"
    detail = reverse("skills:card_detail", args=[card.pk])

    for url in (board, detail):
        text = page_text(viewer_client().get(url))
        assert "3 personnes interpellées" in text
        assert "dont 2 au profil que vous ne pouvez pas voir" in text

    member = AdvisorFactory(departement=loire).user
    text = page_text(viewer_client(member).get(board))
    assert "3 personnes interpellées, dont 1 au profil que vous ne pouvez pas voir" in text
