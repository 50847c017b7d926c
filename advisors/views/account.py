"""One's own account (RGPD): export one's data, leave a network, delete the account."""

import json
from datetime import date, datetime

from allauth.account.forms import ReauthenticateForm
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods

from advisors import perms
from advisors.models import Advisor, Membership
from advisors.queries.account import account_data, sole_coordinated
from advisors.services import account as services
from common.shortcuts import get_object_or_403


def _readable(value):
    """The export as nodes the page's recursive template walks (templates cannot test types)."""
    if isinstance(value, dict):
        return {"kind": "dict", "items": [(key, _readable(item)) for key, item in value.items()]}
    if isinstance(value, list):
        return {"kind": "list", "items": [_readable(item) for item in value]}
    if isinstance(value, datetime):
        return {"kind": "text", "text": date_format(timezone.localtime(value), "j F Y à H:i")}
    if isinstance(value, date):
        return {"kind": "text", "text": date_format(value, "j F Y")}
    if isinstance(value, bool):
        return {"kind": "text", "text": "oui" if value else "non"}
    return {"kind": "text", "text": "—" if value in (None, "") else value}


@login_required
@require_GET
def my_data(request):
    return render(request, "advisors/account/my_data.html", {"data": _readable(account_data(request.user))})


@login_required
@require_GET
def my_data_download(request):
    body = json.dumps(account_data(request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"maillage-mes-donnees-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def membership_leave(request, pk):
    membership = get_object_or_403(
        Membership.objects.select_related("departement"), perms.can_leave_membership, request, pk=pk
    )
    error = None
    if request.method == "POST":
        try:
            advisor = services.membership_leave(membership=membership)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            name = membership.departement.name
            if membership.is_pending:
                messages.success(request, f"Votre demande pour rejoindre le réseau {name} est retirée.")
            elif advisor is None:
                messages.success(request, f"Vous avez quitté le réseau {name}. Votre profil est supprimé.")
            else:
                messages.success(request, f"Vous avez quitté le réseau {name}.")
            return redirect("advisors:my_network")
    context = {
        "membership": membership,
        "error": error,
        "blocked": membership.departement in sole_coordinated(request.user),
        "profile_here": Advisor.objects.filter(user=request.user, departement=membership.departement_id).exists(),
        "other_networks": request.user.memberships.active().exclude(pk=membership.pk).select_related("departement"),
    }
    return render(request, "advisors/account/membership_leave.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = ReauthenticateForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete(user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            logout(request)
            messages.success(request, "Votre compte et toutes vos données personnelles sont supprimés. Au revoir !")
            return redirect("/")
    return render(
        request,
        "advisors/account/account_delete.html",
        {"form": form, "blocked": sole_coordinated(request.user)},
        status=400 if form.errors else 200,
    )
