"""Reads for finding people: which advisors and lieux serve a territory, who is near a commune.

A territory is a ``Commune``, an ``EPCI`` or a ``Departement``. An advisor *serves* it when
they are located there (their own commune, their structure's commune, the lieux of their
permanences) or intervene there (their communes of intervention, their structure's
perimeter). Only what the territory's coordination has accepted counts: a lieu waiting for
its département's accord does not, and pending perimeter communes live apart
(``PerimeterRequest``) until then. Every condition is a column test or an ``EXISTS`` subquery, never a join
over a many-to-many relation: a profile matching by several paths is still one row, so
counts and pages stay right without ``DISTINCT``.
"""

import calendar
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from advisors.enums import LieuApproval
from advisors.models import Advisor, Lieu, Permanence, Structure
from territories.models import EPCI, Commune, Departement

NEWCOMER_MONTHS = 6
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
        | Q(
            Exists(
                Permanence.objects.filter(
                    _in_territory("lieu__commune", territory),
                    lieu__approval=LieuApproval.ACCEPTED,
                    advisor=OuterRef("pk"),
                )
            )
        )
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
    """Condition on ``Lieu``: accepted, and in ``territory`` or run by a structure whose perimeter covers it."""
    return Q(approval=LieuApproval.ACCEPTED) & (
        _in_territory("commune", territory) | Q(_perimeter_covers(territory, OuterRef("structure")))
    )


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
