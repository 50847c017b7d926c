"""Reads for the pages that combine several apps: a département, a commune, who and what is near a commune.

Each figure is one query whatever the number of rows. Profiles are counted with the directory's own rule
(``Advisor.objects.visible_to(viewer)``), so that a figure and the list it links to always agree.
"""

from django.db.models import Count, Exists, OuterRef, Sum

from advisors.enums import StructureKind
from advisors.models import Advisor, Lieu, Membership, Structure
from advisors.opening_hours import lieu_status
from advisors.queries import places as places_queries
from advisors.queries import territory as territory_queries
from advisors.queries.welcome import coordinators
from territories.models import EPCI

ADVISORS_PER_GROUP = 12
LIEUX_PER_GROUP = 10


def departement_figures(departement, viewer):
    """The département page: its communes and EPCI, its network, and who and what serves it."""
    visible = Advisor.objects.visible_to(viewer)
    structure_kinds = [
        (StructureKind(row["kind"]).label, row["count"])
        for row in Structure.objects.in_departement(departement)
        .values("kind")
        .annotate(count=Count("pk"))
        .order_by("-count", "kind")
    ]
    return {
        "epcis": list(EPCI.objects.with_stats_in(departement)),
        "totals": departement.communes.aggregate(count=Count("code"), population=Sum("population")),
        "without_epci": departement.communes.filter(epci__isnull=True).order_by("name"),
        "coordinators": coordinators([departement], viewer),
        # Every active member is counted; ``hidden`` of them have no profile the viewer may see.
        "members": Membership.objects.in_departement(departement)
        .active()
        # ``NOT EXISTS`` (one probe of the advisors' user index per member), not ``NOT IN`` (which hashed
        # the visible profiles of all of France first).
        .aggregate(total=Count("pk"), hidden=Count("pk", filter=~Exists(visible.filter(user=OuterRef("user"))))),
        "advisors": (
            visible.filter(territory_queries.advisors_serving(departement)).aggregate(
                total=Count("pk"), newcomers=Count("pk", filter=territory_queries.newcomer_q())
            )
        ),
        "structure_kinds": structure_kinds,
        "structures_count": sum(count for _, count in structure_kinds),
        "lieux_count": Lieu.objects.filter(departement=departement).count(),
    }


def commune_served_by(commune, viewer):
    """How many advisors (those ``viewer`` may see) and lieux serve ``commune``."""
    return {
        "advisors": Advisor.objects.visible_to(viewer).filter(territory_queries.advisors_serving(commune)).count(),
        "lieux": Lieu.objects.filter(territory_queries.lieux_serving(commune)).count(),
    }


def near_commune(commune, viewer, *, now):
    """The first advisors and lieux of each level around ``commune`` (the commune, its EPCI, its département),
    each lieu with its opening status at ``now``, and the coordinators of its département.

    Returns ``(advisors, lieux, coordinators)``; the first two map a level to its group.
    """
    visible = Advisor.objects.visible_to(viewer)
    advisors = territory_queries.grouped(
        territory_queries.first_of_each_group(
            territory_queries.advisors_near(commune, visible.with_cards().select_related("structure__commune")),
            order=territory_queries.ADVISOR_NAME_ORDER,
            limit=ADVISORS_PER_GROUP,
        )
    )
    lieux = territory_queries.grouped(
        territory_queries.first_of_each_group(
            territory_queries.lieux_near(
                commune,
                Lieu.objects.select_related("structure", "commune", "departement").prefetch_related(
                    "opening_slots", places_queries.current_closures(now)
                ),
            ),
            order=("name", "pk"),
            limit=LIEUX_PER_GROUP,
        )
    )
    for group in lieux.values():
        for lieu in group.items:
            lieu.status = lieu_status(lieu, now)
    return advisors, lieux, coordinators([commune.departement_id], viewer)
