"""What the monthly letter is made of, read from the network's data, and how a letter is read back.

``letter_sections`` composes the sections of a département's letter as plain data (titles, ISO dates,
dates already said in French in the département's time zone, absolute URLs, short summaries): they are
stored in ``Letter.content``, so the web version, the archive and the emails show the letter as it was
sent, whatever changed since. Nothing about a newcomer who did not agree to be introduced is read.
"""

import datetime
import html
import re
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.text import Truncator

from advisors.enums import Visibility
from advisors.models import Advisor, Membership, User
from advisors.queries.territory import months_before
from animation.enums import LetterStatus
from animation.models import Letter
from common.markdown import render_markdown
from events.dates import date_label, event_span
from events.enums import EventStatus, EventVisibility
from events.models import Event
from resources.enums import ResourceVisibility
from resources.models import Resource
from skills.queries.maps import Territory, skill_map

# The next events: those starting in the next six weeks.
EVENTS_WEEKS = 6
MAX_EVENTS = 12
MAX_RESOURCES = 10
MAX_NEWCOMERS = 20
MAX_SKILLS = 5
SUMMARY_LENGTH = 220

SECTIONS = ("events", "resources", "newcomers", "skills")
SECTION_TITLES = {
    "events": "Les prochains événements",
    "resources": "Les nouvelles ressources",
    "newcomers": "Ils et elles rejoignent le réseau",
    "skills": "Les compétences que le réseau veut apprendre",
}

# ASCII digits only (``\d`` takes « ١٠ » too), and nothing after them (``$`` lets a final newline through).
PERIOD_RE = re.compile(r"([0-9]{4})-([0-9]{2})")


def period_from(value):
    """The first day of the month ``2026-11`` names, or ``None`` (``2026-13``, ``abc``, ``0000-01``)."""
    match = PERIOD_RE.fullmatch(value or "")
    if match is None:
        return None
    year, month = int(match[1]), int(match[2])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return datetime.date(year, month, 1)


def departement_today(departement, now=None):
    """Today in ``departement``'s time zone: at 1 h on 1 December in La Réunion it is still 30 November in
    Paris, and the Réunion network's month is December."""
    return timezone.localdate(now or timezone.now(), zoneinfo.ZoneInfo(departement.timezone))


def month_label(period):
    """« novembre 2026 »."""
    return date_format(period, "F Y")


def _absolute(path):
    return f"{settings.SITE_URL}{path}"


def _summary(text):
    """A few plain words of a Markdown text: what its rendering reads, tags and marks removed."""
    plain = html.unescape(strip_tags(render_markdown(text or "")))
    return Truncator(" ".join(plain.split())).chars(SUMMARY_LENGTH)


def letter_since(departement, period, now=None):
    """Where « new » starts for the letter of ``period``: when the network's previous letter went out, or a
    month ago when there was none."""
    now = now or timezone.now()
    previous = (
        Letter.objects.in_departement(departement)
        .sent()
        .filter(period__lt=period, sent_at__isnull=False)
        .order_by("-period")
        .values_list("sent_at", flat=True)
        .first()
    )
    if previous is not None and previous < now:
        return previous
    tzinfo = zoneinfo.ZoneInfo(departement.timezone)
    month_ago = months_before(departement_today(departement, now), 1)
    return timezone.make_aware(datetime.datetime.combine(month_ago, datetime.time.min), tzinfo)


# What a letter may show, whenever it is read: the composition picks from these, and a draft shown, tested or
# sent keeps only the items still in them (``letter_live_content``), so the rules live here once.


def shown_events(departement):
    """The département's published events its members see: public or réseau, neither drafts nor cancelled."""
    return (
        Event.objects.in_departement(departement)
        .published()
        .exclude(status=EventStatus.CANCELLED)
        .filter(visibility__in=[EventVisibility.PUBLIC, EventVisibility.NETWORK])
    )


def shown_resources(departement):
    """The département's published resources its members see: public or réseau, neither drafts nor hidden by
    the coordination."""
    return (
        Resource.objects.filter(departement=departement)
        .published()
        .filter(visibility__in=[ResourceVisibility.PUBLIC, ResourceVisibility.NETWORK])
    )


