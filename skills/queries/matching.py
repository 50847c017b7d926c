"""Peer matching: who can help an advisor learn a skill, and whom they can pass theirs on to.

Nearest first, from the advisors' home communes (their own commune, else their structure's):
the same commune, then the same EPCI, then the same département network. Advisors farther
away are not proposed. Only the profiles the viewer may see are proposed.
"""

from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, Value, When, Window
from django.db.models.functions import RowNumber

from advisors.models import Advisor
from skills.enums import SkillLevel
from skills.models import AdvisorSkill, Skill
from skills.queries.maps import home_commune_expression, home_epci_expression
from territories.models import Commune

SAME_COMMUNE, SAME_EPCI, SAME_DEPARTEMENT = 0, 1, 2
PROXIMITY_LABELS = {
    SAME_COMMUNE: "même commune",
    SAME_EPCI: "même intercommunalité",
    SAME_DEPARTEMENT: "même département",
}
PER_SKILL = 3
NAME_ORDER = ("advisor__user__last_name", "advisor__user__first_name", "advisor__pk")


def _home(advisor):
    """(commune code, EPCI SIREN) of an advisor already loaded with ``commune`` and ``structure__commune``."""
    commune = advisor.commune if advisor.commune_id else (advisor.structure.commune if advisor.structure_id else None)
    if commune is None:
        return None, None
    return commune.pk, commune.epci_id


@dataclass
class SkillMatches:
    skill: Skill
    note: str = ""
    people: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self):
        return self.total - len(self.people)


@dataclass
class Matches:
    """``helpers``: for each appétence, the nearest masters. ``learners``: for each mastered skill,
    the nearest advisors who want to learn it."""

    helpers: list
    learners: list


def matches_for(advisor, viewer, *, per_skill=PER_SKILL):
    """The peers of ``advisor`` for ``viewer``: two queries (the advisor's own skills, then the
    nearest peers of every skill at once, ranked in SQL), plus the viewer's memberships."""
    own = list(
        AdvisorSkill.objects.filter(advisor=advisor, level__in=[SkillLevel.MASTER, SkillLevel.LEARN])
        .filter(skill__in=Skill.objects.validated())
        .select_related("skill", "skill__domain")
        .order_by("skill__domain__position", "skill__position", "skill__name")
    )
    wanted = [row for row in own if row.level == SkillLevel.LEARN]
    mastered = [row for row in own if row.level == SkillLevel.MASTER]
    if not own:
        return Matches(helpers=[], learners=[])
    commune, epci = _home(advisor)
    whens = []
    if commune:
        whens.append(When(home=commune, then=Value(SAME_COMMUNE)))
    if epci:
        whens.append(When(home_epci=epci, then=Value(SAME_EPCI)))
    whens.append(When(advisor__departement=advisor.departement_id, then=Value(SAME_DEPARTEMENT)))
    # Only the peers the CASE ranks can be proposed: those of the same network or whose home is in the
    # advisor's EPCI (or commune). Said first, as a UNION of indexed reads of the advisors, so that
    # PostgreSQL joins a few hundred of them instead of every holder of these skills in France; and ordered
    # by ``skill_id``, not by the skills' own order, which joined two more tables and made the join list too
    # long for the planner to reorder (300 ms → 15 ms on the national database).
    nearby = Advisor.objects.filter(departement=advisor.departement_id).values("pk")
    if epci or commune:
        communes = Commune.objects.filter(epci=epci) if epci else Commune.objects.filter(pk=commune)
        nearby = nearby.union(
            Advisor.objects.filter(commune__in=communes.values("pk")).values("pk"),
            Advisor.objects.filter(commune__isnull=True, structure__commune__in=communes.values("pk")).values("pk"),
        )
    peers = (
        AdvisorSkill.objects.filter(
            Q(level=SkillLevel.MASTER, skill__in=[row.skill_id for row in wanted])
            | Q(level=SkillLevel.LEARN, skill__in=[row.skill_id for row in mastered]),
            advisor__in=Advisor.objects.visible_to(viewer).values("pk"),
        )
        .filter(advisor__in=nearby)
        .exclude(advisor=advisor)
        .annotate(home=home_commune_expression("advisor__"), home_epci=home_epci_expression("advisor__"))
        .annotate(proximity=Case(*whens, default=None, output_field=IntegerField()))
        .filter(proximity__isnull=False)
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("skill")], order_by=[F("proximity").asc(), *NAME_ORDER]),
            group_size=Window(Count("pk"), partition_by=[F("skill")]),
        )
        .filter(rank__lte=per_skill)
        .select_related("advisor__user", "advisor__commune", "advisor__structure__commune")
        .order_by("skill_id", "rank")
    )
    by_skill = {}
    for peer in peers:
        peer.proximity_label = PROXIMITY_LABELS[peer.proximity]
        by_skill.setdefault(peer.skill_id, []).append(peer)

    def groups(rows):
        result = []
        for row in rows:
            people = by_skill.get(row.skill_id, [])
            total = people[0].group_size if people else 0
            result.append(SkillMatches(skill=row.skill, note=row.note, people=people, total=total))
        return result

    return Matches(helpers=groups(wanted), learners=groups(mastered))


def pairs_in(departement, viewer):
    """Every possible peer-learning pair of a département: (learner, skill, master), both members of its
    network and visible to ``viewer``, by skill, then nearest first. One query per page (plus the count).

    Rows are the learners' ``AdvisorSkill``, annotated with ``master_pk`` and ``proximity``.
    """
    visible = Advisor.objects.visible_to(viewer).values("pk")
    code = getattr(departement, "code", departement)
    return (
        AdvisorSkill.objects.filter(
            skill__in=Skill.objects.validated(),
            level=SkillLevel.LEARN,
            advisor__departement=code,
            advisor__in=visible,
        )
        # One filter() call: the master conditions all apply to the same joined row.
        .filter(
            skill__advisor_skills__level=SkillLevel.MASTER,
            skill__advisor_skills__advisor__departement=code,
            skill__advisor_skills__advisor__in=visible,
        )
        .annotate(
            master_pk=F("skill__advisor_skills__advisor"),
            learner_home=home_commune_expression("advisor__"),
            learner_epci=home_epci_expression("advisor__"),
            master_home=home_commune_expression("skill__advisor_skills__advisor__"),
            master_epci=home_epci_expression("skill__advisor_skills__advisor__"),
        )
        .annotate(
            proximity=Case(
                When(learner_home=F("master_home"), then=Value(SAME_COMMUNE)),
                When(learner_epci=F("master_epci"), then=Value(SAME_EPCI)),
                default=Value(SAME_DEPARTEMENT),
                output_field=IntegerField(),
            )
        )
        .select_related("skill", "skill__domain", "advisor__user", "advisor__commune", "advisor__structure__commune")
        .order_by(
            "skill__domain__position",
            "skill__position",
            "skill__name",
            "skill",
            "proximity",
            "advisor__user__last_name",
            "advisor__user__first_name",
            "advisor",
            "master_pk",
        )
    )


def attach_masters(rows):
    """Load the masters of a page of ``pairs_in`` rows in one query, as ``row.master``."""
    rows = list(rows)
    masters = Advisor.objects.select_related("user", "commune", "structure__commune").in_bulk(
        {row.master_pk for row in rows}
    )
    for row in rows:
        row.master = masters[row.master_pk]
        row.proximity_label = PROXIMITY_LABELS[row.proximity]
    return rows
