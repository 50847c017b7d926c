"""The network's news posted to its channels' incoming webhooks (Mattermost, Discord).

When an event or a resource is published (``animation.receivers`` hears it), every channel of its
département that announces that kind gets one post: the ``Announcement`` row (unique per channel and
item) is created first, and only its creator queues the post, so nothing is announced twice, whatever
is saved, published again or edited afterwards. Posting is a task (``django.tasks``), run after the
commit; a failure is written on the announcement and on the channel (« en échec : … »), tried again
when trying again may help, and never reaches the person who published.

A coordinator types the webhook's address, so the server must not become a way to reach what only it
can reach (SSRF): https only; the host resolved when posting and every address it resolves to checked
(no loopback, private, link-local, multicast, reserved address); the connection made to the address
checked, so that a second DNS answer cannot send it elsewhere; no proxy, no redirect followed.
only the https port, 443. ``settings.WEBHOOKS_ALLOW_PRIVATE`` lifts the address and port checks and
allows http (tests, a local Mattermost).
"""

import http.client
import ipaddress
import json
import logging
import re
import socket
import ssl
import threading
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.tasks import default_task_backend, task
from django.utils import timezone

from animation.enums import ChannelPlatform, WebhookState
from animation.models import Announcement, Channel
from events.dates import event_span
from events.enums import EventMode, EventStatus, EventVisibility
from events.models import Event
from resources.enums import ResourceStatus, ResourceVisibility
from resources.models import Resource

logger = logging.getLogger(__name__)

# The platforms whose incoming webhooks take our post, and the field that carries the Markdown text.
WEBHOOK_PLATFORMS = (ChannelPlatform.MATTERMOST, ChannelPlatform.DISCORD)
DISCORD_MAX = 2000
MATTERMOST_MAX = 16000
ERROR_MAX = 300
USER_AGENT = "Maillage (webhooks du réseau)"

# What a save must touch for an item to become announceable (``animation.receivers``).
ANNOUNCE_FIELDS = {
    "event": {"status", "visibility", "ends_at"},
    "resource": {"status", "visibility"},
}


class WebhookError(Exception):
    """Why a post failed, said in French for the coordinators; ``retry``: trying again later may help
    (the request certainly did not go through, or the server said it failed)."""

    def __init__(self, message, *, retry=False):
        super().__init__(message)
        self.message = message
        self.retry = retry


# Which addresses may be reached


def _embedded_ipv4(ip):
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo, NAT64), else ``None``."""
    if ip.version != 6:
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in ipaddress.ip_network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public_address(address):
    """A global unicast address: not loopback, private, link-local, multicast, reserved or unspecified."""
    try:
        ip = ipaddress.ip_address(str(address).split("%", 1)[0])
    except ValueError:
        return False
    for candidate in (ip, _embedded_ipv4(ip)):
        if candidate is None:
            continue
        if (
            not candidate.is_global
            or candidate.is_private
            or candidate.is_loopback
            or candidate.is_link_local
            or candidate.is_multicast
            or candidate.is_reserved
            or candidate.is_unspecified
        ):
            return False
    return True


def webhook_url_problem(url):
    """What is wrong with ``url`` as a webhook address, before any network access (the form says it
    next to the field); ``None`` when it may be tried. The addresses it resolves to are checked when
    posting."""
    allow_private = settings.WEBHOOKS_ALLOW_PRIVATE
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "Cette adresse n’est pas valide."
    scheme = parts.scheme.lower()
    if scheme != "https" and not (allow_private and scheme == "http"):
        return "L’adresse d’un webhook commence par https:// (une connexion chiffrée)."
    host = parts.hostname or ""
    if not host:
        return "Cette adresse n’indique pas de serveur."
    if parts.username or parts.password:
        return "L’adresse ne doit pas contenir d’identifiant ni de mot de passe."
    if port == 0:
        return "Cette adresse n’est pas valide."
    if allow_private:
        return None
    if port not in (None, 443):
        # Any port would let the test button tell a closed port from a filtered one on any host.
        return f"Seul le port https habituel (443) est accepté : retirez « :{port} » de l’adresse."
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal", ".home.arpa")):
        return "Cette adresse désigne un serveur interne : indiquez l’adresse publique du webhook."
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return None
    if not is_public_address(host):
        return "Cette adresse désigne un serveur interne : indiquez l’adresse publique du webhook."
    return None


# What the coordinators read when the address leads nowhere public, or when the network failed: the
# same words whatever happened (unknown name or internal address; refused, timed out or cut), so that
# the channel card cannot serve to map the server's network. The detail goes to the server's log.
NOT_PUBLIC = "cette adresse ne mène pas à un serveur public."
NO_ANSWER = "le serveur du canal n’a pas répondu correctement."


def _resolve(host, port):
    """The address to connect to, every address of ``host`` checked (one bad answer refuses them all)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        logger.warning("Webhook vers « %s » : nom introuvable (%s)", host, error)
        raise WebhookError(NOT_PUBLIC, retry=True) from error
    addresses = [info[4][0] for info in infos]
    if not addresses:
        logger.warning("Webhook vers « %s » : nom introuvable (aucune adresse)", host)
        raise WebhookError(NOT_PUBLIC, retry=True)
    if not settings.WEBHOOKS_ALLOW_PRIVATE:
        for address in addresses:
            if not is_public_address(address):
                logger.warning("Webhook vers « %s » refusé : adresse interne %s", host, address)
                raise WebhookError(NOT_PUBLIC)
    return addresses[0]


