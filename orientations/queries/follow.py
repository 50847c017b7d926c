"""Reads of the following side: what a member received and sent.

``received_by`` is ``perms.is_receiver`` written as a query, ``sent_by`` is ``perms.is_sender``:
the lists and the per-orientation predicates agree (tests/orientations/test_follow.py checks it).
"""

from django.db.models import Count, Q

from advisors.models import memberships_of
from advisors.perms import advisor_of
from orientations.models import Orientation


def _with_rows(queryset):
    """Everything a row of the inbox or of the sent list shows, in the same query."""
    return queryset.select_related(
        "departement",
        "commune",
        "domain",
        "skill",
        "sender",
        "sender_structure",
        "receiver_advisor__user",
        "receiver_lieu",
        "receiver_structure",
        "status_changed_by",
    )


def received_condition(user):
    """The condition of ``perms.is_receiver``: addressed to the member's profile (while an active member
    of a network), or to a lieu of the structure the profile belongs to in a département where the
    member's membership is active. ``None`` for someone without a profile (nothing received); a
    condition matching nothing for a profile without any active membership (someone who left)."""
    advisor = advisor_of(user)
    if advisor is None:
        return None
    active = [code for code, membership in memberships_of(user).items() if membership.is_active]
    if not active:
        return Q(pk__in=[])
    condition = Q(receiver_advisor_id=advisor.pk)
    if advisor.structure_id is not None:
        condition |= Q(
            receiver_lieu__isnull=False,
            receiver_structure_id=advisor.structure_id,
            receiver_lieu__departement_id__in=active,
        )
    return condition


def received_by(user, *, status=""):
    condition = received_condition(user)
    if condition is None:
        return Orientation.objects.none()
    queryset = Orientation.objects.filter(condition)
    if status:
        queryset = queryset.filter(status=status)
    return _with_rows(queryset).order_by("-created_at", "-pk")


def sent_by(user, *, status=""):
    if not user.is_authenticated:
        return Orientation.objects.none()
    queryset = Orientation.objects.filter(sender_id=user.pk)
    if status:
        queryset = queryset.filter(status=status)
    return _with_rows(queryset).order_by("-created_at", "-pk")


def counts_by_status(queryset):
    """``{status: count}`` of an unfiltered list, for the filter's labels (one query)."""
    rows = queryset.order_by().values("status").annotate(count=Count("pk")).values_list("status", "count")
    return dict(rows)
