"""Views of events: making an event recurring (« le 2e mardi du mois à 10 h »)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from common.shortcuts import get_object_or_403
from common.views import write_into_form
from events.dates import date_label, moment_label
from events.forms.series import SeriesForm
from events.models import Event
from events.perms import can_edit_event
from events.queries.series import series_label
from events.services import series as services


@login_required
@require_http_methods(["GET", "POST"])
def series_create(request, pk):
    event = get_object_or_403(
        Event.objects.with_cards().with_permissions().select_related("series"),
        can_edit_event,
        request,
        pk=pk,
    )
    form = SeriesForm(request.POST if request.method == "POST" else None, event=event)
    if request.method == "POST" and event.series_id is None and form.is_valid():
        series = write_into_form(
            form,
            lambda: services.series_create(
                event=event, by=request.user, rule=form.cleaned_data["rule"], until=form.cleaned_data["until"]
            ),
        )
        if series is not None:
            count = series.events.count()
            messages.success(
                request,
                f"L’événement se répète {series_label(series)}. Dates au calendrier jusqu’au "
                f"{date_label(series.generated_until)} : {count}. Chacune se modifie ou s’annule à part.",
            )
            return redirect(event)
    context = {
        "event": event,
        "form": form,
        "series_label": series_label(event.series) if event.series_id is not None else "",
        "first_label": moment_label(event.starts_at, event.tzinfo, weekday=True),
    }
    return render(request, "events/series_form.html", context)
