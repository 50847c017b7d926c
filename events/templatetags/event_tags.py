"""Dates and places of events. Dates in French, in the time zone of the event's département: an event in La Réunion
reads « 14 h » whoever looks at it.

``{{ event|when }}`` gives « mardi 8 décembre 2026, 10 h – 12 h » (or « du … à … au … à … » over several
days); ``{{ event|local_start }}`` is the start as a local datetime, for ``|date`` and ``<time>``.
"""

from django import template
from django.templatetags.tz import do_timezone

from events.dates import NBSP, day_label, time_label
from events.queries.calendar import remaining_places

register = template.Library()


def when(starts_at, ends_at, tzinfo):
    """The span of an event or of a slot, in ``tzinfo``."""
    start, end = starts_at.astimezone(tzinfo), ends_at.astimezone(tzinfo)
    if start.date() == end.date():
        return f"{day_label(start)}, {time_label(start)}{NBSP}– {time_label(end)}"
    return f"du {day_label(start)} à {time_label(start)} au {day_label(end)} à {time_label(end)}"


@register.filter(name="when")
def event_when(event):
    """``{{ event|when }}`` (an ``Event`` with its département loaded)."""
    return when(event.starts_at, event.ends_at, event.tzinfo)


@register.filter
def slot_when(slot, event):
    """``{{ slot|slot_when:event }}``: « 10 h – 11 h », the day left out when it is the event's."""
    tzinfo = event.tzinfo
    start, end = slot.starts_at.astimezone(tzinfo), slot.ends_at.astimezone(tzinfo)
    if start.date() == end.date() == event.starts_at.astimezone(tzinfo).date():
        return f"{time_label(start)}{NBSP}– {time_label(end)}"
    return when(slot.starts_at, slot.ends_at, tzinfo)


@register.filter
def local_start(event):
    return event.starts_at.astimezone(event.tzinfo)


@register.filter
def local_end(event):
    return event.ends_at.astimezone(event.tzinfo)


@register.filter
def start_hour(event):
    """« 14 h »: the local start hour, for the month grid."""
    return time_label(event.starts_at.astimezone(event.tzinfo))


@register.filter
def places_left(event):
    """Places left at an event with a capacity, from a list annotated by ``with_places``."""
    return remaining_places(event)


@register.filter
def in_zone(moment, event):
    """``{{ registration.created_at|in_zone:event|date:"j F Y" }}``: ``moment`` in the event's time zone, which
    ``|date`` keeps (a plain local datetime would be converted back to the page's zone, Paris unless told)."""
    return do_timezone(moment, event.tzinfo) if moment else moment
