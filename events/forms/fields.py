"""What every form of an event shares about dates and times typed in the département's wall-clock time.

Two things go wrong with a date and a time typed by hand: a time skipped by the change to summer time
(« 28/03/2027 02:30 » in Paris) that ``datetime.combine(…, tzinfo=…)`` would accept and later store as
another hour, and a year typed wrong (« 0001 », « 9999 ») that the calendar, the programme grid and
the iCalendar files cannot compute with. Both are caught here, as an error next to the field.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from events.dates import date_label

SKIPPED_TIME = "Cette heure n’existe pas ce jour-là (passage à l’heure d’été)."
# An event recorded afterwards may be up to a year old; further ahead than five years is a typing slip.
DAYS_BACK, YEARS_AHEAD = 365, 5


def wall_clock(day, moment, tzinfo):
    """The aware datetime of ``moment`` on ``day`` in ``tzinfo``; ``None`` when the change to summer
    time skips that wall-clock time (it does not survive a round trip through UTC)."""
    naive = datetime.datetime.combine(day, moment)
    aware = naive.replace(tzinfo=tzinfo)
    if timezone.localtime(aware.astimezone(datetime.UTC), tzinfo).replace(tzinfo=None) != naive:
        return None
    return aware


def date_bounds(today=None):
    """The first and last days an event may be set on."""
    today = today or timezone.localdate()
    last = today.replace(year=today.year + YEARS_AHEAD) if (today.month, today.day) != (2, 29) else today
    return today - datetime.timedelta(days=DAYS_BACK), last


def check_date(day):
    """Raise a ``ValidationError`` (in French) when ``day`` (a date, or a datetime's date) is outside
    ``date_bounds``."""
    if isinstance(day, datetime.datetime):
        day = day.date()
    first, last = date_bounds()
    if not first <= day <= last:
        raise ValidationError(
            f"Choisissez une date entre le {date_label(first)} et le {date_label(last)}.", code="out_of_range"
        )


def local_span(form, day, start, end, tzinfo, *, fields):
    """``{"starts_at": …, "ends_at": …}`` for ``start`` and ``end`` on ``day`` in ``tzinfo``, or ``{}``
    with the errors added to ``form`` next to ``fields`` (the start's, the end's): a time skipped by the
    change to summer time, an end not after the start once both are real instants."""
    starts_at, ends_at = wall_clock(day, start, tzinfo), wall_clock(day, end, tzinfo)
    for name, moment in zip(fields, (starts_at, ends_at), strict=True):
        if moment is None:
            form.add_error(name, SKIPPED_TIME)
    if starts_at is None or ends_at is None:
        return {}
    # Aware datetimes of one zone compare as wall-clock times: compare the instants.
    if ends_at.astimezone(datetime.UTC) <= starts_at.astimezone(datetime.UTC):
        form.add_error(fields[1], "L’heure de fin doit être après l’heure de début.")
        return {}
    return {"starts_at": starts_at, "ends_at": ends_at}
