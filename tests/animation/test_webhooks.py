"""Announcing the network's new events and resources on its channels' webhooks, against a real HTTP
server in a thread (never a mocked urllib): the body each platform takes, once per channel and item,
failures recorded and never blocking the person who publishes, and the addresses refused (SSRF)."""

import json
import socket
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone

from animation.enums import ChannelPlatform, WebhookState
from animation.models import Announcement, Channel
from animation.services.webhooks import (
    NO_ANSWER,
    NOT_PUBLIC,
    WebhookError,
    is_public_address,
    webhook_post,
    webhook_url_problem,
)
from events.enums import EventMode, EventStatus, EventVisibility
from events.services.events import event_postpone, event_publish, event_update
from resources.services.publish import resource_publish
from tests.advisors.factories import AdvisorFactory, MembershipFactory
from tests.animation.factories import ChannelFactory
from tests.events.factories import EventFactory
from tests.resources.factories import ResourceFactory
from tests.territories.factories import CommuneFactory

TIMEOUT = 0.3


class HookServer:
    """Records every post; ``/ok`` answers 200 like Mattermost, ``/discord`` 204 like Discord, ``/fail``
    500, ``/hang`` answers after the timeout, ``/redirect`` sends to ``/ok``."""

    def __init__(self):
        self.posts = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                server.posts.append(
                    {"path": self.path, "type": self.headers.get("Content-Type"), "json": json.loads(body or b"{}")}
                )
                if self.path.startswith("/hang"):
                    time.sleep(TIMEOUT * 3)
                if self.path.startswith("/dribble"):
                    self.dribble(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Slow: " + b"z" * 100 + b"\r\n\r\nok")
                    return
                status = {"/fail": 500, "/discord": 204, "/redirect": 302, "/missing": 404}.get(self.path, 200)
                self.send_response(status)
                if status == 302:
                    self.send_header("Location", "/ok")
                self.send_header("Content-Length", "2" if status == 200 else "0")
                self.end_headers()
                if status == 200:
                    self.wfile.write(b"ok")

            def dribble(self, answer):
                """One byte every 0.3 s: each read is quick, their sum is not."""
                try:
                    for byte in answer:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.3)
                except OSError:
                    pass  # the client gave up
                self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def to(self, path):
        return [post for post in self.posts if post["path"] == path]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def hooks(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True  # the test server listens on 127.0.0.1, over http
    settings.WEBHOOK_TIMEOUT = TIMEOUT
    settings.WEBHOOK_SEND_ATTEMPTS = 3
    server = HookServer()
    yield server
    server.close()


@pytest.fixture
def lead(loire):
    return AdvisorFactory(departement=loire)


def channel(loire, hooks, path, **kwargs):
    return ChannelFactory(departement=loire, webhook_url=hooks.url(path), **{"announce_events": True, **kwargs})


def publish_draft(lead, capture, **kwargs):
    event = EventFactory(departement=lead.departement, lead=lead, draft=True, public=True, **kwargs)
    with capture(execute=True):
        event_publish(event=event, by=lead.user)
    return event


def test_a_published_event_goes_once_to_each_channel_that_announces_events(
    loire, savoie, hooks, lead, saint_etienne, django_capture_on_commit_callbacks
):
    mattermost = channel(loire, hooks, "/ok")
    discord = channel(loire, hooks, "/discord", platform=ChannelPlatform.DISCORD)
    channel(loire, hooks, "/resources-only", announce_events=False, announce_resources=True)
    channel(loire, hooks, "/mastodon", platform=ChannelPlatform.MASTODON)  # no webhook on Mastodon
    ChannelFactory(departement=savoie, webhook_url=hooks.url("/savoie"), announce_events=True)
    start = timezone.make_aware(timezone.datetime(2036, 12, 8, 14, 30), timezone.get_default_timezone())
    event = publish_draft(
        lead,
        django_capture_on_commit_callbacks,
        title="Café-visio : l’IA en atelier",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        commune=saint_etienne,
        address="12 rue de la République",
    )
    assert sorted(post["path"] for post in hooks.posts) == ["/discord", "/ok"]
    text = hooks.to("/ok")[0]["json"]["text"].replace("\u00a0", " ")
    assert hooks.to("/ok")[0]["type"] == "application/json"
    assert f"[Café-visio : l’IA en atelier](http://testserver/evenements/{event.pk}/)" in text
    assert "lundi 8 décembre 2036 de 14 h 30 à 16 h 30" in text.replace("\u00a0", " ")
    assert "Lieu : 12 rue de la République, Saint-Étienne" in text
    body = hooks.to("/discord")[0]["json"]
    assert set(body) == {"content", "allowed_mentions"}
    assert body["allowed_mentions"] == {"parse": []}
    assert body["content"].replace("\u00a0", " ") == text
    for announced in (mattermost, discord):
        announced.refresh_from_db()
        assert announced.webhook_state == WebhookState.OK
        assert announced.webhook_checked_at is not None
    assert Announcement.objects.filter(state=WebhookState.OK).count() == 2


def test_the_date_is_said_in_the_departements_time_zone(db, hooks, django_capture_on_commit_callbacks):
    reunion = CommuneFactory(departement__code="974", departement__name="La Réunion").departement
    reunion.timezone = "Indian/Reunion"
    reunion.save()
    lead = AdvisorFactory(departement=reunion)
    ChannelFactory(departement=reunion, webhook_url=hooks.url("/ok"), announce_events=True)
    start = timezone.make_aware(timezone.datetime(2036, 12, 8, 6, 0), timezone.get_fixed_timezone(0))  # 10 h there
    publish_draft(lead, django_capture_on_commit_callbacks, starts_at=start, ends_at=start + timedelta(hours=1))
    text = hooks.to("/ok")[0]["json"]["text"].replace("\u00a0", " ")
    assert "de 10 h à 11 h" in text


def test_nothing_is_sent_twice_publish_edit_postpone_publish_again(
    loire, hooks, lead, django_capture_on_commit_callbacks
):
    channel(loire, hooks, "/ok")
    event = publish_draft(lead, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        event_update(event=event, by=lead.user, title="Nouveau titre")
        event_postpone(event=event, by=lead.user)
    with django_capture_on_commit_callbacks(execute=True):
        event_publish(event=event, by=lead.user)
        event.refresh_from_db()
        event.save()
    assert event.status == EventStatus.PUBLISHED
    assert len(hooks.posts) == 1
    assert Announcement.objects.count() == 1


def test_drafts_past_events_and_network_events_without_the_box_are_not_announced(
    loire, hooks, lead, django_capture_on_commit_callbacks
):
    public_only = channel(loire, hooks, "/public-only")
    network_too = channel(loire, hooks, "/network-too", announce_network_only=True)
    with django_capture_on_commit_callbacks(execute=True):
        EventFactory(departement=loire, draft=True, public=True)
        EventFactory(departement=loire, past=True, public=True)
        EventFactory(departement=loire, cancelled=True, public=True)
        network_event = EventFactory(departement=loire, visibility=EventVisibility.NETWORK)
    assert [post["path"] for post in hooks.posts] == ["/network-too"]
    assert not public_only.announcements.exists()
    assert network_too.announcements.get().object_id == network_event.pk


def test_an_online_event_says_so(loire, hooks, lead, django_capture_on_commit_callbacks):
    channel(loire, hooks, "/ok")
    publish_draft(lead, django_capture_on_commit_callbacks, mode=EventMode.DISTANCIEL)
    assert "Lieu : en ligne" in hooks.posts[0]["json"]["text"].replace("\u00a0", " ")


def test_a_published_resource_is_announced_once(loire, hooks, lead, django_capture_on_commit_callbacks):
    resources_channel = channel(loire, hooks, "/ok", announce_events=False, announce_resources=True)
    channel(loire, hooks, "/events-only")
    resource = ResourceFactory(departement=loire, draft=True, title="Fiche : sécuriser son compte ameli")
    with django_capture_on_commit_callbacks(execute=True):
        resource_publish(resource=resource, by=lead.user)
    with django_capture_on_commit_callbacks(execute=True):
        resource.refresh_from_db()
        resource.save()
    assert [post["path"] for post in hooks.posts] == ["/ok"]
    text = hooks.posts[0]["json"]["text"]
    assert f"[Fiche : sécuriser son compte ameli](http://testserver/ressources/{resource.pk}/)" in text
    assert "Nouvelle ressource partagée" in text
    assert resources_channel.announcements.get().state == WebhookState.OK


def test_a_failing_webhook_does_not_block_publishing_and_is_tried_again(
    client, loire, hooks, lead, django_capture_on_commit_callbacks
):
    failing = channel(loire, hooks, "/fail")
    event = EventFactory(departement=loire, lead=lead, draft=True, public=True)
    client.force_login(lead.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:publish", args=[event.pk]))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert len(hooks.to("/fail")) == 3  # WEBHOOK_SEND_ATTEMPTS, at once with the immediate backend
    announcement = failing.announcements.get()
    assert announcement.state == WebhookState.FAILED
    assert announcement.attempts == 3
    assert "500" in announcement.error
    failing.refresh_from_db()
    assert failing.webhook_state == WebhookState.FAILED
    assert "le serveur a répondu 500" in failing.webhook_error


def test_a_hanging_webhook_times_out_and_is_not_posted_again(loire, hooks, lead, django_capture_on_commit_callbacks):
    hanging = channel(loire, hooks, "/hang")
    started = time.monotonic()
    event = publish_draft(lead, django_capture_on_commit_callbacks)
    assert time.monotonic() - started < TIMEOUT * 3 + 2
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    # It may have been shown: a second post could show it twice.
    assert len(hooks.to("/hang")) == 1
    hanging.refresh_from_db()
    assert hanging.webhook_state == WebhookState.FAILED
    assert hanging.webhook_error == NO_ANSWER


def test_a_server_that_answers_a_byte_at_a_time_is_cut_off_at_twice_the_timeout(hooks, settings, caplog):
    """Each read waits the timeout at most, so a byte every 0.3 s would hold the worker for 40 s: the
    whole post has a deadline (twice the timeout), then the connection is shut down."""
    settings.WEBHOOK_TIMEOUT = 0.5
    started = time.monotonic()
    with pytest.raises(WebhookError) as error:
        webhook_post(url=hooks.url("/dribble"), platform=ChannelPlatform.MATTERMOST, text="x")
    elapsed = time.monotonic() - started
    assert 0.9 < elapsed < 1.6
    assert error.value.message == NO_ANSWER
    assert not error.value.retry  # the server got the post: it may show it, never post it twice
    assert "délai total" in caplog.text
    assert len(hooks.to("/dribble")) == 1


def test_a_dribbling_webhook_is_recorded_as_failed_and_not_posted_again(
    loire, hooks, lead, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_TIMEOUT = 0.4
    slow = channel(loire, hooks, "/dribble")
    started = time.monotonic()
    publish_draft(lead, django_capture_on_commit_callbacks)
    assert time.monotonic() - started < 2.5
    slow.refresh_from_db()
    assert slow.webhook_state == WebhookState.FAILED
    assert slow.webhook_error == NO_ANSWER
    assert slow.announcements.get().attempts == 1
    assert len(hooks.to("/dribble")) == 1


def test_a_refused_connection_and_a_redirect_are_failures(loire, hooks, lead, django_capture_on_commit_callbacks):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    refused = ChannelFactory(
        departement=loire, webhook_url=f"http://127.0.0.1:{closed_port}/hooks/x", announce_events=True
    )
    redirected = channel(loire, hooks, "/redirect")
    missing = channel(loire, hooks, "/missing")
    publish_draft(lead, django_capture_on_commit_callbacks)
    for row in (refused, redirected, missing):
        row.refresh_from_db()
        assert row.webhook_state == WebhookState.FAILED
    assert refused.webhook_error == NO_ANSWER  # the same words as a timeout: the card maps no port
    assert refused.announcements.get().attempts == 3
    assert "redirection (302), qui n’est pas suivie" in redirected.webhook_error
    assert not hooks.to("/ok")  # the redirect was not followed
    assert missing.webhook_error.startswith("le serveur a répondu 404")
    assert missing.announcements.get().attempts == 1  # a 404 will not mend itself


def test_a_channel_whose_webhook_was_removed_records_it(loire, hooks, lead, django_capture_on_commit_callbacks):
    row = channel(loire, hooks, "/ok")
    event = EventFactory(departement=loire, lead=lead, draft=True, public=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event_publish(event=event, by=lead.user)
    Channel.objects.filter(pk=row.pk).update(webhook_url="")
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert not hooks.posts  # the channel no longer announces: nothing created, nothing posted
    assert not Announcement.objects.exists()


def test_titles_cannot_ping_everyone_nor_inject_links(loire, hooks, lead, django_capture_on_commit_callbacks):
    channel(loire, hooks, "/ok")
    publish_draft(lead, django_capture_on_commit_callbacks, title="@channel [gagnez](https://evil.example) *vite*")
    text = hooks.posts[0]["json"]["text"]
    assert "@channel" not in text
    assert "@\u200bchannel" in text
    assert "\\[gagnez\\]\\(https://evil.example\\) \\*vite\\*" in text


def test_no_one_is_pinged_by_name_but_addresses_stay_whole(loire, hooks, lead, django_capture_on_commit_callbacks):
    channel(loire, hooks, "/ok")
    publish_draft(
        lead, django_capture_on_commit_callbacks, title="Atelier avec @jeanne.dupont et (@paul) : contact@mairie.fr"
    )
    text = hooks.posts[0]["json"]["text"]
    assert "@jeanne" not in text
    assert "@\u200bjeanne.dupont" in text
    assert "@\u200bpaul" in text
    assert "contact@mairie.fr" in text


def test_discord_gets_2000_characters_at_most(hooks):
    webhook_post(url=hooks.url("/discord"), platform=ChannelPlatform.DISCORD, text="é" * 5000)
    content = hooks.posts[0]["json"]["content"]
    assert len(content) == 2000
    assert content.endswith("…")


def test_the_test_message_leaves_after_the_commit(client, loire, coordinator, hooks):
    row = channel(loire, hooks, "/ok", name="~evenements")
    client.force_login(coordinator)
    response = client.post(reverse("animation:channel_test", args=[loire.code, row.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/reseau/42/canaux/#canal-{row.pk}")
    # The view ran in the test's transaction, never committed: nothing left yet.
    assert not hooks.posts


def test_the_test_message_reaches_the_webhook_and_the_list_says_how_it_went(
    client, loire, coordinator, hooks, django_capture_on_commit_callbacks
):
    good = channel(loire, hooks, "/ok", name="~evenements")
    bad = channel(loire, hooks, "/fail", name="~entraide")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("animation:channel_test", args=[loire.code, good.pk]))
        client.post(reverse("animation:channel_test", args=[loire.code, bad.pk]))
    assert "Message de test de Maillage" in hooks.to("/ok")[0]["json"]["text"]
    assert len(hooks.to("/fail")) == 1  # a test is tried once: its outcome is shown at once
    html = client.get(reverse("animation:channels", args=[loire.code])).content.decode()
    assert "Dernier envoi réussi le" in html
    assert "En échec" in html
    assert "le serveur a répondu 500" in html
    assert hooks.url("/ok") not in html  # the secret stays in the edit form


def test_a_coordinator_sends_five_tests_in_ten_minutes_at_most(
    client, loire, coordinator, hooks, django_capture_on_commit_callbacks
):
    row = channel(loire, hooks, "/ok", name="~evenements")
    other = channel(loire, hooks, "/discord", name="~entraide")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            response = client.post(reverse("animation:channel_test", args=[loire.code, row.pk]))
            assert response.status_code == 302
        response = client.post(reverse("animation:channel_test", args=[loire.code, other.pk]), follow=True)
    assert response.status_code == 200
    assert "beaucoup de messages de test en peu de temps" in response.content.decode()
    assert len(hooks.posts) == 5  # the sixth, to another channel, did not leave
    # Another coordinator has their own allowance.
    client.force_login(MembershipFactory(departement=loire, coordinator=True).user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("animation:channel_test", args=[loire.code, other.pk]))
    assert len(hooks.posts) == 6


def test_a_test_without_webhook_says_so(client, loire, coordinator):
    row = ChannelFactory(departement=loire)
    client.force_login(coordinator)
    response = client.post(reverse("animation:channel_test", args=[loire.code, row.pk]), follow=True)
    assert "n’a pas d’adresse de webhook" in response.content.decode()


# SSRF: a coordinator types the address; the server must not reach its own network for them.


@pytest.fixture
def strict(settings, hooks):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    return hooks


def test_http_is_refused_without_the_setting(strict):
    with pytest.raises(WebhookError, match="https://"):
        webhook_post(url=strict.url("/ok"), platform=ChannelPlatform.MATTERMOST, text="x")
    assert not strict.posts


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "[::1]",
        "[fe80::1]",
        "[fc00::1]",
        "[::ffff:127.0.0.1]",
        "[64:ff9b::7f00:1]",
        "[2002:7f00:1::]",
        "localhost",
    ],
)
def test_internal_addresses_are_refused_before_any_connection(strict, host):
    with pytest.raises(WebhookError) as error:
        webhook_post(url=f"https://{host}/ok", platform=ChannelPlatform.MATTERMOST, text="x")
    assert "interne" in error.value.message
    assert not error.value.retry
    assert not strict.posts


def _loopback_name():
    """A host name (not ``localhost``, which the form refuses by name) that this machine resolves to a
    loopback address: ``localhost.`` or the machine's own name, depending on the resolver."""
    for name in ("localhost.", socket.gethostname()):
        try:
            if all(not is_public_address(info[4][0]) for info in socket.getaddrinfo(name, 80)):
                return name
        except OSError:
            continue
    pytest.skip("no name of this machine resolves to a loopback address")


def test_a_name_that_resolves_to_loopback_is_refused_at_send_time(strict, caplog):
    name = _loopback_name()
    with pytest.raises(WebhookError) as error:
        webhook_post(url=f"https://{name}/ok", platform=ChannelPlatform.MATTERMOST, text="x")
    assert error.value.message == NOT_PUBLIC
    assert not strict.posts
    assert "adresse interne" in caplog.text  # the detail is for the server's log only


@pytest.mark.parametrize("host", ["2130706433", "0x7f000001", "017700000001"])
def test_a_numeric_host_never_says_which_internal_address_it_is(strict, host, caplog):
    """``https://2130706433/`` is 127.0.0.1 to the resolver: refused, and the coordinator reading the
    channel card must not learn which address a name resolves to (a map of the internal network)."""
    with pytest.raises(WebhookError) as error:
        webhook_post(url=f"https://{host}/hooks/x", platform=ChannelPlatform.MATTERMOST, text="x")
    assert error.value.message == NOT_PUBLIC
    assert "127.0.0.1" not in error.value.message
    assert "127.0.0.1" in caplog.text
    assert "/hooks/x" not in caplog.text  # the log names the host, never the secret path


@pytest.mark.parametrize("port", [22, 80, 8443, 6379])
def test_only_the_https_port_is_allowed(strict, port):
    """Another port would let « Envoyer un message de test » tell open ports from closed ones."""
    problem = webhook_url_problem(f"https://example.com:{port}/hooks/x")
    assert problem == f"Seul le port https habituel (443) est accepté : retirez « :{port} » de l’adresse."
    with pytest.raises(WebhookError, match="443"):
        webhook_post(url=f"https://example.com:{port}/hooks/x", platform=ChannelPlatform.MATTERMOST, text="x")
    assert webhook_url_problem("https://example.com:443/hooks/x") is None
    assert webhook_url_problem("https://example.com/hooks/x") is None


def test_the_setting_allows_other_ports_for_tests_and_local_servers(hooks):
    assert webhook_url_problem("https://example.com:8065/hooks/x") is None
    webhook_post(url=hooks.url("/ok"), platform=ChannelPlatform.MATTERMOST, text="x")
    assert hooks.to("/ok")


def test_an_unknown_host_reads_like_an_internal_one(strict, caplog):
    with pytest.raises(WebhookError) as error:
        webhook_post(url="https://nulle-part.invalid/hooks/x", platform=ChannelPlatform.MATTERMOST, text="x")
    assert error.value.message == NOT_PUBLIC
    assert error.value.retry
    assert "introuvable" in caplog.text


def test_public_addresses_are_allowed():
    assert is_public_address("8.8.8.8")
    assert is_public_address("2606:4700:4700::1111")
    assert not is_public_address("::ffff:10.0.0.1")
    assert not is_public_address("not an address")


def test_a_refused_address_is_recorded_on_the_channel_and_the_announcement(
    loire, strict, lead, django_capture_on_commit_callbacks
):
    row = ChannelFactory(departement=loire, webhook_url="https://127.0.0.1/hooks/x", announce_events=True)
    publish_draft(lead, django_capture_on_commit_callbacks)
    row.refresh_from_db()
    assert row.webhook_state == WebhookState.FAILED
    assert "interne" in row.webhook_error
    assert row.announcements.get().attempts == 1


@pytest.mark.django_db(transaction=True)
def test_a_real_commit_posts_after_the_transaction_and_a_failure_stays_out_of_the_request(client, hooks):
    """No captured callbacks here: the view's transaction commits, the post leaves after it."""
    lead = AdvisorFactory()
    failing = ChannelFactory(departement=lead.departement, webhook_url=hooks.url("/hang"), announce_events=True)
    working = ChannelFactory(departement=lead.departement, webhook_url=hooks.url("/ok"), announce_events=True)
    event = EventFactory(departement=lead.departement, lead=lead, draft=True, public=True)
    assert not hooks.posts  # a draft
    client.force_login(lead.user)
    response = client.post(reverse("events:publish", args=[event.pk]))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert sorted(post["path"] for post in hooks.posts) == ["/hang", "/ok"]
    assert failing.announcements.get().state == WebhookState.FAILED
    assert working.announcements.get().state == WebhookState.OK
