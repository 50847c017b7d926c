"""Opening hours of a lieu: the OpenStreetMap ``opening_hours`` string, a French weekly summary
and the "ouvert maintenant / fermé — ouvre mardi à 9 h" status.

Pure logic over slots, i.e. anything with ``weekday`` (0 = lundi), ``opens`` and ``closes``
(``datetime.time``), and closures, anything with ``starts_on``, ``ends_on`` (both days closed) and
``reason``; the status is computed in the time zone given, which for a lieu is the time zone of its
département (Indian/Reunion for La Réunion), and skips the public holidays of that département
(Alsace-Moselle and the overseas départements have their own).
"""

import functools
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import holidays

from advisors.enums import Weekday

OSM_DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
DAY_NAMES = [label for _, label in Weekday.choices]
CLOSED = "fermé"


MONTH_NAMES = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
OSM_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# The subdivisions of the ``holidays`` package's France calendar (version 0.109) that have public holidays of
# their own: Moselle (57) and Alsace (« 6AE »: Bas-Rhin 67, Haut-Rhin 68) with Vendredi saint and the
# Saint-Étienne (26 décembre), the overseas départements with the abolition of slavery and their own days.
# Every other département keeps the national calendar.
HOLIDAY_SUBDIVISIONS = {
    "57": "57",
    "67": "6AE",
    "68": "6AE",
    "971": "971",
    "972": "972",
    "973": "973",
    "974": "974",
    "976": "976",
}
# Years the calendar is asked about; the dates a lieu's hours meet are near today.
HOLIDAY_YEARS = range(1900, 2200)


@functools.lru_cache(maxsize=1024)
def _public_holidays(departement_code, year):
    if year not in HOLIDAY_YEARS:
        return {}
    calendar = holidays.country_holidays(
        "FR", subdiv=HOLIDAY_SUBDIVISIONS.get(departement_code), years=year, language="fr", categories="public"
    )
    return dict(calendar)


def public_holiday(departement_code, day):
    """The name of the public holiday ``day`` is in département ``departement_code`` (« Noël »,
    « Saint-Étienne » in 67, « Abolition de l’esclavage » on 20 December in 974), or None."""
    name = _public_holidays(departement_code, day.year).get(day)
    return name.replace("'", "’") if name else None


def public_holidays_between(departement_code, first, last):
    """``[(day, name), …]``: the public holidays of the département from ``first`` to ``last`` included."""
    found = []
    for year in range(first.year, last.year + 1):
        for day, name in sorted(_public_holidays(departement_code, year).items()):
            if first <= day <= last:
                found.append((day, name.replace("'", "’")))
    return found


def french_date(day, *, weekday=False, year=False):
    """« 2 janvier », « 1er mai », « vendredi 2 janvier », « 2 janvier 2027 »."""
    text = f"{day.day}{'er' if day.day == 1 else ''} {MONTH_NAMES[day.month - 1]}"
    if weekday:
        text = f"{DAY_NAMES[day.weekday()]} {text}"
    if year:
        text = f"{text} {day.year}"
    return text


def closure_label(closure, *, today=None):
    """« Fermé du lundi 22 décembre au vendredi 2 janvier — congés de fin d’année »; « Fermé le … » for one day.
    The year shows when the closure is not within the coming months of ``today``."""
    far = today is None or closure.ends_on.year > today.year + 1 or closure.ends_on - today > timedelta(days=300)
    starts = french_date(closure.starts_on, weekday=True, year=far and closure.starts_on.year != closure.ends_on.year)
    ends = french_date(closure.ends_on, weekday=True, year=far)
    text = f"Fermé le {ends}" if closure.starts_on == closure.ends_on else f"Fermé du {starts} au {ends}"
    return f"{text} — {closure.reason}" if closure.reason else text


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


def _osm_date(day):
    return f"{day.year:04d} {OSM_MONTHS[day.month - 1]} {day.day:02d}"


