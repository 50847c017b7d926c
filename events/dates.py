"""Dates and times of events said in French, with no-break spaces so that a date never splits across
two lines: « 14 h 30 », « mardi 8 décembre 2026 », « 1er juin 2027 », « 28 novembre 2026 à 14 h ».

The labels read a moment as it is given: pass a local one (``timezone.localtime(moment, event.tzinfo)``),
or the moment and the zone to ``moment_label``. Every page, email and message of the events app says
its dates through these, so that they all read the same.
"""

from django.utils import timezone
from django.utils.formats import date_format

NBSP = "\u00a0"


def time_label(moment):
    """« 9 h », « 14 h 30 », of a ``time`` or a local ``datetime``."""
    return f"{moment.hour}{NBSP}h" + (f"{NBSP}{moment.minute:02d}" if moment.minute else "")


def date_label(day, *, year=True):
    """« 30 juin 2027 », « 1er juin 2027 »; « 1er juin » without the year."""
    ordinal = "er" if day.day == 1 else ""
    return f"{day.day}{ordinal} {date_format(day, 'F Y' if year else 'F')}"


def day_label(day):
    """« mardi 8 décembre 2026 », « lundi 1er mars 2027 »."""
    return f"{date_format(day, 'l')} {date_label(day)}"


def moment_label(moment, tzinfo, *, weekday=False):
    """« 28 novembre 2026 à 14 h », « 3 mars 2027 à 9 h 30 » (« mercredi 3 mars 2027 à 9 h 30 » with
    ``weekday``): ``moment`` read in ``tzinfo``."""
    local = timezone.localtime(moment, tzinfo)
    return f"{day_label(local) if weekday else date_label(local)} à {time_label(local)}"


def time_range(starts_at, ends_at, tzinfo):
    """« de 14 h à 15 h » on one day; « du 28 novembre à 9 h au 29 novembre à 17 h » across days."""
    start, end = timezone.localtime(starts_at, tzinfo), timezone.localtime(ends_at, tzinfo)
    if start.date() == end.date():
        return f"de {time_label(start)} à {time_label(end)}"
    return (
        f"du {date_label(start, year=False)} à {time_label(start)} "
        f"au {date_label(end, year=False)} à {time_label(end)}"
    )


def event_span(event):
    """« samedi 28 novembre 2026 de 9 h à 18 h », or « du 28 novembre à 9 h au 29 novembre à 17 h »."""
    tzinfo = event.tzinfo
    start, end = timezone.localtime(event.starts_at, tzinfo), timezone.localtime(event.ends_at, tzinfo)
    span = time_range(event.starts_at, event.ends_at, tzinfo)
    return f"{day_label(start)} {span}" if start.date() == end.date() else span
