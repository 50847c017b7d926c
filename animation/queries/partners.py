"""Reads of the partners directory: which partners a person sees, and each card's members who know it."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from advisors.models import Advisor, Membership
from advisors.perms import is_coordinator
from animation.enums import PartnerStatus
from animation.models import Partner, PartnerAcquaintance


def partners_for(user, departement):
    """The partners of ``departement`` that ``user`` may see, whatever their status: published ones for
    its members; their own suggestions too; every one (refused included) for its coordinators.
    ``perms.can_view_partner`` is the same rule for one partner (keep them agreeing)."""
    partners = Partner.objects.in_departement(departement)
    if is_coordinator(user, departement):
        return partners
    mine = Q(status=PartnerStatus.SUGGESTED, suggested_by=user) if user.is_authenticated else Q(pk__in=[])
    return partners.filter(Q(status=PartnerStatus.PUBLISHED) | mine)


def _still_member():
    """Acquaintances of people still active members of the partner's network: someone who left it is no
    longer someone to ask (their « je le connais » comes back if they return)."""
    return Exists(
        Membership.objects.active().filter(
            user=OuterRef("advisor__user"), departement=OuterRef("partner__departement")
        )
    )


def with_cards(partners, user):
    """What a card shows, in a fixed number of queries whatever the rows: territory, suggester, whether
    ``user`` knows it (``known_by_me``), how many members know it (``known_count``) and those of them
    whose profile ``user`` may see (``visible_acquaintances``, names first; ``hidden_count`` the others),
    among the active members of the partner's network."""
    acquaintances = PartnerAcquaintance.objects.filter(partner=OuterRef("pk"))
    count = acquaintances.filter(_still_member()).order_by().values("partner").annotate(n=Count("pk")).values("n")
    mine = acquaintances.filter(advisor__user=user) if user.is_authenticated else acquaintances.none()
    visible = (
        PartnerAcquaintance.objects.filter(_still_member(), advisor__in=Advisor.objects.visible_to(user).values("pk"))
        .select_related("advisor__user", "advisor__structure")
        .order_by("advisor__user__last_name", "advisor__user__first_name", "pk")
    )
    return (
        partners.select_related("epci", "commune", "suggested_by", "decided_by")
        .annotate(known_count=Coalesce(Subquery(count), 0), known_by_me=Exists(mine))
        .prefetch_related(Prefetch("acquaintances", queryset=visible, to_attr="visible_acquaintances"))
    )


def hidden_counts(partners):
    """Each partner's ``hidden_count``: members who know it but whose profile the reader may not see."""
    for partner in partners:
        partner.hidden_count = partner.known_count - len(partner.visible_acquaintances)
    return partners


def my_acquaintance(partner, user):
    """``user``'s « je le connais » on ``partner`` (its note), or ``None``."""
    if not user.is_authenticated:
        return None
    return PartnerAcquaintance.objects.filter(partner=partner, advisor__user=user).first()


def waiting_count(departement):
    """Suggestions waiting for the coordination."""
    return Partner.objects.in_departement(departement).suggested().count()
