"""Reads for finding people: which advisors and lieux serve a territory, who is near a commune.

A territory is a ``Commune``, an ``EPCI`` or a ``Departement``. An advisor *serves* it when
they are located there (their own commune, their structure's commune, the lieux of their
permanences) or intervene there (their communes of intervention, their structure's
perimeter). Only what the territory's coordination has accepted counts: a lieu waiting for
its département's accord does not, and pending perimeter communes live apart
(``PerimeterRequest``) until then.

What each advisor and lieu serves is kept as rows (``AdvisorCommune``, ``LieuCommune``, written by
``advisors.services.serving``), so that "serves this territory" is an ``EXISTS`` on one indexed
column, never a join: a profile serving a territory through several communes is still one row,
so counts and pages stay right without ``DISTINCT``.
"""

import calendar
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, IntegerField, Min, OuterRef, Q, Subquery, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from advisors.models import AdvisorCommune, Lieu, LieuCommune
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


def _served_in(territory):
    """The lookup of a serving row (``AdvisorCommune``, ``LieuCommune``) that lies in ``territory``."""
    if isinstance(territory, Commune):
        return {"commune": territory.pk}
    if isinstance(territory, EPCI):
        return {"epci": territory.pk}
    if isinstance(territory, Departement):
        return {"departement": territory.pk}
    raise TypeError(f"Not a territory: {territory!r}")


def _advisor_rows_in(territory):
    """The lookup of the ``AdvisorCommune`` rows in ``territory``: for a département, its rows without a
    commune (one per advisor who serves it, a better base for the planner's estimates)."""
    if isinstance(territory, Departement):
        return {"departement": territory.pk, "commune__isnull": True}
    return _served_in(territory)


def advisors_serving(territory):
    """Condition on ``Advisor``: located in or intervening in ``territory``.

    For a département, the members of its network count too, even before they say where they work
    (their row without a commune).
    """
    return Q(Exists(AdvisorCommune.objects.filter(advisor=OuterRef("pk"), **_advisor_rows_in(territory))))


def lieux_serving(territory):
    """Condition on ``Lieu``: accepted, and in ``territory`` or run by a structure whose perimeter covers it."""
    return Q(Exists(LieuCommune.objects.filter(lieu=OuterRef("pk"), **_served_in(territory))))


# Near a commune: the commune itself, then the rest of its EPCI, then the rest of its département.

HERE, EPCI_LEVEL, DEPARTEMENT_LEVEL = 0, 1, 2


def _near(queryset, served, key, commune):
    """``queryset`` (advisors or lieux) serving the département of ``commune``, each with its
    ``proximity``: the closest of its ``served`` rows (``AdvisorCommune`` or ``LieuCommune``, whose
    foreign key is ``key``). The minimum is taken over the serving rows alone, by index, then joined:
    grouping the page's rows (with their structure, commune…) would hash whole tables first."""
    rows = Q(departement=commune.departement_id)
    whens = [When(commune=commune.pk, then=Value(HERE))]
    if commune.epci_id:
        # An EPCI may span two départements: serving it on the other side is still serving it.
        rows |= Q(epci=commune.epci_id)
        whens.append(When(epci=commune.epci_id, then=Value(EPCI_LEVEL)))
    closest = (
        served.objects.filter(rows, **{key: OuterRef("pk")})
        .values(key)
        .annotate(rank=Min(Case(*whens, default=Value(DEPARTEMENT_LEVEL), output_field=IntegerField())))
        .values("rank")
    )
    # Advisors: their rows without a commune, one per département served (see ``_advisor_rows_in``).
    whole = {"commune__isnull": True} if served is AdvisorCommune else {}
    in_departement = served.objects.filter(departement=commune.departement_id, **whole).values(key)
    return queryset.filter(pk__in=in_departement).annotate(proximity=Subquery(closest))


def advisors_near(commune, advisors):
    """``advisors`` serving the département of ``commune``, annotated with their ``proximity`` to it."""
    return _near(advisors, AdvisorCommune, "advisor", commune)


def lieux_near(commune, lieux=None):
    return _near(lieux if lieux is not None else Lieu.objects.all(), LieuCommune, "lieu", commune)


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
