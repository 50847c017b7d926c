"""The network predicates of advisors/perms.py, for every kind of person, one rule at a time."""

import pytest
from django.contrib.auth.models import AnonymousUser

from advisors import perms
from advisors.enums import Visibility
from advisors.models import Advisor, User
from tests.advisors.factories import AdvisorFactory, InvitationFactory, MembershipFactory, UserFactory

PEOPLE = [
    "anonymous",
    "outsider",
    "pending",
    "refused",
    "member",
    "other_member",
    "other_coordinator",
    "coordinator",
]


@pytest.fixture
def people(loire, savoie):
    """One person of each kind, seen from the Loire network (Savoie is the other département)."""
    return {
        "anonymous": AnonymousUser(),
        "outsider": UserFactory(),
        "pending": MembershipFactory(departement=loire, pending=True).user,
        "refused": MembershipFactory(departement=loire, refused=True).user,
        "member": MembershipFactory(departement=loire).user,
        "other_member": MembershipFactory(departement=savoie).user,
        "other_coordinator": MembershipFactory(departement=savoie, coordinator=True).user,
        "coordinator": MembershipFactory(departement=loire, coordinator=True).user,
    }


def fresh(user):
    """The user as a new request would see it: the predicates' per-object cache is empty."""
    return user if isinstance(user, AnonymousUser) else User.objects.get(pk=user.pk)


def expect(*allowed):
    return [pytest.param(who, who in allowed, id=who) for who in PEOPLE]


@pytest.mark.parametrize(("who", "expected"), expect("pending", "refused", "member", "coordinator"))
def test_membership_in(people, loire, who, expected):
    membership = perms.membership_in(people[who], loire)
    assert (membership is not None) is expected
    if expected:
        assert membership.user_id == people[who].pk
        assert membership.departement_id == "42"
    # A code works as well as the département itself.
    assert perms.membership_in(fresh(people[who]), "42") == membership


@pytest.mark.parametrize(("who", "expected"), expect("member", "coordinator"))
def test_is_member(people, loire, who, expected):
    assert perms.is_member(people[who], loire) is expected
    assert perms.is_member(fresh(people[who]), "42") is expected


@pytest.mark.parametrize(("who", "expected"), expect("coordinator"))
def test_is_coordinator(people, loire, who, expected):
    assert perms.is_coordinator(people[who], loire) is expected


@pytest.mark.parametrize(("who", "expected"), expect("outsider", "other_member", "other_coordinator"))
def test_can_request_membership(people, loire, who, expected):
    """Logged-in people without any request there yet; a refused request is not asked twice."""
    assert perms.can_request_membership(people[who], loire) is expected


@pytest.mark.parametrize(("who", "expected"), expect("coordinator"))
def test_can_review_memberships(people, loire, who, expected):
    assert perms.can_review_memberships(people[who], loire) is expected


@pytest.mark.parametrize(("who", "expected"), expect("coordinator"))
def test_can_decide_membership(people, loire, who, expected):
    request = MembershipFactory(departement=loire, pending=True)
    assert perms.can_decide_membership(people[who], request) is expected


@pytest.mark.parametrize(("who", "expected"), expect("coordinator"))
def test_can_revoke_a_usable_invitation(people, loire, who, expected):
    invitation = InvitationFactory(departement=loire)
    assert perms.can_revoke_invitation(people[who], invitation) is expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [pytest.param(who, {"coordinator": ["42"], "other_coordinator": ["73"]}.get(who, []), id=who) for who in PEOPLE],
)
def test_coordinated_departement_codes(people, who, expected):
    assert perms.coordinated_departement_codes(people[who]) == expected


def test_a_pending_request_to_coordinate_gives_no_right(loire):
    """Asking to join as a coordinator is only a request until a coordinator approves it."""
    user = MembershipFactory(departement=loire, pending=True, coordinator=True).user
    assert not perms.is_member(user, loire)
    assert not perms.is_coordinator(user, loire)
    assert not perms.can_review_memberships(user, loire)
    assert perms.coordinated_departement_codes(user) == []


def test_a_refused_coordinator_request_gives_no_right(loire):
    user = MembershipFactory(departement=loire, refused=True, coordinator=True).user
    assert not perms.is_coordinator(user, loire)
    assert not perms.can_decide_membership(user, MembershipFactory(departement=loire, pending=True))


def test_a_coordinator_cannot_decide_their_own_membership(loire):
    own = MembershipFactory(departement=loire, coordinator=True)
    assert not perms.can_decide_membership(own.user, own)


def test_a_coordinator_of_one_departement_decides_only_there(loire, savoie):
    user = MembershipFactory(departement=savoie, coordinator=True).user
    MembershipFactory(user=user, departement=loire)  # a plain member in the Loire
    assert perms.can_decide_membership(user, MembershipFactory(departement=savoie, pending=True))
    assert not perms.can_decide_membership(user, MembershipFactory(departement=loire, pending=True))
    assert perms.coordinated_departement_codes(user) == ["73"]


def test_coordinated_departement_codes_are_sorted(loire, savoie):
    user = MembershipFactory(departement=savoie, coordinator=True).user
    MembershipFactory(user=user, departement=loire, coordinator=True)
    assert perms.coordinated_departement_codes(user) == ["42", "73"]


@pytest.mark.parametrize("invitation_kwargs", ["used", "revoked", "expired"])
def test_no_one_revokes_an_invitation_that_is_no_longer_usable(coordinator, loire, invitation_kwargs):
    invitation = InvitationFactory(departement=loire, **{invitation_kwargs: True})
    assert not perms.can_revoke_invitation(coordinator, invitation)


def test_predicates_load_the_memberships_once_per_user_object(coordinator, loire, savoie, django_assert_num_queries):
    user = fresh(coordinator)
    with django_assert_num_queries(1):
        perms.is_member(user, loire)
        perms.is_coordinator(user, loire)
        perms.can_review_memberships(user, savoie)
        perms.can_request_membership(user, savoie)
        perms.coordinated_departement_codes(user)


def test_anonymous_visitors_cost_no_query(loire, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert perms.membership_in(AnonymousUser(), loire) is None
        assert perms.coordinated_departement_codes(AnonymousUser()) == []


# The visibility of a profile: the list filter and the detail predicate are one rule.

VIEWERS = ["anonymous", "outsider", "pending", "other_member", "member", "other_coordinator", "coordinator"]
VIEWERS += ["owner", "staff"]


@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("who", VIEWERS)
def test_the_list_filter_and_the_profile_predicate_agree(people, loire, who, visibility):
    advisor = AdvisorFactory(departement=loire, visibility=visibility)
    viewer = {"owner": advisor.user, "staff": UserFactory(is_staff=True)}.get(who) or people[who]
    listed = Advisor.objects.visible_to(fresh(viewer)).filter(pk=advisor.pk).exists()
    assert listed == perms.can_view_advisor(fresh(viewer), advisor)
    # The rule itself, so that two wrong answers that agree do not pass.
    expected = (
        visibility == Visibility.PUBLIC
        or who == "owner"
        or (visibility == Visibility.NETWORK and who in {"other_member", "member", "other_coordinator", "coordinator"})
        or who == "coordinator"
    )
    assert listed == expected
