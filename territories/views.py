from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from territories.forms import CommuneLookupForm
from territories.maps import communes_map
from territories.models import EPCI, Commune, Departement, Region

SUGGESTIONS_LIMIT = 10
MAP_CACHE_SECONDS = 24 * 3600


@require_GET
def index(request):
    return render(request, "territories/index.html", {"regions": Region.objects.with_departements()})


@require_GET
def epci_detail(request, siren):
    epci = get_object_or_404(EPCI, siren=siren)
    communes = epci.communes.select_related("departement").order_by("departement_id", "name")
    page = Paginator(communes, 200).get_page(request.GET.get("page"))
    totals = epci.communes.aggregate(count=Count("code"), population=Sum("population"))
    departements = Departement.objects.filter(communes__epci=epci).distinct().order_by("code")
    communes_drawn = communes_map(
        epci.communes.all(),
        title=f"Les communes de {epci.name} par population",
        id_prefix="carte-epci",
        description="La liste des communes, sous la carte, donne le nom et la population de chacune.",
        cache_timeout=MAP_CACHE_SECONDS,
    )
    return render(
        request,
        "territories/epci_detail.html",
        {"epci": epci, "page": page, "totals": totals, "departements": departements, "map": communes_drawn},
    )


@require_GET
def commune_lookup(request):
    """The commune picker's server-side step: one match leads to its page, several are listed."""
    form = CommuneLookupForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect(form.cleaned_data["commune"])
    return render(request, "territories/commune_lookup.html", {"form": form})


@require_GET
def commune_suggestions(request):
    """Suggestions for the picker as one types (progressive enhancement)."""
    query = request.GET.get("q", "")[:100]
    communes = Commune.objects.select_related("departement").search(query)[:SUGGESTIONS_LIMIT]
    data = [
        {"code": commune.code, "name": commune.name, "departement": commune.departement_id, "label": commune.label}
        for commune in communes
    ]
    response = JsonResponse({"results": data})
    response["Cache-Control"] = "public, max-age=3600"
    return response
