"""The partners directory of a département network: list, page, suggestion or entry, edit, decision,
deletion, and « je connais ce partenaire »."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from advisors.perms import advisor_of
from animation import perms
from animation.enums import PartnerStatus
from animation.filters import PartnerFilterSet
from animation.forms.partners import AcquaintanceForm, PartnerForm
from animation.models import Partner
from animation.queries import partners as queries
from animation.services import partners as services
from common.http import redirect_to_next
from common.pagination import paginate
from common.shortcuts import get_object_or_403
from territories.models import Departement


def _departement(request, code, predicate=perms.can_view_network_life):
    return get_object_or_403(Departement.objects.all(), predicate, request, code=code)


def _partner(request, code, pk, predicate, queryset=None):
    """The partner ``pk`` of the network ``code`` (404 when it is another network's), if ``predicate`` holds."""
    queryset = Partner.objects.select_related("departement") if queryset is None else queryset
    return get_object_or_403(queryset.filter(departement_id=code), predicate, request, pk=pk)


@login_required
@require_GET
def partner_list(request, code):
    """``/reseau/42/partenaires/``: the published partners, filtered; the suggestions for the coordination."""
    departement = _departement(request, code)
    manager = perms.can_manage_partners(request.user, departement)
    filterset = PartnerFilterSet(
        request.GET,
        queryset=queries.partners_for(request.user, departement),
        request=request,
        departement=departement,
        manager=manager,
    )
    page = paginate(request, queries.with_cards(filterset.qs, request.user))
    queries.hidden_counts(page.object_list)
    status = filterset.form.cleaned_data.get("statut") or PartnerStatus.PUBLISHED
    context = {
        "departement": departement,
        "filter": filterset,
        "page": page,
        "status": status,
        "can_manage": manager,
        "can_know": advisor_of(request.user) is not None,
        "waiting": queries.waiting_count(departement) if manager else 0,
        "filtered": any(filterset.form.cleaned_data.get(name) for name in ("q", "type", "portee", "epci", "commune"))
        or bool(filterset.form.cleaned_data.get("je_connais")),
    }
    if request.GET.get("partial"):
        return render(request, "animation/partners/list.html#results", context)
    return render(request, "animation/partners/list.html", context)


def _form_page(request, departement, form, partner=None):
    return render(
        request,
        "animation/partners/form.html",
        {
            "departement": departement,
            "form": form,
            "partner": partner,
            "can_manage": perms.can_manage_partners(request.user, departement),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_new(request, code):
    """A coordinator's entry is published at once; a member's waits for the coordination."""
    departement = _departement(request, code, perms.can_suggest_partner)
    form = PartnerForm(request.POST if request.method == "POST" else None, departement=departement)
    if request.method == "POST" and form.is_valid():
        partner = form.save(commit=False)
        partner.departement = departement
        partner = services.partner_create(partner=partner, by=request.user)
        if partner.status == PartnerStatus.PUBLISHED:
            messages.success(request, f"{partner.name} est ajouté à l’annuaire des partenaires du réseau.")
        else:
            messages.success(
                request,
                f"Merci\u00a0! Votre proposition attend la coordination\u00a0: {partner.name} apparaîtra dans "
                "l’annuaire une fois publié, et vous recevrez un courriel.",
            )
        return redirect(partner)
    return _form_page(request, departement, form)


@login_required
@require_GET
def partner_detail(request, code, pk):
    queryset = queries.with_cards(Partner.objects.select_related("departement"), request.user)
    partner = _partner(request, code, pk, perms.can_view_partner, queryset=queryset)
    queries.hidden_counts([partner])
    mine = queries.my_acquaintance(partner, request.user) if partner.known_by_me else None
    return render(
        request,
        "animation/partners/detail.html",
        {
            "departement": partner.departement,
            "partner": partner,
            "can_manage": perms.can_edit_partner(request.user, partner),
            "can_know": perms.can_know_partner(request.user, partner) and advisor_of(request.user) is not None,
            "has_profile": advisor_of(request.user) is not None,
            "know_form": AcquaintanceForm(instance=mine, auto_id="id_know_%s"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request, code, pk):
    partner = _partner(request, code, pk, perms.can_edit_partner)
    form = PartnerForm(
        request.POST if request.method == "POST" else None, instance=partner, departement=partner.departement
    )
    if request.method == "POST" and form.is_valid():
        partner = form.save()
        messages.success(request, f"La fiche de {partner.name} est enregistrée.")
        return redirect(partner)
    return _form_page(request, partner.departement, form, partner)


@login_required
@require_POST
def partner_decide(request, code, pk):
    """Publish or refuse a suggestion (``decision`` = ``publier`` or ``refuser``)."""
    partner = _partner(request, code, pk, perms.can_edit_partner)
    decision = request.POST.get("decision")
    if decision not in {"publier", "refuser"}:
        messages.error(request, "Choisissez de publier ou de refuser la proposition.")
        return redirect_to_next(request, partner)
    try:
        partner = services.partner_decide(partner=partner, by=request.user, approve=decision == "publier")
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect_to_next(request, partner)
    told = " La personne qui l’a proposé en est informée par courriel." if partner.suggested_by_id else ""
    if decision == "publier":
        messages.success(request, f"{partner.name} est publié dans l’annuaire.{told}")
    else:
        messages.success(request, f"La proposition « {partner.name} » est refusée.{told}")
    return redirect_to_next(request, partner)


@login_required
@require_POST
def partner_know(request, code, pk):
    """« Je connais ce partenaire » (``connait=1``, with how in ``note``), or « je ne le connais plus »
    (``connait=0``)."""
    partner = _partner(request, code, pk, perms.can_know_partner)
    advisor = advisor_of(request.user)
    if advisor is None:
        messages.error(
            request, "Créez d’abord votre profil de conseiller\u00a0: c’est lui que vos collègues verront ici."
        )
        return redirect(partner)
    know = request.POST.get("connait") != "0"
    form = AcquaintanceForm(request.POST)
    if know and not form.is_valid():
        messages.error(request, form.errors["note"][0])
        return redirect(partner)
    note = form.cleaned_data.get("note", "") if know else ""
    try:
        services.partner_know(partner=partner, advisor=advisor, know=know, note=note)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("animation:partners", code=code)
    if know:
        messages.success(request, f"C’est noté\u00a0: vos collègues savent que vous connaissez {partner.name}.")
    else:
        messages.success(request, f"Vous n’apparaissez plus parmi les membres qui connaissent {partner.name}.")
    return redirect_to_next(request, partner)


@login_required
@require_http_methods(["GET", "POST"])
def partner_delete(request, code, pk):
    partner = _partner(request, code, pk, perms.can_edit_partner)
    if request.method == "POST":
        services.partner_delete(partner=partner)
        messages.success(request, f"{partner.name} est retiré de l’annuaire des partenaires.")
        return redirect("animation:partners", code=partner.departement_id)
    return render(
        request,
        "animation/partners/delete.html",
        {"departement": partner.departement, "partner": partner, "known_count": partner.acquaintances.count()},
    )
