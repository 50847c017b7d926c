"""Reads of the directory and of the promos."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from advisors.models import Advisor, Cohort
from advisors.queries.territory import ADVISOR_NAME_ORDER
from skills.models import top_skills_prefetch


def directory_cards(user):
    """The profiles ``user`` may see, with what their cards show, in name order."""
    return (
        Advisor.objects.visible_to(user)
        .with_cards()
        .select_related("structure__commune")
        .prefetch_related(top_skills_prefetch())
        .order_by(*ADVISOR_NAME_ORDER)
    )


class PagedByIds:
    """``queryset`` (filtered and ordered) for ``Paginator``, paged as a deferred join: each page is one
    query whose ``WHERE pk IN (…)`` subquery finds the page's ids first, from the advisors table and the
    sort index alone, and only then are those rows joined to their user, structure, communes and
    département. Sorting and joining every matching profile before ``LIMIT 20`` is what made the national
    directory slow. The count stays exact: it is the headline of the results."""

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        if not isinstance(window, slice):
            raise TypeError("PagedByIds is read by slices, as Paginator does.")
        ids = self.queryset.values("pk")[window]
        return list(self.queryset.filter(pk__in=ids))


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
