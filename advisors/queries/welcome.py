"""Reads for a member's welcome panel and for the coordinators of a département."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from advisors.models import Advisor, Membership
from advisors.perms import is_member_anywhere
from advisors.queries.territory import ADVISOR_NAME_ORDER, closest_advisors
from territories.models import Commune

WELCOME_DAYS = 30


class Named(list):
    """People the viewer may see, by name; ``hidden`` says how many others there are, whose
    profile the viewer may not see: they are counted, never named (README, « Ce que voit qui »)."""

    hidden = 0


def coordinators(departements, viewer, *, exclude_user=None):
    """Active coordinators of ``departements`` that ``viewer`` may name, as a ``Named`` list that counts
    the others. One query.

    Each has ``profile_pk`` when ``viewer`` may see their profile. A coordinator without a profile is
    named as a profile of the default visibility would be: to active members, never to visitors.
    """
    rows = (
        Membership.objects.coordinators()
        .filter(departement__in=departements)
        .select_related("user")
        .annotate(
            profile_pk=Subquery(Advisor.objects.visible_to(viewer).filter(user=OuterRef("user")).values("pk")[:1]),
            has_profile=Exists(Advisor.objects.filter(user=OuterRef("user"))),
        )
        .order_by("departement_id", "user__last_name", "user__first_name")
    )
    if exclude_user is not None:
        rows = rows.exclude(user=exclude_user)
    rows = list(rows)
    member = is_member_anywhere(viewer)
    named = Named(row for row in rows if row.profile_pk or (member and not row.has_profile))
    named.hidden = len(rows) - len(named)
    return named


# The welcome panel of a newcomer


def profile_gaps(advisor):
    """What a newcomer's profile still lacks for peers to find them."""
    gaps = []
    if advisor.structure_id is None:
        gaps.append("votre structure")
    if advisor.commune_id is None:
        gaps.append("votre commune")
    if not advisor.bio.strip():
        gaps.append("une courte présentation")
    return gaps


def needs_welcome(advisor, today=None):
    """Just joined (arrived less than 30 days ago) or a profile still incomplete."""
    today = today or timezone.localdate()
    recent = advisor.arrival_date is not None and advisor.arrival_date > today - timedelta(days=WELCOME_DAYS)
    return recent or bool(profile_gaps(advisor))


def home_commune(advisor, membership_communes=()):
    """Where an advisor works: their commune, else their structure's, else the one given when joining
    (a commune or its code)."""
    if advisor.commune_id:
        return advisor.commune
    if advisor.structure_id:
        return advisor.structure.commune
    return next(iter(membership_communes), None)


@dataclass
class Welcome:
    advisor: Advisor
    gaps: list
    commune: Commune | None
    coordinators: list
    closest: list
    promo: list


WELCOME_PEOPLE = 6


def welcome(user, memberships):
    """The panel of a member who just joined (or whose profile is still thin), else None.

    ``memberships`` are the user's, already loaded. Bounded: at most seven queries.
    """
    active = [membership for membership in memberships if membership.is_active]
    if not active:
        return None
    advisor = Advisor.objects.with_cards().select_related("structure__commune", "cohort").filter(user=user).first()
    if advisor is None or not needs_welcome(advisor):
        return None
    visible = Advisor.objects.visible_to(user)
    others = visible.exclude(pk=advisor.pk).with_cards().select_related("structure__commune")
    commune = home_commune(advisor, [membership.commune_id for membership in active if membership.commune_id])
    if commune is not None:
        commune = Commune.objects.with_territory().filter(pk=getattr(commune, "pk", commune)).first()
    promo = []
    if advisor.cohort_id:
        promo = list(others.filter(cohort=advisor.cohort_id).order_by(*ADVISOR_NAME_ORDER)[:WELCOME_PEOPLE])
    return Welcome(
        advisor=advisor,
        gaps=profile_gaps(advisor),
        commune=commune,
        coordinators=coordinators([membership.departement_id for membership in active], user, exclude_user=user),
        closest=closest_advisors(commune, others, limit=WELCOME_PEOPLE) if commune else [],
        promo=promo,
    )
