"""Views of events: registrations, the waiting list, the visitors' emailed links, the organisers' tools."""

from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.exports import csv_response
from common.http import redirect_to_next
from common.shortcuts import check_or_403, get_object_or_403
from events.dates import moment_label
from events.enums import EventVisibility, RegistrationStatus
from events.forms.registrations import AttendanceForm, VisitorRegistrationForm
from events.models import Event, Slot
from events.perms import can_edit_event, can_see_online_link, can_view_event
from events.queries import registrations as queries
from events.services import registrations as services
from events.views.programme import slot_tag

SENT_SESSION_KEY = "registration_sent_to"


def _events():
    """Events with their place and what the permission predicates read."""
    return Event.objects.with_cards().with_permissions()


def _slot(pk):
    """The slot ``pk`` and its event, loaded as ``_events`` loads one (404 when there is none)."""
    slot = get_object_or_404(
        Slot.objects.with_permissions().select_related("event__commune", "event__lieu__commune"), pk=pk
    )
    return slot, slot.event


def _organised_event(request, pk):
    return get_object_or_403(_events(), can_edit_event, request, pk=pk)


def _registered_message(registration):
    if registration.status == RegistrationStatus.WAITLISTED:
        return "C’est complet : vous êtes sur la liste d’attente. Un courriel vous préviendra si une place se libère."
    return "Votre inscription est confirmée. Un courriel vous le confirme."


def _register(request, *, event, slot):
    """Members in one click; visitors (public events only) with a name and an address to confirm."""
    if not request.user.is_authenticated and event.visibility != EventVisibility.PUBLIC:
        return redirect_to_login(event.get_absolute_url())
    check_or_403(can_view_event, request, event)
    if request.user.is_authenticated:
        tag = slot_tag(slot) if slot else ""  # a slot's message shows inside it on the event page
        try:
            registration = services.registration_create(event=event, slot=slot, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0], extra_tags=tag)
        else:
            messages.success(request, _registered_message(registration), extra_tags=tag)
        return redirect_to_next(request, event)
    return _register_visitor(request, event=event, slot=slot)


def _register_visitor(request, *, event, slot):
    form = VisitorRegistrationForm(request.POST)
    context = {
        "event": event,
        "slot": slot,
        "form": form,
        "starts": moment_label((slot or event).starts_at, event.tzinfo),
    }
    if not form.is_valid():
        return render(request, "events/registrations/visitor.html", context, status=400)
    email = form.cleaned_data["email"].strip().lower()
    venue = f"{get_adapter(request).get_client_ip(request)}:{event.pk}"
    if not (
        ratelimit.consume(request, action="event_registration_ip", key=venue)
        and ratelimit.consume(request, action="event_registration", key=email)
    ):
        return render(request, "events/registrations/too_many.html", context, status=429)
    try:
        services.registration_create(event=event, slot=slot, name=form.cleaned_data["name"], email=email)
    except ValidationError as error:
        if services.registration_resend(event=event, slot=slot, email=email) is None:
            form.add_error(None, error)
            return render(request, "events/registrations/visitor.html", context, status=400)
        # Already registered: the person gets their links again, and the page tells no one else
        # whether this address was registered.
    request.session[SENT_SESSION_KEY] = email
    return redirect("events:registration_sent", pk=event.pk)


@require_POST
def register(request, pk):
    event = get_object_or_404(_events(), pk=pk)
    return _register(request, event=event, slot=None)


@require_POST
def slot_register(request, pk):
    slot, event = _slot(pk)
    return _register(request, event=event, slot=slot)


def _unregister(request, *, event, slot):
    registration = queries.own_registration(request.user, event=event, slot=slot)
    tag = slot_tag(slot) if slot else ""
    if registration is None:
        messages.info(request, "Vous n’étiez pas inscrit·e.", extra_tags=tag)
    else:
        services.registration_cancel(registration=registration)
        messages.success(request, "Votre inscription est annulée.", extra_tags=tag)
    return redirect_to_next(request, event)


