"""Following orientations: received and sent, their state, and the network's flows for coordinators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from common.exports import csv_response
from common.http import redirect_to_next
from common.pagination import paginate
from common.shortcuts import get_object_or_403
from orientations import perms
from orientations.enums import OrientationStatus
from orientations.grid import flows_grid
from orientations.models import Orientation
from orientations.queries import flows as flow_queries
from orientations.queries import follow as queries
from orientations.services.status import orientation_status_change
from territories.models import Departement


def _status_filter(request):
    status = request.GET.get("etat", "")
    return status if status in OrientationStatus.values else ""


def _page(request, queryset):
    """The page asked for, each orientation knowing whether the viewer sees the person (the lists
    only hold the viewer's own orientations, but the rule is read from ``perms`` all the same)."""
    page = paginate(request, queryset)
    for orientation in page.object_list:
        orientation.show_person = perms.can_see_person(request.user, orientation)
    return page


def _status_choices(counts):
    return [(value, label, counts.get(value, 0)) for value, label in OrientationStatus.choices]


@login_required
@require_GET
def inbox(request):
    status = _status_filter(request)
    page = _page(request, queries.received_by(request.user, status=status))
    counts = queries.counts_by_status(queries.received_by(request.user))
    return render(
        request,
        "orientations/inbox.html",
        {
            "page": page,
            "status": status,
            "status_choices": _status_choices(counts),
            "total": sum(counts.values()),
            "has_profile": queries.received_condition(request.user) is not None,
        },
    )


@login_required
@require_GET
def sent(request):
    status = _status_filter(request)
    page = _page(request, queries.sent_by(request.user, status=status))
    counts = queries.counts_by_status(queries.sent_by(request.user))
    return render(
        request,
        "orientations/sent.html",
        {
            "page": page,
            "status": status,
            "status_choices": _status_choices(counts),
            "total": sum(counts.values()),
            "can_orient": perms.can_orient(request.user),
        },
    )


@login_required
@require_POST
def change_status(request, pk):
    orientation = get_object_or_403(Orientation.objects.all(), perms.can_change_status, request, pk=pk)
    status = request.POST.get("etat", "")
    seen = request.POST.get("etat_vu")
    try:
        orientation = orientation_status_change(
            orientation=orientation,
            by=request.user,
            status=status,
            note=request.POST.get("precision", ""),
            seen_status=seen if seen in OrientationStatus.values else None,
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        told = " La personne qui l’a envoyée en est informée par courriel." if orientation.sender_id else ""
        messages.success(
            request, f"Orientation n° {orientation.pk} marquée « {orientation.get_status_display()} ».{told}"
        )
    return redirect_to_next(request, orientation.get_absolute_url())


def _period(request):
    try:
        months = int(request.GET.get("periode", flow_queries.DEFAULT_PERIOD))
    except ValueError:
        months = flow_queries.DEFAULT_PERIOD
    return months if months in flow_queries.PERIODS else flow_queries.DEFAULT_PERIOD


@login_required
@require_GET
def flows(request, code):
    departement = get_object_or_403(Departement.objects.all(), perms.can_view_flows, request, code=code)
    months = _period(request)
    result = flow_queries.flows(departement, months=months)
    if request.GET.get("format") == "csv":
        return csv_response(_flow_rows(result), f"orientations-{departement.code}-{months}-mois.csv")
    return render(
        request,
        "orientations/flows.html",
        {
            "departement": departement,
            "result": result,
            "periods": flow_queries.PERIODS,
            "grid": flows_grid(result),
        },
    )


def _flow_rows(result):
    yield ["structure d’origine", "structure destinataire", "orientations", "prises en charge", "prises en charge (%)"]
    for flow in result.flows:
        yield [flow.source, flow.target, flow.count, flow.taken, flow.taken_percent]