# Posting, to the address checked and nowhere else


class _Deadline:
    """The whole post's time budget. The socket's timeout bounds each read, not their sum: a server that
    sends its answer a byte at a time would hold the worker for ever. When the budget is spent, the
    connection is shut down (through a duplicate of its socket, which survives TLS wrapping and
    ``http.client`` closing its own), and the read in progress ends at once."""

    def __init__(self, seconds):
        self.expired = False
        self._sockets = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self):
        self._timer.start()
        return self

    def __exit__(self, *exc_info):
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets = []

    def watch(self, sock):
        with self._lock:
            self._sockets.append(sock.dup())
            if self.expired:
                self._shutdown(self._sockets[-1])

    def _expire(self):
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shutdown(sock)

    @staticmethod
    def _shutdown(sock):
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _pinned(connection_class, address, deadline):
    """``connection_class`` that connects to ``address`` whatever its host name resolves to now (TLS
    still checks the certificate of the host name), its socket watched by ``deadline``."""

    def create_connection(target, timeout, source):
        sock = socket.create_connection((address, target[1]), timeout, source)
        deadline.watch(sock)
        return sock

    class Pinned(connection_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._create_connection = create_connection

    return Pinned


class _PinnedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, address, deadline):
        super().__init__()
        self.address = address
        self.deadline = deadline

    def http_open(self, req):
        return self.do_open(_pinned(http.client.HTTPConnection, self.address, self.deadline), req)


class _PinnedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, address, deadline):
        super().__init__(context=ssl.create_default_context())
        self.address = address
        self.deadline = deadline

    def https_open(self, req):
        connection = _pinned(http.client.HTTPSConnection, self.address, self.deadline)
        return self.do_open(connection, req, context=self._context)


