"""Finding people: the directory, "près de chez moi", the promos."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from advisors import perms
from advisors.filters.directory import AdvisorFilterSet
from advisors.models import Advisor, Cohort, Lieu
from advisors.opening_hours import lieu_status
from advisors.queries import territory as territory_queries
from advisors.queries.welcome import coordinators
from skills.models import top_skills_prefetch
from territories.models import Commune
from territories.scope import get_current_departement

PAGE_SIZE = 20
ADVISORS_PER_GROUP = 12
LIEUX_PER_GROUP = 10


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
def near(request, code):
    """From a commune, the people and places that serve it: the commune, then its EPCI, then its département."""
    commune = get_object_or_404(Commune.objects.select_related("departement", "epci"), code=code)
    departement = commune.departement
    visible = Advisor.objects.visible_to(request.user)
    advisors = territory_queries.grouped(
        territory_queries.first_of_each_group(
            territory_queries.advisors_near(commune, visible.with_cards().select_related("structure__commune")),
            order=territory_queries.ADVISOR_NAME_ORDER,
            limit=ADVISORS_PER_GROUP,
        )
    )
    lieux = territory_queries.grouped(
        territory_queries.first_of_each_group(
            territory_queries.lieux_near(
                commune,
                Lieu.objects.select_related("structure", "commune", "departement").prefetch_related("opening_slots"),
            ),
            order=("name", "pk"),
            limit=LIEUX_PER_GROUP,
        )
    )
    now = timezone.now()
    for group in lieux.values():
        for lieu in group.items:
            lieu.status = lieu_status(lieu, now)

    # Each level links to the directory filtered on its territory, for the people beyond the first few.
    levels = [(territory_queries.HERE, f"À {commune.name}", {"departement": "", "commune": commune.label})]
    if commune.epci_id:
        levels.append(
            (
                territory_queries.EPCI_LEVEL,
                f"Ailleurs dans l’intercommunalité ({commune.epci.name})",
                {"departement": departement.code, "epci": commune.epci_id},
            )
        )
    levels.append(
        (
            territory_queries.DEPARTEMENT_LEVEL,
            f"Ailleurs dans le département ({departement.name})",
            {"departement": departement.code},
        )
    )
    sections = [
        {
            "title": title,
            "advisors": advisors.get(level),
            "lieux": lieux.get(level),
            "directory_query": urlencode(query),
        }
        for level, title, query in levels
    ]
    return render(
        request,
        "advisors/directory/near.html",
        {
            "commune": commune,
            "departement": departement,
            "sections": sections,
            "found": bool(advisors or lieux),
            "coordinators": coordinators([departement.code], visible),
            "is_member": perms.is_member(request.user, departement),
            "can_request": perms.can_request_membership(request.user, departement),
        },
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