# A newcomer may be introduced while these hold; when one stops holding for good (consent withdrawn, profile
# hidden from the network, account deleted), ``animation.receivers`` removes them from every letter, sent too.
INTRODUCIBLE_VISIBILITIES = (Visibility.PUBLIC, Visibility.NETWORK)


def introduced_advisors(departement):
    """The profiles of ``departement`` that may be introduced in its letter: their person said yes
    (``introduce_in_letter``), the network may see the profile, and they are an active member of the network."""
    active = Membership.objects.active().filter(user=OuterRef("user"), departement=departement)
    return Advisor.objects.in_departement(departement).filter(
        Exists(active), introduce_in_letter=True, visibility__in=INTRODUCIBLE_VISIBILITIES
    )


LIVE_SECTIONS = {"events": shown_events, "resources": shown_resources, "newcomers": introduced_advisors}


def letter_live_content(letter):
    """A draft's content with only the composed items the letter may still show today: an event cancelled,
    unpublished or made private, a resource hidden, a newcomer who withdrew consent, hid her profile from the
    network or left it since the composition are dropped. One query per non-empty section; the skills (counts,
    nobody named) stay as composed. An item without its id cannot be checked, and is dropped too."""
    content = dict(letter.content or {})
    for slug, shown in LIVE_SECTIONS.items():
        items = [item for item in content.get(slug, []) if isinstance(item, dict) and isinstance(item.get("id"), int)]
        if items:
            still = set(
                shown(letter.departement_id).filter(pk__in=[item["id"] for item in items]).values_list("pk", flat=True)
            )
            items = [item for item in items if item["id"] in still]
        content[slug] = items
    return content


def _events(departement, now):
    """The département's published events starting in the next six weeks that its members see (public or
    réseau; drafts and cancelled ones left out)."""
    events = (
        shown_events(departement)
        .filter(
            starts_at__gte=now,
            starts_at__lt=now + datetime.timedelta(weeks=EVENTS_WEEKS),
        )
        .select_related("departement", "commune", "lieu")
        .order_by("starts_at", "pk")[:MAX_EVENTS]
    )
    items = []
    for event in events:
        place = "En ligne" if event.is_online else (event.lieu.name if event.lieu_id else event.address)
        if event.commune_id and not event.is_online:
            place = f"{place}, {event.commune.name}" if place else event.commune.name
        items.append(
            {
                "key": f"event-{event.pk}",
                "id": event.pk,
                "title": event.title,
                "kind": event.get_kind_display(),
                "starts_at": event.starts_at.isoformat(),
                "ends_at": event.ends_at.isoformat(),
                "when": event_span(event),
                "place": place or "",
                "network_only": event.visibility == EventVisibility.NETWORK,
                "postponed": event.status == EventStatus.POSTPONED,
                "summary": _summary(event.description),
                "url": _absolute(event.get_absolute_url()),
            }
        )
    return items


def _resources(departement, since, now):
    resources = (
        shown_resources(departement)
        .filter(
            published_at__gte=since,
            published_at__lte=now,
        )
        .order_by("-published_at", "-pk")[:MAX_RESOURCES]
    )
    tzinfo = zoneinfo.ZoneInfo(departement.timezone)
    return [
        {
            "key": f"resource-{resource.pk}",
            "id": resource.pk,
            "title": resource.title,
            "kind": resource.get_kind_display(),
            "published_at": resource.published_at.isoformat(),
            "published": date_label(timezone.localtime(resource.published_at, tzinfo)),
            "network_only": resource.visibility == ResourceVisibility.NETWORK,
            "summary": _summary(resource.summary),
            "url": _absolute(resource.get_absolute_url()),
        }
        for resource in resources
    ]


