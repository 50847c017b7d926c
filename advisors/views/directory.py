"""Finding people: the directory and the promos."""

from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from advisors.filters.directory import AdvisorFilterSet
from advisors.models import Advisor, Cohort
from advisors.queries import territory as territory_queries
from skills.models import top_skills_prefetch
from territories.scope import get_current_departement

PAGE_SIZE = 20


def directory_cards(user):
    """The profiles ``user`` may see, with what their cards show, in name order."""
    return (
        Advisor.objects.visible_to(user)
        .with_cards()
        .select_related("structure__commune")
        .prefetch_related(top_skills_prefetch())
        .order_by(*territory_queries.ADVISOR_NAME_ORDER)
    )


@require_GET
def directory(request):
    """The directory. Without a département in the query, the visitor's own département is the default;
    an explicit empty one means all of France."""
    data = request.GET.copy()
    if "departement" not in data and (current := get_current_departement(request)):
        data["departement"] = current.code
    filterset = AdvisorFilterSet(data, queryset=directory_cards(request.user), request=request)
    # Fields with an error are left out of the filtering: their message is shown next to them.
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "advisors/directory/index.html",
        {"filter": filterset, "page": page, "territory": filterset.territory, "query": filterset.query_without_page},
    )


@require_GET
def cohorts(request):
    """The promos, each with the number of its members the visitor may see."""
    visible_counts = (
        Advisor.objects.visible_to(request.user)
        .filter(cohort=OuterRef("pk"))
        .order_by()
        .values("cohort")
        .annotate(n=Count("pk"))
        .values("n")
    )
    listing = Cohort.objects.annotate(
        members_count=Coalesce(Subquery(visible_counts, output_field=IntegerField()), Value(0))
    )
    page = Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "advisors/directory/cohorts.html", {"page": page})


@require_GET
def cohort(request, slug):
    """The members of one promo, across départements, grouped by département."""
    promo = get_object_or_404(Cohort, slug=slug)
    members = (
        Advisor.objects.visible_to(request.user)
        .filter(cohort=promo)
        .with_cards()
        .select_related("structure__commune")
        .order_by("departement_id", *territory_queries.ADVISOR_NAME_ORDER)
    )
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "advisors/directory/cohort.html", {"cohort": promo, "page": page})
