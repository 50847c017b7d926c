"""Project cards: the board of a département, its projected "atelier" view, and the cards themselves."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from advisors.perms import is_member
from common.http import redirect_to_next
from common.pagination import paginate
from common.shortcuts import check_or_403, get_object_or_403
from skills import perms, services
from skills.filters import CardFilterSet
from skills.forms import CardForm
from skills.models import ProjectCard
from skills.queries.cards import board_cards, card_interested, cards_for
from territories.models import Departement
from territories.scope import departement_or_current

WORKSHOP_REFRESH_SECONDS = 10


def _board_departement(request):
    """The département of the board: ``?departement=``, else the visitor's own; 404 for an unknown code."""
    code = request.GET.get("departement", "")
    departement = departement_or_current(request, code)
    if code and departement is None:
        raise Http404("Ce département n’existe pas.")
    return departement


def _board_context(request, departement, page_size):
    filterset = CardFilterSet(
        request.GET, queryset=board_cards(request.user, departement), departement=departement, request=request
    )
    # Where the interest buttons come back to: this page, never its bare result block.
    params = request.GET.copy()
    params.pop("partial", None)
    return {
        "here": f"{request.path}?{params.urlencode()}" if params else request.path,
        "filtered": bool(request.GET.get("competence") or request.GET.get("epci")),
        "departement": departement,
        "filter": filterset,
        "page": paginate(request, filterset.qs, size=page_size),
        "can_post": perms.can_post_card(request.user, departement),
        "can_mark": is_member(request.user, departement),
    }


def _choose(request):
    return render(request, "skills/cards/choose.html", {"departements": Departement.objects.order_by("code")})


def _render_board(request, template, context):
    if request.GET.get("partial"):
        return render(request, f"{template}#results", context)
    return render(request, template, context)


@require_GET
def board(request):
    departement = _board_departement(request)
    if departement is None:
        return _choose(request)
    return _render_board(request, "skills/cards/board.html", _board_context(request, departement, "default"))


@require_GET
def board_workshop(request):
    """The board for a projector: big cards, the short address to add one, refreshed by static/js/board.js."""
    departement = _board_departement(request)
    if departement is None:
        return _choose(request)
    context = _board_context(request, departement, "cards_workshop")
    context["refresh_seconds"] = WORKSHOP_REFRESH_SECONDS
    context["create_url"] = request.build_absolute_uri(
        reverse("skills:card_create") + f"?departement={departement.code}"
    )
    return _render_board(request, "skills/cards/workshop.html", context)


@require_GET
def card_detail(request, pk):
    # ``cards_for`` holds the visibility rule: a card one may not see is a 404, like its author's profile.
    card = get_object_or_404(cards_for(request.user).select_related("departement"), pk=pk)
    interested = hidden = None
    if perms.can_see_interested(request.user, card):
        interested, hidden = card_interested(card, request.user)
    return render(
        request,
        "skills/cards/detail.html",
        {
            "card": card,
            "interested": interested,
            "hidden_count": hidden,
            "can_edit": perms.can_edit_card(request.user, card),
            "can_delete": perms.can_delete_card(request.user, card),
            "can_mark": perms.can_mark_interest(request.user, card),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_create(request):
    code = request.POST.get("departement") or request.GET.get("departement") or ""
    departement = departement_or_current(request, code)
    if departement is None:
        raise Http404("Précisez le département du tableau.")
    check_or_403(perms.can_post_card, request, departement)
    form = CardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        card = services.card_create(user=request.user, departement=departement, **form.cleaned_data)
        messages.success(request, "Votre carte est sur le tableau.")
        return redirect("skills:card_detail", pk=card.pk)
    return render(request, "skills/cards/form.html", {"form": form, "departement": departement, "card": None})


@login_required
@require_http_methods(["GET", "POST"])
def card_edit(request, pk):
    card = get_object_or_403(
        ProjectCard.objects.select_related("author", "departement"), perms.can_edit_card, request, pk=pk
    )
    form = CardForm(request.POST or None, instance=card)
    if request.method == "POST" and form.is_valid():
        services.card_update(card=card, **form.cleaned_data)
        messages.success(request, "Carte mise à jour.")
        return redirect("skills:card_detail", pk=card.pk)
    return render(request, "skills/cards/form.html", {"form": form, "departement": card.departement, "card": card})


@login_required
@require_http_methods(["GET", "POST"])
def card_delete(request, pk):
    card = get_object_or_403(
        ProjectCard.objects.select_related("author__user", "departement"), perms.can_delete_card, request, pk=pk
    )
    if request.method == "POST":
        departement = card.departement
        services.card_delete(card=card)
        messages.success(request, f"La carte « {card.title} » est supprimée.")
        return redirect(f"{reverse('skills:board')}?departement={departement.code}")
    return render(request, "skills/cards/delete.html", {"card": card})


@login_required
@require_POST
def card_interest(request, pk):
    """ "Ça m'interpelle" (``interested=1``) or undo (``interested=0``): sets a state, so replaying is harmless."""
    card = get_object_or_403(
        cards_for(request.user).select_related("departement"), perms.can_mark_interest, request, pk=pk
    )
    interested = request.POST.get("interested") == "1"
    services.card_interest_set(card=card, user=request.user, interested=interested)
    messages.success(
        request,
        f"« {card.title} » vous interpelle : son auteur le voit."
        if interested
        else f"Vous ne suivez plus « {card.title} ».",
    )
    return redirect_to_next(request, reverse("skills:card_detail", args=[card.pk]))
