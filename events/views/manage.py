"""Creating and editing events, their status, co-organisers and needs.

Each view fetches its object through ``get_object_or_403`` with a predicate of ``events.perms``;
the writes are ``events.services``; a refused write comes back as a French message or form error.
"""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.pagination import paginate
from common.shortcuts import check_or_403, get_object_or_403
from common.views import write_into_form, write_with_messages
from events import perms
from events.enums import EventKind, EventScope, EventStatus
from events.forms.events import (
    CancelForm,
    EventForm,
    InviteForm,
    NeedForm,
    NeedOfferForm,
    PostponeForm,
    ReportForm,
    StructureOrganiserForm,
)
from events.models import Event, Need, Organiser
from events.queries.manage import creatable_departements, my_invitations, organisers_page
from events.services import events as services
from events.services import organisers as organiser_services
from territories.models import Commune


def _event(request, pk, predicate):
    """The event (its département and organisers loaded, as every predicate reads them) or 404/403."""
    return get_object_or_403(Event.objects.with_permissions(), predicate, request, pk=pk)


# Creating and editing


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    """``/evenements/nouveau/`` (``?departement=42`` to start in that network; a link may prefill more, see
    ``_initial_from_link``)."""
    check_or_403(perms.can_create_event_somewhere, request)
    departements = creatable_departements(request.user)
    wanted = request.GET.get("departement", "")[:3]
    departement = departements.filter(code=wanted).first() or departements.first()
    form = EventForm(
        request.POST if request.method == "POST" else None,
        departements=departements,
        departement=departement,
        initial=_initial_from_link(request.GET),
    )
    if request.method == "POST" and form.is_valid():
        departement = form.cleaned_data["departement"]
        check_or_403(perms.can_create_event, request, departement)
        event = write_into_form(
            form,
            lambda: services.event_create(
                by=request.user,
                departement=departement,
                publish=request.POST.get("action") == "publish",
                **form.service_data,
            ),
        )
        if event is not None:
            published = event.status == EventStatus.PUBLISHED
            messages.success(
                request,
                f"L’événement « {event.title} » est "
                + ("publié." if published else "enregistré comme brouillon : publiez-le quand il est prêt."),
            )
            return redirect(event)
    return render(request, "events/manage/event_form.html", {"form": form, "event": None})


def _initial_from_link(query):
    """Initial values a link may give (the coverage page's « proposer une rencontre »):
    ``?kind=rencontre&scope=commune&title=…&commune=42218&epci=<SIREN>&structures=3,7``. Unknown values
    are left out; the form offers only the structures of the département."""
    initial = {}
    if query.get("kind") in EventKind.values:
        initial["kind"] = query["kind"]
    if query.get("scope") in EventScope.values:
        initial["scope"] = query["scope"]
    if query.get("title"):
        initial["title"] = query["title"][:200]
    commune = Commune.objects.filter(code=query.get("commune", "")[:5]).first() if query.get("commune") else None
    if commune is not None:
        initial["commune"] = commune.label
    if query.get("epci"):
        initial["epci"] = query["epci"][:9]
    initial["structures"] = [pk for pk in query.get("structures", "").split(",")[:50] if pk.isdigit()]
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    event = _event(request, pk, perms.can_edit_event)
    # The form works on a copy: a refused change must not show in the page's title.
    form = EventForm(
        request.POST if request.method == "POST" else None,
        instance=copy.copy(event),
        departement=event.departement,
        initial={"skills": list(event.skills.all())},
    )
    if request.method == "POST" and form.is_valid():
        saved = write_into_form(
            form,
            lambda: services.event_update(
                event=event, by=request.user, publish=request.POST.get("action") == "publish", **form.service_data
            ),
        )
        if saved is not None:
            messages.success(request, "Les modifications de l’événement sont enregistrées.")
            return redirect(saved)
    return render(request, "events/manage/event_form.html", {"form": form, "event": event})


# Status


@login_required
@require_POST
def publish(request, pk):
    event = _event(request, pk, perms.can_edit_event)
    write_with_messages(
        request, lambda: services.event_publish(event=event, by=request.user), "L’événement est publié."
    )
    return redirect(event)


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    event = _event(request, pk, perms.can_edit_event)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done, _ = write_with_messages(
            request,
            lambda: services.event_cancel(event=event, by=request.user, message=form.cleaned_data["message"]),
            "L’événement est annulé : les inscrits et les animateurs sont prévenus par courriel.",
        )
        return redirect(event)
    return render(request, "events/manage/cancel.html", {"form": form, "event": event})


