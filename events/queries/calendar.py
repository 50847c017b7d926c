"""Reads of the calendar: the lists of events, the month grid and the « Prochains événements » panels
of the overview pages."""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.enums import RegistrationStatus
from events.models import Event, Registration

# Past this many events in one month, the grid asks for a narrower filter rather than growing without bound.
MONTH_MAX_EVENTS = 300
# Events shown on a département page or « près de chez moi ».
PANEL_SIZE = 4


def with_places(queryset):
    """``confirmed_places``: the confirmed registrations to the event itself (not to one of its slots),
    counted in a subquery, so the rows are not multiplied. ``remaining_places`` reads it."""
    confirmed = (
        Registration.objects.filter(event=OuterRef("pk"), slot__isnull=True, status=RegistrationStatus.CONFIRMED)
        .order_by()
        .values("event")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return queryset.annotate(confirmed_places=Coalesce(Subquery(confirmed, output_field=IntegerField()), Value(0)))


def remaining_places(event):
    """Places left at an event with a capacity (never below zero), ``None`` without one."""
    if event.capacity is None:
        return None
    return max(event.capacity - event.confirmed_places, 0)


def calendar_events(user):
    """Every event of the calendar that ``user`` may see, with what an item of the list shows."""
    return with_places(Event.objects.visible_to(user).published().with_cards())


def upcoming_events(user, *, now=None):
    return calendar_events(user).upcoming(now).order_by("starts_at", "pk")


def past_events(user, *, now=None):
    return calendar_events(user).past(now).order_by("-starts_at", "-pk")


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    events: list = field(default_factory=list)


@dataclass
class Month:
    first: datetime.date
    weeks: list
    count: int
    truncated: bool

    @property
    def previous(self):
        return (self.first - datetime.timedelta(days=1)).replace(day=1)

    @property
    def next(self):
        return (self.first + datetime.timedelta(days=31)).replace(day=1)


def month_grid(events, first):
    """The weeks (Monday first) of the month starting on ``first``, each day with the events of
    ``events`` that take place on it in their département's local time (an event over several days
    shows on each of them)."""
    following = (first + datetime.timedelta(days=31)).replace(day=1)
    # Time zones of France run from UTC−4 to UTC+4: a day of margin on each side, the exact day in Python.
    since = datetime.datetime.combine(first - datetime.timedelta(days=1), datetime.time(), datetime.UTC)
    until = datetime.datetime.combine(following + datetime.timedelta(days=1), datetime.time(), datetime.UTC)
    rows = list(
        events.filter(starts_at__lt=until, ends_at__gt=since).order_by("starts_at", "pk")[: MONTH_MAX_EVENTS + 1]
    )
    truncated = len(rows) > MONTH_MAX_EVENTS
    rows = rows[:MONTH_MAX_EVENTS]

    weeks = [
        [Day(date, date.month == first.month) for date in week]
        for week in calendar.Calendar().monthdatescalendar(first.year, first.month)
    ]
    days = {day.date: day for week in weeks for day in week if day.in_month}
    shown = set()
    for event in rows:
        tzinfo = event.tzinfo
        start = event.starts_at.astimezone(tzinfo).date()
        # An event ending at midnight does not take place on the day that then begins.
        end = (event.ends_at.astimezone(tzinfo) - datetime.timedelta(microseconds=1)).date()
        date = max(start, first)
        while date <= end and date < following:
            days[date].events.append(event)
            shown.add(event.pk)
            date += datetime.timedelta(days=1)
    return Month(first=first, weeks=weeks, count=len(shown), truncated=truncated)


def parse_month(text):
    """``"2026-12"`` as the first day of that month; ``None`` for anything else."""
    year, dash, month = (text or "").partition("-")
    if not dash or not (year.isascii() and year.isdigit() and month.isascii() and month.isdigit()):
        return None
    return month_start(int(year), int(month))


def month_start(year, month):
    """The first day of the month, ``None`` outside 1900–2200 or for a month that is not 1–12."""
    if not (1900 <= year <= 2200 and 1 <= month <= 12):
        return None
    return datetime.date(year, month, 1)


def current_month():
    return timezone.localdate().replace(day=1)


def upcoming_in_departement(departement, user, *, limit=PANEL_SIZE):
    """The next events of a département the viewer may see, for its page."""
    return list(upcoming_events(user).serving(departement)[:limit])


def upcoming_near(commune, user, *, limit=PANEL_SIZE):
    """The next events serving a commune: those of its EPCI (placed in one of its communes or scoped to
    it, whatever their département) and those of its département."""
    condition = Q(departement_id=commune.departement_id)
    if commune.epci_id:
        condition |= Q(epci_id=commune.epci_id) | Q(commune__epci_id=commune.epci_id)
    return list(upcoming_events(user).filter(condition)[:limit])
