"""Pages of structures, their perimeter and their lieux."""

import copy
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_filters.views import FilterView

from advisors import perms
from advisors.enums import AccessMode, Dispositif, SupportMode
from advisors.filters.places import StructureFilterSet
from advisors.forms.places import (
    LieuClosureForm,
    LieuForm,
    PerimeterCommuneForm,
    PerimeterDepartementForm,
    PerimeterEPCIForm,
    PerimeterRemoveForm,
    StructureCreateForm,
    StructureForm,
    opening_slot_formset,
)
from advisors.models import Lieu, Structure, StructureAttachment
from advisors.opening_hours import (
    closure_label,
    french_date,
    lieu_status,
    osm_opening_hours,
    public_holidays_between,
    week_summary,
)
from advisors.queries import places as queries
from advisors.services import places as services
from common.pagination import paginate
from common.shortcuts import check_or_403, get_object_or_403
from common.views import write_into_form
from territories.models import Departement
from territories.scope import departement_named, query_with_departement


class StructureListView(FilterView):
    """``/structures/``: the structures of the visitor's département by default, filtered and paginated."""

    filterset_class = StructureFilterSet
    template_name = "advisors/places/structure_list.html"
    http_method_names = ["get", "head"]

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["data"] = query_with_departement(self.request)
        self.departement = departement_named(self.request, kwargs["data"].get("departement", ""))
        kwargs["departement"] = self.departement
        return kwargs

    def get_queryset(self):
        return queries.structure_list(self.request.user)

    def get_paginate_by(self, queryset):
        return True

    def paginate_queryset(self, queryset, page_size):
        page = paginate(self.request, queryset)
        return page.paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["departement"] = self.departement
        context["can_create"] = perms.is_member_anywhere(self.request.user)
        return context


structures = StructureListView.as_view()


@require_GET
def structure_detail(request, pk):
    structure = get_object_or_404(queries.structure_page(), pk=pk)
    can_edit = perms.can_edit_structure(request.user, structure)
    return render(
        request,
        "advisors/places/structure_detail.html",
        {
            "structure": structure,
            "lieux": queries.lieux_with_status(structure),
            "advisors": queries.structure_advisors(structure, request.user),
            "can_edit": can_edit,
            "attachments": queries.attachment_requests(structure) if can_edit else [],
            "dispositifs": _choice_labels(structure.dispositifs, Dispositif),
            **queries.perimeter_summary(structure),
        },
    )


def _editable_structure(request, pk):
    return get_object_or_403(Structure.objects.with_cards(), perms.can_edit_structure, request, pk=pk)


def _commune_allowed(user, form, structure=None):
    """A structure goes only to a département whose network the user belongs to (its own, when editing)."""
    commune = form.cleaned_data["commune"]
    if structure is not None and commune.departement_id == structure.departement_id:
        return True
    if perms.can_create_structure(user, commune.departement_id):
        return True
    form.add_error(
        "commune",
        f"{commune.name} est dans le département {commune.departement.name} ({commune.departement_id}), "
        "dont vous n’êtes pas membre du réseau : vous ne pouvez y "
        + ("déplacer la structure." if structure else "ajouter une structure."),
    )
    return False


@login_required
@require_http_methods(["GET", "POST"])
def structure_create(request):
    check_or_403(perms.is_member_anywhere, request)
    form = StructureCreateForm(request.POST if request.method == "POST" else None)
    duplicates = []
    if request.method == "POST" and form.is_valid() and _commune_allowed(request.user, form):
        data = form.cleaned_data
        duplicates = queries.likely_duplicates(name=data["name"], commune=data["commune"], siret=data["siret"])
        if duplicates and not data["not_duplicate"]:
            form.add_error(
                "not_duplicate",
                "Vérifiez que la structure n’existe pas déjà, puis cochez cette case pour la créer quand même.",
            )
        else:
            member = request.user if data["join"] else None
            structure = write_into_form(
                form,
                lambda: services.structure_create(member=member, created_by=request.user, **form.service_data),
            )
            if structure is not None:
                messages.success(request, f"La structure « {structure.name} » est créée.")
                return redirect(structure)
    return render(
        request,
        "advisors/places/structure_form.html",
        {"form": form, "structure": None, "duplicates": duplicates},
    )


