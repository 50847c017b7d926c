"""Reads of the shared list of skills and of a skill's page."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch

from advisors.models import Advisor
from advisors.perms import coordinated_departement_codes
from advisors.queries.territory import ADVISOR_NAME_ORDER, advisors_serving
from skills.enums import SkillStatus
from skills.models import AdvisorSkill, Domain, Skill

# On a skill's page, each level shows its first holders; the list of one level pages through all.
HOLDERS_PER_LEVEL = 20


def domains_with_skills():
    """The domains, each with its validated skills as ``validated_skills``: two queries."""
    return list(
        Domain.objects.prefetch_related(
            Prefetch(
                "skills", queryset=Skill.objects.validated().order_by("position", "name"), to_attr="validated_skills"
            )
        )
    )


def level_counts(user, departement):
    """``{(skill_id, level): n}`` over the profiles ``user`` may see in ``departement``: one query."""
    if departement is None:
        return {}
    rows = (
        AdvisorSkill.objects.filter(advisor__in=Advisor.objects.visible_to(user).filter(departement=departement))
        .values("skill", "level")
        .annotate(total=Count("pk"))
        .order_by()
    )
    return {(row["skill"], row["level"]): row["total"] for row in rows}


def moderation_queue(user):
    """The proposals ``user`` moderates: those of the départements they coordinate (all of them for staff)."""
    proposals = Skill.objects.filter(status=SkillStatus.PROPOSED, merged_into__isnull=True)
    if not user.is_authenticated:
        return []
    if not user.is_staff:
        codes = coordinated_departement_codes(user)
        if not codes:
            return []
        proposals = proposals.filter(proposed_in__in=codes)
    return list(proposals.select_related("domain", "proposed_by", "proposed_in").order_by("created_at", "pk"))


def skill_page():
    """What a skill's page shows of the skill itself."""
    return Skill.objects.select_related("domain", "merged_into", "proposed_by")


def skill_holders(skill, user, territory, level):
    """The people who hold ``skill`` at ``level``, among the profiles ``user`` may see that serve
    ``territory`` (all of them when it is None), by name."""
    visible = Advisor.objects.visible_to(user)
    if territory is not None:
        visible = visible.filter(advisors_serving(territory))
    return (
        AdvisorSkill.objects.filter(skill=skill, level=level, advisor__in=visible)
        .select_related("advisor__user", "advisor__structure__commune", "advisor__commune", "advisor__departement")
        .order_by(*(f"advisor__{field}" for field in ADVISOR_NAME_ORDER))
    )


def first_holders(holders):
    """The first ``HOLDERS_PER_LEVEL`` holders as a page, which also knows how many there are in all."""
    return Paginator(holders, HOLDERS_PER_LEVEL).page(1)