def _opener(address, deadline):
    """No proxy handler, no redirect handler: a 3xx answer is an error, never followed."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        _PinnedHTTPHandler(address, deadline),
        _PinnedHTTPSHandler(address, deadline),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def payload(platform, text):
    """The JSON body each platform takes: Mattermost ``text`` (Markdown), Discord ``content`` (Markdown,
    2,000 characters at most, with no mention pinging anyone)."""
    if platform == ChannelPlatform.DISCORD:
        return {"content": _cut(text, DISCORD_MAX), "allowed_mentions": {"parse": []}}
    return {"text": _cut(text, MATTERMOST_MAX)}


def webhook_post(*, url, platform, text):
    """POST ``text`` to ``url``; raises ``WebhookError`` with the reason when it does not go through."""
    problem = webhook_url_problem(url)
    if problem:
        raise WebhookError(problem.rstrip("."))
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    address = _resolve(parts.hostname, port)
    request = urllib.request.Request(
        url,
        data=json.dumps(payload(platform, text)).encode(),
        headers={"Content-Type": "application/json", "User-Agent": USER_AGENT},
        method="POST",
    )
    # Each connect or read waits WEBHOOK_TIMEOUT at most, the whole post twice that: a slow server
    # cannot hold the worker, whatever it sends and however slowly. A few KB of the answer are read.
    with _Deadline(2 * settings.WEBHOOK_TIMEOUT) as deadline:
        _send(request, parts.hostname, address, deadline)


def _send(request, host, address, deadline):
    try:
        with _opener(address, deadline).open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            response.read(4096)
    except urllib.error.HTTPError as error:
        error.close()
        if 300 <= error.code < 400:
            raise WebhookError(
                f"le serveur a répondu par une redirection ({error.code}), qui n’est pas suivie : "
                "indiquez l’adresse exacte du webhook."
            ) from error
        retry = error.code >= 500 or error.code == 429
        raise WebhookError(f"le serveur a répondu {error.code} ({error.reason}).", retry=retry) from error
    except urllib.error.URLError as error:
        # Raised before the request was sent (refused, unreachable, connection timed out): safe to retry,
        # unless the deadline cut it while sending (part of it may have arrived).
        logger.warning("Webhook vers « %s » : connexion impossible (%s)", host, error.reason)
        raise WebhookError(NO_ANSWER, retry=not deadline.expired) from error
    except (OSError, http.client.HTTPException, ValueError) as error:
        # The server got the post and did not answer in time or well: it may have shown it, never post
        # it again.
        if deadline.expired:
            logger.warning("Webhook vers « %s » : réponse trop lente, coupée après le délai total", host)
        else:
            logger.warning("Webhook vers « %s » : échange interrompu (%r)", host, error)
        raise WebhookError(NO_ANSWER) from error


def _cut(text, limit):
    return text if len(text) <= limit else text[: limit - 1] + "…"


# The messages


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+|~>!])")
# An @ that starts a word: @channel, @here, @all, @everyone (a whole team) or @name (one person,
# Mattermost pings them) must ping no one. An address (« contact@… ») is left alone.
_MENTION = re.compile(r"(?<![\w@])@(?=\w)")


def _plain(text):
    """``text`` shown as typed: its Markdown escaped, its mentions disarmed (a zero-width space after the
    @), on one line."""
    text = " ".join(str(text).split())
    return _MENTION.sub("@\u200b", _MARKDOWN.sub(r"\\\1", text))


def _event_place(event):
    if event.mode == EventMode.DISTANCIEL:
        return "en ligne"
    if event.lieu_id:
        place = f"{event.lieu.name}, {event.lieu.commune.name}"
    else:
        place = ", ".join(part for part in (event.address, event.commune.name if event.commune_id else "") if part)
    if event.mode == EventMode.HYBRIDE:
        return f"{place} et en ligne" if place else "sur place et en ligne"
    return place


def event_message(event):
    """« Nouvel événement du réseau : [titre](lien) », its date in the département's zone, its place."""
    link = f"{settings.SITE_URL}{event.get_absolute_url()}"
    lines = [f"**Nouvel événement du réseau** : [{_plain(event.title)}]({link})", _plain(event_span(event))]
    place = _event_place(event)
    if place:
        lines.append(f"Lieu : {_plain(place)}")
    lines.append(link)
    return "\n".join(lines)


def resource_message(resource):
    """« Nouvelle ressource partagée : [titre](lien) », its kind and summary."""
    link = f"{settings.SITE_URL}{resource.get_absolute_url()}"
    lines = [
        f"**Nouvelle ressource partagée** : [{_plain(resource.title)}]({link})",
        _plain(f"{resource.get_kind_display().capitalize()} — {resource.summary}"),
        link,
    ]
    return "\n".join(lines)


def channel_test_text(channel):
    link = f"{settings.SITE_URL}{channel.get_absolute_url()}"
    return (
        f"**Message de test de Maillage** : ce canal ({_plain(channel.name)}) recevra les annonces du réseau. "
        f"Réglages : {link}"
    )


# Which items are announced, to which channels


def announced_network_only(item):
    return item.visibility in (EventVisibility.NETWORK, ResourceVisibility.NETWORK)


def is_announceable(kind, item, now=None):
    """Published and visible (public, or for the network's members), and for an event not over yet.
    Reads the row in memory: no query."""
    if kind == "event":
        return (
            item.status == EventStatus.PUBLISHED
            and item.visibility in EventVisibility.values
            and item.ends_at >= (now or timezone.now())
        )
    return item.status == ResourceStatus.PUBLISHED and item.visibility in ResourceVisibility.values


def _channels_to_announce(*, kind, object_id, departement_id, network_only):
    announced = Announcement.objects.filter(channel=OuterRef("pk"), kind=kind, object_id=object_id)
    channels = Channel.objects.in_departement(departement_id).announcing(kind).filter(~Exists(announced))
    if network_only:
        channels = channels.filter(announce_network_only=True)
    return list(channels.filter(platform__in=WEBHOOK_PLATFORMS).only("pk"))


def _item(kind, object_id):
    if kind == "event":
        return Event.objects.select_related("departement", "lieu__commune", "commune").filter(pk=object_id).first()
    return Resource.objects.filter(pk=object_id).first()


