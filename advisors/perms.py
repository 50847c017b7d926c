"""Who may do what in a département network. Plain predicates, used by views and templates."""

from advisors.enums import MembershipRole, MembershipStatus


def _memberships(user):
    """The user's memberships, loaded once per request object."""
    if not user.is_authenticated:
        return {}
    cache = getattr(user, "_memberships_by_dep", None)
    if cache is None:
        cache = {membership.departement_id: membership for membership in user.memberships.all()}
        user._memberships_by_dep = cache
    return cache


def membership_in(user, departement):
    return _memberships(user).get(getattr(departement, "code", departement))


def is_member(user, departement):
    """Active member (coordinators included) of the département's network."""
    membership = membership_in(user, departement)
    return membership is not None and membership.status == MembershipStatus.ACTIVE


def is_coordinator(user, departement):
    membership = membership_in(user, departement)
    return (
        membership is not None
        and membership.status == MembershipStatus.ACTIVE
        and membership.role == MembershipRole.COORDINATOR
    )


def can_request_membership(user, departement):
    """Anyone logged in who has no request or membership there yet."""
    return user.is_authenticated and membership_in(user, departement) is None


def can_review_memberships(user, departement):
    """Approve or refuse requests to join, send invitations: the coordinators of that département."""
    return is_coordinator(user, departement)


def can_decide_membership(user, membership):
    return can_review_memberships(user, membership.departement_id) and membership.user_id != user.pk


def can_revoke_invitation(user, invitation):
    return can_review_memberships(user, invitation.departement_id) and invitation.is_usable


def coordinated_departement_codes(user):
    return sorted(
        code
        for code, membership in _memberships(user).items()
        if membership.status == MembershipStatus.ACTIVE and membership.role == MembershipRole.COORDINATOR
    )