@login_required
@require_http_methods(["GET", "POST"])
def structure_edit(request, pk):
    structure = _editable_structure(request, pk)
    # The form works on a copy: a refused change must not show in the page's title.
    form = StructureForm(request.POST if request.method == "POST" else None, instance=copy.copy(structure))
    if request.method == "POST" and form.is_valid() and _commune_allowed(request.user, form, structure):
        saved = write_into_form(form, lambda: services.structure_update(structure=structure, **form.service_data))
        if saved is not None:
            messages.success(request, "Les informations de la structure sont enregistrées.")
            return redirect(saved)
    return render(request, "advisors/places/structure_form.html", {"form": form, "structure": structure})


ADD_FORMS = {"commune": PerimeterCommuneForm, "epci": PerimeterEPCIForm, "departement": PerimeterDepartementForm}


def _communes_added_message(change):
    if change.added == 0 and change.requested == 0:
        return "Ces communes étaient déjà toutes dans le périmètre ou demandées."
    parts = []
    if change.added:
        plural = "s" if change.added > 1 else ""
        parts.append(f"{change.added} commune{plural} ajoutée{plural} au périmètre.")
    if change.requested:
        plural = "s" if change.requested > 1 else ""
        parts.append(
            f"{change.requested} commune{plural} d’un autre département attend{'ent' if plural else ''} l’accord "
            "de sa coordination : d’ici là, elle" + ("s ne comptent" if plural else " ne compte") + " pas."
        )
    return " ".join(parts)


@login_required
@require_http_methods(["GET", "POST"])
def structure_perimeter(request, pk):
    """Add a commune, a whole EPCI or a whole département; see and remove communes by EPCI."""
    structure = _editable_structure(request, pk)
    action = request.POST.get("add") if request.method == "POST" else None
    forms = {}
    for name, form_class in ADD_FORMS.items():
        data = request.POST if name == action else None
        kwargs = {"departement": structure.departement} if name == "epci" else {}
        forms[name] = form_class(data, prefix=f"add-{name}", **kwargs)
    if action in ADD_FORMS and forms[action].is_valid():
        value = forms[action].cleaned_data[action]
        chosen = {"communes": [value]} if action == "commune" else {action: value}
        change = services.structure_perimeter_add(structure=structure, by=request.user, **chosen)
        messages.success(request, _communes_added_message(change))
        return redirect("advisors:structure_perimeter", pk=structure.pk)
    if request.method == "POST" and action not in ADD_FORMS:
        messages.error(
            request, "Choisissez ce que vous voulez ajouter : une commune, une intercommunalité ou un département."
        )
    return render(
        request,
        "advisors/places/structure_perimeter.html",
        {
            "structure": structure,
            "forms": forms,
            # One group at a time lists its communes as checkboxes: the page stays light at 300 communes.
            "editing": request.GET.get("groupe", ""),
            "pending": queries.pending_perimeter(structure),
            **queries.perimeter_summary(structure),
        },
    )


@login_required
@require_POST
def structure_perimeter_remove(request, pk):
    structure = _editable_structure(request, pk)
    form = PerimeterRemoveForm(request.POST)
    if form.is_valid():
        removed = services.structure_perimeter_remove(
            structure=structure, communes=form.cleaned_data["communes"] or None, epci=form.cleaned_data["epci"]
        )
        if removed == 0:
            messages.info(request, "Ces communes n’étaient plus dans le périmètre.")
        else:
            plural = "s" if removed > 1 else ""
            messages.success(request, f"{removed} commune{plural} retirée{plural} du périmètre.")
    else:
        unknown = "Ces communes sont inconnues : rechargez la page."
        messages.error(request, " ".join(form.non_field_errors()) or unknown)
    return redirect("advisors:structure_perimeter", pk=structure.pk)


def _choice_labels(values, choices):
    labels = dict(choices.choices)
    return [labels[value] for value in values if value in labels]


