"""Reads for the pages that combine several apps: a département, a commune, who and what is near a commune.

Each figure is one query whatever the number of rows. Profiles are counted with the directory's own rule
(``Advisor.objects.visible_to(viewer)``), so that a figure and the list it links to always agree.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum, Window
from django.urls import reverse

from advisors.enums import StructureKind
from advisors.models import Advisor, Lieu, Membership, Permanence, Structure
from advisors.opening_hours import lieu_status
from advisors.queries import nearby
from advisors.queries import places as places_queries
from advisors.queries import territory as territory_queries
from advisors.queries.welcome import coordinators
from skills.enums import DomainKind, SkillLevel
from skills.models import AdvisorSkill
from territories.enums import OutlineKind
from territories.geo import Box
from territories.maps import Category, MapPoint, MapShape, SvgMap
from territories.models import EPCI, Commune, Outline

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


def near_commune(commune, viewer, *, now, filters=None):
    """The first advisors and lieux of each level around ``commune`` (the commune, its EPCI, its département),
    each lieu with its opening status at ``now``, and the coordinators of its département: the grouping of
    the communes without a point (see ``near_by_distance`` for all the others).

    ``filters`` are ``NearForm.filters()``; with ``ouvert``, a lieu is kept when ``lieu_status`` says it is
    open at ``now`` (every lieu of the département is read then: 4 communes of France have no point).
    Returns ``(advisors, lieux, coordinators)``; the first two map a level to its group.
    """
    filters = filters or {}
    visible = _advisors_matching(Advisor.objects.visible_to(viewer), filters)
    advisors = territory_queries.grouped(
        territory_queries.first_of_each_group(
            territory_queries.advisors_near(commune, _advisor_cards(visible, filters)),
            order=territory_queries.ADVISOR_NAME_ORDER,
            limit=ADVISORS_PER_GROUP,
        )
    )
    near = territory_queries.lieux_near(commune, _lieux_matching(_lieu_cards(now), filters, viewer))
    if filters.get("ouvert"):
        lieux = {}
        for lieu in near.order_by("proximity", "name", "pk"):
            lieu.status = lieu_status(lieu, now)
            if lieu.status.is_open:
                group = lieux.setdefault(lieu.proximity, territory_queries.NearGroup(lieu.proximity, [], 0))
                group.total += 1
                if len(group.items) < LIEUX_PER_GROUP:
                    group.items.append(lieu)
    else:
        lieux = territory_queries.grouped(
            territory_queries.first_of_each_group(near, order=("name", "pk"), limit=LIEUX_PER_GROUP)
        )
        for group in lieux.values():
            for lieu in group.items:
                lieu.status = lieu_status(lieu, now)
    return advisors, lieux, coordinators([commune.departement_id], viewer)


# « Près de chez moi » by distance.

NEAR_ADVISORS = 12
NEAR_LIEUX = 10
ALL_LIEUX = 60  # « voir tous les lieux »: the page's own list, bounded still
LIEUX_RADIUS_KM = 30  # lieux farther than this are not "near" (the map shows the first 15 km)
OPEN_CANDIDATES = 200  # « ouvert maintenant » is decided in Python on at most this many nearest lieux
MAP_RADIUS_KM = 15
ACTIVE_LEVELS = [SkillLevel.MASTER, SkillLevel.PRACTICE]  # "je veux apprendre" answers no need


@dataclass
class NearList:
    items: list
    total: int

    @property
    def more(self):
        return self.total - len(self.items)


def _advisor_cards(advisors, filters):
    cards = advisors.with_cards().select_related("structure__commune")
    if filters.get("competence"):
        # The cards show the skill asked for with each person's level, as in the directory.
        cards = cards.prefetch_related(
            Prefetch(
                "advisor_skills",
                queryset=AdvisorSkill.objects.filter(skill=filters["competence"]).select_related("skill"),
                to_attr="searched_skills",
            )
        )
    return cards


def _lieu_cards(now):
    # lieu_status reads the lieu's slots, its closures not over and its département (advisors.opening_hours).
    return (
        Lieu.objects.accepted()
        .select_related("structure", "commune", "departement")
        .prefetch_related("opening_slots", places_queries.current_closures(now))
    )


def _advisors_matching(advisors, filters):
    """``advisors`` who answer the need (a skill of the service, or the skill, mastered or practised), speak
    the language and serve the public asked for."""
    skills = AdvisorSkill.objects.filter(advisor=OuterRef("pk"), level__in=ACTIVE_LEVELS)
    if filters.get("competence"):
        advisors = advisors.filter(Exists(skills.filter(skill=filters["competence"])))
    elif filters.get("service"):
        advisors = advisors.filter(Exists(skills.filter(skill__domain=filters["service"])))
    if filters.get("langue"):
        languages = Advisor.languages.through.objects.filter(advisor=OuterRef("pk"), language=filters["langue"])
        advisors = advisors.filter(Exists(languages))
    if filters.get("public"):
        publics = Advisor.publics.through.objects.filter(advisor=OuterRef("pk"), public=filters["public"])
        advisors = advisors.filter(Exists(publics))
    return advisors


def _lieux_matching(lieux, filters, viewer):
    """``lieux`` whose structure offers the service (for a skill, the service it belongs to) and welcomes the
    public, where someone speaking the language holds a permanence or works for the structure: someone whose
    profile ``viewer`` may see, or the lieu would tell of a hidden profile."""
    service = filters.get("service")
    if filters.get("competence"):
        service = filters["competence"].domain
    if service:
        offers = Structure.services.through.objects.filter(structure=OuterRef("structure"), domain=service)
        lieux = lieux.filter(Exists(offers))
    if filters.get("public"):
        welcomes = Structure.publics.through.objects.filter(structure=OuterRef("structure"), public=filters["public"])
        lieux = lieux.filter(Exists(welcomes))
    if filters.get("langue"):
        language = filters["langue"]
        speakers = Advisor.objects.visible_to(viewer).filter(languages=language)
        lieux = lieux.filter(
            Exists(Permanence.objects.filter(lieu=OuterRef("pk"), advisor__in=speakers))
            | Exists(speakers.filter(structure=OuterRef("structure")))
        )
    return lieux


def near_by_distance(commune, viewer, *, now, filters, lieux_limit=NEAR_LIEUX):
    """Around ``commune`` (which has a point), for « près de chez moi »:

    - ``lieux``: the lieux in it or within ``LIEUX_RADIUS_KM`` of its point (whatever their département),
      its own first, then nearest first, each with ``status`` (at ``now``) and ``distance``;
    - ``advisors``: the people who serve it (``AdvisorCommune``: located or intervening there), its own
      first, then by the distance of their commune (or their structure's), each with ``distance``;
    - ``map``: the communes within ``MAP_RADIUS_KM`` and the lieux shown that lie among them.

    Each list is ``NearList(items, total)``. A constant number of queries whatever the rows.
    """
    advisors = _advisors_matching(Advisor.objects.visible_to(viewer), filters).filter(
        territory_queries.advisors_serving(commune)
    )
    advisors = list(
        nearby.advisors_by_distance(_advisor_cards(advisors, filters), commune).annotate(total=Window(Count("pk")))[
            :NEAR_ADVISORS
        ]
    )
    for advisor in advisors:
        advisor.distance = nearby.distance_text(commune, advisor, nearby.advisor_point(advisor))

    lieux = nearby.lieux_by_distance(_lieux_matching(_lieu_cards(now), filters, viewer), commune, LIEUX_RADIUS_KM)
    if filters.get("ouvert"):
        candidates = []
        for lieu in lieux[:OPEN_CANDIDATES]:
            lieu.status = lieu_status(lieu, now)
            if lieu.status.is_open:
                candidates.append(lieu)
        lieux, lieux_total = candidates[:lieux_limit], len(candidates)
    else:
        lieux = list(lieux.annotate(total=Window(Count("pk")))[:lieux_limit])
        lieux_total = lieux[0].total if lieux else 0
        for lieu in lieux:
            lieu.status = lieu_status(lieu, now)
    for lieu in lieux:
        lieu.distance = nearby.distance_text(commune, lieu, lieu.point)
    return {
        "advisors": NearList(advisors, advisors[0].total if advisors else 0),
        "lieux": NearList(lieux, lieux_total),
        "map": near_map(commune, lieux),
        "coordinators": coordinators([commune.departement_id], viewer),
    }


def near_map(commune, lieux):
    """The communes within ``MAP_RADIUS_KM`` of ``commune`` (outlined; ``commune`` emphasised) and the points of
    ``lieux`` that lie among them. Two queries."""
    around = list(
        Commune.objects.filter(nearby.within(commune.point, MAP_RADIUS_KM))
        .order_by("code")
        .values_list("code", "name", "latitude", "longitude")
    )
    contours = Outline.objects.of(OutlineKind.COMMUNE, [code for code, *_ in around])
    shapes = [
        MapShape(
            code=code,
            name=name,
            contour=contours[code],
            category="here" if code == commune.code else "around",
            href=reverse("overview:near", args=[code]),
            detail="la commune choisie" if code == commune.code else "voir qui fait quoi près de cette commune",
        )
        for code, name, _, _ in around
        if code in contours
    ]
    if not shapes:
        return None
    box = Box.around(commune.point, MAP_RADIUS_KM)
    points = [
        MapPoint(lieu.latitude, lieu.longitude, lieu.name, href=lieu.get_absolute_url(), detail=lieu.distance)
        for lieu in lieux
        if lieu.point and box.lat_min <= lieu.latitude <= box.lat_max and box.lon_min <= lieu.longitude <= box.lon_max
    ]
    # The commune's mark first: a lieu at its very point is drawn over it, not hidden under it.
    points.insert(0, MapPoint(*commune.point, commune.name, detail="la commune choisie", emphasis=True))
    return SvgMap(
        title=f"Les lieux d’accueil autour de {commune.name}",
        shapes=shapes,
        categories=[
            Category("here", commune.name, "#fbe3a0", "hatch", ink="#8a5a00"),
            Category("around", "Communes voisines (à moins de 15 km)", "#f3f5f8"),
        ],
        points=points,
        id_prefix="carte-pres",
    )


def _offers_a_service():
    """The lieu's structure offers at least one service of the national list: the schema's record of a lieu
    without a service would say « Ce lieu n’accueille pas de public »."""
    return Exists(
        Structure.services.through.objects.filter(structure=OuterRef("structure"), domain__kind=DomainKind.SERVICE)
    )


def lieux_export(departement):
    """The lieux of the national export of ``departement`` (overview/schema_lieux.py): accepted, with a service,
    in a stable order, with all their record reads — six queries whatever their number (a département has a
    few hundred lieux at most: one file, built in memory)."""
    return (
        Lieu.objects.accepted()
        .filter(_offers_a_service(), departement=departement)
        .select_related("structure", "commune")
        .prefetch_related(
            "opening_slots", places_queries.current_closures(), "structure__services", "structure__publics"
        )
        .order_by("pk")
    )


def lieux_export_counts():
    """Per département with accepted lieux, in code order: ``departement_id``, ``departement__name``,
    ``exported`` (the lieux with a service, in the export) and ``without_service``. One query."""
    return (
        Lieu.objects.accepted()
        .values("departement_id", "departement__name")
        .annotate(
            exported=Count("pk", filter=Q(_offers_a_service())),
            without_service=Count("pk", filter=~Q(_offers_a_service())),
        )
        .order_by("departement_id")
    )
