"""The coordination's « pensez à mettre à jour votre profil » email: one person or a whole list."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from advisors.models import Advisor
from animation.models import ProfileReminder
from animation.queries.dashboard import STALE_MONTHS, local_now, members
from common.mail import email_send
from orientations.queries.flows import months_ago

# A profile may be reminded once it has not been updated for this many months.
REMINDABLE_MONTHS = min(STALE_MONTHS)


def reminder_allowed_since(departement, now=None):
    """A person reminded at or after this moment may not be reminded again: the same day of the
    previous month, at midnight in the département's time zone (« never twice in a month »)."""
    day = months_ago(local_now(departement, now), 1)
    return datetime.combine(day, time(), ZoneInfo(departement.timezone))


@transaction.atomic
def profile_reminders_send(*, departement, advisor_ids, by, now=None):
    """Email each of ``advisor_ids`` (profiles of the network's active members not updated for
    ``REMINDABLE_MONTHS`` months) a reminder to update her profile, unless she was reminded in the last
    month. Returns ``(reminded, skipped)``, two lists of profiles.

    The profiles are locked (in the order of their keys, so two batches never deadlock) before their
    last reminders are read: when two coordinators click at once, the second waits for the first one's
    transaction, then finds its reminders and sends nothing.
    """
    moment = now or timezone.now()
    stale_before = datetime.combine(
        months_ago(local_now(departement, moment), REMINDABLE_MONTHS), time(), ZoneInfo(departement.timezone)
    )
    ids = sorted({int(pk) for pk in advisor_ids})
    list(Advisor.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    # Read after the lock: a reminder committed meanwhile by another coordinator is seen here.
    candidates = list(
        members(departement).filter(pk__in=ids, updated_at__lt=stale_before).select_related("user").order_by("pk")
    )
    since = reminder_allowed_since(departement, moment)
    recent = set(
        ProfileReminder.objects.filter(
            advisor__in=[advisor.pk for advisor in candidates], created_at__gte=since
        ).values_list("advisor_id", flat=True)
    )
    reminded = [advisor for advisor in candidates if advisor.pk not in recent]
    skipped = [advisor for advisor in candidates if advisor.pk in recent]
    ProfileReminder.objects.bulk_create(
        ProfileReminder(advisor=advisor, departement=departement, sent_by=by, created_at=moment)
        for advisor in reminded
    )
    profile_url = reverse("advisors:my_profile")
    for advisor in reminded:
        email_send(
            template="animation/emails/profile_reminder",
            to=advisor.user.email,
            context={
                "advisor": advisor,
                "departement": departement,
                "by": by.display_name,
                "profile_url": profile_url,
            },
        )
    return reminded, skipped