@login_required
@require_http_methods(["GET", "POST"])
def postpone(request, pk):
    event = _event(request, pk, perms.can_edit_event)
    form = PostponeForm(request.POST if request.method == "POST" else None, event=event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        write_with_messages(
            request,
            lambda: services.event_postpone(
                event=event,
                by=request.user,
                starts_at=data.get("starts_at"),
                ends_at=data.get("ends_at"),
                message=data["message"],
            ),
            "L’événement est reporté : les inscrits et les animateurs sont prévenus par courriel.",
        )
        return redirect(event)
    return render(request, "events/manage/postpone.html", {"form": form, "event": event})


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, pk):
    event = _event(request, pk, perms.can_delete_event)
    if request.method == "POST":
        title = event.title
        done, _ = write_with_messages(
            request, lambda: services.event_delete(event=event, by=request.user), f"« {title} » est supprimé."
        )
        return redirect("events:index") if done else redirect(event)
    return render(request, "events/manage/delete.html", {"event": event})


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    """Attendance and bilan of an event (after it)."""
    event = _event(request, pk, perms.can_edit_event)
    form = ReportForm(request.POST if request.method == "POST" else None, instance=copy.copy(event))
    if request.method == "POST" and form.is_valid():
        saved = write_into_form(
            form,
            lambda: services.event_report(
                event=event,
                by=request.user,
                attendance_count=form.cleaned_data["attendance_count"],
                report=form.cleaned_data["report"],
            ),
        )
        if saved is not None:
            messages.success(request, "Le bilan est enregistré.")
            return redirect(saved)
    is_over = event.ends_at <= timezone.now()
    return render(request, "events/manage/report.html", {"form": form, "event": event, "is_over": is_over})


# Co-organisers


@login_required
@require_http_methods(["GET", "POST"])
def organisers(request, pk):
    """The organisers of an event: invite a person (the leads and the coordination), add a structure
    (any organiser), promote, remove."""
    event = _event(request, pk, perms.can_edit_event)
    which = request.POST.get("form") if request.method == "POST" else None
    if which == "invite":
        check_or_403(perms.can_manage_organisers, request, event)
    invite_form = InviteForm(request.POST if which == "invite" else None, prefix="invite")
    structure_form = StructureOrganiserForm(
        request.POST if which == "structure" else None, prefix="structure", event=event
    )
    if which == "invite" and invite_form.is_valid():
        email = invite_form.cleaned_data["email"]
        invited = write_into_form(
            invite_form, lambda: organiser_services.organiser_invite(event=event, by=request.user, email=email)
        )
        if invited is not None:
            messages.success(request, f"Invitation envoyée à {invited.advisor.user.display_name}.")
            return redirect("events:organisers", pk=event.pk)
    elif which == "structure" and structure_form.is_valid():
        structure = structure_form.cleaned_data["structure"]
        added = write_into_form(
            structure_form,
            lambda: organiser_services.organiser_structure_add(event=event, structure=structure, by=request.user),
        )
        if added is not None:
            messages.success(request, f"{structure.name} est ajoutée aux co-organisateurs.")
            return redirect("events:organisers", pk=event.pk)
    elif request.method == "POST" and which not in ("invite", "structure"):
        messages.error(request, "Choisissez d’inviter une personne ou d’ajouter une structure.")
    return render(
        request,
        "events/manage/organisers.html",
        {
            "event": event,
            "organisers": organisers_page(event, request.user),
            "can_manage": perms.can_manage_organisers(request.user, event),
            "invite_form": invite_form,
            "structure_form": structure_form,
        },
    )


def _organiser(request, pk, predicate):
    queryset = Organiser.objects.with_permissions().select_related("advisor__user", "structure")
    return get_object_or_403(queryset, predicate, request, pk=pk)


