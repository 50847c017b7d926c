"""Views of the programme of an event: its grid, its slots, their animators, the slots missing animators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from advisors.perms import advisor_of
from common.http import redirect_to_next
from common.pagination import paginate
from common.shortcuts import check_or_403, get_object_or_403
from common.views import write_into_form, write_with_messages
from events import perms
from events.dates import event_span
from events.forms.programme import AnimatorChoiceForm, SlotForm
from events.models import Event, Slot
from events.queries import programme as queries
from events.services import programme as services
from territories.scope import departement_or_current


def _event(request, pk, predicate):
    return get_object_or_403(Event.objects.with_permissions(), predicate, request, pk=pk)


def _visible_event(request, pk):
    """The event of ``pk`` if the viewer may see it; like its page, a 404 otherwise (its existence is not revealed)."""
    event = get_object_or_404(Event.objects.with_permissions(), pk=pk)
    if not perms.can_view_event(request.user, event):
        raise Http404
    return event


def _slot(request, pk, predicate):
    """The slot of ``pk`` (404 when there is none) if ``predicate(user, its event)`` holds (403 otherwise)."""
    slot = get_object_or_404(Slot.objects.with_permissions(), pk=pk)
    check_or_403(predicate, request, slot.event)
    return slot


def _programme_url(slot):
    return reverse("events:programme", args=[slot.event_id])


@require_GET
def programme(request, pk):
    """``/evenements/<pk>/programme/``: the grid, rooms × hours, printable."""
    event = _visible_event(request, pk)
    return render(
        request,
        "events/programme/grid.html",
        {"event": event, "programme": queries.programme_grid(event, request.user)},
    )


@require_GET
def missing_animators(request, pk=None):
    """The slots still missing animators: of one event, or of a département's upcoming events."""
    if pk is not None:
        event = _visible_event(request, pk)
        departement = event.departement
        slots = queries.missing_animators_of_event(event).select_related("event__departement")
    else:
        event = None
        departement = departement_or_current(request, request.GET.get("departement", "")[:3])
        slots = queries.missing_animators_in_departement(departement, request.user) if departement else None
    page = paginate(request, slots) if slots is not None else None
    return render(
        request,
        "events/programme/missing.html",
        {
            "event": event,
            "departement": departement,
            "page": page,
            "rows": queries.missing_rows(page.object_list, request.user) if page is not None else [],
            "can_help": queries.can_propose_anywhere(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def slot_create(request, pk):
    event = _event(request, pk, perms.can_edit_event)
    form = SlotForm(request.POST if request.method == "POST" else None, event=event)
    if request.method == "POST" and form.is_valid():
        slot = write_into_form(form, lambda: services.slot_create(event=event, **form.service_data))
        if slot is not None:
            messages.success(request, f"Le créneau {queries.quoted(slot.title)} est ajouté au programme.")
            return redirect("events:programme", pk=event.pk)
    return render(request, "events/programme/slot_form.html", _form_context(request, event, form, slot=None))


def _form_context(request, event, form, *, slot):
    return {
        "event": event,
        "event_span": event_span(event),
        "form": form,
        "slot": slot,
        "rooms": sorted(set(event.slots.exclude(room="").values_list("room", flat=True))),
        "row": queries.slot_row(slot, request.user) if slot is not None else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def slot_edit(request, pk):
    slot = _slot(request, pk, perms.can_edit_event)
    event = slot.event
    form = SlotForm(request.POST if request.method == "POST" else None, event=event, slot=slot)
    if request.method == "POST" and form.is_valid():
        saved = write_into_form(form, lambda: services.slot_update(slot=slot, **form.service_data))
        if saved is not None:
            messages.success(request, f"Le créneau {queries.quoted(saved.title)} est enregistré.")
            return redirect("events:programme", pk=event.pk)
    return render(request, "events/programme/slot_form.html", _form_context(request, event, form, slot=slot))


@login_required
@require_http_methods(["GET", "POST"])
def slot_delete(request, pk):
    slot = _slot(request, pk, perms.can_edit_event)
    if request.method == "POST":
        services.slot_delete(slot=slot)
        messages.success(request, f"Le créneau {queries.quoted(slot.title)} est retiré du programme.")
        return redirect("events:programme", pk=slot.event_id)
    return render(
        request,
        "events/programme/slot_delete.html",
        {"slot": slot, "event": slot.event, "row": queries.slot_row(slot, request.user)},
    )


def slot_tag(slot):
    """The tag of a message about ``slot``: the event page shows it inside the slot (``#creneau-N``)."""
    return f"creneau-{slot.pk}"


@login_required
@require_POST
def animator_propose(request, pk):
    """« Je peux animer »: the viewer offers to animate the slot, unless it clashes with their agenda."""
    slot = _slot(request, pk, perms.can_offer_help)
    write_with_messages(
        request,
        lambda: services.animator_propose(slot=slot, advisor=advisor_of(request.user)),
        f"Merci\u00a0! Vous proposez d’animer {queries.quoted(slot.title)}\u00a0: les organisateurs vont confirmer.",
        extra_tags=slot_tag(slot),  # the event page shows it inside the slot, where « #creneau-N » lands
    )
    return redirect_to_next(request, _programme_url(slot))


@login_required
@require_POST
def animator_withdraw(request, pk):
    """« Me retirer »: the viewer no longer animates the slot."""
    slot = _slot(request, pk, perms.can_view_event)
    advisor = advisor_of(request.user)
    if advisor is not None and services.animator_withdraw(slot=slot, advisor=advisor):
        messages.success(request, f"Vous n’animez plus {queries.quoted(slot.title)}.", extra_tags=slot_tag(slot))
    else:
        messages.error(
            request, f"Vous n’étiez pas inscrit·e pour animer {queries.quoted(slot.title)}.", extra_tags=slot_tag(slot)
        )
    return redirect_to_next(request, _programme_url(slot))


def _chosen_signup(request, slot):
    """The animator of ``slot`` the organisers picked, or ``None`` (with a message) when there is none."""
    form = AnimatorChoiceForm(request.POST, slot=slot)
    if form.is_valid():
        return form.cleaned_data["signup"]
    messages.error(request, form.errors["signup"][0])
    return None


@login_required
@require_POST
def animator_confirm(request, pk):
    """The organisers confirm a proposed animator (emailed)."""
    slot = _slot(request, pk, perms.can_edit_event)
    signup = _chosen_signup(request, slot)
    if signup is not None:
        services.animator_confirm(signup=signup)
        name = signup.advisor.user.display_name
        messages.success(request, f"{name} animera {queries.quoted(slot.title)} : un courriel l’en informe.")
    return redirect_to_next(request, _programme_url(slot))


@login_required
@require_POST
def animator_remove(request, pk):
    """The organisers take an animator off the slot (emailed)."""
    slot = _slot(request, pk, perms.can_edit_event)
    signup = _chosen_signup(request, slot)
    if signup is not None:
        services.animator_remove(signup=signup)
        name = signup.advisor.user.display_name
        messages.success(request, f"{name} n’anime plus {queries.quoted(slot.title)} : un courriel l’en informe.")
    return redirect_to_next(request, _programme_url(slot))