def announcements_create(*, kind, object_id, departement_id):
    """Announce the event or resource ``object_id`` (once it is committed) on the channels of
    ``departement_id`` that announce ``kind`` and have not announced it yet: one ``Announcement`` each,
    and one post queued per announcement created here. Returns the announcements created.

    The first query looks for such channels only: most départements have none, and most saves cost one
    query here."""
    channels = _channels_to_announce(kind=kind, object_id=object_id, departement_id=departement_id, network_only=False)
    if not channels:
        return []
    item = _item(kind, object_id)
    if item is None or not is_announceable(kind, item):
        return []
    if announced_network_only(item):
        channels = _channels_to_announce(
            kind=kind, object_id=object_id, departement_id=departement_id, network_only=True
        )
    text = event_message(item) if kind == "event" else resource_message(item)
    created = []
    for channel in channels:
        try:
            with transaction.atomic():
                announcement = Announcement.objects.create(
                    channel=channel, kind=kind, object_id=object_id, title=item.title[:300]
                )
        except IntegrityError:
            continue  # announced meanwhile by another save of the same item
        created.append(announcement)
    for announcement in created:
        announcement_send.enqueue(announcement_id=announcement.pk, text=text)
    return created


def _record(channel_id, error=None):
    """The channel's last outcome, as the coordinators' list shows it."""
    Channel.objects.filter(pk=channel_id).update(
        webhook_state=WebhookState.FAILED if error else WebhookState.OK,
        webhook_checked_at=timezone.now(),
        webhook_error=(error or "")[:ERROR_MAX],
    )


@task
def announcement_send(*, announcement_id, text, attempt=1):
    """Post one announcement (its text rendered when it was created: tasks carry JSON). Never raises:
    the outcome is written on the announcement and its channel; a failure that may pass is tried again
    (``settings.WEBHOOK_SEND_ATTEMPTS`` in all, 2, 4, 8… minutes apart with the database worker)."""
    announcement = Announcement.objects.select_related("channel").filter(pk=announcement_id).first()
    if announcement is None or announcement.state == WebhookState.OK:
        return
    channel = announcement.channel
    try:
        if not channel.webhook_url:
            raise WebhookError("le canal n’a plus d’adresse de webhook.")
        webhook_post(url=channel.webhook_url, platform=channel.platform, text=text)
    except WebhookError as error:
        Announcement.objects.filter(pk=announcement.pk).update(
            state=WebhookState.FAILED, error=error.message[:ERROR_MAX], attempts=attempt
        )
        _record(channel.pk, error.message)
        if not error.retry or attempt >= settings.WEBHOOK_SEND_ATTEMPTS:
            logger.warning("Annonce %s abandonnée après %s essai(s) : %s", announcement.pk, attempt, error.message)
            return
        retry = {"announcement_id": announcement.pk, "text": text, "attempt": attempt + 1}
        if default_task_backend.supports_defer:
            announcement_send.using(run_after=timezone.now() + timedelta(minutes=2**attempt)).enqueue(**retry)
        else:
            announcement_send.call(**retry)
    except Exception as error:  # a bug must not leave the announcement pending for ever, nor reach anyone
        logger.exception("Annonce %s : erreur inattendue", announcement.pk)
        Announcement.objects.filter(pk=announcement.pk).update(
            state=WebhookState.FAILED, error=f"erreur inattendue ({error.__class__.__name__}).", attempts=attempt
        )
        _record(channel.pk, f"erreur inattendue ({error.__class__.__name__}).")
    else:
        Announcement.objects.filter(pk=announcement.pk).update(
            state=WebhookState.OK, error="", attempts=attempt, sent_at=timezone.now()
        )
        _record(channel.pk)


@task
def channel_test_send(*, channel_id):
    """The coordinators' « Envoyer un message de test »: one try, its outcome on the channel."""
    channel = Channel.objects.filter(pk=channel_id).first()
    if channel is None or not channel.webhook_url:
        return
    try:
        webhook_post(url=channel.webhook_url, platform=channel.platform, text=channel_test_text(channel))
    except WebhookError as error:
        _record(channel.pk, error.message)
    except Exception as error:
        logger.exception("Test du webhook du canal %s : erreur inattendue", channel.pk)
        _record(channel.pk, f"erreur inattendue ({error.__class__.__name__}).")
    else:
        _record(channel.pk)


def webhook_test(*, channel):
    """Queue a test message to ``channel``'s webhook, once the current transaction commits."""
    channel_id = channel.pk
    transaction.on_commit(lambda: channel_test_send.enqueue(channel_id=channel_id), robust=True)


def webhook_masked(url):
    """``https://chat.example.fr/…c3d4``: enough to recognise the webhook, never enough to post to it."""
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return "…"
    return f"{parts.scheme}://{host}/…{url[-4:]}" if host else "…"
