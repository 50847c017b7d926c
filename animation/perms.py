"""Who may do what with the network's life. Plain predicates, used by views and templates.

- The partners directory, the channels and the archive of letters belong to a département network:
  its active members read them (coordinators included); anonymous visitors and other networks do not
  (a partner's contact person and a channel's invitation link are not for the open web).
- Members suggest partners and say they know one; the coordinators publish, edit, refuse and delete.
- Channels, their webhooks, the dashboard, reminders and the letter are the coordinators' work.
"""

from advisors.perms import is_coordinator, is_member
from animation.enums import PartnerStatus


def can_view_network_life(user, departement):
    return is_member(user, departement)


def can_suggest_partner(user, departement):
    return is_member(user, departement)


def can_manage_partners(user, departement):
    return is_coordinator(user, departement)


def can_view_partner(user, partner):
    """A published partner: its network's members; a suggestion: its suggester (still a member) and the
    coordination; a refused one: the coordination only (``queries.partners.partners_for``, the same rule)."""
    if can_manage_partners(user, partner.departement_id):
        return True
    if not is_member(user, partner.departement_id):
        return False
    if partner.status == PartnerStatus.PUBLISHED:
        return True
    return partner.status == PartnerStatus.SUGGESTED and partner.suggested_by_id == user.pk


def can_know_partner(user, partner):
    """« Je connais ce partenaire » : the network's members, on a published partner."""
    return partner.status == PartnerStatus.PUBLISHED and is_member(user, partner.departement_id)


def can_edit_partner(user, partner):
    return can_manage_partners(user, partner.departement_id)


def can_manage_channels(user, departement):
    return is_coordinator(user, departement)


def can_view_dashboard(user, departement):
    return is_coordinator(user, departement)


def can_manage_letters(user, departement):
    return is_coordinator(user, departement)


def can_read_letter(user, letter):
    """A sent letter: its network's members; a draft: its coordinators only."""
    if can_manage_letters(user, letter.departement_id):
        return True
    return letter.sent_at is not None and is_member(user, letter.departement_id)
