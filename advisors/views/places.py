"""Pages of structures, their perimeter and their lieux."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_filters.views import FilterView

from advisors import perms
from advisors.enums import AccessMode, Dispositif, SupportMode
from advisors.filters.places import StructureFilterSet
from advisors.forms.places import (
    LieuForm,
    PerimeterCommuneForm,
    PerimeterDepartementForm,
    PerimeterEPCIForm,
    PerimeterRemoveForm,
    StructureCreateForm,
    StructureForm,
    opening_slot_formset,
)
from advisors.models import Structure
from advisors.opening_hours import lieu_status, osm_opening_hours, week_summary
from advisors.queries import places as queries
from advisors.services import places as services
from common.pagination import paginate
from common.shortcuts import get_object_or_403
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
    return render(
        request,
        "advisors/places/structure_detail.html",
        {
            "structure": structure,
            "lieux": queries.lieux_with_status(structure),
            "advisors": queries.structure_advisors(structure, request.user),
            "can_edit": perms.can_edit_structure(request.user, structure),
            "dispositifs": _choice_labels(structure.dispositifs, Dispositif),
            **queries.perimeter_summary(structure),
        },
    )


def _editable_structure(request, pk):
    return get_object_or_403(Structure.objects.with_cards(), perms.can_edit_structure, request, pk=pk)


def _apply(form, write):
    """Run a service with the form's data; its ``ValidationError`` goes back into the form."""
    try:
        return write()
    except ValidationError as error:
        form.add_error(None, error)
        return None


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
    if not perms.is_member_anywhere(request.user):
        raise PermissionDenied
    form = StructureCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and _commune_allowed(request.user, form):
        member = request.user if form.cleaned_data["join"] else None
        structure = _apply(form, lambda: services.structure_create(member=member, **form.service_data))
        if structure is not None:
            messages.success(request, f"La structure « {structure.name} » est créée.")
            return redirect(structure)
    return render(request, "advisors/places/structure_form.html", {"form": form, "structure": None})


@login_required
@require_http_methods(["GET", "POST"])
def structure_edit(request, pk):
    structure = _editable_structure(request, pk)
    # The form works on a copy: a refused change must not show in the page's title.
    form = StructureForm(request.POST if request.method == "POST" else None, instance=copy.copy(structure))
    if request.method == "POST" and form.is_valid() and _commune_allowed(request.user, form, structure):
        saved = _apply(form, lambda: services.structure_update(structure=structure, **form.service_data))
        if saved is not None:
            messages.success(request, "Les informations de la structure sont enregistrées.")
            return redirect(saved)
    return render(request, "advisors/places/structure_form.html", {"form": form, "structure": structure})


ADD_FORMS = {"commune": PerimeterCommuneForm, "epci": PerimeterEPCIForm, "departement": PerimeterDepartementForm}


def _communes_added_message(count):
    if count == 0:
        return "Ces communes étaient déjà toutes dans le périmètre."
    if count == 1:
        return "1 commune ajoutée au périmètre."
    return f"{count} communes ajoutées au périmètre."


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
        added = services.structure_perimeter_add(structure=structure, **chosen)
        messages.success(request, _communes_added_message(added))
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


@require_GET
def lieu_detail(request, pk):
    lieu = get_object_or_404(queries.lieu_page(), pk=pk)
    slots = lieu.opening_slots.all()
    return render(
        request,
        "advisors/places/lieu_detail.html",
        {
            "lieu": lieu,
            "structure": lieu.structure,
            "status": lieu_status(lieu, timezone.now()),
            "week": week_summary(slots),
            "osm": osm_opening_hours(slots),
            "access_modes": _choice_labels(lieu.access_modes, AccessMode),
            "support_modes": _choice_labels(lieu.support_modes, SupportMode),
            "permanences": queries.lieu_permanences(lieu, request.user),
            "can_edit": perms.can_edit_lieu(request.user, lieu),
        },
    )


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
        lieu = _apply(
            form,
            lambda: services.lieu_create(structure=structure, slots=formset.slots, **form.cleaned_data),
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
        saved = _apply(form, lambda: services.lieu_update(lieu=lieu, slots=formset.slots, **form.cleaned_data))
        if saved is not None:
            messages.success(request, "Le lieu et ses horaires sont enregistrés.")
            return redirect(saved)
    return _lieu_form_page(request, structure=lieu.structure, lieu=lieu, form=form, formset=formset)
