"""Reads of the directory and of the promos."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce

from advisors.models import Advisor, Cohort
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


class PagedByIds:
    """The ``people`` (filtered and ordered) for ``Paginator``, each page shown as ``cards``, as a deferred
    join: a page is one query whose ``WHERE pk IN (…)`` subquery finds the page's ids first, from the
    advisors table and the name index alone, and only those rows are then joined to their user,
    structure, communes and département. Sorting and joining every matching profile before ``LIMIT 20``
    made the national directory slow; repeating the filters around the 20 ids made PostgreSQL plan for
    thousands of rows. The count stays exact: it is the headline of the results."""

    def __init__(self, people, cards):
        self.people = people
        self.cards = cards

    def count(self):
        return self.people.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        if not isinstance(window, slice):
            raise TypeError("PagedByIds is read by slices, as Paginator does.")
        return list(self.cards.filter(pk__in=self.people.values("pk")[window]))


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
