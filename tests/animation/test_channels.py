"""The network's channels: members read where the network talks and how to join; the coordination
adds, edits, orders and deletes them, and alone sees their webhooks (masked except in the edit form)."""

import pytest
from django.urls import reverse

from animation.enums import ChannelAccess, ChannelPlatform, WebhookState
from animation.models import Channel
from skills.models import Public, Skill
from tests.advisors.factories import AdvisorFactory, MembershipFactory
from tests.animation.factories import ChannelFactory
from tests.pages import field_errors, page_text


def errors(response, name):
    """The errors next to ``name``, their no-break spaces (French typography) read as spaces."""
    return [" ".join(error.split()) for error in field_errors(response, name)]


SECRET = "https://chat.example.fr/hooks/s3cr3t-t0ken-abcd"


def url(name, departement, *args):
    return reverse(f"animation:{name}", args=[departement.code, *args])


@pytest.fixture
def team(loire):
    """A Mattermost team with two channels, a Discord server on request, a mailing list."""
    space = ChannelFactory(
        departement=loire,
        name="Réseau numérique Loire",
        purpose="L’équipe Mattermost du réseau.",
        join_url="https://mattermost.example.fr/signup/loire",
        join_instructions="Avec votre adresse professionnelle.",
        position=1,
    )
    entraide = ChannelFactory(
        departement=loire,
        parent=space,
        name="~entraide",
        purpose="Les questions du quotidien.",
        position=2,
        webhook_url=SECRET,
        announce_events=True,
        webhook_state=WebhookState.FAILED,
        webhook_error="le serveur a répondu 500 (Internal Server Error).",
    )
    entraide.skills.set(Skill.objects.filter(slug="e-mail"))
    entraide.publics.set(Public.objects.filter(slug="seniors"))
    ChannelFactory(departement=loire, parent=space, name="~evenements", purpose="Les rencontres.", position=1)
    ChannelFactory(
        departement=loire,
        name="Les médiateurs de la Loire",
        platform=ChannelPlatform.DISCORD,
        access=ChannelAccess.ON_REQUEST,
        join_url="",
        join_instructions="Écrivez à la coordination.",
        position=2,
    )
    ChannelFactory(
        departement=loire, name="Liste de la coordination", platform=ChannelPlatform.MAILING_LIST, position=3
    )
    return space


def test_members_see_the_spaces_with_their_channels_and_how_to_join(client, member, team):
    client.force_login(member)
    response = client.get(url("channels", team.departement))
    assert response.status_code == 200
    text = page_text(response)
    assert "Où discuter : les canaux du réseau de la Loire" in text
    # Spaces in the coordinators' order, each channel in its space, in its own order.
    order = [
        "Réseau numérique Loire",
        "~evenements",
        "~entraide",
        "Les médiateurs de la Loire",
        "Liste de la coordination",
    ]
    assert [text.index(name) for name in order] == sorted(text.index(name) for name in order)
    assert "Les questions du quotidien." in text
    assert "Thématiques E-mail" in text and "Publics Seniors" in text
    assert 'href="https://mattermost.example.fr/signup/loire"' in response.content.decode()
    assert "Pour demander à le rejoindre : Écrivez à la coordination." in text
    assert "Sur demande" in text and "Ouvert : on rejoint librement" in text
    # The webhook is the coordinators' secret.
    html = response.content.decode()
    assert "chat.example.fr" not in html and "Webhook" not in text and "En échec" not in text
    assert "Modifier" not in text and "Ajouter un canal" not in text


def test_coordinators_see_the_webhook_masked_its_state_and_the_actions(client, coordinator, team):
    client.force_login(coordinator)
    response = client.get(url("channels", team.departement))
    html = response.content.decode()
    text = page_text(response)
    assert SECRET not in html and "s3cr3t" not in html
    assert "https://chat.example.fr/…abcd" in text
    assert "En échec" in text
    assert "le serveur a répondu 500 (Internal Server Error)." in text
    assert "annonce les événements (seulement ce qui est public)." in text
    entraide = Channel.objects.get(name="~entraide")
    assert f'href="{url("channel_edit", team.departement, entraide.pk)}"' in html
    assert f'action="{url("channel_test", team.departement, entraide.pk)}"' in html
    assert "Ajouter un canal ou un espace" in text
    # Only the edit form shows the address itself.
    form = client.get(url("channel_edit", team.departement, entraide.pk)).content.decode()
    assert f'value="{SECRET}"' in form


