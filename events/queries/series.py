"""Reads about recurring events: their rule (RRULE) checked, expanded to dates, and said in French.

A rule is computed in the département's wall-clock time: the dates come out of ``dateutil.rrule``
as naive local datetimes, and only then get the zone. So « le 2e mardi du mois à 10 h » stays at
10 h in Saint-Étienne across both daylight-saving changes, and at 10 h in La Réunion for a 974
café-visio.
"""

import zoneinfo
from datetime import datetime, time, timedelta

from dateutil.rrule import rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.dates import date_label, time_label

# The frequencies a series may use: a rule every hour would flood the calendar.
ALLOWED_FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
# The time of day comes from the series (start_time), the end from its own date (until).
FORBIDDEN_PARTS = {"BYHOUR", "BYMINUTE", "BYSECOND", "COUNT", "UNTIL", "DTSTART"}
# Never more occurrences than this from one extension: a safety net against a rule run wild.
MAX_OCCURRENCES = 400

WEEKDAYS = {
    "MO": "lundi",
    "TU": "mardi",
    "WE": "mercredi",
    "TH": "jeudi",
    "FR": "vendredi",
    "SA": "samedi",
    "SU": "dimanche",
}
WEEKDAY_CODES = list(WEEKDAYS)  # Monday first, as date.weekday()


def rule_parts(rule):
    """``{"FREQ": "MONTHLY", "BYDAY": "+2TU"}`` from ``"FREQ=MONTHLY;BYDAY=+2TU"`` (upper case)."""
    parts = {}
    for chunk in rule.upper().removeprefix("RRULE:").split(";"):
        name, _, value = chunk.strip().partition("=")
        if name:
            parts[name] = value
    return parts


def rule_normalise(rule):
    """The rule as stored: upper case, no ``RRULE:`` prefix, no spaces; ``ValidationError`` (French)
    when it is not a rule a series can use."""
    rule = "".join((rule or "").split()).upper().removeprefix("RRULE:")
    if not rule or len(rule) > 200 or "\x00" in rule:
        raise ValidationError("La règle de récurrence est vide ou trop longue.")
    parts = rule_parts(rule)
    if parts.get("FREQ") not in ALLOWED_FREQUENCIES:
        raise ValidationError("La règle doit se répéter chaque jour, semaine, mois ou année.")
    if FORBIDDEN_PARTS & parts.keys():
        raise ValidationError("L’heure et la date de fin se choisissent à part, pas dans la règle.")
    try:
        rrulestr(f"RRULE:{rule}", dtstart=datetime(2026, 1, 1, 10))
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as error:
        raise ValidationError("Cette règle de récurrence n’est pas comprise.") from error
    return rule


def occurrence_dates(series, *, after=None, until):
    """The local dates of ``series`` from ``after`` (excluded; its first day when ``None``) to
    ``until`` (included, and never past ``series.until``), at most ``MAX_OCCURRENCES``."""
    last = min(until, series.until) if series.until else until
    first = series.starts_on if after is None else max(series.starts_on, after + timedelta(days=1))
    if last < first:
        return []
    recurrence = rrulestr(f"RRULE:{series.rule}", dtstart=datetime.combine(series.starts_on, series.start_time))
    dates = []
    for moment in recurrence.xafter(datetime.combine(first, time.min), inc=True):
        if moment.date() > last or len(dates) >= MAX_OCCURRENCES:
            break
        dates.append(moment.date())
    return dates


def occurrence_start(series, day):
    """The aware start of the occurrence of ``day``: ``start_time`` on that day, in the département's
    zone (a time skipped by the spring change moves forward by the gap, as clocks do)."""
    zone = zoneinfo.ZoneInfo(series.departement.timezone)
    wall = datetime.combine(day, series.start_time, tzinfo=zone)
    # A round trip through UTC settles a wall time that does not exist (02:30 on the March change).
    return wall.astimezone(zoneinfo.ZoneInfo("UTC")).astimezone(zone)


def _ordinal(position):
    if position == -1:
        return "dernier"
    if position == -2:
        return "avant-dernier"
    return "1er" if position == 1 else f"{position}e"


def _byday(value):
    """``"+2TU"`` → ``(2, "TU")``, ``"TU"`` → ``(None, "TU")``; ``None`` when it is not one weekday."""
    code = value[-2:]
    if code not in WEEKDAYS or "," in value:
        return None
    number = value[:-2]
    try:
        return (int(number) if number else None), code
    except ValueError:
        return None


def rule_label(rule):
    """The rule said in French: « chaque semaine le mardi », « le 2e mardi du mois »; ``None`` for a
    rule that has no simple French phrase."""
    parts = rule_parts(rule)
    frequency, interval = parts.get("FREQ"), parts.get("INTERVAL", "1")
    byday = _byday(parts["BYDAY"]) if "BYDAY" in parts else None
    known = set(parts) - {"FREQ", "INTERVAL", "BYDAY", "WKST"}
    if known or byday is None:
        return None
    position, code = byday
    day = WEEKDAYS[code]
    if frequency == "WEEKLY" and position is None:
        return {"1": f"chaque semaine le {day}", "2": f"toutes les deux semaines le {day}"}.get(interval)
    if frequency == "MONTHLY" and position is not None and interval == "1" and -5 <= position <= 5 and position:
        return f"le {_ordinal(position)} {day} du mois"
    return None


def series_label(series):
    """« le 2e mardi du mois à 10 h », « chaque semaine le jeudi à 14 h 30 jusqu’au 30 juin 2027 »: what
    the event page says after « Fait partie d’une série : »."""
    label = f"{rule_label(series.rule) or 'selon la règle ' + series.rule} à {time_label(series.start_time)}"
    if series.until:
        label += f" jusqu’au {date_label(series.until)}"
    return label


def horizon(today=None):
    """The last day up to which occurrences exist: today plus ``EVENTS_SERIES_HORIZON_DAYS``."""
    return (today or timezone.localdate()) + timedelta(days=settings.EVENTS_SERIES_HORIZON_DAYS)
