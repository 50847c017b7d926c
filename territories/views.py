from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from advisors.enums import StructureKind
from advisors.models import Advisor, Lieu, Membership, Structure
from advisors.queries.territory import advisors_serving, lieux_serving, newcomer_q
from territories.forms import CommuneLookupForm
from territories.models import EPCI, Commune, Departement, Region
from territories.scope import remember_departement

SUGGESTIONS_LIMIT = 10


@require_GET
def index(request):
    return render(request, "territories/index.html", {"regions": Region.objects.with_departements()})


@require_GET
def departement_detail(request, code):
    departement = get_object_or_404(Departement.objects.select_related("region"), code=code)
    epcis = list(EPCI.objects.with_stats_in(departement))
    totals = departement.communes.aggregate(count=Count("code"), population=Sum("population"))
    without_epci = departement.communes.filter(epci__isnull=True).order_by("name")
    coordinators = Membership.objects.in_departement(departement).coordinators().select_related("user")
    # The directory's own rule: hidden profiles are in no count; the link leads to the same list.
    advisors = (
        Advisor.objects.visible_to(request.user)
        .filter(advisors_serving(departement))
        .aggregate(total=Count("pk"), newcomers=Count("pk", filter=newcomer_q()))
    )
    structure_kinds = [
        (StructureKind(row["kind"]).label, row["count"])
        for row in Structure.objects.in_departement(departement)
        .values("kind")
        .annotate(count=Count("pk"))
        .order_by("-count", "kind")
    ]
    return render(
        request,
        "territories/departement_detail.html",
        {
            "departement": departement,
            "epcis": epcis,
            "totals": totals,
            "without_epci": without_epci,
            "coordinators": coordinators,
            "members_count": Membership.objects.in_departement(departement).active().count(),
            "advisors": advisors,
            "structure_kinds": structure_kinds,
            "structures_count": sum(count for _, count in structure_kinds),
            "lieux_count": Lieu.objects.filter(departement=departement).count(),
        },
    )


@require_GET
def epci_detail(request, siren):
    epci = get_object_or_404(EPCI, siren=siren)
    communes = epci.communes.select_related("departement").order_by("departement_id", "name")
    page = Paginator(communes, 200).get_page(request.GET.get("page"))
    totals = epci.communes.aggregate(count=Count("code"), population=Sum("population"))
    departements = Departement.objects.filter(communes__epci=epci).distinct().order_by("code")
    return render(
        request,
        "territories/epci_detail.html",
        {"epci": epci, "page": page, "totals": totals, "departements": departements},
    )


@require_GET
def commune_detail(request, code):
    commune = get_object_or_404(Commune.objects.select_related("departement__region", "epci"), code=code)
    served_by = {
        "advisors": Advisor.objects.visible_to(request.user).filter(advisors_serving(commune)).count(),
        "lieux": Lieu.objects.filter(lieux_serving(commune)).count(),
    }
    return render(request, "territories/commune_detail.html", {"commune": commune, "served_by": served_by})


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


@require_POST
def choose_departement(request):
    departement = Departement.objects.filter(code=request.POST.get("departement", "")).first()
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    return remember_departement(redirect(next_url), departement)
