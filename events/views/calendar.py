"""Views of events: the calendar (list, month, past) and the event page."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from common.pagination import paginate
from events.filters import EventFilterSet
from events.perms import can_create_event_somewhere
from events.queries import calendar as queries
from events.queries.detail import page_context, viewable_event
from events.queries.manage import manage_panel
from events.queries.programme import programme_panel
from events.queries.registrations import registration_panel
from territories.scope import query_with_departement


def _filterset(request, queryset, **kwargs):
    """The calendar's filters; without a département in the query, the visitor's own is the default and
    an explicit empty one means all of France, as in the directory."""
    return EventFilterSet(query_with_departement(request), queryset=queryset, request=request, **kwargs)


def _filters_query(request):
    """The filters of the current view, for the links to the other views of the calendar and between months."""
    params = query_with_departement(request)
    for name in ("mois", "page", "partial", "du", "au"):
        params.pop(name, None)
    return params.urlencode()


def _actions(request, filterset):
    """The links above the calendar: propose an event, one's invitations and agenda, and for the
    département shown, its public feed and its slots still missing animators."""
    filterset.territory  # noqa: B018 — cleans the form once
    return {
        "can_create": can_create_event_somewhere(request.user),
        "departement": filterset.form.cleaned_data.get("departement"),
    }


def _render_list(request, template, context):
    if request.GET.get("partial"):
        return render(request, f"{template}#results", context)
    return render(request, template, context)


def _list_page(request, events, template):
    """A paginated, filtered list of ``events`` (upcoming or past), with the calendar's actions."""
    filterset = _filterset(request, events)
    context = {
        "filter": filterset,
        "page": paginate(request, filterset.qs),
        "territory": filterset.territory,
        "query": _filters_query(request),
        "actions": _actions(request, filterset),
    }
    return _render_list(request, template, context)


@require_GET
def index(request):
    """The upcoming events the viewer may see, soonest first."""
    return _list_page(request, queries.upcoming_events(request.user), "events/calendar/index.html")


@require_GET
def past(request):
    """The events that took place, the latest first, with their attendance and whether a bilan exists."""
    return _list_page(request, queries.past_events(request.user), "events/calendar/past.html")


@require_GET
def month(request, year=None, month=None):
    """One month as a table of weeks, each day listing its events: ``/evenements/mois/2026-12/``, or
    ``/evenements/mois/?mois=2026-12`` (the month picker, which works without JavaScript)."""
    status, warning = 200, None
    if year is not None:
        first = queries.month_start(int(year), int(month))
        if first is None:
            raise Http404("Ce mois n’existe pas : utilisez la forme AAAA-MM, par exemple 2026-12.")
    elif request.GET.get("mois"):
        first = queries.parse_month(request.GET["mois"])
        if first is None:
            status = 400
            warning = (
                "Ce mois n’a pas été reconnu : utilisez la forme AAAA-MM, par exemple 2026-12. Voici le mois en cours."
            )
            first = queries.current_month()
    else:
        first = queries.current_month()
    filterset = _filterset(request, queries.calendar_events(request.user), dates=False)
    grid = queries.month_grid(filterset.qs, first)
    context = {
        "filter": filterset,
        "month": grid,
        "territory": filterset.territory,
        "warning": warning,
        "query": _filters_query(request),
        "actions": _actions(request, filterset),
    }
    return render(request, "events/calendar/month.html", context, status=status)


@require_GET
def detail(request, pk):
    """The event page. An event the viewer may not see (a draft, a réseau event for a visitor) is a 404,
    like a hidden profile: its existence is not revealed."""
    event = viewable_event(request.user, pk)
    if event is None:
        raise Http404
    registration = registration_panel(event, request.user)
    context = page_context(event, request.user, registration=registration["mine"])
    context["manage"] = manage_panel(event, request.user)
    context["registration"] = registration
    context["programme"] = programme_panel(event, request.user)
    return render(request, "events/detail.html", context)