def osm_opening_hours(slots, closures=(), *, today=None):
    """The OpenStreetMap ``opening_hours`` value, e.g.
    ``Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00; PH off; 2026 Dec 22-2027 Jan 02 off``.

    Days with the same hours share one rule; days without any slot are closed, which is
    what OpenStreetMap assumes of days no rule mentions. Public holidays are closed (``PH off``),
    and so are the ``closures`` not over on ``today`` (all of them without ``today``), each as a
    date range after the weekly rules, which it overrides. No slot at all gives ``""``.
    """
    rules = {}  # hours → days, in the order of their first day
    for weekday, ranges in enumerate(_ranges_by_day(slots)):
        if ranges:
            hours = ",".join(f"{opens:%H:%M}-{closes:%H:%M}" for opens, closes in ranges)
            rules.setdefault(hours, []).append(weekday)
    if not rules:
        return ""
    parts = [f"{_osm_days(days)} {hours}" for hours, days in rules.items()]
    parts.append("PH off")
    for closure in sorted(closures, key=lambda closure: (closure.starts_on, closure.ends_on)):
        if today is not None and closure.ends_on < today:
            continue
        if closure.starts_on == closure.ends_on:
            parts.append(f"{_osm_date(closure.starts_on)} off")
        else:
            parts.append(f"{_osm_date(closure.starts_on)}-{_osm_date(closure.ends_on)} off")
    return "; ".join(parts)


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
# How far the next opening is looked for: a closure lasts a year at most, holidays a few days.
LOOKAHEAD_DAYS = 400


def _closure_on(closures, day):
    """The closure covering ``day`` that ends last, or None."""
    covering = [closure for closure in closures if closure.starts_on <= day <= closure.ends_on]
    return max(covering, key=lambda closure: closure.ends_on, default=None)


def _opening_word(offset, day):
    if offset == 0:
        return "aujourd’hui"
    if offset == 1:
        return "demain"
    if offset < 7:
        return DAY_NAMES[day.weekday()]
    if offset == 7:
        return f"{DAY_NAMES[day.weekday()]} prochain"
    return f"le {french_date(day, weekday=True)}"


def status_at(slots, when, tz="Europe/Paris", *, departement_code=None, closures=()):
    """The status at the aware datetime ``when``, read on the clocks of the time zone ``tz``.

    "Ouvert maintenant — ferme à 12 h", "Fermé — ouvre aujourd’hui à 14 h", "… demain à 9 h 30",
    "… mardi à 9 h", "… lundi prochain à 9 h" (open only on the same weekday, earlier today),
    "… le lundi 4 janvier à 9 h" (after holidays or a closure), or "Horaires non renseignés"
    without any slot. On a public holiday of département ``departement_code`` (None: no holidays),
    "Fermé — jour férié (Noël)"; during one of the ``closures``, "Fermé jusqu’au 2 janvier — congés
    de fin d’année". The next opening skips both.
    """
    zone = zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz
    local = when.astimezone(zone)
    days = [_merged(ranges) for ranges in _ranges_by_day(slots)]
    if not any(days):
        return UNKNOWN
    closures = list(closures)
    today, now = local.date(), local.time()

    def closed_on(day):
        return _closure_on(closures, day) or (departement_code and public_holiday(departement_code, day))

    def next_opening():
        for offset in range(LOOKAHEAD_DAYS):
            try:
                day = today + timedelta(days=offset)
            except OverflowError:
                return None, None
            if closed_on(day):
                continue
            for opens, _closes in days[day.weekday()]:
                if offset == 0 and opens <= now:
                    continue
                return offset, datetime.combine(day, opens, tzinfo=zone)
        return None, None

    closure = _closure_on(closures, today)
    holiday = departement_code and public_holiday(departement_code, today)
    if closure is not None or holiday:
        _offset, reopens = next_opening()
        if closure is not None:
            far = closure.ends_on - today > timedelta(days=300)
            label = f"Fermé jusqu’au {french_date(closure.ends_on, year=far)}"
            if closure.reason:
                label = f"{label} — {closure.reason}"
        else:
            label = f"Fermé — jour férié ({holiday})"
        return Status(is_open=False, label=label, changes_at=reopens)
    for opens, closes in days[today.weekday()]:
        if opens <= now < closes:
            return Status(
                is_open=True,
                label=f"Ouvert maintenant — ferme à {french_time(closes)}",
                changes_at=datetime.combine(today, closes, tzinfo=zone),
            )
    offset, reopens = next_opening()
    if reopens is None:
        return Status(is_open=False, label="Fermé")
    return Status(
        is_open=False,
        label=f"Fermé — ouvre {_opening_word(offset, reopens.date())} à {french_time(reopens.time())}",
        changes_at=reopens,
    )


def lieu_status(lieu, when):
    """The status of a lieu whose ``opening_slots`` and ``closures`` (those not over, at least) are prefetched
    and ``departement`` loaded: its holidays are those of its département."""
    return status_at(
        lieu.opening_slots.all(),
        when,
        lieu.departement.timezone,
        departement_code=lieu.departement_id,
        closures=lieu.closures.all(),
    )


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
