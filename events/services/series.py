"""Recurring events: make an event the first of a series, and create its occurrences up to a horizon.

Each occurrence is a real ``Event`` (``series`` and ``occurrence_date`` set), so it can be edited or
cancelled alone through the normal event edit. Extending a series only ever creates the dates after
``generated_until`` that have no event yet: a cancelled occurrence stays cancelled, an edited one
keeps its edits, a deleted one does not come back.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q

from events.enums import EventStatus, OrganiserStatus
from events.models import Event, EventSeries, Organiser, Slot
from events.queries.series import horizon, occurrence_dates, occurrence_start, rule_normalise

# Copied from the first occurrence to the new ones; the rest (times, sequence, attendance, bilan) is
# the occurrence's own.
COPIED_FIELDS = [
    "departement_id", "kind", "title", "description", "mode", "lieu_id", "address", "commune_id", "online_url",
    "scope", "epci_id", "audience", "visibility", "capacity", "accessibility", "created_by_id",
]  # fmt: skip


@transaction.atomic
def series_create(*, event, by, rule, until=None):
    """Make ``event`` the first occurrence of a series following ``rule`` (RRULE, in the
    département's wall-clock time, at the event's local start time), and create its occurrences up to
    ``settings.EVENTS_SERIES_HORIZON_DAYS`` ahead (and never past ``until``). ``ValidationError``
    (French) for a rule a series cannot use, or an event already in a series."""
    rule = rule_normalise(rule)
    event = Event.objects.select_for_update(of=("self",)).select_related("departement").get(pk=event.pk)
    if event.series_id is not None:
        raise ValidationError("Cet événement fait déjà partie d’une série.")
    local_start = event.starts_at.astimezone(event.tzinfo)
    if until is not None and until < local_start.date():
        raise ValidationError("La fin de la série ne peut pas précéder le premier événement.")
    series = EventSeries.objects.create(
        departement=event.departement,
        rule=rule,
        starts_on=local_start.date(),
        until=until,
        start_time=local_start.time().replace(second=0, microsecond=0),
        duration=event.ends_at - event.starts_at,
        generated_until=local_start.date(),
        created_by=by,
    )
    event.series = series
    event.occurrence_date = local_start.date()
    event.save(update_fields=["series", "occurrence_date", "updated_at"])
    series_extend(series=series, until=horizon())
    return series


@transaction.atomic
def series_extend(*, series, until):
    """Create the occurrences of ``series`` up to the local date ``until`` that do not exist yet,
    copying the first occurrence's fields, accepted organisers, skills and programme slots. Returns
    the new events. Idempotent: the series row is locked, and only dates after ``generated_until``
    without an event are created."""
    series = EventSeries.objects.select_for_update(of=("self",)).select_related("departement").get(pk=series.pk)
    dates = occurrence_dates(series, after=series.generated_until, until=until)
    template = (
        series.events.order_by("occurrence_date", "pk")
        .prefetch_related("skills", "slots", "organisers")
        .select_related("departement")
        .first()
    )
    created = []
    if dates and template is not None:
        existing = set(series.events.filter(occurrence_date__in=dates).values_list("occurrence_date", flat=True))
        created = _occurrences_create(series, template, [day for day in dates if day not in existing])
    last = min(until, series.until) if series.until else until
    if series.generated_until is None or last > series.generated_until:
        series.generated_until = last
        series.save(update_fields=["generated_until"])
    return created


def _occurrences_create(series, template, dates):
    # A first occurrence cancelled or postponed alone does not cancel the dates to come.
    status = EventStatus.DRAFT if template.status == EventStatus.DRAFT else EventStatus.PUBLISHED
    events = []
    for day in dates:
        starts_at = occurrence_start(series, day)
        event = Event(
            **{field: getattr(template, field) for field in COPIED_FIELDS},
            status=status,
            series=series,
            occurrence_date=day,
            starts_at=starts_at,
            # Aware arithmetic on the local time: a 2-hour event ends 2 hours later on the wall clock.
            ends_at=starts_at + series.duration,
            registration_opens_at=_shifted(template.registration_opens_at, template, starts_at),
            registration_closes_at=_shifted(template.registration_closes_at, template, starts_at),
        )
        events.append(event)
    events = Event.objects.bulk_create(events)
    organisers = [row for row in template.organisers.all() if row.status == OrganiserStatus.ACCEPTED]
    Organiser.objects.bulk_create(
        Organiser(event=event, advisor_id=row.advisor_id, structure_id=row.structure_id, role=row.role)
        for event in events
        for row in organisers
    )
    skills = template.skills.all()
    Event.skills.through.objects.bulk_create(
        Event.skills.through(event_id=event.pk, skill_id=skill.pk) for event in events for skill in skills
    )
    Slot.objects.bulk_create(
        Slot(
            event=event,
            title=slot.title,
            description=slot.description,
            starts_at=_shifted(slot.starts_at, template, event.starts_at),
            ends_at=_shifted(slot.starts_at, template, event.starts_at) + (slot.ends_at - slot.starts_at),
            room=slot.room,
            capacity=slot.capacity,
            animators_wanted=slot.animators_wanted,
        )
        for event in events
        for slot in template.slots.all()
    )
    return events


def _shifted(moment, template, starts_at):
    """``moment`` (a time of the template) moved to the occurrence starting at ``starts_at``, the same
    wall-clock distance from its start."""
    if moment is None:
        return None
    return starts_at + (moment - template.starts_at)


def series_extend_all(*, today=None):
    """Extend every series still open to ``today`` + the horizon (``manage.py extend_event_series``,
    daily). One transaction per series, so one failing series does not hold the others. Returns
    ``{series: new events}`` for the series that got some."""
    until = horizon(today)
    pending = EventSeries.objects.filter(Q(generated_until__isnull=True) | Q(generated_until__lt=until)).exclude(
        until__isnull=False, generated_until__gte=F("until")
    )
    created = {}
    for series in pending.order_by("pk"):
        events = series_extend(series=series, until=until)
        if events:
            created[series] = events
    return created
