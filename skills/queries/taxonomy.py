"""Reads of the shared list of skills and of a skill's page."""

from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Window
from django.db.models.functions import RowNumber

from advisors.models import Advisor
from advisors.perms import coordinated_departement_codes
from advisors.queries.territory import ADVISOR_NAME_ORDER, advisors_serving
from skills.enums import SkillLevel, SkillStatus
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


def _cards():
    return AdvisorSkill.objects.select_related(
        "advisor__user", "advisor__structure__commune", "advisor__commune", "advisor__departement"
    )


def _holdings(skill, user, territory):
    visible = Advisor.objects.visible_to(user)
    if territory is not None:
        visible = visible.filter(advisors_serving(territory))
    return _cards().filter(skill=skill, advisor__in=visible)


HOLDER_ORDER = tuple(f"advisor__{field}" for field in ADVISOR_NAME_ORDER)


def skill_holders(skill, user, territory, level):
    """The people who hold ``skill`` at ``level``, among the profiles ``user`` may see that serve
    ``territory`` (all of them when it is None), by name."""
    return _holdings(skill, user, territory).filter(level=level).order_by(*HOLDER_ORDER)


def first_holders_by_level(skill, user, territory):
    """``{level: page}``: the first ``HOLDERS_PER_LEVEL`` holders of each level, as pages that also know how
    many holders the level has. Two queries for the three levels, whatever their size:

    - the ranking: each holding numbered and counted within its level (window functions) over narrow rows
      (the holding, its advisor's name), only the first ones of each level leaving the database;
    - the cards of those few holdings, with their advisor, structure and communes.

    Ranking the joined cards instead made PostgreSQL join and sort every holder of the skill, wide rows
    spilling to disk (270 ms for a common skill nationally)."""
    ranked = (
        _holdings(skill, user, territory)
        .select_related(None)
        .annotate(
            rank=Window(RowNumber(), partition_by=F("level"), order_by=[F(field).asc() for field in HOLDER_ORDER]),
            level_total=Window(Count("pk"), partition_by=F("level")),
        )
        .filter(rank__lte=HOLDERS_PER_LEVEL)
        .order_by("level", "rank")
        .values_list("pk", "level", "level_total")
    )
    ranked = list(ranked)
    cards = _cards().in_bulk([pk for pk, _level, _total in ranked])
    rows, totals = {}, {}
    for pk, level, total in ranked:
        totals[level] = total
        if pk in cards:  # unless removed between the two queries
            rows.setdefault(level, []).append(cards[pk])
    pages = {}
    for level in SkillLevel:
        paginator = Paginator(rows.get(level.value, []), HOLDERS_PER_LEVEL)
        paginator.count = totals.get(level.value, 0)  # the whole level's size, not the rows fetched
        pages[level] = paginator.page(1)
    return pages
