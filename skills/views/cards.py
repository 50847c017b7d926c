"""Project cards: the board of a département, its projected "atelier" view, and the cards themselves."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from advisors.models import Advisor
from advisors.perms import can_see_contact, can_view_advisor, is_member
from common.http import redirect_to_next
from skills import perms, services
from skills.filters import CardFilterSet
from skills.forms import CardForm
from skills.models import ProjectCard, ProjectInterest
from territories.models import Departement
from territories.scope import get_current_departement

PAGE_SIZE = 20
WORKSHOP_PAGE_SIZE = 24
WORKSHOP_REFRESH_SECONDS = 10


def cards_for(user):
    """The cards ``user`` may see (their author's profile is visible to them), with what a card shows:
    author, skills, the number of interested people and whether ``user`` is one of them.

    The count takes in everyone; ``hidden_interest_count`` says how many of them have a profile
    ``user`` may not see, so the page can say so (README, « Ce que voit qui »)."""
    visible = Advisor.objects.visible_to(user)
    interests = ProjectInterest.objects.filter(card=OuterRef("pk")).order_by().values("card")
    interest_count = interests.annotate(n=Count("pk")).values("n")
    hidden_count = interests.exclude(advisor__in=visible.values("pk")).annotate(n=Count("pk")).values("n")
    cards = (
        ProjectCard.objects.filter(author__in=visible.values("pk"))
        .select_related("author__user", "author__commune", "author__structure")
        .prefetch_related("skills")
        .annotate(
            interest_count=Coalesce(Subquery(interest_count, output_field=IntegerField()), 0),
            hidden_interest_count=Coalesce(Subquery(hidden_count, output_field=IntegerField()), 0),
        )
    )
    if user.is_authenticated:
        return cards.annotate(
            is_interested=Exists(ProjectInterest.objects.filter(card=OuterRef("pk"), advisor__user=user))
        )
    return cards.annotate(is_interested=Value(False))


def _board_departement(request):
    """The département of the board: ``?departement=``, else the visitor's own."""
    code = request.GET.get("departement", "")
    if code:
        departement = Departement.objects.filter(code=code[:3]).first()
        if departement is None:
            raise Http404("Ce département n’existe pas.")
        return departement
    return get_current_departement(request)


def _board_context(request, departement, page_size):
    filterset = CardFilterSet(
        request.GET,
        queryset=cards_for(request.user).filter(departement=departement).order_by("-created_at", "-pk"),
        departement=departement,
        request=request,
    )
    page = Paginator(filterset.qs, page_size).get_page(request.GET.get("page"))
    query = filterset.query_without_page
    # Where the interest buttons come back to: this page, never its bare result block.
    params = request.GET.copy()
    params.pop("partial", None)
    return {
        "here": f"{request.path}?{params.urlencode()}" if params else request.path,
        "filtered": bool(request.GET.get("competence") or request.GET.get("epci")),
        "departement": departement,
        "filter": filterset,
        "page": page,
        "query": query,
        "can_post": perms.can_post_card(request.user, departement),
        "can_mark": is_member(request.user, departement),
    }


def _render_board(request, template, context):
    if request.GET.get("partial"):
        return render(request, f"{template}#results", context)
    return render(request, template, context)


@require_GET
def board(request):
    departement = _board_departement(request)
    if departement is None:
        return render(request, "skills/cards/choose.html", {"departements": Departement.objects.order_by("code")})
    return _render_board(request, "skills/cards/board.html", _board_context(request, departement, PAGE_SIZE))


@require_GET
def board_workshop(request):
    """The board for a projector: big cards, the short address to add one, refreshed by static/js/board.js."""
    departement = _board_departement(request)
    if departement is None:
        return render(request, "skills/cards/choose.html", {"departements": Departement.objects.order_by("code")})
    context = _board_context(request, departement, WORKSHOP_PAGE_SIZE)
    context["refresh_seconds"] = WORKSHOP_REFRESH_SECONDS
    context["create_url"] = request.build_absolute_uri(
        reverse("skills:card_create") + f"?departement={departement.code}"
    )
    return _render_board(request, "skills/cards/workshop.html", context)


def _visible_card(request, pk):
    card = get_object_or_404(cards_for(request.user).select_related("departement"), pk=pk)
    return card


@require_GET
def card_detail(request, pk):
    card = _visible_card(request, pk)
    interested = hidden = None
    if perms.can_see_interested(request.user, card):
        people = [
            interest.advisor
            for interest in ProjectInterest.objects.filter(card=card)
            .select_related("advisor__user", "advisor__structure", "advisor__commune")
            .order_by("-created_at", "-pk")
        ]
        interested = [
            {"advisor": advisor, "show_contact": can_see_contact(request.user, advisor)}
            for advisor in people
            if can_view_advisor(request.user, advisor)
        ]
        hidden = len(people) - len(interested)
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
    departement = Departement.objects.filter(code=code[:3]).first() if code else get_current_departement(request)
    if departement is None:
        raise Http404("Précisez le département du tableau.")
    if not perms.can_post_card(request.user, departement):
        raise PermissionDenied("Seuls les membres du réseau de ce département publient des cartes.")
    form = CardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        card = services.card_create(user=request.user, departement=departement, **form.cleaned_data)
        messages.success(request, "Votre carte est sur le tableau.")
        return redirect("skills:card_detail", pk=card.pk)
    return render(request, "skills/cards/form.html", {"form": form, "departement": departement, "card": None})


@login_required
@require_http_methods(["GET", "POST"])
def card_edit(request, pk):
    card = get_object_or_404(ProjectCard.objects.select_related("author", "departement"), pk=pk)
    if not perms.can_edit_card(request.user, card):
        raise PermissionDenied("Seul l’auteur d’une carte la modifie.")
    form = CardForm(request.POST or None, instance=card)
    if request.method == "POST" and form.is_valid():
        services.card_update(card=card, **form.cleaned_data)
        messages.success(request, "Carte mise à jour.")
        return redirect("skills:card_detail", pk=card.pk)
    return render(request, "skills/cards/form.html", {"form": form, "departement": card.departement, "card": card})


@login_required
@require_http_methods(["GET", "POST"])
def card_delete(request, pk):
    card = get_object_or_404(ProjectCard.objects.select_related("author__user", "departement"), pk=pk)
    if not perms.can_delete_card(request.user, card):
        raise PermissionDenied("Seuls l’auteur et la coordination du département suppriment une carte.")
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
    card = _visible_card(request, pk)
    if not perms.can_mark_interest(request.user, card):
        raise PermissionDenied("Seuls les membres du réseau de la carte, hors son auteur, la marquent.")
    interested = request.POST.get("interested") == "1"
    services.card_interest_set(card=card, user=request.user, interested=interested)
    messages.success(
        request,
        f"« {card.title} » vous interpelle : son auteur le voit."
        if interested
        else f"Vous ne suivez plus « {card.title} ».",
    )
    return redirect_to_next(request, reverse("skills:card_detail", args=[card.pk]))
