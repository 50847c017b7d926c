"""Finding people: the directory and the promos."""

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from advisors.filters.directory import AdvisorFilterSet
from advisors.models import Cohort
from advisors.queries import directory as queries
from common.pagination import paginate
from territories.models import Commune
from territories.scope import query_with_departement


@require_GET
def directory(request):
    """The directory. Without a département in the query, the visitor's own département is the default;
    an explicit empty one means all of France."""
    filterset = AdvisorFilterSet(
        query_with_departement(request), queryset=queries.directory_people(request.user), request=request
    )
    # Fields with an error are left out of the filtering: their message is shown next to them.
    people = filterset.qs
    cards = queries.directory_cards(searched_skill=filterset.form.cleaned_data.get("competence"))
    page = paginate(request, queries.PagedByIds(people, cards), size="directory")
    territory = filterset.territory
    nearest = None
    if isinstance(territory, Commune) and territory.point is not None and not page.paginator.count:
        # No one in the commune itself: the nearest, with the same other filters, whatever the département.
        elsewhere = query_with_departement(request).copy()
        for name in ("departement", "epci", "commune", "page"):
            elsewhere[name] = ""
        others = AdvisorFilterSet(elsewhere, queryset=queries.directory_people(request.user), request=request).qs
        nearest = queries.nearest_people(others, territory, cards=cards, limit=settings.PAGE_SIZES["directory"])
    return render(
        request,
        "advisors/directory/index.html",
        {
            "filter": filterset,
            "page": page,
            "territory": territory,
            "nearest": nearest,
            "nearest_radius_km": queries.NEAREST_RADIUS_KM,
        },
    )


@require_GET
def cohorts(request):
    """The promos, each with the number of its members the visitor may see."""
    page = paginate(request, queries.cohorts_with_counts(request.user))
    return render(request, "advisors/directory/cohorts.html", {"page": page})


@require_GET
def cohort(request, slug):
    """The members of one promo, across départements, grouped by département."""
    promo = get_object_or_404(Cohort, slug=slug)
    page = paginate(request, queries.cohort_members(promo, request.user))
    return render(request, "advisors/directory/cohort.html", {"cohort": promo, "page": page})
