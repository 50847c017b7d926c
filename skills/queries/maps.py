"""The skills map of a territory: how many advisors master, practise or want to learn each skill.

A territory is a département or an EPCI:

- the advisors *of a département* are the members of its network (``Advisor.departement``);
- the advisors *of an EPCI* are those whose home commune lies in it: their own commune
  (``Advisor.commune``), or their structure's commune when they have not given one. Their
  network does not matter, since an EPCI may span several départements.

Every active member counts, whatever their profile's visibility and whoever looks: a figure
designates nobody, and a map that left hidden profiles out told visitors that nobody masters
skills several members master. Names (the advisor × skill table) follow ``Advisor.objects.visible_to``.
Only validated skills are mapped. Every figure comes from SQL aggregation: the map costs the same few queries
for 20 advisors or 2,000.
"""

from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Sum, When

from advisors.models import Advisor, Membership
from skills.enums import SkillLevel
from skills.models import AdvisorSkill, Skill
from territories.models import EPCI, Commune, Departement

EPCI_PREFIX = "epci-"
# A training need: at least this many appétences, and more than twice as many as masters.
NEED_MIN_LEARNERS = 2
NEED_RATIO = 2
LEVELS = (SkillLevel.MASTER, SkillLevel.PRACTICE, SkillLevel.LEARN)
LEVEL_FIELDS = {SkillLevel.MASTER: "master", SkillLevel.PRACTICE: "practice", SkillLevel.LEARN: "learn"}
# Short labels for table headers and charts; the full ones come from ``SkillLevel``.
LEVEL_SHORT = {SkillLevel.MASTER: "Maîtrise", SkillLevel.PRACTICE: "Pratique", SkillLevel.LEARN: "Appétence"}


def home_commune_expression(prefix=""):
    """The code of an advisor's home commune: their own, else their structure's."""
    return Case(
        When(**{f"{prefix}commune__isnull": False}, then=F(f"{prefix}commune")),
        default=F(f"{prefix}structure__commune"),
    )


def home_epci_expression(prefix=""):
    """The SIREN of the EPCI of an advisor's home commune (``None`` outside any EPCI)."""
    return Case(
        When(**{f"{prefix}commune__isnull": False}, then=F(f"{prefix}commune__epci")),
        default=F(f"{prefix}structure__commune__epci"),
    )


def epci_advisor_ids(siren):
    """The pks of the advisors whose home commune lies in the EPCI, as a ``UNION`` of two index reads (on
    ``commune``, and on ``structure`` for those without one). An ``OR`` of the two ``IN`` read the same
    rows, but PostgreSQL, unable to estimate it, expected half of the 25,000 advisors and scanned them."""
    communes = Commune.objects.filter(epci=siren).values("pk")
    return (
        Advisor.objects.filter(commune__in=communes)
        .values("pk")
        .union(Advisor.objects.filter(commune__isnull=True, structure__commune__in=communes).values("pk"))
    )


def in_epci(siren, prefix=""):
    """Condition on ``Advisor`` (or through ``prefix``): the home commune lies in the EPCI."""
    return Q(**{f"{prefix}pk__in": epci_advisor_ids(siren)})


@dataclass
class Territory:
    """A département or an EPCI, as the map shows it."""

    departement: Departement | None = None
    epci: EPCI | None = None
    # For an EPCI: the départements of its communes, the one with most communes first.
    departements: list = field(default_factory=list)

    @property
    def is_epci(self):
        return self.epci is not None

    @property
    def value(self):
        """What the ``territoire`` parameter says."""
        return f"{EPCI_PREFIX}{self.epci.siren}" if self.epci else self.departement.code

    @property
    def name(self):
        return self.epci.name if self.epci else self.departement.name

    @property
    def label(self):
        return self.epci.name if self.epci else f"{self.departement.name} ({self.departement.code})"

    @property
    def reference(self):
        """The département an EPCI is compared with: the one holding most of its communes."""
        return self.departements[0] if self.departements else self.departement

    @property
    def departement_codes(self):
        return [departement.code for departement in self.departements] if self.epci else [self.departement.code]

    def advisors_condition(self):
        return in_epci(self.epci.siren) if self.epci else Q(departement=self.departement.code)

    def advisor_ids(self):
        """The pks of the territory's advisors, what ``advisors_condition`` selects."""
        if self.epci:
            return epci_advisor_ids(self.epci.siren)
        return Advisor.objects.filter(departement=self.departement.code).values("pk")


def territory_from(value):
    """The territory named by ``value`` (``42``, ``2A``, ``epci-244200770``), or ``None``. One or two queries."""
    value = (value or "").strip()
    if value.lower().startswith(EPCI_PREFIX):
        siren = value[len(EPCI_PREFIX) :]
        if not (siren.isdigit() and len(siren) == 9):
            return None
        epci = EPCI.objects.filter(siren=siren).first()
        if epci is None:
            return None
        rows = (
            Commune.objects.filter(epci=epci)
            .values("departement")
            .annotate(communes=Count("code"), population=Sum("population"))
            .order_by("-communes", "-population", "departement")
        )
        by_code = Departement.objects.in_bulk([row["departement"] for row in rows])
        departements = [by_code[row["departement"]] for row in rows]
        return Territory(epci=epci, departement=departements[0] if departements else None, departements=departements)
    if not value or len(value) > 3:
        return None
    departement = Departement.objects.filter(code=value.upper()).first()
    return Territory(departement=departement) if departement else None


