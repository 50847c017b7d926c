"""The pages that combine several apps: home, département, commune, "près de chez moi", and the choice of
one's département that they offer."""

from urllib.parse import urlencode

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from advisors import perms
from advisors.queries import territory as territory_queries
from common.http import redirect_to_next
from events.queries.calendar import upcoming_in_departement, upcoming_near
from overview import maps, queries
from resources.queries.panels import related_resources
from territories.forms import CommuneLookupForm
from territories.models import Commune, Departement, Region
from territories.scope import remember_departement


@require_GET
def home(request):
    regions = Region.objects.with_departements()
    networks = maps.france_networks([departement for region in regions for departement in region.departements.all()])
    return render(
        request, "overview/home.html", {"regions": regions, "lookup_form": CommuneLookupForm(), "networks": networks}
    )


@require_GET
def departement(request, code):
    departement = get_object_or_404(Departement.objects.select_related("region"), code=code)
    return render(
        request,
        "overview/departement.html",
        {
            "departement": departement,
            **queries.departement_figures(departement, request.user),
            "events": upcoming_in_departement(departement, request.user),
            "resources": related_resources(request.user, departement=departement),
            "serving": maps.departement_serving(departement, request.user),
        },
    )


@require_GET
def commune(request, code):
    commune = get_object_or_404(Commune.objects.select_related("departement__region", "epci"), code=code)
    served_by = queries.commune_served_by(commune, request.user)
    return render(
        request,
        "overview/commune.html",
        {"commune": commune, "served_by": served_by, "neighbours": maps.commune_neighbours(commune)},
    )


@require_GET
def near(request, code):
    """From a commune, the people and places that serve it: the commune, then its EPCI, then its département."""
    commune = get_object_or_404(Commune.objects.select_related("departement", "epci"), code=code)
    departement = commune.departement
    advisors, lieux, coordinators = queries.near_commune(commune, request.user, now=timezone.now())

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
        "overview/near.html",
        {
            "commune": commune,
            "departement": departement,
            "sections": sections,
            "found": bool(advisors or lieux),
            "coordinators": coordinators,
            "is_member": perms.is_member(request.user, departement),
            "can_request": perms.can_request_membership(request.user, departement),
            "events": upcoming_near(commune, request.user),
        },
    )


@require_POST
def choose_departement(request):
    departement = Departement.objects.filter(code=request.POST.get("departement", "")).first()
    return remember_departement(redirect_to_next(request, "/"), departement)