@login_required
@require_POST
def unregister(request, pk):
    event = get_object_or_404(_events(), pk=pk)
    return _unregister(request, event=event, slot=None)


@login_required
@require_POST
def slot_unregister(request, pk):
    slot, event = _slot(pk)
    return _unregister(request, event=event, slot=slot)


@require_GET
def registration_sent(request, pk):
    event = get_object_or_404(_events(), pk=pk)
    if not can_view_event(request.user, event):
        raise Http404("Événement inconnu")
    email = request.session.get(SENT_SESSION_KEY, "")
    return render(request, "events/registrations/sent.html", {"event": event, "email": email})


def _by_token(token):
    registration = queries.registration_by_token(token)
    if registration is None:
        raise Http404("Inscription inconnue")
    return registration


def _token_context(request, registration):
    event = registration.event
    online = event.online_url if event.online_url and can_see_online_link(request.user, event, registration) else ""
    rank = None
    if registration.status == RegistrationStatus.WAITLISTED:
        rank = queries.waitlist_rank(registration)
    return {
        "registration": registration,
        "event": event,
        "slot": registration.slot,
        "starts": moment_label((registration.slot or event).starts_at, event.tzinfo),
        "online_url": online,
        "rank": rank,
    }


@require_http_methods(["GET", "POST"])
def registration_confirm(request, token):
    """The emailed link: GET shows a button (mail scanners follow links), POST confirms."""
    registration = _by_token(token)
    if request.method == "POST":
        try:
            services.registration_confirm(registration=registration)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect("events:registration_confirm", token=registration.token)
    return render(request, "events/registrations/confirm.html", _token_context(request, registration))


@require_http_methods(["GET", "POST"])
def registration_cancel(request, token):
    """The emailed link to cancel: GET asks, POST cancels."""
    registration = _by_token(token)
    if request.method == "POST":
        services.registration_cancel(registration=registration)
        messages.success(request, "Votre inscription est annulée.")
        return redirect("events:registration_cancel", token=registration.token)
    return render(request, "events/registrations/cancel.html", _token_context(request, registration))


@login_required
@require_GET
def registrations(request, pk):
    event = _organised_event(request, pk)
    event_group, slot_groups = queries.registrations_by_status(event)
    context = {
        "event": event,
        "starts": moment_label(event.starts_at, event.tzinfo),
        "event_group": event_group,
        "slot_groups": slot_groups,
    }
    return render(request, "events/registrations/list.html", context)


@login_required
@require_GET
def registrations_export(request, pk):
    event = _organised_event(request, pk)
    return csv_response(queries.export_rows(event), f"inscriptions-evenement-{event.pk}.csv")


@login_required
@require_GET
def sign_in_sheet(request, pk):
    event = _organised_event(request, pk)
    context = {
        "event": event,
        "starts": moment_label(event.starts_at, event.tzinfo),
        "rows": queries.sign_in_rows(event),
    }
    return render(request, "events/registrations/sign_in_sheet.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    """On the day, from a phone: one big button per person and per choice, one POST each."""
    event = _organised_event(request, pk)
    if request.method == "POST":
        form = AttendanceForm(request.POST)
        registration = None
        if form.is_valid():
            registration = queries.event_registration(event, form.cleaned_data["registration"])
        if registration is None:
            messages.error(request, "Choisissez une personne inscrite et « présent » ou « absent ».")
        else:
            try:
                services.registration_mark_attendance(
                    registration=registration, attendance=form.cleaned_data["attendance"]
                )
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                state = {"present": "présent·e", "absent": "absent·e"}.get(form.cleaned_data["attendance"])
                text = f"{registration.name} : {state}." if state else f"{registration.name} : présence effacée."
                messages.success(request, text)
            return redirect(f"{request.path}#inscription-{registration.pk}")
        return redirect("events:attendance", pk=event.pk)
    rows = queries.sign_in_rows(event)
    present = sum(1 for row in rows if row.attendance == "present")
    return render(request, "events/registrations/attendance.html", {"event": event, "rows": rows, "present": present})
