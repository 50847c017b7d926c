"""Who may do what with orientations. Plain predicates, used by views and templates.

- Any active member of a network may orient a person (to anyone in any network: people move).
- An orientation is seen by its sender, by its receivers (the receiving advisor; for a lieu, the
  advisors attached to the lieu's structure), and by the coordinators of its département.
- Only the sender and the receivers see the person's personal data; coordinators see the
  need, the structures and the state (the network's flows), never who the person is.
- The receivers change its state (prise en charge, réorientée, sans suite).
"""

from advisors.models import Advisor
from advisors.perms import advisor_of, is_coordinator, is_member_anywhere


def can_orient(user):
    return is_member_anywhere(user)


def is_sender(user, orientation):
    return user.is_authenticated and orientation.sender_id == user.pk


def is_receiver(user, orientation):
    if not user.is_authenticated:
        return False
    advisor = advisor_of(user)
    if advisor is None:
        return False
    if orientation.receiver_advisor_id is not None and orientation.receiver_advisor_id == advisor.pk:
        return True
    if orientation.receiver_lieu_id is not None:
        structure_id = orientation.receiver_structure_id
        return structure_id is not None and advisor.structure_id == structure_id
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
    """The advisors who answer for a lieu: those attached to its structure."""
    return Advisor.objects.filter(structure_id=lieu.structure_id)
