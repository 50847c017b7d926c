"""Reads of the network's channels: the list of its spaces with their channels nested, and the few a
newcomer's welcome panel shows."""

from django.db.models import Prefetch

from animation.models import Channel

WELCOME_CHANNELS = 8


def channels_of(departement):
    """The spaces and lone channels of ``departement`` (top level), in the coordinators' order, each with
    its channels (``children``), skills and publics prefetched: a fixed number of queries a page."""
    children = Channel.objects.prefetch_related("skills", "publics").order_by("position", "name")
    return (
        Channel.objects.in_departement(departement)
        .filter(parent=None)
        .prefetch_related("skills", "publics", Prefetch("children", queryset=children))
        .order_by("position", "name", "pk")
    )


def spaces_of(departement, *, exclude=None):
    """The channels that may hold others: top-level channels of ``departement``."""
    spaces = Channel.objects.in_departement(departement).filter(parent=None).order_by("position", "name")
    if exclude is not None and exclude.pk:
        spaces = spaces.exclude(pk=exclude.pk)
    return spaces


def newcomer_channels(departement, limit=WELCOME_CHANNELS):
    """The channels shown to newcomers, each space before its channels, at most ``limit``. One query."""
    rows = list(
        Channel.objects.in_departement(departement)
        .filter(show_to_newcomers=True)
        .select_related("parent")
        .order_by("position", "name", "pk")[:200]
    )

    def place(channel):
        space = channel.parent if channel.parent_id else channel
        return (space.position, space.name, space.pk, channel.parent_id is not None, channel.position, channel.name)

    return sorted(rows, key=place)[:limit]
