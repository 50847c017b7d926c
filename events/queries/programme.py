"""Reads about the programme of an event: its slots, their animators, the grid, the missing animators.

Times are read and written in the wall-clock time of the event's département (``event.tzinfo``).
"""

import datetime
from collections import defaultdict

from django.db.models import Count, F, Prefetch, Q, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from advisors.perms import advisor_of, can_view_advisor, is_member_anywhere
from events import perms
from events.dates import NBSP, day_label, time_label, time_range
from events.enums import AnimatorStatus, EventStatus, OrganiserStatus, RegistrationStatus
from events.models import AnimatorSignup, Event, Organiser, Registration, Slot
from events.queries.registrations import slot_registration_states

# Beyond this the event is not a day-long programme: the form offers no more days than that.
MAX_DAYS = 31
NO_ROOM = "Sans salle précisée"


# ---- French labels ----


def quoted(text):
    return f"«{NBSP}{text}{NBSP}»"


def missing_label(count):
    if count <= 0:
        return ""
    return f"il manque {count}{NBSP}animateur" + ("s" if count > 1 else "")


def event_days(event):
    """The local dates the event covers (an event ending at midnight does not cover the next day)."""
    start = timezone.localtime(event.starts_at, event.tzinfo)
    end = timezone.localtime(event.ends_at, event.tzinfo) - datetime.timedelta(microseconds=1)
    days, day = [], start.date()
    while day <= end.date() and len(days) < MAX_DAYS:
        days.append(day)
        day += datetime.timedelta(days=1)
    return days


# ---- Slots and their animators ----


def _animators():
    return Prefetch(
        "animators", queryset=AnimatorSignup.objects.select_related("advisor__user").order_by("created_at", "pk")
    )


def slots_of(event):
    """The slots of ``event`` in order, with their animators (two queries whatever their number)."""
    return event.slots.order_by("starts_at", "room", "pk").prefetch_related(_animators())


def slots_prefetch():
    """``event.slots`` as ``slots_of`` reads them, for a page that loads the event: the programme panel,
    the registration states of the slots and ``perms.is_animator`` then read them without a query."""
    return Prefetch("slots", queryset=Slot.objects.order_by("starts_at", "room", "pk").prefetch_related(_animators()))


def slots_loaded(event):
    """The slots of ``event`` with their animators: the page's prefetch (``slots_prefetch``) when it
    made one, else two queries (not cached on ``event``, which may be read again after a change)."""
    slots = getattr(event, "_prefetched_objects_cache", {}).get("slots")
    if slots is not None and all("animators" in getattr(slot, "_prefetched_objects_cache", {}) for slot in slots):
        return list(slots)
    return list(slots_of(event))


def _viewer_advisor_id(user):
    advisor = advisor_of(user)
    return advisor.pk if advisor is not None else None


def _slot_row(slot, *, user, tzinfo, can_edit, advisor_id, registration=None):
    """What a page shows of one slot: its time, animators (as the viewer may see them), what is missing."""
    signups = list(slot.animators.all())
    mine = next((signup for signup in signups if signup.advisor_id == advisor_id), None)
    shown = [
        signup
        for signup in signups
        if signup.status == AnimatorStatus.CONFIRMED or can_edit or signup.advisor_id == advisor_id
    ]
    named = [signup for signup in shown if can_edit or can_view_advisor(user, signup.advisor)]
    missing = max(slot.animators_wanted - len(signups), 0)
    start = timezone.localtime(slot.starts_at, tzinfo)
    return {
        "slot": slot,
        "start": start,
        "time": f"{time_label(start)}{NBSP}– {time_label(timezone.localtime(slot.ends_at, tzinfo))}",
        "time_range": time_range(slot.starts_at, slot.ends_at, tzinfo),
        "animators": named,
        "unnamed": len(shown) - len(named),
        "confirmed": sum(signup.status == AnimatorStatus.CONFIRMED for signup in signups),
        "missing": missing,
        "missing_label": missing_label(missing),
        "mine": mine,
        "registration": registration,
    }


def slot_row(slot, user):
    """One slot as the organisers' pages show it (its edit and delete pages)."""
    signups = slot.animators.select_related("advisor__user").order_by("created_at", "pk")
    prefetch_related_objects([slot], Prefetch("animators", queryset=signups))
    return _slot_row(slot, user=user, tzinfo=slot.event.tzinfo, can_edit=True, advisor_id=_viewer_advisor_id(user))


