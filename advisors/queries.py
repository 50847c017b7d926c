"""Reads for finding people: which advisors and lieux serve a territory, who is near a commune.

A territory is a ``Commune``, an ``EPCI`` or a ``Departement``. An advisor *serves* it when
they are located there (their own commune, their structure's commune, the lieux of their
permanences) or intervene there (their communes of intervention, their structure's
perimeter). Every condition is a column test or an ``EXISTS`` subquery, never a join
over a many-to-many relation: a profile matching by several paths is still one row, so
counts and pages stay right without ``DISTINCT``.
"""

import calendar
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from advisors.enums import MembershipRole, MembershipStatus
from advisors.models import Advisor, Lieu, Membership, Permanence, Structure
from territories.models import EPCI, Commune, Departement

NEWCOMER_MONTHS = 6
WELCOME_DAYS = 30
ADVISOR_NAME_ORDER = ("user__last_name", "user__first_name", "pk")


def months_before(day, months):
    """The same day ``months`` calendar months earlier (the 31 August minus six months is the 28/29 February)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def newcomers_since(today=None):
    """Arrived *after* this day: less than six months ago."""
    return months_before(today or timezone.localdate(), NEWCOMER_MONTHS)


def newcomer_q():
    return Q(arrival_date__gt=newcomers_since())


def _in_territory(path, territory):
    """The commune found at ``path`` lies in ``territory``."""
    if isinstance(territory, Commune):
        return Q(**{path: territory.pk})
    if isinstance(territory, EPCI):
        return Q(**{f"{path}__epci": territory.pk})
    if isinstance(territory, Departement):
        return Q(**{f"{path}__departement": territory.pk})
    raise TypeError(f"Not a territory: {territory!r}")


def _perimeter_covers(territory, structure_ref):
    return Exists(
        Structure.perimeter.through.objects.filter(_in_territory("commune", territory), structure=structure_ref)
    )


def advisors_serving(territory):
    """Condition on ``Advisor``: located in or intervening in ``territory``.

    For a département, the members of its network count too, even before they say where they work.
    """
    condition = (
        _in_territory("commune", territory)
        | _in_territory("structure__commune", territory)
        | Q(Exists(Permanence.objects.filter(_in_territory("lieu__commune", territory), advisor=OuterRef("pk"))))
        | Q(
            Exists(
                Advisor.intervention_communes.through.objects.filter(
                    _in_territory("commune", territory), advisor=OuterRef("pk")
                )
            )
        )
        | Q(_perimeter_covers(territory, OuterRef("structure")))
    )
    if isinstance(territory, Departement):
        condition |= Q(departement=territory.pk)
    return condition


def lieux_serving(territory):
    """Condition on ``Lieu``: in ``territory``, or run by a structure whose perimeter covers it."""
    return _in_territory("commune", territory) | Q(_perimeter_covers(territory, OuterRef("structure")))


# Near a commune: the commune itself, then the rest of its EPCI, then the rest of its département.

HERE, EPCI_LEVEL, DEPARTEMENT_LEVEL = 0, 1, 2


def _proximity(commune, serving):
    whens = [When(serving(commune), then=Value(HERE))]
    if commune.epci_id:
        whens.append(When(serving(commune.epci), then=Value(EPCI_LEVEL)))
    return Case(*whens, default=Value(DEPARTEMENT_LEVEL), output_field=IntegerField())


def advisors_near(commune, advisors):
    """``advisors`` serving the département of ``commune``, annotated with their ``proximity`` to it.

    ``commune`` needs its ``epci`` and ``departement`` loaded.
    """
    return advisors.filter(advisors_serving(commune.departement)).annotate(
        proximity=_proximity(commune, advisors_serving)
    )


def lieux_near(commune, lieux=None):
    lieux = lieux if lieux is not None else Lieu.objects.all()
    return lieux.filter(lieux_serving(commune.departement)).annotate(proximity=_proximity(commune, lieux_serving))


def first_of_each_group(queryset, *, order, limit):
    """The first ``limit`` rows of each proximity group, with ``group_size``: one query for all groups."""
    return (
        queryset.annotate(
            rank=Window(RowNumber(), partition_by=[F("proximity")], order_by=list(order)),
            group_size=Window(Count("pk"), partition_by=[F("proximity")]),
        )
        .filter(rank__lte=limit)
        .order_by("proximity", "rank")
    )


@dataclass
class NearGroup:
    level: int
    items: list
    total: int

    @property
    def more(self):
        return self.total - len(self.items)


def grouped(rows):
    """Rows of ``first_of_each_group`` as ``{level: NearGroup}``."""
    groups = {}
    for row in rows:
        group = groups.setdefault(row.proximity, NearGroup(row.proximity, [], row.group_size))
        group.items.append(row)
    return groups


def closest_advisors(commune, advisors, *, limit):
    """The ``limit`` advisors closest to ``commune``: same commune, then EPCI, then département."""
    return list(advisors_near(commune, advisors).order_by("proximity", *ADVISOR_NAME_ORDER)[:limit])


def coordinators(departements, viewer_advisors):
    """Active coordinators of ``departements``, each with ``profile_pk`` when the viewer may see their profile.

    ``viewer_advisors`` is ``Advisor.objects.visible_to(viewer)``.
    """
    return (
        Membership.objects.filter(
            departement__in=departements, status=MembershipStatus.ACTIVE, role=MembershipRole.COORDINATOR
        )
        .select_related("user")
        .annotate(profile_pk=Subquery(viewer_advisors.filter(user=OuterRef("user")).values("pk")[:1]))
        .order_by("departement_id", "user__last_name", "user__first_name")
    )


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
        coordinators=list(
            coordinators([membership.departement_id for membership in active], visible).exclude(user=user)
        ),
        closest=closest_advisors(commune, others, limit=WELCOME_PEOPLE) if commune else [],
        promo=promo,
    )
