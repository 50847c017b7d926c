from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from advisors import perms
from advisors.forms.network import InvitationForm, MembershipRequestForm
from advisors.models import Invitation, Membership
from advisors.queries.welcome import welcome
from advisors.services import network as services
from common.pagination import paginate
from common.shortcuts import get_object_or_403
from territories.french import of_departement
from territories.models import Departement
from territories.scope import departement_or_current


@login_required
@require_GET
def my_network(request):
    memberships = list(request.user.memberships.select_related("departement").order_by("departement_id"))
    coordinated = perms.coordinated_departement_codes(request.user)
    pending_counts = {}
    if coordinated:
        pending_counts = Membership.objects.pending().filter(departement_id__in=coordinated).count_by_departement()
    for membership in memberships:
        membership.pending_count = pending_counts.get(membership.departement_id, 0)
    return render(
        request,
        "advisors/my_network.html",
        {"memberships": memberships, "welcome": welcome(request.user, memberships)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_request(request):
    initial = {
        "first_name": request.user.first_name,
        "last_name": request.user.last_name,
        "departement": departement_or_current(request, request.GET.get("departement", "")),
    }
    form = MembershipRequestForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not perms.can_request_membership(request.user, data["departement"]):
            form.add_error("departement", "Vous avez déjà une demande ou une adhésion pour ce département.")
        else:
            try:
                with transaction.atomic():
                    request.user.first_name = data["first_name"]
                    request.user.last_name = data["last_name"]
                    request.user.save(update_fields=["first_name", "last_name"])
                    services.membership_request(
                        user=request.user,
                        departement=data["departement"],
                        role=data["role"],
                        structure_name=data["structure_name"],
                        commune=data["commune"],
                        message=data["message"],
                    )
            except ValidationError as error:
                form.add_error("departement", error)
            else:
                messages.success(
                    request,
                    f"Votre demande pour rejoindre le réseau {of_departement(data['departement'])} est envoyée. "
                    "Les coordinateurs du département vont l’examiner ; vous recevrez un courriel.",
                )
                return redirect("advisors:my_network")
    return render(request, "advisors/membership_request.html", {"form": form})


def _coordinated_departement(request, code):
    return get_object_or_403(Departement.objects.all(), perms.can_review_memberships, request, code=code)


@login_required
@require_GET
def membership_requests(request, code):
    departement = _coordinated_departement(request, code)
    pending = Membership.objects.in_departement(departement).pending().with_people().order_by("created_at")
    page = paginate(request, pending, size="moderation")
    return render(request, "advisors/membership_requests.html", {"departement": departement, "page": page})


@login_required
@require_POST
def membership_decide(request, pk):
    membership = get_object_or_403(
        Membership.objects.select_related("user", "departement"), perms.can_decide_membership, request, pk=pk
    )
    decision = request.POST.get("decision")
    if decision not in {"approve", "refuse"}:
        messages.error(request, "Choisissez d’accepter ou de refuser la demande.")
    else:
        try:
            services.membership_decide(membership=membership, by=request.user, approve=decision == "approve")
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            person = membership.user.display_name
            if decision == "approve":
                messages.success(request, f"{person} est maintenant membre du réseau. Un courriel l’en informe.")
            else:
                messages.success(request, f"La demande de {person} est refusée. Un courriel l’en informe.")
    return redirect("advisors:membership_requests", code=membership.departement_id)


@login_required
@require_http_methods(["GET", "POST"])
def invitations(request, code):
    departement = _coordinated_departement(request, code)
    form = InvitationForm(request.POST if request.method == "POST" else None, departement=departement)
    if request.method == "POST" and form.is_valid():
        invitation = services.invitation_create(
            departement=departement, email=form.cleaned_data["email"], role=form.cleaned_data["role"], by=request.user
        )
        messages.success(request, f"Invitation envoyée à {invitation.email}. Le lien est valable 14 jours.")
        return redirect("advisors:invitations", code=departement.code)
    sent = Invitation.objects.filter(departement=departement).select_related("used_by", "created_by")
    page = paginate(request, sent, size="moderation")
    return render(request, "advisors/invitations.html", {"departement": departement, "form": form, "page": page})


@login_required
@require_POST
def invitation_revoke(request, pk):
    invitation = get_object_or_403(Invitation.objects.all(), perms.can_manage_invitation, request, pk=pk)
    # The page may be stale: the person may have used the link since it was shown.
    if not perms.can_revoke_invitation(request.user, invitation):
        messages.info(request, f"L’invitation de {invitation.email} a déjà servi ou n’est plus valable.")
    else:
        services.invitation_revoke(invitation=invitation)
        messages.success(request, f"L’invitation de {invitation.email} est annulée.")
    return redirect("advisors:invitations", code=invitation.departement_id)


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    invitation = Invitation.objects.select_related("departement").filter(token=token).first()
    if invitation is None:
        raise Http404("Invitation inconnue")
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{invitation.get_absolute_url()}")
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(invitation.get_absolute_url())
        messages.success(request, f"Bienvenue dans le réseau {of_departement(invitation.departement)}\u00a0!")
        return redirect("advisors:my_network")
    if not request.user.is_authenticated and invitation.is_usable:
        # Following the emailed link proves the address: the sign-up with it needs no second check.
        get_adapter(request).stash_verified_email(request, invitation.email)
    return render(request, "advisors/invitation.html", {"invitation": invitation})
