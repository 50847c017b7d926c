"""The channels' template tags: the newcomers' panel of « Mon réseau » (advisors may not import the
animation app: its welcome template loads this library), and what the channels' pages say of a webhook."""

import zoneinfo

from django import template

from animation.queries.channels import newcomer_channels as newcomer_channels_of
from animation.services.webhooks import webhook_masked as masked
from events.dates import moment_label

register = template.Library()


@register.inclusion_tag("animation/channels/welcome.html")
def newcomer_channels(advisor):
    """« Où échanger avec le réseau » : the channels of ``advisor``'s network shown to newcomers, with
    how to join them. One query."""
    departement_id = getattr(advisor, "departement_id", None)
    channels = newcomer_channels_of(departement_id) if departement_id else []
    return {"channels": channels, "departement_code": departement_id}


@register.filter
def webhook_masked(url):
    """The webhook's host and last characters: the secret itself is only in the edit form."""
    return masked(url)


@register.filter
def moment_in(moment, departement):
    """« 28 novembre 2026 à 14 h 30 », read in ``departement``'s time zone."""
    if not moment:
        return ""
    return moment_label(moment, zoneinfo.ZoneInfo(getattr(departement, "timezone", None) or "Europe/Paris"))