def test_an_empty_network_says_so(client, member, coordinator, loire):
    client.force_login(member)
    assert "Demandez à la coordination où le réseau échange." in page_text(client.get(url("channels", loire)))
    client.force_login(coordinator)
    assert "Ajoutez son équipe Mattermost" in page_text(client.get(url("channels", loire)))


def test_the_list_runs_the_same_queries_whatever_its_size(
    client, member, coordinator, loire, django_assert_num_queries
):
    def build(count):
        for index in range(count):
            space = ChannelFactory(departement=loire, name=f"Espace {index:02}", webhook_url=SECRET)
            space.skills.set(Skill.objects.all()[:2])
            for child in range(3):
                channel = ChannelFactory(departement=loire, parent=space, name=f"~canal-{index}-{child}")
                channel.publics.set(Public.objects.all()[:2])

    build(2)
    for user in (member, coordinator):
        client.force_login(user)
        # Session, user, memberships, département, count, page, skills, publics, channels of the spaces, their
        # skills and publics.
        with django_assert_num_queries(11):
            assert client.get(url("channels", loire)).status_code == 200
    build(15)
    for user in (member, coordinator):
        client.force_login(user)
        with django_assert_num_queries(11):
            response = client.get(url("channels", loire))
        assert response.context["page"].paginator.count == 17


# Who may do what


@pytest.fixture
def people(loire, savoie, coordinator, member, other_coordinator):
    return {
        "anonymous": None,
        "member_elsewhere": MembershipFactory(departement=savoie).user,
        "coordinator_elsewhere": other_coordinator,
        "member": member,
        "author_of_nothing": AdvisorFactory(departement=loire).user,
        "coordinator": coordinator,
    }


@pytest.mark.parametrize(
    ("role", "read", "manage"),
    [
        ("anonymous", "login", "login"),
        ("member_elsewhere", 403, 403),
        ("coordinator_elsewhere", 403, 403),
        ("member", 200, 403),
        ("author_of_nothing", 200, 403),
        ("coordinator", 200, "ok"),
    ],
)
def test_who_may_do_what(client, loire, team, people, role, read, manage):
    user = people[role]
    if user is not None:
        client.force_login(user)
    channel = Channel.objects.get(name="~entraide")

    def outcome(response):
        if response.status_code == 302 and "/compte/login/" in response["Location"]:
            return "login"
        return response.status_code

    assert outcome(client.get(url("channels", loire))) == read
    pages = [
        url("channel_new", loire),
        url("channel_edit", loire, channel.pk),
        url("channel_delete", loire, channel.pk),
    ]
    for page in pages:
        got = outcome(client.get(page))
        assert got == (200 if manage == "ok" else manage), page
    for action in [url("channel_test", loire, channel.pk), *pages]:  # deleting last
        got = outcome(client.post(action))
        assert got in ((200, 302) if manage == "ok" else (manage,)), action
    if manage != "ok":
        assert Channel.objects.filter(pk=channel.pk).exists()
    assert outcome(client.get(url("channel_test", loire, channel.pk))) in ("login", 405)


def test_a_channel_of_another_network_is_not_found_through_this_one(client, coordinator, loire, savoie):
    elsewhere = ChannelFactory(departement=savoie)
    client.force_login(coordinator)
    for name in ("channel_edit", "channel_delete", "channel_test"):
        response = (
            client.post(url(name, loire, elsewhere.pk))
            if name == "channel_test"
            else client.get(url(name, loire, elsewhere.pk))
        )
        assert response.status_code == 404
    assert client.get(url("channels", loire) + "?page=%00").status_code in (200, 400)
    assert client.get(url("channels", loire) + "?page=999").status_code == 200