@login_required
@require_POST
def organiser_respond(request, pk):
    """Accept or decline an invitation to co-organise (from the event page or « Mes invitations »)."""
    organiser = _organiser(request, pk, perms.can_respond_invitation)
    accept = request.POST.get("answer") == "accept"
    done, _ = write_with_messages(
        request,
        lambda: organiser_services.organiser_respond(organiser=organiser, accept=accept),
        "Vous co-organisez maintenant cet événement : vous pouvez le modifier."
        if accept
        else "Vous avez décliné l’invitation.",
    )
    if not accept and request.POST.get("from") == "invitations":
        return redirect("events:invitations")
    return redirect(organiser.event)


@login_required
@require_POST
def organiser_promote(request, pk):
    organiser = _organiser(request, pk, perms.can_change_organiser)
    write_with_messages(
        request,
        lambda: organiser_services.organiser_promote(organiser=organiser, by=request.user),
        f"{organiser} est maintenant responsable de l’événement.",
    )
    return redirect("events:organisers", pk=organiser.event_id)


@login_required
@require_POST
def organiser_remove(request, pk):
    organiser = _organiser(request, pk, perms.can_change_organiser)
    write_with_messages(
        request,
        lambda: organiser_services.organiser_remove(organiser=organiser, by=request.user),
        f"{organiser} ne co-organise plus l’événement.",
    )
    return redirect("events:organisers", pk=organiser.event_id)


@login_required
@require_POST
def leave(request, pk):
    event = _event(request, pk, perms.is_organiser)  # the last lead gets the service's explanation
    write_with_messages(
        request,
        lambda: organiser_services.organiser_leave(event=event, user=request.user),
        "Vous ne co-organisez plus cet événement.",
    )
    return redirect(event)


@login_required
@require_GET
def invitations(request):
    """« Mes invitations » : the events the viewer is invited to co-organise."""
    page = paginate(request, my_invitations(request.user))
    return render(request, "events/manage/invitations.html", {"page": page})


# Needs


def _need(request, pk, predicate):
    return get_object_or_403(Need.objects.with_permissions(), predicate, request, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def need_create(request, pk):
    event = _event(request, pk, perms.can_edit_event)
    form = NeedForm(request.POST if request.method == "POST" else None, prefix="need")
    if request.method == "POST" and form.is_valid():
        organiser_services.need_create(event=event, by=request.user, **form.cleaned_data)
        messages.success(request, "Le besoin est affiché sur la page de l’événement.")
        return redirect(f"{event.get_absolute_url()}#besoins")
    return render(request, "events/manage/need_form.html", {"form": form, "event": event})


@login_required
@require_POST
def need_cover(request, pk):
    need = _need(request, pk, perms.can_change_need)
    covered = request.POST.get("covered", "1") != "0"
    write_with_messages(
        request,
        lambda: organiser_services.need_cover(need=need, covered=covered),
        "Le besoin est marqué couvert." if covered else "Le besoin est de nouveau ouvert.",
    )
    return redirect(f"{need.event.get_absolute_url()}#besoins")


@login_required
@require_POST
def need_delete(request, pk):
    need = _need(request, pk, perms.can_change_need)
    organiser_services.need_delete(need=need)
    messages.success(request, "Le besoin est supprimé.")
    return redirect(f"{need.event.get_absolute_url()}#besoins")


@login_required
@require_http_methods(["GET", "POST"])
def need_offer(request, pk):
    """« Je peux apporter… » : the form of the event page posts here; errors come back on a page of its own."""
    need = _need(request, pk, perms.can_offer_for_need)
    form = NeedOfferForm(request.POST if request.method == "POST" else None, prefix=f"besoin-{need.pk}")
    if request.method == "POST" and form.is_valid():
        message = form.cleaned_data["message"]
        offer = write_into_form(
            form, lambda: organiser_services.need_offer(need=need, user=request.user, message=message)
        )
        if offer is not None:
            messages.success(request, "Merci : les organisateurs sont prévenus de votre proposition.")
            return redirect(f"{need.event.get_absolute_url()}#besoins")
    return render(request, "events/manage/need_offer.html", {"form": form, "need": need, "event": need.event})


@login_required
@require_POST
def need_offer_withdraw(request, pk):
    need = _need(request, pk, perms.can_withdraw_offer)
    if organiser_services.need_offer_withdraw(need=need, user=request.user):
        messages.success(request, "Votre proposition est retirée.")
    else:
        messages.info(request, "Vous n’aviez pas proposé d’aide pour ce besoin.")
    return redirect(f"{need.event.get_absolute_url()}#besoins")
