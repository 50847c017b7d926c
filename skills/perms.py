"""Who may do what with the shared list of skills. Plain predicates, used by views and templates.

Moderation rule: a *proposed* skill belongs to the network where it was proposed, so the
coordinators of that département validate, rename or merge it. A *validated* skill is
national (every département's profiles use it): renaming or merging it is left to the staff
(``is_staff``), not to any one département's coordinators. Staff may moderate every skill.
"""

from advisors.perms import is_coordinator, is_member_anywhere
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


def can_view_skill(user, skill):
    """Same rule as ``Skill.objects.visible_to`` (plus staff), for one skill already loaded."""
    if skill.status == SkillStatus.VALIDATED:
        return True
    if not user.is_authenticated:
        return False
    return user.is_staff or skill.proposed_by_id == user.pk or is_coordinator(user, skill.proposed_in_id)
