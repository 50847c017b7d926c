"""Orienting a person: the search for who fits, the message sent, the orientation and its slip."""

from urllib.parse import urlencode

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from advisors.models import Advisor, Lieu, LieuClosure, OpeningSlot, Permanence
from common.shortcuts import check_or_403, get_object_or_403
from orientations import perms
from orientations.forms import ComposeForm, SearchForm
from orientations.models import Orientation
from orientations.queries import slips
from orientations.queries.matching import Criteria, matching
from orientations.services.sending import orientation_send

CRITERIA_FIELDS = (
    "service",
    "competence",
    "commune",
    "commune_choice",
    "langue",
    "public",
    "jours",
    "moment",
    "deplacement",
    "a_distance",
)


TOO_MANY = (
    "Vous avez envoyé beaucoup d’orientations en peu de temps : pour éviter que Maillage serve à "
    "envoyer des courriels en masse, l’envoi est suspendu pendant une heure au plus. Le message que vous "
    "avez écrit n’est pas envoyé : revenez en arrière pour le copier. Si vous devez orienter beaucoup "
    "de personnes à la fois, écrivez à la coordination de votre réseau."
)


def _criteria_query(data):
    """The search's own parameters of ``data`` (a QueryDict), as a query string to carry over."""
    pairs = [(name, value) for name in CRITERIA_FIELDS for value in data.getlist(name) if value]
    return urlencode(pairs)


@login_required
@require_GET
def search(request):
    """``/orientations/nouvelle/``: the need and the constraints; with them, who fits, nearest first."""
    check_or_403(perms.can_orient, request)
    asked = any(name in request.GET for name in CRITERIA_FIELDS)
    form = SearchForm(request.GET if asked else None)
    results = None
    query = ""
    if asked and form.is_valid():
        results = matching(form.criteria(), request.user)
        query = _criteria_query(request.GET)
    return render(request, "orientations/search.html", {"form": form, "results": results, "query": query})


def _receiver(request):
    """The lieu or the advisor chosen (``?lieu=`` or ``?conseiller=``): ``(lieu, advisor)``, or None."""
    lieu_pk, advisor_pk = request.GET.get("lieu", ""), request.GET.get("conseiller", "")
    if lieu_pk.isdigit() and len(lieu_pk) < 12:
        lieu = get_object_or_404(Lieu.objects.accepted().select_related("structure", "commune"), pk=lieu_pk)
        return lieu, None
    if advisor_pk.isdigit() and len(advisor_pk) < 12:
        advisor = get_object_or_404(
            Advisor.objects.visible_to(request.user).exclude(user=request.user).select_related("user", "structure"),
            pk=advisor_pk,
        )
        return None, advisor
    return None


@login_required
@require_http_methods(["GET", "POST"])
def compose(request):
    """``/orientations/nouvelle/envoyer/?lieu=…`` (or ``?conseiller=…``) with the search's criteria: the
    message and the person's data, then the orientation sent."""
    check_or_403(perms.can_orient, request)
    search_form = SearchForm(request.GET)
    receiver = _receiver(request)
    if receiver is None or not search_form.is_valid():
        messages.info(request, "Décrivez d’abord le besoin, puis choisissez à qui orienter la personne.")
        query = _criteria_query(request.GET)
        return redirect(reverse("orientations:new") + (f"?{query}" if query else ""))
    lieu, advisor = receiver
    criteria = search_form.criteria()
    form = ComposeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # Each orientation emails its receivers (a lieu's public address too): a limit per member
        # (settings.ACCOUNT_RATE_LIMITS["orientation_send"]) so that it cannot become a way to spam.
        if not ratelimit.consume(request, action="orientation_send", user=request.user):
            return render(request, "429.html", {"too_many_message": TOO_MANY}, status=429)
        data = form.cleaned_data
        person = None
        if data["consentement"]:
            person = {"first_name": data["prenom"], "phone": data["telephone"], "email": data["courriel"]}
        orientation = orientation_send(
            sender=request.user, criteria=criteria, advisor=advisor, lieu=lieu, message=data["message"], person=person
        )
        messages.success(
            request,
            f"L’orientation vers {orientation.receiver_name} est envoyée\u00a0: le destinataire est prévenu "
            "par courriel. Donnez la fiche ci-dessous à la personne.",
        )
        return redirect(orientation)
    return render(
        request,
        "orientations/compose.html",
        {
            "form": form,
            "criteria": criteria,
            "lieu": lieu,
            "advisor": advisor,
            "query": _criteria_query(request.GET),
        },
        status=400 if form.errors else 200,
    )


def _orientation(request, pk):
    queryset = Orientation.objects.select_related(
        "sender",
        "sender_structure",
        "receiver_advisor__user",
        "receiver_advisor__structure",
        "receiver_lieu__commune",
        "receiver_lieu__departement",
        "receiver_lieu__structure",
        "receiver_structure",
        "domain",
        "skill",
        "commune",
        "language",
        "public",
        "departement",
        "status_changed_by",
    ).prefetch_related(
        Prefetch("receiver_lieu__opening_slots", queryset=OpeningSlot.objects.order_by("weekday", "opens")),
        Prefetch("receiver_lieu__closures", queryset=LieuClosure.objects.order_by("starts_on")),
        Prefetch(
            "receiver_advisor__permanences",
            queryset=Permanence.objects.select_related("lieu__commune", "lieu__departement").order_by(
                "weekday", "opens"
            ),
        ),
    )
    return get_object_or_403(queryset, perms.can_view_orientation, request, pk=pk)


@login_required
@require_GET
def detail(request, pk):
    """``/orientations/<pk>/``: the orientation, its state and the slip for the person."""
    orientation = _orientation(request, pk)
    return render(
        request,
        "orientations/detail.html",
        {
            "orientation": orientation,
            "can_see_person": perms.can_see_person(request.user, orientation),
            "can_change_status": perms.can_change_status(request.user, orientation),
            "is_sender": perms.is_sender(request.user, orientation),
            "slip": slips.slip(orientation),
            "free_times": _free_times(orientation),
        },
    )


def _free_times(orientation):
    """« le samedi matin », as the search said it; empty when any time suits her."""
    asked = Criteria(
        commune=orientation.commune, days=tuple(orientation.free_days or ()), time_of_day=orientation.free_time or ""
    )
    return asked.times_text() if asked.asks_times else ""


@login_required
@require_GET
def slip(request, pk):
    """``/orientations/<pk>/fiche/``: the slip to print and hand to the person (A6 or A5)."""
    orientation = _orientation(request, pk)
    return render(request, "orientations/slip.html", {"orientation": orientation, "slip": slips.slip(orientation)})