@dataclass
class SkillRow:
    skill: Skill
    master: int
    practice: int
    learn: int
    # For an EPCI, the same counts in its reference département.
    ref_master: int = 0
    ref_practice: int = 0
    ref_learn: int = 0

    @property
    def is_gap(self):
        return self.master == 0

    @property
    def is_need(self):
        return self.learn >= NEED_MIN_LEARNERS and self.learn > NEED_RATIO * self.master

    @property
    def need_score(self):
        return self.learn - self.master

    def counts(self):
        return {"master": self.master, "practice": self.practice, "learn": self.learn}


@dataclass
class DomainBlock:
    domain: object
    rows: list

    @property
    def master(self):
        return sum(row.master for row in self.rows)

    @property
    def practice(self):
        return sum(row.practice for row in self.rows)

    @property
    def learn(self):
        return sum(row.learn for row in self.rows)


@dataclass
class SkillMap:
    territory: Territory
    advisors: int
    reference_advisors: int
    domains: list
    rows: list

    @property
    def gaps(self):
        return [row for row in self.rows if row.is_gap]

    @property
    def needs(self):
        """Training needs, the widest gap between appétences and masters first."""
        return sorted(
            (row for row in self.rows if row.is_need), key=lambda row: (-row.need_score, -row.learn, row.skill.name)
        )

    @property
    def largest(self):
        return max((max(row.master, row.practice, row.learn) for row in self.rows), default=0)


def counted_advisors():
    """The profiles the map counts: those of the active members of their département's network."""
    active = Membership.objects.active().filter(user=OuterRef("user"), departement=OuterRef("departement"))
    return Advisor.objects.filter(Exists(active))


def _count_of(advisors):
    """The number of ``advisors``, as a scalar subquery: uncorrelated, PostgreSQL computes it once per query."""
    return Subquery(advisors.order_by().values(n=Func(F("pk"), function="COUNT")), output_field=IntegerField())


def skill_map(territory):
    """The map of ``territory``, the same for every viewer. Two queries (the validated skills, then the
    counts per (skill, level) with the advisor totals), whatever the number of advisors.

    The counts start from the territory's advisors (an index on ``departement``, or on the home
    commune and structure for an EPCI) and join only their skills: one ``GROUP BY (skill, level)``
    over a few thousand rows, instead of filtering the whole national skills table once per level.
    """
    members = counted_advisors()
    here = territory.advisors_condition()
    reference = territory.reference if territory.is_epci else None
    in_reference = Q(departement=reference.code) if reference is not None else None
    counts = {"here": Count("pk", filter=here)}
    totals = {"advisors_here": _count_of(members.filter(here))}
    if in_reference is not None:
        counts["ref"] = Count("pk", filter=in_reference)
        totals["advisors_ref"] = _count_of(members.filter(in_reference))
    # From the advisors, a LEFT JOIN to their skills: a territory whose members have no skill yet
    # still yields one row (skill NULL), which carries the totals.
    # The rows to count: one ``pk IN (… UNION …)`` when an EPCI is compared with its département, which
    # PostgreSQL estimates (an ``OR`` of the two conditions made it scan every advisor).
    counted = (
        members.filter(pk__in=territory.advisor_ids().union(Advisor.objects.filter(in_reference).values("pk")))
        if in_reference is not None
        else members.filter(here)
    )
    grouped = counted.values("advisor_skills__skill", "advisor_skills__level").annotate(**counts, **totals).order_by()
    by_key, advisors, reference_advisors = {}, 0, 0
    for row in grouped:
        advisors, reference_advisors = row["advisors_here"], row.get("advisors_ref", 0)
        by_key[row["advisor_skills__skill"], row["advisor_skills__level"]] = row
    rows, domains = [], []
    for skill in Skill.objects.validated().select_related("domain").order_by(*Skill._meta.ordering):
        values = {}
        for level in LEVELS:
            found = by_key.get((skill.pk, level.value), {})
            values[LEVEL_FIELDS[level]] = found.get("here", 0)
            if reference is not None:
                values[f"ref_{LEVEL_FIELDS[level]}"] = found.get("ref", 0)
        row = SkillRow(skill=skill, **values)
        rows.append(row)
        if not domains or domains[-1].domain.pk != skill.domain_id:
            domains.append(DomainBlock(domain=skill.domain, rows=[]))
        domains[-1].rows.append(row)
    return SkillMap(
        territory=territory,
        advisors=advisors,
        reference_advisors=reference_advisors,
        domains=domains,
        rows=rows,
    )


def advisor_skill_table(territory, user):
    """The advisor × skill table: the validated skills, and an iterator of ``(advisor, {skill_pk: level})``
    for every advisor of the territory ``user`` may see, in name order. Three queries, streamed."""
    skills = list(Skill.objects.validated().select_related("domain").order_by(*Skill._meta.ordering))
    advisors = (
        Advisor.objects.visible_to(user)
        .filter(territory.advisors_condition())
        .select_related("user", "structure", "commune")
        .order_by("user__last_name", "user__first_name", "pk")
    )

    def rows():
        levels = {}
        for advisor_id, skill_id, level in (
            AdvisorSkill.objects.filter(advisor__in=advisors.values("pk"), skill__in=[skill.pk for skill in skills])
            .values_list("advisor_id", "skill_id", "level")
            .iterator(chunk_size=5000)
        ):
            levels.setdefault(advisor_id, {})[skill_id] = level
        for advisor in advisors.iterator(chunk_size=500):
            yield advisor, levels.get(advisor.pk, {})

    return skills, rows()