# How far ahead the page of a lieu announces public holidays.
HOLIDAYS_AHEAD_DAYS = 30


def _lieu_page(request, lieu, *, closure_form=None):
    """The page of ``lieu`` (from ``queries.lieu_page()``), with the closure form of its editors."""
    slots = lieu.opening_slots.all()
    today = services.lieu_today(lieu)
    closures = [closure for closure in lieu.closures.all() if closure.ends_on >= today]
    can_edit = perms.can_edit_lieu(request.user, lieu)
    if can_edit and closure_form is None:
        closure_form = LieuClosureForm(today=today)
    holidays_ahead = public_holidays_between(lieu.departement_id, today, today + timedelta(days=HOLIDAYS_AHEAD_DAYS))
    return render(
        request,
        "advisors/places/lieu_detail.html",
        {
            "lieu": lieu,
            "structure": lieu.structure,
            "status": lieu_status(lieu, timezone.now()),
            "week": week_summary(slots),
            "osm": osm_opening_hours(slots, closures, today=today),
            "closures": [(closure, closure_label(closure, today=today)) for closure in closures],
            "holidays": [(french_date(day, weekday=True), name) for day, name in holidays_ahead],
            "closure_form": closure_form,
            "access_modes": _choice_labels(lieu.access_modes, AccessMode),
            "support_modes": _choice_labels(lieu.support_modes, SupportMode),
            "permanences": queries.lieu_permanences(lieu, request.user),
            "can_edit": can_edit,
            "map": queries.lieu_map(lieu),
            "phone_href": _tel_href(lieu.public_phone),
        },
    )


@require_GET
def lieu_detail(request, pk):
    return _lieu_page(request, get_object_or_404(queries.lieu_page(), pk=pk))


@login_required
@require_POST
def lieu_closure_add(request, pk):
    """Its editors record that the lieu is exceptionally closed; wrong dates show next to their field."""
    lieu = get_object_or_403(queries.lieu_page(), perms.can_edit_lieu, request, pk=pk)
    form = LieuClosureForm(request.POST, today=services.lieu_today(lieu))
    if form.is_valid():
        closure = write_into_form(form, lambda: services.lieu_closure_add(lieu=lieu, **form.cleaned_data))
        if closure is not None:
            messages.success(request, f"Fermeture enregistrée : {closure_label(closure)}.")
            return redirect(f"{lieu.get_absolute_url()}#fermetures")
    return _lieu_page(request, lieu, closure_form=form)


@login_required
@require_POST
def lieu_closure_delete(request, pk, closure_pk):
    lieu = get_object_or_403(Lieu.objects.select_related("structure"), perms.can_edit_lieu, request, pk=pk)
    closure = get_object_or_404(lieu.closures, pk=closure_pk)
    services.lieu_closure_delete(closure=closure)
    messages.success(request, f"Fermeture retirée : {closure_label(closure)}.")
    return redirect(f"{lieu.get_absolute_url()}#fermetures")


def _tel_href(phone):
    """``tel:0477123456`` for « 04 77 12 34 56 »: digits and the leading +, nothing else."""
    number = "".join(char for char in phone if char.isdigit() or char == "+")
    return f"tel:{number}" if number else ""


NEW_LIEU_SLOT_ROWS = 10


def _lieu_form_page(request, *, structure, lieu, form, formset):
    return render(
        request,
        "advisors/places/lieu_form.html",
        {"structure": structure, "lieu": lieu, "form": form, "formset": formset},
    )


@login_required
@require_http_methods(["GET", "POST"])
def lieu_create(request, pk):
    structure = _editable_structure(request, pk)
    data = request.POST if request.method == "POST" else None
    form = LieuForm(data, initial={"commune": structure.commune, "address": structure.address})
    formset = opening_slot_formset(data, extra=NEW_LIEU_SLOT_ROWS)
    # Both validated, so that every error shows at once.
    if data is not None and all([form.is_valid(), formset.is_valid()]):
        lieu = write_into_form(
            form,
            lambda: services.lieu_create(
                structure=structure, slots=formset.slots, by=request.user, **form.cleaned_data
            ),
        )
        if lieu is not None:
            messages.success(request, f"Le lieu « {lieu.name} » est ajouté.")
            return redirect(lieu)
    return _lieu_form_page(request, structure=structure, lieu=None, form=form, formset=formset)


