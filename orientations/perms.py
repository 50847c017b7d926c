"""Who may do what with orientations. Plain predicates, used by views and templates.

- Any active member of a network may orient a person (to anyone in any network: people move).
- An orientation is seen by its sender, by its receivers (the receiving advisor, while an active
  member of a network; for a lieu, the advisors attached to the lieu's structure who are active
  members of the lieu's département network), and by the coordinators of its département. Someone
  who left the network (or was never accepted) receives nothing, even with a profile still there.
- Only the sender and the receivers see the person's personal data; coordinators see the
  need, the structures and the state (the network's flows), never who the person is.
- The receivers change its state (prise en charge, réorientée, sans suite).
"""

from advisors.models import Advisor, Membership
from advisors.perms import advisor_of, is_coordinator, is_member, is_member_anywhere


def can_orient(user):
    return is_member_anywhere(user)


def is_sender(user, orientation):
    return user.is_authenticated and orientation.sender_id == user.pk


def is_receiver(user, orientation):
    """``queries.follow.received_condition`` for one orientation (keep them agreeing)."""
    if not user.is_authenticated:
        return False
    advisor = advisor_of(user)
    if advisor is None:
        return False
    if orientation.receiver_advisor_id is not None and orientation.receiver_advisor_id == advisor.pk:
        return is_member_anywhere(user)
    if orientation.receiver_lieu_id is not None:
        structure_id = orientation.receiver_structure_id
        return (
            structure_id is not None
            and advisor.structure_id == structure_id
            and is_member(user, orientation.receiver_lieu.departement_id)
        )
    return False


def can_view_orientation(user, orientation):
    return (
        is_sender(user, orientation)
        or is_receiver(user, orientation)
        or is_coordinator(user, orientation.departement_id)
    )


def can_see_person(user, orientation):
    """The person's first name and contact: sender and receivers only."""
    return is_sender(user, orientation) or is_receiver(user, orientation)


def can_change_status(user, orientation):
    return is_receiver(user, orientation)


def can_view_flows(user, departement):
    return is_coordinator(user, departement)


def receivers_of_lieu(lieu):
    """The advisors who answer for a lieu: those attached to its structure who are active members of
    the lieu's département network (``is_receiver``)."""
    members = Membership.objects.active().filter(departement_id=lieu.departement_id).values("user_id")
    return Advisor.objects.filter(structure_id=lieu.structure_id, user_id__in=members)
