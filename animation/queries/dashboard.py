"""The coordinators' dashboard: the figures of a département network's life, and the list behind each.

Reads only. « Les membres » are the profiles of the network's active members (``Advisor.departement``
with an active membership there: the skills map's ``counted_advisors``). Every figure is one or two
SQL aggregations: the page costs the same queries for 20 members or 2,000.

What « mis à jour le » (``Advisor.updated_at``) means: it moves when the person saves a section of
Mon profil, changes her photo or her structure, or when her profile moves to another network because
she left this one. The serving tables, the search column (``bulk_update``) and the skills' merges
never touch it: it is the date of the last human update of the profile.

Departures: leaving a network deletes the membership (``membership_leave``), deleting an account
deletes everything. Since issue 13, a membership deleted while active leaves a ``Departure`` (dates
only, ``animation.receivers``); before it, people who left are in no figure, and the page says from
when departures are counted.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Count, Exists, F, Func, IntegerField, Max, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils import timezone

from advisors.models import Advisor, Membership
from animation.models import Departure, ProfileReminder
from events.enums import Attendance, EventStatus, OrganiserStatus, RegistrationStatus
from events.models import AnimatorSignup, Event, Organiser, Registration, Slot
from orientations.models import Orientation
from orientations.queries.flows import months_ago
from overview.coverage import CoverageClass, coverage, territory_communes
from resources.enums import ResourceStatus
from resources.models import Resource
from skills.enums import DomainKind
from skills.models import Domain, ProjectCard
from skills.queries.maps import Territory, counted_advisors, skill_map

MONTHS_SHOWN = 12
DEPARTURES_MIGRATION = "0002_departures"
STALE_MONTHS = (12, 18)
NEWCOMER_MONTHS = 6
CONTRIBUTION_MONTHS = 12
# The share of all contributions whose contributors the page names: « 12 % des membres font 80 % … ».
CONTRIBUTION_SHARE = 80
# Upcoming events to reinforce: those of the next ``EVENT_HORIZON_DAYS`` days with a slot short of
# animators, or filled below ``LOW_FILL_PERCENT`` of their places (without a limit: nobody registered).
EVENT_HORIZON_DAYS = 90
LOW_FILL_PERCENT = 50


def local_now(departement, now=None):
    return timezone.localtime(now or timezone.now(), ZoneInfo(departement.timezone))


def _start_of(day, departement):
    return datetime.combine(day, time(), ZoneInfo(departement.timezone))


def members(departement):
    """The profiles of the network's active members."""
    return counted_advisors().filter(departement=departement)


def _named(queryset, viewer):
    """The profiles ``viewer`` may see (the site's rule: a coordinator sees all of her network's)."""
    return queryset.filter(pk__in=Advisor.objects.visible_to(viewer).values("pk"))


# Members over time.


@dataclass
class Month:
    start: object  # a date, the first day of the month
    joined: int
    gone: int
    active: int


def departures_recorded_since(departement):
    """From when departures are counted: when the migration creating ``Departure`` was applied, or the
    first departure recorded if it is older (imported or demo data)."""
    applied = (
        MigrationRecorder.Migration.objects.filter(app="animation", name=DEPARTURES_MIGRATION)
        .values_list("applied", flat=True)
        .first()
    )
    first = Departure.objects.filter(departement=departement).aggregate(first=Min("left_at"))["first"]
    return min(moment for moment in (applied, first) if moment is not None) if applied or first else None


def membership_months(departement, *, now=None):
    """The last ``MONTHS_SHOWN`` months, oldest first: the members who joined in each month (memberships
    decided active, of people still here or gone since), those who left (``Departure``), and the
    members active at its end. Three queries.

    The members active at the end of a month: the current members who had joined by then, and the
    departed ones who had joined by then and left after it. Before departures were recorded, people
    who left are missing from both."""
    today = local_now(departement, now)
    tz = ZoneInfo(departement.timezone)
    first = months_ago(today.replace(day=1), MONTHS_SHOWN - 1).replace(day=1)
    since = _start_of(first, departement)
    active = Membership.objects.active().in_departement(departement)
    joined = {
        moment.date(): n
        for moment, n in active.filter(decided_at__gte=since)
        .annotate(month=TruncMonth("decided_at", tzinfo=tz))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    }
    before = active.filter(Q(decided_at__lt=since) | Q(decided_at__isnull=True)).count()
    departures = list(
        Departure.objects.filter(departement=departement, left_at__gte=since).values_list("joined_at", "left_at")
    )
    starts = []
    for index in range(MONTHS_SHOWN + 1):
        year, month = divmod(first.year * 12 + first.month - 1 + index, 12)
        starts.append(first.replace(year=year, month=month + 1))
    months, running = [], before
    for start, end in zip(starts, starts[1:], strict=False):
        end_moment = _start_of(end, departement)
        start_moment = _start_of(start, departement)
        running += joined.get(start, 0)
        here_then = sum(
            1
            for joined_at, left_at in departures
            if (joined_at is None or joined_at < end_moment) and left_at >= end_moment
        )
        months.append(
            Month(
                start=start,
                joined=joined.get(start, 0)
                + sum(
                    1
                    for joined_at, _ in departures
                    if joined_at is not None and start_moment <= joined_at < end_moment
                ),
                gone=sum(1 for _, left_at in departures if start_moment <= left_at < end_moment),
                active=running + here_then,
            )
        )
    return months


