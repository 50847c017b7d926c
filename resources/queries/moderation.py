"""Reads of the moderation list of a département's coordination."""

from django.db.models import Prefetch

from advisors.models import Advisor
from resources.enums import ReportStatus
from resources.models import ResourceReport


def open_reports(departement):
    """The open reports of ``departement``'s resources, oldest first; one query for the page and one for
    the resources' authors, however many."""
    return (
        ResourceReport.objects.filter(status=ReportStatus.OPEN, resource__departement=departement)
        .select_related("resource", "user")
        .prefetch_related(Prefetch("resource__authors", queryset=Advisor.objects.select_related("user")))
        .order_by("created_at", "pk")
    )
