"""Who may do what with the shared list of skills. Plain predicates, used by views and templates.

Moderation rule: a *proposed* skill belongs to the network where it was proposed, so the
coordinators of that département validate, rename or merge it. A *validated* skill is
national (every département's profiles use it): renaming or merging it is left to the staff
(``is_staff``), not to any one département's coordinators. Staff may moderate every skill.

Project cards ("cartes projets") are seen by whoever may see their author's profile; their author edits them,
the département's coordinators may delete them.
"""

from advisors.perms import can_view_advisor, is_coordinator, is_member, is_member_anywhere
from skills.enums import SkillStatus


def can_propose_skill(user):
    """Any active member, in any département."""
    return is_member_anywhere(user)


def can_moderate_skill(user, skill):
    """Validate, rename or merge ``skill``."""
    if not user.is_authenticated or skill.merged_into_id:
        return False
    if user.is_staff:
        return True
    return skill.status == SkillStatus.PROPOSED and is_coordinator(user, skill.proposed_in_id)


def can_export_map(user, territory):
    """The map's exports name people: the coordinators of (one of) the territory's départements."""
    return any(is_coordinator(user, code) for code in territory.departement_codes)


def can_view_skill(user, skill):
    """Same rule as ``Skill.objects.visible_to`` (plus staff), for one skill already loaded."""
    if skill.status == SkillStatus.VALIDATED:
        return True
    if not user.is_authenticated:
        return False
    return user.is_staff or skill.proposed_by_id == user.pk or is_coordinator(user, skill.proposed_in_id)


# Project cards


def can_view_card(user, card):
    """A card is seen by whoever may see its author's profile (same rule as ``visible_to``)."""
    return can_view_advisor(user, card.author)


def can_post_card(user, departement):
    """Active members of the département's network (coordinators included)."""
    return is_member(user, departement)


def can_edit_card(user, card):
    """Only the author, while still a member of the network the card was posted in."""
    return user.is_authenticated and card.author.user_id == user.pk and is_member(user, card.departement_id)


def can_delete_card(user, card):
    """The author, and the coordinators of the card's département (moderation)."""
    return can_edit_card(user, card) or is_coordinator(user, card.departement_id)


def can_mark_interest(user, card):
    """Members of the card's network who see it, except its author: "ça m'interpelle" is for the others."""
    return is_member(user, card.departement_id) and card.author.user_id != user.pk and can_view_card(user, card)


def can_see_interested(user, card):
    """Who is interested, and how to reach them: the author."""
    return user.is_authenticated and card.author.user_id == user.pk