def departures(departement, *, now=None):
    """The departures of the last ``MONTHS_SHOWN`` months, the latest first: dates, no person."""
    today = local_now(departement, now)
    first = months_ago(today.replace(day=1), MONTHS_SHOWN - 1).replace(day=1)
    return Departure.objects.filter(departement=departement, left_at__gte=_start_of(first, departement)).order_by(
        "-left_at", "-pk"
    )


def arrivals(departement, viewer, *, now=None):
    """The memberships decided active in the last ``MONTHS_SHOWN`` months, the latest first, each with
    the person's profile when the viewer may see it."""
    today = local_now(departement, now)
    first = months_ago(today.replace(day=1), MONTHS_SHOWN - 1).replace(day=1)
    profiles = Advisor.objects.visible_to(viewer).filter(user=OuterRef("user"))
    return (
        Membership.objects.active()
        .in_departement(departement)
        .filter(decided_at__gte=_start_of(first, departement))
        .select_related("user")
        .annotate(profile_id=Subquery(profiles.values("pk")[:1]))
        .order_by("-decided_at", "pk")
    )


# Profiles not updated.


def stale_profiles(departement, viewer, *, months, now=None):
    """The members' profiles not updated for ``months`` months, the oldest update first, each with its
    last reminder (``last_reminder``)."""
    since = _start_of(months_ago(local_now(departement, now), months), departement)
    last = ProfileReminder.objects.filter(advisor=OuterRef("pk")).order_by("-created_at").values("created_at")[:1]
    return (
        _named(members(departement), viewer)
        .filter(updated_at__lt=since)
        .select_related("user", "structure")
        .annotate(last_reminder=Subquery(last))
        .order_by("updated_at", "pk")
    )


# Newcomers.


def newcomers(departement, viewer, *, now=None):
    """The members who arrived in the last ``NEWCOMER_MONTHS`` months (their arrival date; without one,
    the decision on their membership: someone in the network for years who joins Maillage today is no
    newcomer), the latest first, with ``came`` (present at a past event, or
    registered and not marked absent), ``coming`` (registered to an upcoming one) and ``joined_at``."""
    moment = now or timezone.now()
    start = months_ago(local_now(departement, now), NEWCOMER_MONTHS)
    decided = Membership.objects.active().filter(user=OuterRef("user"), departement=departement)
    registrations = Registration.objects.filter(user=OuterRef("user"), status=RegistrationStatus.CONFIRMED)
    came = registrations.filter(event__ends_at__lt=moment).exclude(attendance=Attendance.ABSENT)
    coming = registrations.filter(event__ends_at__gte=moment).exclude(event__status=EventStatus.CANCELLED)
    return (
        _named(members(departement), viewer)
        .annotate(joined_at=Subquery(decided.values("decided_at")[:1]))
        .filter(
            Q(arrival_date__gte=start) | Q(arrival_date__isnull=True, joined_at__gte=_start_of(start, departement))
        )
        .select_related("user", "structure")
        .annotate(came=Exists(came), coming=Exists(coming))
        .order_by(F("arrival_date").desc(nulls_last=True), "-joined_at", "pk")
    )


# Contributors.


def _count(queryset):
    """How many rows of ``queryset`` (correlated with ``OuterRef``), as a scalar subquery: a bare
    ``COUNT`` (``values(n=Count(…))`` would group by the rows themselves and count 1)."""
    return Coalesce(
        Subquery(queryset.order_by().values(n=Func(F("pk"), function="COUNT")), output_field=IntegerField()),
        Value(0),
    )


def contributions(departement, viewer, *, now=None):
    """Every member's contributions of the last ``CONTRIBUTION_MONTHS`` months: events organised
    (accepted organiser of a published event that started since), resources published (as an author),
    project cards posted, orientations sent and received (``n_events``, ``n_resources``, ``n_cards``,
    ``n_sent``, ``n_received``); ``total`` their sum. Counted in SQL, one
    correlated count per kind: one query for the whole network."""
    since = _start_of(months_ago(local_now(departement, now), CONTRIBUTION_MONTHS), departement)
    events = Organiser.objects.filter(
        advisor=OuterRef("pk"), status=OrganiserStatus.ACCEPTED, event__starts_at__gte=since
    ).exclude(event__status=EventStatus.DRAFT)
    resources = Resource.authors.through.objects.filter(
        advisor=OuterRef("pk"), resource__status=ResourceStatus.PUBLISHED, resource__published_at__gte=since
    )
    cards = ProjectCard.objects.filter(author=OuterRef("pk"), created_at__gte=since)
    sent = Orientation.objects.filter(sender=OuterRef("user"), created_at__gte=since)
    received = Orientation.objects.filter(receiver_advisor=OuterRef("pk"), created_at__gte=since)
    return (
        _named(members(departement), viewer)
        .select_related("user", "structure")
        .annotate(
            n_events=_count(events),
            n_resources=_count(resources),
            n_cards=_count(cards),
            n_sent=_count(sent),
            n_received=_count(received),
        )
        .annotate(total=F("n_events") + F("n_resources") + F("n_cards") + F("n_sent") + F("n_received"))
    )