def programme_panel(event, user):
    """Context of ``events/detail/programme.html`` for ``user`` on ``event``'s page.

    Reads ``event.organisers`` (prefetched by the page with their advisors), the slots and their
    animators (the page's prefetch, else two queries), the viewer's profile and the registration
    states of the slots (one query): the same number of queries for 3 slots or 30.
    """
    can_edit = perms.can_edit_event(user, event)
    slots = slots_loaded(event)
    if not slots and not can_edit:
        return {"slots": [], "visible": False}
    advisor_id = _viewer_advisor_id(user)
    can_help = advisor_id is not None and perms.can_offer_help(user, event)
    states = slot_registration_states(event, user, slots=slots) if slots else {}
    tzinfo = event.tzinfo
    rows = [
        _slot_row(
            slot,
            user=user,
            tzinfo=tzinfo,
            can_edit=can_edit,
            advisor_id=advisor_id,
            registration=states.get(slot.pk),
        )
        for slot in slots
    ]
    multi_day = len({row["start"].date() for row in rows}) > 1
    return {
        "visible": True,
        "event": event,
        "slots": rows,
        "multi_day": multi_day,
        "can_edit": can_edit,
        "can_help": can_help,
        "can_register": user.is_authenticated,
        "missing_total": sum(row["missing"] for row in rows),
        "add_url": reverse("events:slot_create", args=[event.pk]),
        "grid_url": reverse("events:programme", args=[event.pk]),
        "missing_url": reverse("events:missing_animators", args=[event.pk]),
    }


# ---- The grid: rooms × hours ----


def _room_order(room):
    return (room == "", room.casefold())


def _day_grid(day, slot_rows):
    """One table: rows between consecutive slot boundaries, a column per room, each slot in the cell of
    its room and start spanning the rows until its end. A slot that overlaps another of the same room
    cannot share its column: it is listed under the table (``overflow``)."""
    rooms = sorted({row["slot"].room for row in slot_rows}, key=_room_order)
    boundaries = sorted({row["slot"].starts_at for row in slot_rows} | {row["slot"].ends_at for row in slot_rows})
    index = {moment: position for position, moment in enumerate(boundaries)}
    periods = list(zip(boundaries, boundaries[1:], strict=False))
    starts = [dict() for _ in rooms]
    covered = [set() for _ in rooms]
    overflow = []
    for row in slot_rows:
        column = rooms.index(row["slot"].room)
        first, last = index[row["slot"].starts_at], index[row["slot"].ends_at]
        needed = set(range(first, last))
        if needed & covered[column]:
            overflow.append(row)
            continue
        covered[column] |= needed
        starts[column][first] = {"row": row, "rowspan": last - first}
    tzinfo = slot_rows[0]["start"].tzinfo
    lines = []
    for position, (start, end) in enumerate(periods):
        cells = []
        for column in range(len(rooms)):
            if position in starts[column]:
                cells.append(starts[column][position])
            elif position not in covered[column]:
                cells.append({"row": None, "rowspan": 1})
        local_start, local_end = timezone.localtime(start, tzinfo), timezone.localtime(end, tzinfo)
        lines.append({"label": f"{time_label(local_start)}{NBSP}– {time_label(local_end)}", "cells": cells})
    return {
        "day": day,
        "label": day_label(slot_rows[0]["start"]),
        "rooms": [room or NO_ROOM for room in rooms],
        "lines": lines,
        "overflow": overflow,
    }


def programme_grid(event, user):
    """The programme page: one grid per day of the event, and the same rows as the panel."""
    panel = programme_panel(event, user)
    by_day = defaultdict(list)
    for row in panel["slots"]:
        by_day[row["start"].date()].append(row)
    return {**panel, "days": [_day_grid(day, rows) for day, rows in sorted(by_day.items())]}


# ---- Slots still missing animators ----


def _missing(slots):
    return (
        slots.annotate(signed=Count("animators"))
        .filter(signed__lt=F("animators_wanted"))
        .annotate(missing=F("animators_wanted") - F("signed"))
    )


def missing_animators_of_event(event):
    return _missing(event.slots.all()).order_by("starts_at", "room", "pk")


def missing_animators_in_departement(departement, user, now=None):
    """Slots still to come of the département's events the viewer may see, missing animators."""
    events = (
        Event.objects.visible_to(user)
        .in_departement(departement)
        .exclude(status__in=[EventStatus.DRAFT, EventStatus.CANCELLED])
    )
    return (
        _missing(Slot.objects.filter(event__in=events, starts_at__gte=now or timezone.now()))
        .select_related("event__departement")
        .order_by("starts_at", "event_id", "room", "pk")
    )