# Adding, editing, ordering, deleting


def form_data(**fields):
    data = {
        "name": "~ressources-et-veille",
        "platform": "mattermost",
        "parent": "",
        "purpose": "La veille du réseau.",
        "access": "open",
        "join_url": "",
        "join_instructions": "",
        "show_to_newcomers": "on",
        "position": "3",
        "webhook_url": "",
    }
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


def test_a_coordinator_adds_a_channel_in_a_space(client, coordinator, loire, team):
    client.force_login(coordinator)
    skill = Skill.objects.get(slug="e-mail")
    response = client.post(
        url("channel_new", loire),
        form_data(parent=str(team.pk), skills=[str(skill.pk)], webhook_url=SECRET, announce_resources="on"),
    )
    channel = Channel.objects.get(name="~ressources-et-veille")
    assert response.status_code == 302
    assert response["Location"] == f"{url('channels', loire)}#canal-{channel.pk}"
    assert channel.parent == team and channel.departement == loire and channel.position == 3
    assert list(channel.skills.all()) == [skill]
    assert channel.webhook_url == SECRET and channel.announce_resources and not channel.announce_events


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": ""}, "name", "Donnez un nom au canal."),
        ({"purpose": ""}, "purpose", "Dites en une phrase à quoi sert ce canal."),
        ({"platform": "icq"}, "platform", "Choisissez un outil de la liste."),
        (
            {"join_url": "javascript:alert(1)"},
            "join_url",
            "Indiquez une adresse web complète, commençant par https://.",
        ),
        (
            {"join_url": "ftp://example.fr/liste"},
            "join_url",
            "Indiquez une adresse web complète, commençant par https://.",
        ),
        ({"position": "-1"}, "position", "Indiquez un nombre de 0 à 999."),
        ({"position": "99999999999"}, "position", "Indiquez un nombre de 0 à 999."),
        (
            {"webhook_url": "http://chat.example.fr/hooks/x"},
            "webhook_url",
            "L’adresse d’un webhook commence par https:// (une connexion chiffrée).",
        ),
        (
            {"webhook_url": "https://10.0.0.5/hooks/x"},
            "webhook_url",
            "Cette adresse désigne un serveur interne : indiquez l’adresse publique du webhook.",
        ),
        (
            {"webhook_url": "https://localhost/hooks/x"},
            "webhook_url",
            "Cette adresse désigne un serveur interne : indiquez l’adresse publique du webhook.",
        ),
        (
            {"webhook_url": "https://chat.example.fr:22/hooks/x"},
            "webhook_url",
            "Seul le port https habituel (443) est accepté : retirez « :22 » de l’adresse.",
        ),
        (
            {"webhook_url": "https://user:pw@chat.example.fr/x"},
            "webhook_url",
            "L’adresse ne doit pas contenir d’identifiant ni de mot de passe.",
        ),
        (
            {"webhook_url": "pas une adresse"},
            "webhook_url",
            "Indiquez une adresse web complète, commençant par https://.",
        ),
        (
            {"webhook_url": SECRET, "platform": "mastodon"},
            "webhook_url",
            "Les annonces par webhook se font vers Mattermost ou Discord, pas vers Mastodon.",
        ),
        (
            {"announce_events": "on"},
            "webhook_url",
            "Pour y annoncer les événements ou les ressources, indiquez l’adresse du webhook.",
        ),
        ({"parent": "999999"}, "parent", "Choisissez un espace de ce réseau dans la liste."),
        ({"parent": "abc"}, "parent", "Choisissez un espace de ce réseau dans la liste."),
    ],
)
def test_bad_input_is_said_next_to_its_field(client, coordinator, loire, team, fields, field, message):
    client.force_login(coordinator)
    response = client.post(url("channel_new", loire), form_data(**fields))
    assert response.status_code == 200
    assert errors(response, field) == [message]
    assert not Channel.objects.filter(name="~ressources-et-veille").exists()
    assert "~ressources-et-veille" in response.content.decode() or fields.get("name") is not None


