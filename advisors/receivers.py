"""What ``advisors`` does when another app tells it something changed (connected in ``apps.py``)."""

from django.dispatch import receiver

from advisors.services.places import lieux_follow_communes
from territories.signals import territories_imported


@receiver(territories_imported, dispatch_uid="advisors.lieux_follow_communes")
def lieux_follow_imported_communes(sender, *, report, **kwargs):
    """The lieux placed at their commune's point move with it when an import moves the point."""
    if report.communes.updated:
        lieux_follow_communes()
