"""Writes of the community around a resource: « utile », comments, reports and their moderation."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from advisors.models import Membership
from common.mail import email_send
from resources.enums import ReportStatus, ResourceStatus
from resources.models import ResourceComment, ResourceReport, ResourceUseful


def _email(name, *, to, context):
    email_send(template=f"resources/emails/{name}", to=to, context=context)


def resource_useful_set(*, resource, user, useful):
    """Mark ``resource`` useful for ``user`` (once, however many times it is asked, even at the same time),
    or undo it. Returns whether it is marked now."""
    if not useful:
        ResourceUseful.objects.filter(resource=resource, user=user).delete()
        return False
    try:
        with transaction.atomic():
            ResourceUseful.objects.get_or_create(resource=resource, user=user)
    except IntegrityError:  # the same person's other request won the race: it is marked all the same
        pass
    return True


def resource_comment_create(*, resource, user, body):
    return ResourceComment.objects.create(resource=resource, user=user, body=body)


def resource_comment_hide(*, comment, hidden=True):
    ResourceComment.objects.filter(pk=comment.pk).update(hidden=hidden)
    comment.hidden = hidden
    return comment


@transaction.atomic
def resource_report_create(*, resource, user, reason, message=""):
    """Record a report and tell the coordinators of the resource's département (after commit)."""
    report = ResourceReport.objects.create(resource=resource, user=user, reason=reason, message=message)
    recipients = list(
        Membership.objects.coordinators()
        .in_departement(resource.departement_id)
        .exclude(user=user)
        .values_list("user__email", flat=True)
    )
    if recipients:
        _email("report_created", to=recipients, context={"resource": resource, "report": report, "by": user})
    return report


@transaction.atomic
def resource_report_resolve(*, report, user, hide_resource=False):
    """Close an open report (``select_for_update``: two coordinators acting at once resolve it once);
    with ``hide_resource``, the resource is « masquée » too. Returns False when it was already closed."""
    report = ResourceReport.objects.select_for_update().select_related("resource").get(pk=report.pk)
    if hide_resource:
        type(report.resource).objects.filter(pk=report.resource_id).update(status=ResourceStatus.HIDDEN)
    if report.status != ReportStatus.OPEN:
        return False
    report.status = ReportStatus.RESOLVED
    report.resolved_by = user
    report.resolved_at = timezone.now()
    report.save(update_fields=["status", "resolved_by", "resolved_at"])
    return True
