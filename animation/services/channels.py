"""Writes of the network's channels: add, change, delete. Keyword-only, one transaction each."""

from django.db import transaction

from animation.enums import WebhookState
from animation.models import Channel

RELATIONS = ("skills", "publics")


@transaction.atomic
def channel_create(*, departement, skills=(), publics=(), **fields):
    channel = Channel.objects.create(departement=departement, **fields)
    channel.skills.set(skills)
    channel.publics.set(publics)
    return channel


@transaction.atomic
def channel_update(*, channel, skills=None, publics=None, **fields):
    """Change the fields given. A new webhook address starts with a clean state: the last outcome shown
    was the old address's."""
    locked = Channel.objects.select_for_update().get(pk=channel.pk)
    if "webhook_url" in fields and fields["webhook_url"] != locked.webhook_url:
        locked.webhook_state, locked.webhook_checked_at, locked.webhook_error = WebhookState.NEVER, None, ""
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    if skills is not None:
        locked.skills.set(skills)
    if publics is not None:
        locked.publics.set(publics)
    return locked


@transaction.atomic
def channel_delete(*, channel):
    """The channel, the channels of its space and their announcements."""
    Channel.objects.filter(pk=channel.pk).delete()
