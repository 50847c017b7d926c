"""Opening hours of a lieu: the OpenStreetMap ``opening_hours`` string, a French weekly summary
and the "ouvert maintenant / fermé — ouvre mardi à 9 h" status.

Pure logic over slots, i.e. anything with ``weekday`` (0 = lundi), ``opens`` and ``closes``
(``datetime.time``); the status is computed in the time zone given, which for a lieu is the
time zone of its département (Indian/Reunion for La Réunion).
"""

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from advisors.enums import Weekday

OSM_DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
DAY_NAMES = [label for _, label in Weekday.choices]
CLOSED = "fermé"


def french_time(value):
    """``9 h``, ``14 h 30``, ``9 h 05``: the French way of writing a time of day."""
    if value.minute:
        return f"{value.hour} h {value.minute:02d}"
    return f"{value.hour} h"


def _ranges_by_day(slots):
    """Seven sorted lists of (opens, closes), duplicates removed, Monday first."""
    days = [set() for _ in range(7)]
    for slot in slots:
        days[slot.weekday].add((slot.opens, slot.closes))
    return [sorted(ranges) for ranges in days]


def _merged(ranges):
    """Ranges that touch or overlap become one: 9–12 and 12–14 is "open from 9 to 14"."""
    merged = []
    for opens, closes in ranges:
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return merged


def _osm_days(days):
    """``[0, 1, 2, 4]`` → ``Mo-We,Fr``; two days in a row stay a list (``Mo,Tu``)."""
    runs = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{OSM_DAYS[run[0]]}-{OSM_DAYS[run[-1]]}")
        else:
            parts.extend(OSM_DAYS[day] for day in run)
    return ",".join(parts)


def osm_opening_hours(slots):
    """The OpenStreetMap ``opening_hours`` value, e.g. ``Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00``.

    Days with the same hours share one rule; days without any slot are closed, which is
    what OpenStreetMap assumes of days no rule mentions. No slot at all gives ``""``.
    """
    rules = {}  # hours → days, in the order of their first day
    for weekday, ranges in enumerate(_ranges_by_day(slots)):
        if ranges:
            hours = ",".join(f"{opens:%H:%M}-{closes:%H:%M}" for opens, closes in ranges)
            rules.setdefault(hours, []).append(weekday)
    return "; ".join(f"{_osm_days(days)} {hours}" for hours, days in rules.items())


@dataclass(frozen=True)
class DayHours:
    weekday: int
    name: str
    hours: str  # "9 h – 12 h, 14 h – 17 h" or "fermé"

    @property
    def is_closed(self):
        return self.hours == CLOSED

    def __str__(self):
        return f"{self.name} : {self.hours}"


def week_summary(slots):
    """Seven lines, Monday first: ``lundi : 9 h – 12 h, 14 h – 17 h``, ``dimanche : fermé``."""
    return [
        DayHours(
            weekday=weekday,
            name=DAY_NAMES[weekday],
            hours=", ".join(f"{french_time(opens)} – {french_time(closes)}" for opens, closes in ranges) or CLOSED,
        )
        for weekday, ranges in enumerate(_ranges_by_day(slots))
    ]


@dataclass(frozen=True)
class Status:
    """Whether a lieu is open at a moment, and when that changes. ``is_open`` is None without hours."""

    is_open: bool | None
    label: str
    changes_at: datetime | None = None

    def __str__(self):
        return self.label


UNKNOWN = Status(is_open=None, label="Horaires non renseignés")


def status_at(slots, when, tz="Europe/Paris"):
    """The status at the aware datetime ``when``, read on the clocks of the time zone ``tz``.

    "Ouvert maintenant — ferme à 12 h", "Fermé — ouvre aujourd’hui à 14 h", "… demain à 9 h 30",
    "… mardi à 9 h", "… lundi prochain à 9 h" (open only on the same weekday, earlier today), or
    "Horaires non renseignés" without any slot.
    """
    zone = zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz
    local = when.astimezone(zone)
    days = [_merged(ranges) for ranges in _ranges_by_day(slots)]
    if not any(days):
        return UNKNOWN
    today, now = local.weekday(), local.time()
    for opens, closes in days[today]:
        if opens <= now < closes:
            return Status(
                is_open=True,
                label=f"Ouvert maintenant — ferme à {french_time(closes)}",
                changes_at=datetime.combine(local.date(), closes, tzinfo=zone),
            )
    for offset in range(8):
        weekday = (today + offset) % 7
        for opens, _closes in days[weekday]:
            if offset == 0 and opens <= now:
                continue
            if offset == 0:
                when_text = "aujourd’hui"
            elif offset == 1:
                when_text = "demain"
            elif offset == 7:
                when_text = f"{DAY_NAMES[weekday]} prochain"
            else:
                when_text = DAY_NAMES[weekday]
            return Status(
                is_open=False,
                label=f"Fermé — ouvre {when_text} à {french_time(opens)}",
                changes_at=datetime.combine(local.date() + timedelta(days=offset), opens, tzinfo=zone),
            )
    raise AssertionError("a week with at least one slot always has a next opening")  # pragma: no cover


def lieu_status(lieu, when):
    """The status of a lieu whose ``opening_slots`` are prefetched and ``departement`` loaded."""
    return status_at(lieu.opening_slots.all(), when, lieu.departement.timezone)


def parse_time(text):
    """What people type for a time of day: ``9``, ``9h``, ``9 h 30``, ``09:30``, ``9.30``. None if not a time."""
    cleaned = text.strip().lower().replace(" ", "")
    for separator in ("h", ":", "."):
        if separator in cleaned:
            hours, _, minutes = cleaned.partition(separator)
            break
    else:
        hours, minutes = cleaned, ""
    if not hours.isdigit() or len(hours) > 2 or (minutes and (not minutes.isdigit() or len(minutes) != 2)):
        return None
    hour, minute = int(hours), int(minutes or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)
