"""The channels of the Loire demo network (``demo/data/loire/channels.json``): the Mattermost team
« Réseau numérique Loire » with three channels, the Discord server « Les médiateurs de la Loire » (on
request), the coordination's mailing list and the network's Mastodon account.

No webhook: a demo must never post anywhere. A channel is known by its name in its space, so a second
run creates nothing (and leaves alone what a coordinator changed in the demo).
"""

from animation.models import Channel
from demo.content import read
from skills.models import Public, Skill

FIELDS = ("platform", "purpose", "access", "join_url", "join_instructions", "position")


def channels_ensure(*, departement):
    """Create the demo channels that are missing; returns how many were created."""
    specs = read("loire", "channels")
    items = [item for spec in specs for item in [spec, *spec.get("channels", [])]]
    skills = dict(
        Skill.objects.filter(slug__in={slug for item in items for slug in item.get("skills", [])}).values_list(
            "slug", "pk"
        )
    )
    publics = dict(
        Public.objects.filter(slug__in={slug for item in items for slug in item.get("publics", [])}).values_list(
            "slug", "pk"
        )
    )
    existing = {
        (channel.parent_id, channel.name): channel for channel in Channel.objects.filter(departement=departement)
    }
    created = 0

    def ensure(spec, parent):
        nonlocal created
        channel = existing.get((parent.pk if parent else None, spec["name"]))
        if channel is not None:
            return channel
        channel = Channel.objects.create(
            departement=departement,
            parent=parent,
            name=spec["name"],
            show_to_newcomers=spec.get("show_to_newcomers", True),
            **{name: spec.get(name, "" if name != "position" else 0) for name in FIELDS},
        )
        channel.skills.set([skills[slug] for slug in spec.get("skills", []) if slug in skills])
        channel.publics.set([publics[slug] for slug in spec.get("publics", []) if slug in publics])
        created += 1
        return channel

    for spec in specs:
        space = ensure(spec, None)
        for child in spec.get("channels", []):
            ensure(child, space)
    return created
