"""Who may do what in a département network. Plain predicates, used by views and templates."""

from advisors.enums import Visibility
from advisors.models import Advisor, memberships_of


def membership_in(user, departement):
    return memberships_of(user).get(getattr(departement, "code", departement))


def is_member(user, departement):
    """Active member (coordinators included) of the département's network."""
    membership = membership_in(user, departement)
    return membership is not None and membership.is_active


def is_coordinator(user, departement):
    membership = membership_in(user, departement)
    return membership is not None and membership.is_coordinator


def can_request_membership(user, departement):
    """Anyone logged in who has no request or membership there yet."""
    return user.is_authenticated and membership_in(user, departement) is None


def can_review_memberships(user, departement):
    """Approve or refuse requests to join, send invitations: the coordinators of that département."""
    return is_coordinator(user, departement)


def can_decide_membership(user, membership):
    return can_review_memberships(user, membership.departement_id) and membership.user_id != user.pk


def can_manage_invitation(user, invitation):
    return can_review_memberships(user, invitation.departement_id)


def can_revoke_invitation(user, invitation):
    return can_manage_invitation(user, invitation) and invitation.is_usable


def coordinated_departement_codes(user):
    return sorted(code for code, membership in memberships_of(user).items() if membership.is_coordinator)


def is_member_anywhere(user):
    return any(membership.is_active for membership in memberships_of(user).values())


def can_view_advisor(user, advisor):
    """Same rule as ``Advisor.objects.visible_to``, for one profile already loaded."""
    if user.is_authenticated and advisor.user_id == user.pk:
        return True
    if advisor.visibility == Visibility.PUBLIC:
        return True
    if advisor.visibility == Visibility.NETWORK and is_member_anywhere(user):
        return True
    return is_coordinator(user, advisor.departement_id)


def can_see_contact(user, advisor):
    """Email, phone and handles: never to anonymous visitors."""
    return user.is_authenticated and can_view_advisor(user, advisor)


def can_edit_profile(user, advisor):
    return user.is_authenticated and advisor.user_id == user.pk


def advisor_of(user):
    """``user``'s profile; ``None`` for visitors and accounts without one (read once per request:
    Django caches ``user.advisor``)."""
    if not user.is_authenticated:
        return None
    try:
        return user.advisor
    except Advisor.DoesNotExist:
        return None


def can_create_structure(user, departement):
    """Active members of a network add the structures of its département."""
    return is_member(user, departement)


def can_edit_structure(user, structure):
    """Its creator and its attached advisors, while members of its département's network, and
    the coordinators of that département.

    Picking a structure in "Mon profil" only asks to be attached (``StructureAttachment``):
    ``Advisor.structure`` is set once the request is accepted, so it gives no right before.
    """
    if not user.is_authenticated:
        return False
    if is_coordinator(user, structure.departement_id):
        return True
    if not is_member(user, structure.departement_id):
        return False
    if structure.created_by_id == user.pk:
        return True
    advisor = advisor_of(user)
    return advisor is not None and advisor.structure_id == structure.pk


def can_edit_lieu(user, lieu):
    return can_edit_structure(user, lieu.structure)


def can_decide_attachment(user, attachment):
    """Accept or refuse a request to join a structure: its editors, never the person asking."""
    return attachment.advisor.user_id != user.pk and can_edit_structure(user, attachment.structure)


def can_review_place_requests(user, departement):
    """Accept or refuse the perimeter communes and the lieux that structures of other
    départements ask to have in this one: its coordinators."""
    return is_coordinator(user, departement)


def can_decide_lieu(user, lieu):
    return can_review_place_requests(user, lieu.departement_id)


def can_leave_membership(user, membership):
    """One's own membership or pending request; a refusal stays on record."""
    return user.is_authenticated and membership.user_id == user.pk and (membership.is_active or membership.is_pending)
