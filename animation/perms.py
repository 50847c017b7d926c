"""Who may do what with the network's life. Plain predicates, used by views and templates.

- The partners directory, the channels and the archive of letters belong to a département network:
  its active members read them (coordinators included); anonymous visitors and other networks do not
  (a partner's contact person and a channel's invitation link are not for the open web).
- Members suggest partners and say they know one; the coordinators publish, edit, refuse and delete.
- Channels, their webhooks, the dashboard, reminders and the letter are the coordinators' work.
"""

from advisors.perms import is_coordinator, is_member


def can_view_network_life(user, departement):
    return is_member(user, departement)


def can_suggest_partner(user, departement):
    return is_member(user, departement)


def can_manage_partners(user, departement):
    return is_coordinator(user, departement)


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
