"""The demo's network as it drifts: what the coordinators' dashboard is there to show.

A freshly seeded demo has every profile updated today. Here some members who contributed nothing in a
year (their events, resources, cards and orientations come from the other demo modules) have profiles
last updated 13 and 19 months ago, one of the oldest got a reminder two months ago, and three members
left the network this year (``Departure``: dates only, as the real ones). The demo's
known accounts (coordinators, the demo member) are never aged. The newcomers already include people
who came to no event (demo.events registers only some of them).

Idempotent: a profile is aged only while it is more recent than the date it is given, so a second run
changes nothing; the reminder and the departures are created once.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from advisors.models import Advisor, User
from animation.models import Departure, ProfileReminder
from animation.queries.dashboard import quiet_members
from demo import network

# How many quiet members drift, and how far (in days: 13 and 19 months).
DRIFT = ((3, 580), (5, 400))
REMINDED_DAYS_AGO = 60
# Members who left: (days ago, days they had been members).
DEPARTURES = ((35, 700), (120, 400), (210, 90))


def _known_emails():
    return {account.email for account in [*network.COORDINATORS, network.DEMO_MEMBER]}


@transaction.atomic
def drift_ensure(*, departement):
    """Age the profiles of a few quiet members of ``departement``; returns how many were aged now."""
    coordinator = User.objects.filter(email=network.COORDINATORS[0].email).first()
    if coordinator is None:
        return 0
    known = _known_emails()
    quiet = [
        advisor
        for advisor in quiet_members(departement, coordinator).order_by("user__email")
        if advisor.user.email not in known
    ]
    now = timezone.now()
    aged, start = 0, 0
    for count, days in DRIFT:
        chosen = [advisor.pk for advisor in quiet[start : start + count]]
        start += count
        moment = now - timedelta(days=days)
        # A queryset update: save() would set « mis à jour le » back to now (auto_now).
        aged += Advisor.objects.filter(pk__in=chosen, updated_at__gt=moment).update(updated_at=moment)
    if quiet and not ProfileReminder.objects.filter(advisor=quiet[0]).exists():
        ProfileReminder.objects.create(
            advisor=quiet[0],
            departement=departement,
            sent_by=coordinator,
            created_at=now - timedelta(days=REMINDED_DAYS_AGO),
        )
    if not Departure.objects.filter(departement=departement).exists():
        Departure.objects.bulk_create(
            Departure(
                departement=departement,
                left_at=now - timedelta(days=ago),
                joined_at=now - timedelta(days=ago + stayed),
            )
            for ago, stayed in DEPARTURES
        )
    return aged