@login_required
@require_http_methods(["GET", "POST"])
def lieu_edit(request, pk):
    lieu = get_object_or_403(queries.lieu_editable(), perms.can_edit_lieu, request, pk=pk)
    data = request.POST if request.method == "POST" else None
    form = LieuForm(data, instance=copy.copy(lieu))
    formset = opening_slot_formset(data, lieu=lieu)
    if data is not None and all([form.is_valid(), formset.is_valid()]):
        saved = write_into_form(
            form,
            lambda: services.lieu_update(lieu=lieu, slots=formset.slots, by=request.user, **form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, "Le lieu et ses horaires sont enregistrés.")
            return redirect(saved)
    return _lieu_form_page(request, structure=lieu.structure, lieu=lieu, form=form, formset=formset)


def _back(request, structure):
    if request.POST.get("retour") == "reseau":
        return redirect("advisors:place_requests", code=structure.departement_id)
    return redirect(structure)


@login_required
@require_POST
def attachment_decide(request, pk):
    """A structure's editor (or the coordination) accepts or refuses a member asking to join it."""
    attachment = get_object_or_403(
        StructureAttachment.objects.select_related("advisor__user", "structure"),
        perms.can_decide_attachment,
        request,
        pk=pk,
    )
    accept = request.POST.get("decision") == "accepter"
    if request.POST.get("decision") not in ("accepter", "refuser"):
        messages.error(request, "Choisissez d’accepter ou de refuser la demande.")
    elif services.structure_attachment_decide(attachment=attachment, accept=accept):
        name = attachment.advisor.user.display_name
        if accept:
            messages.success(request, f"{name} est rattaché·e à « {attachment.structure.name} ».")
        else:
            messages.success(request, f"La demande de rattachement de {name} est refusée.")
    return _back(request, attachment.structure)


@login_required
@require_GET
def place_requests(request, code):
    """For the coordination: members asking to join a structure of the département, and what
    structures of other départements ask to place in it (communes of their perimeter, lieux)."""
    departement = get_object_or_403(Departement.objects.all(), perms.can_review_place_requests, request, code=code)
    return render(
        request,
        "advisors/places/place_requests.html",
        {"departement": departement, **queries.place_requests(departement)},
    )


@login_required
@require_POST
def perimeter_decide(request, code, pk):
    departement = get_object_or_403(Departement.objects.all(), perms.can_review_place_requests, request, code=code)
    structure = get_object_or_404(Structure, pk=pk)
    decision = request.POST.get("decision")
    if decision not in ("accepter", "refuser"):
        messages.error(request, "Choisissez d’accepter ou de refuser la demande.")
    else:
        accept = decision == "accepter"
        decided = services.perimeter_requests_decide(structure=structure, departement=departement, accept=accept)
        if decided:
            plural = "s" if decided > 1 else ""
            verb = "ajoutée" if accept else "refusée"
            messages.success(
                request,
                f"{decided} commune{plural} {verb}{plural} "
                + ("au périmètre" if accept else "pour le périmètre")
                + f" de « {structure.name} ».",
            )
    return redirect("advisors:place_requests", code=departement.code)


@login_required
@require_POST
def lieu_decide(request, pk):
    lieu = get_object_or_403(Lieu.objects.select_related("structure"), perms.can_decide_lieu, request, pk=pk)
    decision = request.POST.get("decision")
    if decision not in ("accepter", "refuser"):
        messages.error(request, "Choisissez d’accepter ou de refuser le lieu.")
    elif services.lieu_decide(lieu=lieu, accept=decision == "accepter"):
        if decision == "accepter":
            messages.success(request, f"Le lieu « {lieu.name} » est accepté dans le département.")
        else:
            messages.success(request, f"Le lieu « {lieu.name} » est refusé : il n’apparaît nulle part.")
    return redirect("advisors:place_requests", code=lieu.departement_id)
