"""Reads of the shared list of skills and of a skill's page."""

from django.core.paginator import Paginator
from django.db import connection
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


def _first_ids_by_name(holdings):
    """The first holders of each level, for all of France: a ``UNION ALL`` of three ``LIMIT``-ed, name-ordered
    subqueries, each reading the people index (``user_name_order``) until it has found its holders, which
    is soon, since a third of France holds a common skill."""
    firsts = [
        holdings.filter(level=level).order_by(*HOLDER_ORDER).values("pk")[:HOLDERS_PER_LEVEL] for level in SkillLevel
    ]
    return firsts[0].union(*firsts[1:], all=True)


def _first_ids_ranked(holdings):
    """The first holders of each level within a territory, and how many each level has: the territory's few
    holders numbered and counted within their level (window functions) over narrow rows. Read as a list:
    as a subquery, PostgreSQL expected thousands of ids and scanned the whole skills table to match them."""
    ranked = (
        holdings.select_related(None)
        .annotate(
            rank=Window(RowNumber(), partition_by=F("level"), order_by=[F(field).asc() for field in HOLDER_ORDER]),
            level_total=Window(Count("pk"), partition_by=F("level")),
        )
        .filter(rank__lte=HOLDERS_PER_LEVEL)
        .values_list("pk", "level", "level_total")
    )
    ids, totals = [], {}
    for pk, level, total in ranked:
        ids.append(pk)
        totals[level] = total
    return ids, totals


def first_holders_by_level(skill, user, territory):
    """``{level: page}``: the first ``HOLDERS_PER_LEVEL`` holders of each level, as pages that also know how
    many holders the level has. Two queries for the three levels, whatever their size: which holders come
    first, and how many each level has; then the cards of those first holders with their advisor, structure
    and communes, joined for those rows only.

    Which first holders depends on the territory. Measured on national data (SQL time, « E-mail », held by
    10,000 people): for all of France, walking the name index, 25 ms, where numbering every holder within
    its level had to join and sort them all, 82 ms; within a département or an EPCI, numbering their few
    holders, 11–46 ms, where the walk, testing the territory person by person, took up to 285 ms. Before,
    a count and a page per level: six queries, 47 ms for France, 375 ms for Paris.
    """
    holdings = _holdings(skill, user, territory)
    # SQLite (the embedded default) refuses LIMIT inside a UNION: there, the numbered holders serve France too.
    if territory is None and connection.features.supports_slicing_ordering_in_compound:
        totals = dict(holdings.order_by().values_list("level").annotate(total=Count("pk")))
        firsts = _first_ids_by_name(holdings)
    else:
        firsts, totals = _first_ids_ranked(holdings)
    rows = {}
    for holding in _cards().filter(pk__in=firsts).order_by("level", *HOLDER_ORDER):
        rows.setdefault(holding.level, []).append(holding)
    pages = {}
    for level in SkillLevel:
        paginator = Paginator(rows.get(level.value, []), HOLDERS_PER_LEVEL)
        paginator.count = totals.get(level.value, 0)  # the whole level's size, not the rows fetched
        pages[level] = paginator.page(1)
    return pages