def test_a_nul_byte_is_refused_and_nothing_is_saved(client, coordinator, loire):
    client.force_login(coordinator)
    response = client.post(url("channel_new", loire), form_data(name="~a\x00b"))
    assert response.status_code in (200, 400)
    assert not Channel.objects.exists()


def test_a_space_must_be_of_this_network_and_not_itself_in_a_space(client, coordinator, loire, savoie, team):
    client.force_login(coordinator)
    elsewhere = ChannelFactory(departement=savoie)
    child = Channel.objects.get(name="~entraide")
    for parent in (elsewhere, child):
        response = client.post(url("channel_new", loire), form_data(parent=str(parent.pk)))
        assert errors(response, "parent") == ["Choisissez un espace de ce réseau dans la liste."]
    # A space with channels cannot move into another space.
    other = ChannelFactory(departement=loire, name="Autre espace")
    response = client.post(
        url("channel_edit", loire, team.pk),
        form_data(name=team.name, purpose=team.purpose, parent=str(other.pk)),
    )
    assert errors(response, "parent") == [
        "Ce canal contient d’autres canaux : il reste un espace. Déplacez d’abord ses canaux."
    ]
    # Nor into itself: it is not offered.
    page = client.get(url("channel_edit", loire, team.pk))
    offered = {space.pk for space in page.context["form"].fields["parent"].queryset}
    assert other.pk in offered and team.pk not in offered and child.pk not in offered


def test_editing_orders_and_a_new_webhook_starts_afresh(client, coordinator, loire, team):
    client.force_login(coordinator)
    entraide = Channel.objects.get(name="~entraide")
    data = form_data(
        name="~entraide",
        purpose=entraide.purpose,
        parent=str(team.pk),
        position="0",
        webhook_url="https://chat.example.fr/hooks/nouveau",
        announce_events="on",
    )
    response = client.post(url("channel_edit", loire, entraide.pk), data)
    assert response.status_code == 302
    entraide.refresh_from_db()
    assert entraide.position == 0
    assert entraide.webhook_state == WebhookState.NEVER and entraide.webhook_error == ""
    text = page_text(client.get(url("channels", loire)))
    assert text.index("~entraide") < text.index("~evenements")
    assert "Jamais utilisé" in text


def test_deleting_asks_first_and_takes_the_spaces_channels_along(client, coordinator, loire, team):
    client.force_login(coordinator)
    page = client.get(url("channel_delete", loire, team.pk))
    text = page_text(page)
    assert "Supprimer le canal « Réseau numérique Loire » ?" in text
    assert "ses 2 canaux" in text and "« ~entraide »" in text
    assert Channel.objects.filter(parent=team).count() == 2
    response = client.post(url("channel_delete", loire, team.pk))
    assert response.status_code == 302
    assert not Channel.objects.filter(name__in=["Réseau numérique Loire", "~entraide", "~evenements"]).exists()
    assert Channel.objects.filter(departement=loire).count() == 2


# The welcome panel of « Mon réseau »


def test_a_newcomer_sees_the_channels_shown_to_newcomers_with_how_to_join(client, loire, savoie, team):
    Channel.objects.filter(name="Liste de la coordination").update(show_to_newcomers=False)
    ChannelFactory(departement=savoie, name="Canal savoyard")
    newcomer = AdvisorFactory(departement=loire, newcomer=True)
    client.force_login(newcomer.user)
    response = client.get(reverse("advisors:my_network"))
    text = page_text(response)
    assert "Où échanger avec le réseau" in text
    assert "Réseau numérique Loire › ~entraide" in text
    assert "Les médiateurs de la Loire (Discord, sur demande)" in text
    assert 'href="https://mattermost.example.fr/signup/loire"' in response.content.decode()
    assert "Liste de la coordination" not in text and "Canal savoyard" not in text
    assert f'href="{url("channels", loire)}"' in response.content.decode()
    # Spaces first, each followed by its channels.
    assert text.index("Réseau numérique Loire (Mattermost") < text.index("Réseau numérique Loire › ~evenements")
    assert text.index("› ~evenements") < text.index("› ~entraide") < text.index("Les médiateurs de la Loire")
