"""What became of an orientation: its receivers say it (prise en charge, réorientée, sans suite)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.mail import email_send
from orientations.enums import OrientationStatus
from orientations.models import Orientation

# The states a receiver may set (« envoyée » is where every orientation starts).
FOLLOW_UP_STATUSES = (OrientationStatus.TAKEN, OrientationStatus.REDIRECTED, OrientationStatus.NO_FOLLOW_UP)


@transaction.atomic
def orientation_status_change(*, orientation, by, status, note="", seen_status=None):
    """Set the state of ``orientation`` to ``status`` on behalf of ``by`` (one of its receivers:
    the view checks ``perms.can_change_status``), with an optional note (to whom it was
    réorientée, why sans suite). The sender is emailed, without anything about the person.

    The row is locked: when two receivers answer at once, the second one sees what the first one
    did. ``seen_status`` is the state the receiver saw on their page; if the orientation has
    changed since, nothing is changed and ``ValidationError`` says who did what.
    """
    if status not in FOLLOW_UP_STATUSES:
        raise ValidationError("Choisissez « prise en charge », « réorientée » ou « sans suite ».", code="status")
    # No select_related here: a row read after waiting on the lock is the new one, but columns joined
    # to it would still be those of before (PostgreSQL rechecks only the locked table).
    locked = Orientation.objects.select_for_update().get(pk=orientation.pk)
    if seen_status is not None and locked.status != seen_status:
        who = f" par {locked.status_changed_by.display_name}" if locked.status_changed_by_id else ""
        raise ValidationError(
            f"Entre-temps, cette orientation a été marquée « {locked.get_status_display()} »{who}. "
            "Voici son état actuel.",
            code="changed",
        )
    if locked.status == status:
        raise ValidationError(f"Cette orientation est déjà marquée « {locked.get_status_display()} ».", code="same")
    locked.status = status
    # The note is free text that may be about the person: none once her data is erased.
    locked.status_note = "" if locked.personal_data_erased_at else note.strip()[:300]
    locked.status_changed_at = timezone.now()
    locked.status_changed_by = by
    locked.save(update_fields=["status", "status_note", "status_changed_at", "status_changed_by"])
    if locked.sender_id is not None and locked.sender_id != by.pk:
        _notify_sender(orientation=locked, by=by)
    return locked


def _notify_sender(*, orientation, by):
    """Tell the sender, with what identifies the orientation but nothing of the person (an email
    travels and stays in mailboxes): the need, the commune, the date, the receiver and the link."""
    to = orientation.sender.email
    orientation = Orientation.objects.select_related(
        "departement", "commune", "domain", "skill", "receiver_lieu", "receiver_advisor__user", "receiver_structure"
    ).get(pk=orientation.pk)
    email_send(
        template="orientations/emails/status_changed",
        to=to,
        context={"orientation": orientation, "by": by.display_name},
    )