def missing_rows(slots, user):
    """Rows of the missing-animators list for one page of ``slots`` (annotated by ``_missing``): the
    viewer's own proposals come from one query for the page."""
    slots = list(slots)
    advisor_id = _viewer_advisor_id(user)
    mine = set()
    if advisor_id is not None and slots:
        mine = set(
            AnimatorSignup.objects.filter(advisor_id=advisor_id, slot__in=slots).values_list("slot_id", flat=True)
        )
    rows = []
    for slot in slots:
        tzinfo = slot.event.tzinfo
        start = timezone.localtime(slot.starts_at, tzinfo)
        rows.append(
            {
                "slot": slot,
                "event": slot.event,
                "day": day_label(start),
                "time_range": time_range(slot.starts_at, slot.ends_at, tzinfo),
                "missing_label": missing_label(slot.missing),
                "mine": slot.pk in mine,
            }
        )
    return rows


def can_propose_anywhere(user):
    """Whether the « Je peux animer » buttons show on a list of visible events."""
    return is_member_anywhere(user) and _viewer_advisor_id(user) is not None


# ---- The clash rule ----


def animator_clash(*, advisor, slot):
    """Why ``advisor`` cannot animate ``slot`` (a French sentence naming the other commitment), or ``None``.

    A clash is another commitment overlapping the slot's time (touching ends do not overlap):
    another slot they animate, of any event, proposed or confirmed; another event they organise
    (accepted); another event they are registered to (confirmed or on the waiting list), or one of its
    slots. Their commitments to the slot's own event as organiser or participant do not count.
    Cancelled events free their people. The other commitment's times read in its own event's zone.
    """
    event, start, end = slot.event, slot.starts_at, slot.ends_at

    def times(other, other_event):
        """« de 14 h à 15 h » where ``other_event`` happens, the zone named when it is not this slot's."""
        span = time_range(other.starts_at, other.ends_at, other_event.tzinfo)
        if other_event.departement.timezone != event.departement.timezone:
            span += f" (heure de {other_event.departement.name})"
        return span

    animating = (
        AnimatorSignup.objects.filter(advisor=advisor, slot__starts_at__lt=end, slot__ends_at__gt=start)
        .exclude(slot=slot)
        .exclude(slot__event__status=EventStatus.CANCELLED)
        .select_related("slot__event__departement")
        .order_by("slot__starts_at")
        .first()
    )
    if animating is not None:
        other = animating.slot
        where = "" if other.event_id == event.pk else f" ({other.event.title})"
        return (
            f"Vous animez déjà {quoted(other.title)}{where} {times(other, other.event)}{NBSP}: "
            "on ne peut pas animer deux créneaux à la fois."
        )
    organising = (
        Organiser.objects.filter(
            advisor=advisor, status=OrganiserStatus.ACCEPTED, event__starts_at__lt=end, event__ends_at__gt=start
        )
        .exclude(event=event)
        .exclude(event__status=EventStatus.CANCELLED)
        .select_related("event__departement")
        .order_by("event__starts_at")
        .first()
    )
    if organising is not None:
        other = organising.event
        return f"Vous organisez {quoted(other.title)} {times(other, other)}, au même moment que ce créneau."
    registered = (
        Registration.objects.filter(
            user_id=advisor.user_id, status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]
        )
        .filter(
            Q(slot__isnull=True, event__starts_at__lt=end, event__ends_at__gt=start)
            | Q(slot__isnull=False, slot__starts_at__lt=end, slot__ends_at__gt=start)
        )
        .exclude(event=event)
        .exclude(event__status=EventStatus.CANCELLED)
        .select_related("event__departement", "slot")
        .order_by("event__starts_at")
        .first()
    )
    if registered is not None:
        other = registered.slot or registered.event
        title = quoted(other.title) if registered.slot is None else f"{quoted(other.title)} ({registered.event.title})"
        state = (
            "êtes inscrit·e à"
            if registered.status == RegistrationStatus.CONFIRMED
            else "êtes sur la liste d’attente de"
        )
        return (
            f"Vous {state} {title} {times(other, registered.event)}, "
            f"au même moment que ce créneau{NBSP}: annulez d’abord cette inscription."
        )
    return None