def contributors(departement, viewer, *, now=None):
    return contributions(departement, viewer, now=now).filter(total__gt=0).order_by("-total", "pk")


def quiet_members(departement, viewer, *, now=None):
    return contributions(departement, viewer, now=now).filter(total=0).order_by(*Advisor._meta.ordering, "pk")


@dataclass
class ContributionSummary:
    members: int
    contributors: int
    total: int
    # The fewest members who make ``CONTRIBUTION_SHARE`` % of the contributions.
    core: int

    @property
    def quiet(self):
        return self.members - self.contributors

    @property
    def core_percent(self):
        return round(100 * self.core / self.members) if self.members else 0

    @property
    def contributors_percent(self):
        return round(100 * self.contributors / self.members) if self.members else 0

    @property
    def quiet_percent(self):
        return 100 - self.contributors_percent if self.members else 0


def contribution_summary(departement, viewer, *, now=None):
    """How concentrated contributions are: one query (every member's total, largest first)."""
    totals = list(contributions(departement, viewer, now=now).order_by("-total").values_list("total", flat=True))
    total = sum(totals)
    core, running = 0, 0
    for value in totals:
        if total == 0 or running * 100 >= CONTRIBUTION_SHARE * total:
            break
        running += value
        core += 1
    return ContributionSummary(
        members=len(totals), contributors=sum(1 for value in totals if value), total=total, core=core
    )


# Skills: reuses the skills map (two queries).


def skills_of(departement):
    return skill_map(Territory(departement=departement))


# Coverage: the coverage page's figures for the département, with the page's default settings.


@dataclass
class CoverageAlert:
    zones_blanches: int
    zones_blanches_population: int
    empilements: int
    empilements_population: int
    communes: int
    url: str
    # Each service's coverage page (a link each: computing nine coverages would cost nine times the page).
    services: list


def coverage_alert(departement, viewer):
    """The zones blanches and empilements of ``departement`` as the coverage page counts them by
    default (all services, 15 km, 3 structures). Five queries and a few milliseconds for the Loire's
    320 communes: the département's coverage, not the national one."""
    result = coverage(territory_communes(departement), viewer=viewer)
    blank, piled = result.totals[CoverageClass.ZONE_BLANCHE], result.totals[CoverageClass.EMPILEMENT]
    url = f"{reverse('overview:coverage')}?territoire={departement.code}"
    services = Domain.objects.filter(kind=DomainKind.SERVICE).order_by("position").values_list("name", "slug")
    return CoverageAlert(
        zones_blanches=blank.communes,
        zones_blanches_population=blank.population,
        empilements=piled.communes,
        empilements_population=piled.population,
        communes=len(result.rows),
        url=url,
        services=[(name, f"{url}&service={slug}") for name, slug in services],
    )


# Events to reinforce.


@dataclass
class EventNeed:
    event: Event
    animators_missing: int
    registered: int

    @property
    def fill_percent(self):
        capacity = self.event.capacity
        return round(100 * self.registered / capacity) if capacity else None

    @property
    def low_registrations(self):
        if self.event.capacity:
            return self.registered * 100 < LOW_FILL_PERCENT * self.event.capacity
        return self.registered == 0


def events_to_reinforce(departement, *, now=None):
    """The published upcoming events of the next ``EVENT_HORIZON_DAYS`` days that lack animators (a
    slot with fewer sign-ups than wanted) or registrations. Two queries."""
    moment = now or timezone.now()
    confirmed = Registration.objects.filter(
        event=OuterRef("pk"), slot__isnull=True, status=RegistrationStatus.CONFIRMED
    )
    events = list(
        Event.objects.in_departement(departement)
        .filter(
            status=EventStatus.PUBLISHED,
            starts_at__gte=moment,
            starts_at__lt=moment + timedelta(days=EVENT_HORIZON_DAYS),
        )
        .select_related("commune")
        .annotate(registered=_count(confirmed))
        .order_by("starts_at", "pk")
    )
    signups = AnimatorSignup.objects.filter(slot=OuterRef("pk"))
    missing = {}
    slots = (
        Slot.objects.filter(event__in=[event.pk for event in events])
        .annotate(signed=_count(signups))
        .values_list("event_id", "animators_wanted", "signed")
    )
    for event_id, wanted, signed in slots:
        missing[event_id] = missing.get(event_id, 0) + max(wanted - signed, 0)
    needs = [
        EventNeed(event=event, animators_missing=missing.get(event.pk, 0), registered=event.registered)
        for event in events
    ]
    return [need for need in needs if need.animators_missing or need.low_registrations]


def reminder_counts(departement):
    """How many reminders went out, and when the last one did."""
    return ProfileReminder.objects.filter(departement=departement).aggregate(n=Count("pk"), last=Max("created_at"))
