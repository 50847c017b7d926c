"""The channels of the Loire demo network (``demo/data/loire/channels.json``): the Mattermost team
« Réseau numérique Loire » with three channels, the Discord server « Les médiateurs de la Loire » (on
request), the coordination's mailing list and the network's Mastodon account.

No webhook: a demo must never post anywhere. A channel is known by its name in its space, so a second
run creates nothing (and leaves alone what a coordinator changed in the demo). Bulk inserts: one query
when everything is there, seven when nothing is.
"""

from animation.models import Channel
from demo.content import read
from skills.models import Public, Skill

FIELDS = ("platform", "purpose", "access", "join_url", "join_instructions", "position")


def _channel(departement, spec, parent=None):
    return Channel(
        departement=departement,
        parent=parent,
        name=spec["name"],
        show_to_newcomers=spec.get("show_to_newcomers", True),
        **{name: spec.get(name, 0 if name == "position" else "") for name in FIELDS},
    )


def channels_ensure(*, departement):
    """Create the demo channels that are missing; returns how many were created."""
    specs = read("loire", "channels")
    existing = {
        (parent, name): pk
        for pk, parent, name in Channel.objects.filter(departement=departement).values_list("pk", "parent", "name")
    }
    spaces = {spec["name"]: existing.get((None, spec["name"])) for spec in specs}
    missing_spaces = [spec for spec in specs if spaces[spec["name"]] is None]
    missing_children = [
        (spec, child)
        for spec in specs
        for child in spec.get("channels", [])
        if spaces[spec["name"]] is None or (spaces[spec["name"]], child["name"]) not in existing
    ]
    if not missing_spaces and not missing_children:
        return 0
    created = Channel.objects.bulk_create(_channel(departement, spec) for spec in missing_spaces)
    spaces.update((channel.name, channel.pk) for channel in created)
    children = Channel.objects.bulk_create(
        _channel(departement, child, Channel(pk=spaces[spec["name"]])) for spec, child in missing_children
    )
    new = list(zip([*missing_spaces, *(child for _, child in missing_children)], [*created, *children], strict=True))
    skills = dict(
        Skill.objects.filter(slug__in={slug for spec, _ in new for slug in spec.get("skills", [])}).values_list(
            "slug", "pk"
        )
    )
    publics = dict(
        Public.objects.filter(slug__in={slug for spec, _ in new for slug in spec.get("publics", [])}).values_list(
            "slug", "pk"
        )
    )
    Channel.skills.through.objects.bulk_create(
        Channel.skills.through(channel_id=channel.pk, skill_id=skills[slug])
        for spec, channel in new
        for slug in spec.get("skills", [])
        if slug in skills
    )
    Channel.publics.through.objects.bulk_create(
        Channel.publics.through(channel_id=channel.pk, public_id=publics[slug])
        for spec, channel in new
        for slug in spec.get("publics", [])
        if slug in publics
    )
    return len(new)
