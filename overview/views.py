"""The pages that combine several apps: home, département, commune, "près de chez moi", and the choice of
one's département that they offer."""

import csv
import hashlib
import io
import json
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from django.views.decorators.http import require_GET, require_POST, require_safe

from advisors import perms
from advisors.queries import territory as territory_queries
from common.exports import csv_response, xlsx_response
from common.http import redirect_to_next
from events import perms as event_perms
from events.queries.calendar import upcoming_in_departement, upcoming_near
from overview import coverage as coverage_page
from overview import maps, queries, schema_lieux
from overview.forms import NearForm
from resources.queries.panels import related_resources
from territories.forms import CommuneLookupForm
from territories.models import Commune, Departement, Region
from territories.scope import get_current_departement, remember_departement


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
    """From a commune, the lieux in it or near it and the people who serve it, nearest first, narrowed by the
    GET filters (need, open now, language, public). A commune without a point (4 in France) keeps the
    territorial grouping: the commune, then its EPCI, then its département."""
    commune = get_object_or_404(Commune.objects.select_related("departement", "epci"), code=code)
    departement = commune.departement
    form = NearForm(request.GET)
    filters = form.filters()
    context = {
        "commune": commune,
        "departement": departement,
        "form": form,
        "filtered": any(filters.values()),
        "is_member": perms.is_member(request.user, departement),
        "can_request": perms.can_request_membership(request.user, departement),
        "events": upcoming_near(commune, request.user),
    }
    # The same filters on the lists that "voir plus" leads to (the directory, the structures).
    directory_query = {
        "departement": "",
        "commune": commune.label,
        **{
            name: getattr(filters.get(name), attribute)
            for name, attribute in (("service", "slug"), ("competence", "slug"), ("langue", "pk"), ("public", "slug"))
            if filters.get(name)
        },
    }
    structures_query = {
        "commune": commune.label,
        **{name: filters[name].pk for name in ("service", "public") if filters.get(name)},
    }
    if commune.point is not None:
        all_lieux = request.GET.get("lieux") == "tous"
        nearby = queries.near_by_distance(
            commune,
            request.user,
            now=timezone.now(),
            filters=filters,
            lieux_limit=queries.ALL_LIEUX if all_lieux else queries.NEAR_LIEUX,
        )
        return render(
            request,
            "overview/near.html",
            {
                **context,
                **nearby,
                "found": bool(nearby["advisors"].items or nearby["lieux"].items),
                "directory_query": urlencode(directory_query),
                "structures_query": urlencode(structures_query),
                "radius_km": queries.LIEUX_RADIUS_KM,
                "all_lieux": all_lieux,
            },
        )

    advisors, lieux, coordinators = queries.near_commune(commune, request.user, now=timezone.now(), filters=filters)
    # Each level links to the directory filtered on its territory, for the people beyond the first few.
    levels = [(territory_queries.HERE, f"À {commune.name}", directory_query)]
    territory_filters = {key: value for key, value in directory_query.items() if key not in ("departement", "commune")}
    if commune.epci_id:
        levels.append(
            (
                territory_queries.EPCI_LEVEL,
                f"Ailleurs dans l’intercommunalité ({commune.epci.name})",
                {"departement": departement.code, "epci": commune.epci_id, **territory_filters},
            )
        )
    levels.append(
        (
            territory_queries.DEPARTEMENT_LEVEL,
            f"Ailleurs dans le département ({departement.name})",
            {"departement": departement.code, **territory_filters},
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
        {**context, "sections": sections, "found": bool(advisors or lieux), "coordinators": coordinators},
    )


@require_POST
def choose_departement(request):
    departement = Departement.objects.filter(code=request.POST.get("departement", "")).first()
    return remember_departement(redirect_to_next(request, "/"), departement)


def _coverage_form(request):
    return coverage_page.CoverageForm(request.GET or None, current_departement=get_current_departement(request))


@require_GET
def coverage(request):
    """``/couverture/?territoire=42&service=…``: zones blanches and empilements of a département or an EPCI,
    as sentences, a map and its table; for each empilement, a rencontre to propose."""
    form = _coverage_form(request)
    context = {"form": form, "columns": coverage_page.COLUMNS}
    if form.is_bound and form.is_valid():
        territory, parameters = form.cleaned_data["territoire"], form.parameters()
        result = coverage_page.coverage(coverage_page.territory_communes(territory), viewer=request.user, **parameters)
        domain = parameters["domain"]
        title = coverage_page.territory_title(territory)
        sort, descending = coverage_page.parse_sort(request.GET.get("tri"))
        rows = coverage_page.sort_rows(result.rows, request.GET.get("tri"))
        empilements = sorted(result.empilements, key=lambda row: (-len(row.structures), -row.population))
        creatable = {
            code: event_perms.can_create_event(request.user, code)
            for code in {row.commune.departement_id for row in empilements[: coverage_page.EMPILEMENTS_SHOWN]}
        }
        context.update(
            territory=territory,
            title=title,
            result=result,
            summary=coverage_page.summary(result, domain),
            service=coverage_page.service_phrase(domain),
            rows=rows,
            table_rows=coverage_page.table_rows(rows, result.distance),
            sort=sort,
            descending=descending,
            map=coverage_page.coverage_map(result, title=f"{title}, {coverage_page.service_phrase(domain)}"),
            # The largest overlaps first; the others are in the table (sorted by structures) and the exports.
            empilements=[
                (row, coverage_page.rencontre_url(row, domain) if creatable[row.commune.departement_id] else None)
                for row in empilements[: coverage_page.EMPILEMENTS_SHOWN]
            ],
            empilements_more=max(0, len(empilements) - coverage_page.EMPILEMENTS_SHOWN),
        )
    return render(request, "overview/coverage.html", context)


@require_GET
def coverage_export(request):
    """The coverage table as CSV or XLSX, or its map as an SVG file (``?format=csv|xlsx|svg``, the page's
    filters); a query in error goes back to the page, which says what is wrong."""
    form = _coverage_form(request)
    file_format = request.GET.get("format", "")
    if file_format not in ("csv", "xlsx", "svg") or not (form.is_bound and form.is_valid()):
        query = request.GET.copy()
        query.pop("format", None)
        return redirect(f"{reverse('overview:coverage')}?{query.urlencode()}")
    territory, parameters = form.cleaned_data["territoire"], form.parameters()
    result = coverage_page.coverage(coverage_page.territory_communes(territory), viewer=request.user, **parameters)
    domain = parameters["domain"]
    title = f"{coverage_page.territory_title(territory)}, {coverage_page.service_phrase(domain)}"
    filename = f"couverture-{territory.pk}-{domain.slug if domain else 'tous-services'}".lower()
    if file_format == "csv":
        return csv_response(coverage_page.export_rows(result), f"{filename}.csv")
    if file_format == "xlsx":
        return xlsx_response("Couverture", coverage_page.export_rows(result), f"{filename}.xlsx")
    svg = coverage_page.coverage_map(result, title=title, site_url=settings.SITE_URL).render(standalone=True)
    response = HttpResponse(f'<?xml version="1.0" encoding="UTF-8"?>\n{svg}', content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="{filename}.svg"'
    return response


@require_GET
def open_data(request):
    """``/donnees/``: the open data the network publishes, the départements' lieux exports first."""
    return render(
        request,
        "overview/open_data.html",
        {"departements": queries.lieux_export_counts(), "schema": schema_lieux},
    )


# The exports are built anew at each request (always current); harvesters and proxies may keep them an hour.
EXPORT_MAX_AGE = 3600


def _lieux_export(request, code, *, extension, content_type, body):
    """The national export of a département's lieux (``body(records)`` → bytes), with the headers harvesters use:
    an ETag on the content (a 304 when it has not changed), the licence as a ``Link``, and CORS open to every
    origin — a public open-data file, the same for every visitor, that a browser tool (a validator, a map) may
    fetch; no cookie is read or sent."""
    departement = get_object_or_404(Departement, code=code)
    content = body(schema_lieux.records(queries.lieux_export(departement), departement))
    etag = quote_etag(hashlib.sha256(content).hexdigest()[:32])
    response = get_conditional_response(request, etag=etag) or HttpResponse(content, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={EXPORT_MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    response["Link"] = f'<{schema_lieux.LICENCE_URL}>; rel="license"'
    if extension == "csv":
        day = schema_lieux.local_today(departement)
        filename = f"{day:%Y%m%d}_lieux-de-mediation-numerique_{departement.code}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _json_body(records):
    return json.dumps(records, ensure_ascii=False).encode()


def _csv_body(records):
    # Comma-separated UTF-8 without BOM, as the schema asks: a harvester reads the header « id » as is.
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(schema_lieux.FIELDS)
    writer.writerows(schema_lieux.csv_cells(values) for values in records)
    return stream.getvalue().encode()


@require_safe
def lieux_export_json(request, code):
    """``/donnees/lieux/42.json``: the département's lieux in the national schema, as a JSON list of records."""
    return _lieux_export(request, code, extension="json", content_type="application/json", body=_json_body)


@require_safe
def lieux_export_csv(request, code):
    """``/donnees/lieux/42.csv``: the same records as CSV, one column per field of the schema, in its order."""
    return _lieux_export(request, code, extension="csv", content_type="text/csv; charset=utf-8", body=_csv_body)
