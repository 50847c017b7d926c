"""The network's channels: where it talks (members read), and their webhooks (coordinators manage)."""

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from animation import perms
from animation.forms.channels import ChannelForm
from animation.models import Channel
from animation.queries.channels import channels_of
from animation.services import channels as services
from animation.services.webhooks import webhook_test
from common.pagination import paginate
from common.shortcuts import get_object_or_403
from territories.models import Departement


def _departement(request, code, predicate):
    return get_object_or_403(Departement.objects.all(), predicate, request, code=code)


def _channel(departement, pk):
    """A channel of ``departement``, whose coordinators were checked already: another network's is a 404."""
    return get_object_or_404(Channel.objects.in_departement(departement).select_related("parent"), pk=pk)


def _list_url(departement, channel=None):
    url = reverse("animation:channels", args=[departement.code])
    return f"{url}#canal-{channel.pk}" if channel is not None else url


@login_required
@require_GET
def channel_list(request, code):
    departement = _departement(request, code, perms.can_view_network_life)
    return render(
        request,
        "animation/channels/list.html",
        {
            "departement": departement,
            "page": paginate(request, channels_of(departement)),
            "can_manage": perms.can_manage_channels(request.user, departement),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def channel_new(request, code):
    departement = _departement(request, code, perms.can_manage_channels)
    form = ChannelForm(request.POST or None, departement=departement)
    if request.method == "POST" and form.is_valid():
        channel = services.channel_create(departement=departement, **form.service_data)
        messages.success(request, f"Le canal « {channel.name} » est ajouté.")
        return redirect(_list_url(departement, channel))
    return render(request, "animation/channels/form.html", {"form": form, "departement": departement, "channel": None})


@login_required
@require_http_methods(["GET", "POST"])
def channel_edit(request, code, pk):
    departement = _departement(request, code, perms.can_manage_channels)
    channel = _channel(departement, pk)
    form = ChannelForm(request.POST or None, instance=channel, departement=departement)
    if request.method == "POST" and form.is_valid():
        channel = services.channel_update(channel=channel, **form.service_data)
        messages.success(request, f"Le canal « {channel.name} » est enregistré.")
        return redirect(_list_url(departement, channel))
    return render(
        request, "animation/channels/form.html", {"form": form, "departement": departement, "channel": channel}
    )


@login_required
@require_http_methods(["GET", "POST"])
def channel_delete(request, code, pk):
    departement = _departement(request, code, perms.can_manage_channels)
    channel = _channel(departement, pk)
    if request.method == "POST":
        services.channel_delete(channel=channel)
        messages.success(request, f"Le canal « {channel.name} » est supprimé.")
        return redirect(_list_url(departement))
    return render(
        request,
        "animation/channels/delete.html",
        {"departement": departement, "channel": channel, "children": list(channel.children.all())},
    )


@login_required
@require_POST
def channel_test(request, code, pk):
    departement = _departement(request, code, perms.can_manage_channels)
    channel = _channel(departement, pk)
    if not channel.webhook_url:
        messages.error(request, f"Le canal « {channel.name} » n’a pas d’adresse de webhook : ajoutez-la d’abord.")
    elif not ratelimit.consume(request, action="channel_test", user=request.user):
        # settings.ACCOUNT_RATE_LIMITS["channel_test"]: each test makes the server connect somewhere.
        messages.error(
            request,
            "Vous avez envoyé beaucoup de messages de test en peu de temps (5 en 10 minutes au plus) : "
            "attendez quelques minutes avant d’en envoyer un autre.",
        )
    else:
        webhook_test(channel=channel)
        messages.success(
            request,
            f"Message de test envoyé vers « {channel.name} ». Son résultat s’affiche sous le canal "
            "(rechargez la page s’il n’y est pas encore).",
        )
    return redirect(_list_url(departement, channel))
