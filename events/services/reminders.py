"""Reminders two days (j-2) and one hour (h-1) before an event, for its confirmed registrants and its
animators; ``manage.py send_event_reminders`` runs it every 10 minutes.

Each reminder is sent once: a ``ReminderSent`` row keyed by event, address, kind and the start it
announced is inserted first, in the transaction that sends the email (on commit). Two runs at once
cannot both insert it (unique constraint: the second waits, then finds the row and skips). A
rescheduled event has a new start, so a new key: it gets reminders for its new time only, and the
old time's are never sent again. Each kind has its window and is not sent once it has passed (a cron
down for a day does not send « dans deux jours » an hour before the start).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from common.mail import email_send
from events.dates import moment_label, time_label
from events.enums import AnimatorStatus, EventStatus, RegistrationStatus, ReminderKind
from events.models import AnimatorSignup, Event, Organiser, Registration, ReminderSent
from events.perms import can_see_online_link
from events.queries.feeds import event_location

# (from, until) before the start: the kind is due while ``start - from <= now < start - until``.
WINDOWS = {
    ReminderKind.TWO_DAYS: (timedelta(hours=48), timedelta(hours=1)),
    ReminderKind.ONE_HOUR: (timedelta(hours=1), timedelta(0)),
}
TEMPLATES = {ReminderKind.TWO_DAYS: "reminder_j2", ReminderKind.ONE_HOUR: "reminder_h1"}  # under events/emails/


@dataclass(frozen=True)
class Reminder:
    event: Event
    kind: str
    email: str
    name: str
    registration: Registration | None = None  # None: an animator
    online_link: bool = False

    def __str__(self):
        local = self.event.starts_at.astimezone(self.event.tzinfo)
        who = "inscrit·e" if self.registration else "animation"
        return f"{self.kind} {local:%Y-%m-%d %H:%M} « {self.event.title} » → {self.email} ({who})"


def _kind_due(event, now):
    for kind, (start, end) in WINDOWS.items():
        if event.starts_at - start <= now < event.starts_at - end:
            return kind
    return None


def reminders_due(*, now=None):
    """The reminders to send at ``now`` and not sent yet, in a fixed number of queries."""
    now = now or timezone.now()
    events = {
        event.pk: event
        for event in Event.objects.filter(
            status=EventStatus.PUBLISHED, starts_at__gt=now, starts_at__lte=now + WINDOWS[ReminderKind.TWO_DAYS][0]
        )
        .with_cards()
        .prefetch_related(Prefetch("organisers", queryset=Organiser.objects.select_related("advisor")))
    }
    kinds = {pk: kind for pk, event in events.items() if (kind := _kind_due(event, now))}
    if not kinds:
        return []
    sent = set(
        ReminderSent.objects.filter(event__in=list(kinds)).values_list("event_id", "email", "kind", "starts_at")
    )
    reminders, seen = [], set()

    def add(event, email, **fields):
        key = (event.pk, email.lower())
        if key in seen or (event.pk, email.lower(), kinds[event.pk], event.starts_at) in sent:
            return
        seen.add(key)
        reminders.append(Reminder(event=event, kind=kinds[event.pk], email=email.lower(), **fields))

    registrations = (
        Registration.objects.filter(event__in=list(kinds), status=RegistrationStatus.CONFIRMED)
        .select_related("slot", "user")
        .order_by("event_id", "slot_id", "pk")  # the event's own registration first, then its slots'
    )
    for registration in registrations:
        event = events[registration.event_id]
        add(
            event,
            registration.email,
            name=registration.name,
            registration=registration,
            online_link=bool(event.online_url)
            and can_see_online_link(registration.user, event, registration, animates=False),
        )
    # The memberships come along, so that ``can_see_online_link`` knows a coordinator without a query
    # per animator; the organisers are prefetched on the events.
    animators = (
        AnimatorSignup.objects.filter(slot__event__in=list(kinds))
        .select_related("slot", "advisor__user")
        .prefetch_related("advisor__user__memberships")
    )
    for signup in animators.order_by("slot__event_id", "pk"):
        event, user = events[signup.slot.event_id], signup.advisor.user
        if user.email:
            confirmed = signup.status == AnimatorStatus.CONFIRMED
            add(
                event,
                user.email,
                name=user.get_full_name() or user.email,
                online_link=bool(event.online_url) and can_see_online_link(user, event, animates=confirmed),
            )
    return reminders


def reminders_send(*, now=None, dry_run=False):
    """Send the reminders due at ``now`` (each at most once, even with two runs at the same time);
    ``dry_run``: send and record nothing. Returns the reminders sent (or that would be)."""
    now = now or timezone.now()
    due = reminders_due(now=now)
    if dry_run:
        return due
    sent = []
    for reminder in due:
        with transaction.atomic():
            _row, created = ReminderSent.objects.get_or_create(
                event=reminder.event,
                email=reminder.email,
                kind=reminder.kind,
                starts_at=reminder.event.starts_at,
                defaults={"sent_at": now},
            )
            if created:
                _email(reminder)
                sent.append(reminder)
    return sent


def _email(reminder):
    event = reminder.event
    local = event.starts_at.astimezone(event.tzinfo)
    email_send(
        template=f"events/emails/{TEMPLATES[reminder.kind]}",
        to=reminder.email,
        context={
            "event": event,
            "name": reminder.name,
            "registration": reminder.registration,
            "starts": moment_label(event.starts_at, event.tzinfo, weekday=True),
            "hour": time_label(local),
            "place": event_location(event),
            "online_url": event.online_url if reminder.online_link else "",
        },
    )