def _newcomers(departement, since, now):
    """The network's newcomers since ``since`` who said yes to being introduced (``introduce_in_letter``),
    active members whose profile the network may see: no one else is read."""
    tzinfo = zoneinfo.ZoneInfo(departement.timezone)
    since_day = timezone.localtime(since, tzinfo).date()
    today = timezone.localtime(now, tzinfo).date()
    arrived = Q(arrival_date__gte=since_day, arrival_date__lte=today) | Q(
        arrival_date__isnull=True, created_at__gte=since, created_at__lte=now
    )
    advisors = (
        introduced_advisors(departement)
        .filter(arrived)
        .select_related("user", "structure", "commune")
        .order_by("arrival_date", "created_at", "pk")[:MAX_NEWCOMERS]
    )
    return [
        {
            "key": f"newcomer-{advisor.pk}",
            "id": advisor.pk,
            "name": advisor.user.display_name,
            "role": advisor.get_role_display(),
            "structure": advisor.structure.name if advisor.structure_id else "",
            "commune": advisor.commune.name if advisor.commune_id else "",
            "summary": _summary(advisor.bio),
            "url": _absolute(advisor.get_absolute_url()),
        }
        for advisor in advisors
    ]


def _skills(departement):
    """The skills the most members of the network want to learn (« je veux apprendre »), from the skills map,
    with how many master them: whoever masters one may offer a workshop."""
    rows = [row for row in skill_map(Territory(departement=departement)).rows if row.learn]
    rows.sort(key=lambda row: (-row.learn, row.master, row.skill.name))
    return [
        {
            "key": f"skill-{row.skill.pk}",
            "id": row.skill.pk,
            "name": row.skill.name,
            "learn": row.learn,
            "master": row.master,
            "url": _absolute(row.skill.get_absolute_url()),
        }
        for row in rows[:MAX_SKILLS]
    ]


def letter_sections(*, departement, period, now=None):
    """The composed sections of the letter of ``departement`` for ``period``, as JSON-ready data."""
    now = now or timezone.now()
    since = letter_since(departement, period, now)
    return {
        "composed_at": now.isoformat(),
        "since": since.isoformat(),
        "events": _events(departement, now),
        "resources": _resources(departement, since, now),
        "newcomers": _newcomers(departement, since, now),
        "skills": _skills(departement),
        "left_out": [],
    }


@dataclass
class Section:
    slug: str
    title: str
    items: list


def letter_display(letter):
    """The sections of ``letter`` as its readers get them: the composed items the coordination kept, in order.
    No query: everything is in ``letter.content``."""
    content = letter.content or {}
    left_out = set(content.get("left_out", []))
    sections = []
    for slug in SECTIONS:
        items = [item for item in content.get(slug, []) if isinstance(item, dict) and item.get("key") not in left_out]
        sections.append(Section(slug=slug, title=SECTION_TITLES[slug], items=items))
    return sections


def _wanted(item):
    """« 3 veulent l’apprendre, 1 la maîtrise »."""
    learn, master = item["learn"], item["master"]
    return (
        f"{learn} {'veulent' if learn >= 2 else 'veut'} l’apprendre, "
        f"{master} la {'maîtrisent' if master >= 2 else 'maîtrise'}"
    )


def letter_choices(letter):
    """Every composed item of a draft by section, for the checkboxes of its edit form: ``{slug: [(key, label)]}``."""
    content = letter.content or {}
    labels = {
        "events": lambda item: f"{item['title']} — {item['when']}",
        "resources": lambda item: f"{item['title']} ({item['kind']})",
        "newcomers": lambda item: " — ".join(filter(None, [item["name"], item["structure"], item["commune"]])),
        "skills": lambda item: f"{item['name']} ({_wanted(item)})",
    }
    return {
        slug: [(item["key"], labels[slug](item)) for item in content.get(slug, []) if isinstance(item, dict)]
        for slug in SECTIONS
    }


def letters_for(departement, *, coordinator):
    """The archive: sent letters, newest first; the coordination sees the drafts too."""
    letters = Letter.objects.in_departement(departement).order_by("-period")
    if not coordinator:
        letters = letters.filter(status=LetterStatus.SENT)
    return letters.only(
        "pk", "departement_id", "period", "subject", "status", "sent_at", "recipients_count", "test_sent_at"
    )


def letter_recipients(departement):
    """Who receives the letter of ``departement``: its active members whose account is active and who did not
    opt out (``User.receives_letter``)."""
    active = Membership.objects.active().filter(user=OuterRef("pk"), departement=departement)
    return User.objects.filter(Exists(active), is_active=True, receives_letter=True)
