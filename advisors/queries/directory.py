"""Reads of the directory and of the promos."""

from django.db.models import CharField, Count, F, Func, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

from advisors.models import Advisor, Cohort
from advisors.queries import nearby
from advisors.queries.territory import ADVISOR_NAME_ORDER
from skills.models import AdvisorSkill, top_skills_prefetch


def directory_people(user):
    """The profiles ``user`` may see, in name order: what the directory's filters narrow and count."""
    return Advisor.objects.visible_to(user).order_by(*ADVISOR_NAME_ORDER)


def directory_cards(*, searched_skill=None):
    """Advisors with what their cards show, in name order: their top skills, or, when the directory is
    filtered by a skill, that skill with each person's level (``searched_skills``)."""
    cards = (
        Advisor.objects.with_cards()
        .select_related("structure__commune")
        .prefetch_related(top_skills_prefetch())
        .order_by(*ADVISOR_NAME_ORDER)
    )
    if searched_skill is not None:
        cards = cards.prefetch_related(
            Prefetch(
                "advisor_skills",
                queryset=AdvisorSkill.objects.filter(skill=searched_skill).select_related("skill"),
                to_attr="searched_skills",
            )
        )
    return cards


NEAREST_RADIUS_KM = 60


def nearest_people(people, commune, *, cards, limit):
    """When no one serves ``commune``: the ``limit`` of ``people`` (the directory's other filters, without the
    territory) whose commune (or structure's commune) is nearest its point, within ``NEAREST_RADIUS_KM``
    whatever the département, each with ``distance`` (« à 7 km »), shown as ``cards``. One query (and the
    cards' prefetches)."""
    radius = NEAREST_RADIUS_KM
    located = nearby.within(commune.point, radius, "commune__") | (
        Q(commune__latitude__isnull=True) & nearby.within(commune.point, radius, "structure__commune__")
    )
    rows = list(
        nearby.advisors_by_distance(cards.filter(located, pk__in=people.order_by().values("pk")), commune).filter(
            near_km2__lte=radius * radius
        )[:limit]
    )
    for advisor in rows:
        advisor.distance = nearby.distance_text(commune, advisor, nearby.advisor_point(advisor))
    return rows


class PagedByIds:
    """The ``people`` (filtered and ordered) for ``Paginator``, each page shown as ``cards``, as a deferred
    join: a page is one query whose ``WHERE pk IN (…)`` subquery finds the page's ids first, from the
    advisors table and the name index alone, and only those rows are then joined to their user,
    structure, communes and département. Sorting and joining every matching profile before ``LIMIT 20``
    made the national directory slow; repeating the filters around the 20 ids made PostgreSQL plan for
    thousands of rows. The count stays exact: it is the headline of the results."""

    # Below this many matches, the page's ids are sorted from the matches rather than found by walking the
    # name index: see ``__getitem__``.
    FEW = 1000

    def __init__(self, people, cards):
        self.people = people
        self.cards = cards
        self._count = None

    def count(self):
        if self._count is None:
            self._count = self.people.count()
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        if not isinstance(window, slice):
            raise TypeError("PagedByIds is read by slices, as Paginator does.")
        ids = self.people.values("pk")
        if self.count() <= self.FEW:
            # Few matches (a skill and a level in one département: 28 of 25,000): PostgreSQL, which expects
            # many more from the serving table (one row per commune served), would walk the name index
            # and test the filters person by person until it has 20 (200 ms). The matches are found first
            # (a LIMIT makes their subquery planned on its own) and sorted by a name that no index
            # provides, so they are not walked either: 7 ms.
            matches = self.people.order_by().values("pk")[: max(self.count(), 1)]
            ids = (
                self.people.model.objects.filter(pk__in=matches)
                .order_by(*(Unindexed(name) for name in ADVISOR_NAME_ORDER[:-1]), ADVISOR_NAME_ORDER[-1])
                .values("pk")
            )
        return list(self.cards.filter(pk__in=ids[window]))


class Unindexed(Func):
    """``field || ''``: the same text in the same order, but no index can provide it."""

    template = "(%(expressions)s || '')"
    output_field = CharField()

    def __init__(self, field):
        super().__init__(F(field))


def cohorts_with_counts(user):
    """The promos, each with the number of its members ``user`` may see, in one query."""
    visible_counts = (
        Advisor.objects.visible_to(user)
        .filter(cohort=OuterRef("pk"))
        .order_by()
        .values("cohort")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Cohort.objects.annotate(
        members_count=Coalesce(Subquery(visible_counts, output_field=IntegerField()), Value(0))
    )


def cohort_members(cohort, user):
    """The members of ``cohort`` that ``user`` may see, by département then name."""
    return (
        Advisor.objects.visible_to(user)
        .filter(cohort=cohort)
        .with_cards()
        .select_related("structure__commune")
        .order_by("departement_id", *ADVISOR_NAME_ORDER)
    )
