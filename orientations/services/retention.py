"""Personal data of orientations is kept ``settings.ORIENTATION_RETENTION_DAYS`` days, then erased
by ``manage.py erase_orientations`` (daily cron, README « Déployer »).

What is erased: the person's first name, phone and email, the sender's message and the receiver's
« précision » on the state (free text, both may name the person or tell about her situation). What
stays, for the network's figures and the sender's and receivers' lists: the need, the commune, the
constraints, the structures, the state, who changed it and when.

The same fields go at once when the receiver goes away (a deleted account or profile, a deleted
lieu): see ``orientations.models.RECEIVER_GONE``.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from orientations.models import PERSONAL_FIELDS, Orientation


def to_erase(*, now=None):
    """Orientations past the retention period whose personal data is still there. The condition
    matches the partial index ``orientation_to_erase`` (created_at, where not yet erased)."""
    limit = (now or timezone.now()) - timedelta(days=settings.ORIENTATION_RETENTION_DAYS)
    return Orientation.objects.filter(personal_data_erased_at__isnull=True, created_at__lt=limit)


@transaction.atomic
def orientations_erase(*, dry_run=False, now=None):
    """Erase the personal data of the orientations past the retention period; return how many.
    Idempotent: an erased orientation is never counted again. ``dry_run`` only counts."""
    now = now or timezone.now()
    queryset = to_erase(now=now)
    if dry_run:
        return queryset.count()
    return queryset.update(**PERSONAL_FIELDS, personal_data_erased_at=now)
