"""seed_demo's channels: the Mattermost team with its three channels, the Discord server on request, the
coordination's list and the Mastodon account — no webhook anywhere — and a second run creates nothing."""

from animation.enums import ChannelAccess, ChannelPlatform
from animation.models import Channel
from demo.channels import channels_ensure


def test_the_demo_channels_and_a_second_run(loire, django_assert_num_queries):
    # Bulk inserts: the channels, the spaces' channels, the skills and publics and their through rows.
    with django_assert_num_queries(7):
        assert channels_ensure(departement=loire) == 7
    team = Channel.objects.get(name="Réseau numérique Loire", parent=None)
    assert team.platform == ChannelPlatform.MATTERMOST and team.join_url.startswith("https://")
    assert [channel.name for channel in team.children.all()] == ["~entraide", "~evenements", "~ressources-et-veille"]
    discord = Channel.objects.get(name="Les médiateurs de la Loire")
    assert discord.platform == ChannelPlatform.DISCORD and discord.access == ChannelAccess.ON_REQUEST
    assert set(discord.skills.values_list("slug", flat=True)) >= {"maintenance-de-materiel"}
    assert {"liste", "mastodon"} <= set(Channel.objects.values_list("platform", flat=True))
    assert not Channel.objects.exclude(webhook_url="").exists()
    assert Channel.objects.filter(show_to_newcomers=True).count() == 5
    with django_assert_num_queries(1):
        assert channels_ensure(departement=loire) == 0
    assert Channel.objects.count() == 7
