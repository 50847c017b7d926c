"""Reads of structures, their perimeter and their lieux."""

from dataclasses import dataclass, field
from datetime import UTC, timedelta

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from advisors.enums import LieuApproval, PositionSource
from advisors.models import (
    Advisor,
    Lieu,
    LieuClosure,
    PerimeterRequest,
    Permanence,
    Structure,
    StructureAttachment,
)
from advisors.opening_hours import DAY_NAMES, french_time, lieu_status
from territories.enums import OutlineKind
from territories.maps import MapPoint, MapShape, SvgMap
from territories.models import EPCI, Outline
from territories.text import normalize


def structure_list(user):
    """Every structure with its lieux and the advisors ``user`` may see counted in the same query."""
    lieux = Lieu.objects.filter(structure=OuterRef("pk")).values("structure")
    advisors = Advisor.objects.visible_to(user).filter(structure=OuterRef("pk")).values("structure")
    return (
        Structure.objects.with_cards()
        .annotate(
            lieux_count=Coalesce(Subquery(lieux.annotate(n=Count("pk")).values("n")[:1]), 0),
            advisors_count=Coalesce(Subquery(advisors.annotate(n=Count("pk")).values("n")[:1]), 0),
        )
        .order_by("name", "pk")
    )


def structure_page():
    """What the page of a structure shows of the structure itself."""
    return Structure.objects.with_cards().prefetch_related("services", "publics")


def structure_advisors(structure, user):
    """The advisors of ``structure`` that ``user`` may see."""
    return list(Advisor.objects.visible_to(user).filter(structure=structure).with_cards())


@dataclass
class PerimeterGroup:
    """The communes of a perimeter that belong to one EPCI (or to none)."""

    epci: EPCI | None
    communes: list = field(default_factory=list)
    epci_total: int = 0

    @property
    def complete(self):
        return self.epci is not None and len(self.communes) == self.epci_total

    @property
    def key(self):
        """What ``?groupe=`` names to open this group's commune checkboxes."""
        return self.epci.siren if self.epci else "sans-epci"


def perimeter_groups(structure):
    """The perimeter's communes grouped by EPCI (alphabetical, communes without one last). Two queries."""
    communes = structure.perimeter.select_related("epci").order_by("name", "code")
    groups = {}
    for commune in communes:
        groups.setdefault(commune.epci_id, PerimeterGroup(epci=commune.epci)).communes.append(commune)
    totals = dict(
        EPCI.objects.filter(siren__in=[siren for siren in groups if siren])
        .annotate(total=Count("communes"))
        .values_list("siren", "total")
    )
    for siren, group in groups.items():
        group.epci_total = totals.get(siren, 0)
    return sorted(groups.values(), key=lambda group: (group.epci is None, group.epci.name if group.epci else ""))


def perimeter_summary(structure):
    """The perimeter by EPCI, with how many communes and people it covers."""
    groups = perimeter_groups(structure)
    communes = [commune for group in groups for commune in group.communes]
    return {
        "groups": groups,
        "communes_count": len(communes),
        "population": sum(commune.population for commune in communes),
    }


def current_closures(now=None):
    """The prefetch of the lieux' closures not over at ``now`` (default: now), all that ``lieu_status`` and the
    OSM string read: one query per list. Counted from the day before in UTC, so that it holds in every time
    zone of a département (``lieu_status`` reads them on the lieu's own calendar)."""
    since = ((now or timezone.now()).astimezone(UTC) - timedelta(days=1)).date()
    return Prefetch("closures", queryset=LieuClosure.objects.filter(ends_on__gte=since))


def lieux_with_status(structure):
    """The lieux of ``structure``, each with its opening ``status`` now."""
    now = timezone.now()
    lieux = list(
        structure.lieux.all()
        .select_related("commune", "departement")
        .prefetch_related("opening_slots", current_closures())
    )
    for lieu in lieux:
        lieu.status = lieu_status(lieu, now)
    return lieux


def lieu_page():
    """What the page of a lieu shows of the lieu itself."""
    return Lieu.objects.select_related("structure", "commune", "commune__epci", "departement").prefetch_related(
        "opening_slots", current_closures()
    )


def lieu_map(lieu):
    """A small map of ``lieu`` in its commune (one query, the commune's outline), or ``None`` when
    there is nothing to draw (no outline and no position)."""
    commune = lieu.commune
    contour = Outline.objects.of(OutlineKind.COMMUNE, [commune.code]).get(commune.code)
    if contour is None and lieu.point is None:
        return None
    approximate = lieu.position_source == PositionSource.COMMUNE
    shapes = (
        [] if contour is None else [MapShape(commune.code, commune.name, contour, href=commune.get_absolute_url())]
    )
    points = []
    if lieu.point is not None:
        points.append(
            MapPoint(
                lieu.latitude,
                lieu.longitude,
                lieu.name,
                detail="position approximative, au centre de la commune" if approximate else "",
                emphasis=True,
            )
        )
    return SvgMap(f"{lieu.name} dans la commune de {commune.name}", shapes, points=points, width=400, id_prefix="lieu")


def lieu_editable():
    """What the form of a lieu needs of it (its structure for the permission, its hours)."""
    return Lieu.objects.select_related("structure", "structure__departement", "commune").prefetch_related(
        "opening_slots"
    )


def lieu_permanences(lieu, user):
    """[(advisor, ["mercredi 14 h – 17 h", …]), …]: the permanences held at ``lieu`` by the advisors
    ``user`` may see, by name."""
    permanences = (
        Permanence.objects.filter(lieu=lieu, advisor__in=Advisor.objects.visible_to(user))
        .select_related("advisor__user")
        .order_by("advisor__user__last_name", "advisor__user__first_name", "advisor_id", "weekday", "opens")
    )
    grouped = {}
    for permanence in permanences:
        hours = f"{DAY_NAMES[permanence.weekday]} {french_time(permanence.opens)} – {french_time(permanence.closes)}"
        grouped.setdefault(permanence.advisor_id, (permanence.advisor, []))[1].append(hours)
    return list(grouped.values())


def attachment_requests(structure):
    """The members asking to be attached to ``structure``, oldest first."""
    return list(StructureAttachment.objects.filter(structure=structure).select_related("advisor__user"))


@dataclass
class PerimeterAsk:
    """The communes of one département that one structure asks to cover."""

    structure: Structure
    departement_id: str
    communes: list = field(default_factory=list)


def _perimeter_asks(requests):
    asks = {}
    for request in requests.select_related("structure", "structure__commune", "commune").order_by(
        "structure__name", "structure_id", "commune__departement_id", "commune__name"
    ):
        key = (request.structure_id, request.commune.departement_id)
        asks.setdefault(key, PerimeterAsk(request.structure, request.commune.departement_id)).communes.append(
            request.commune
        )
    return list(asks.values())


def pending_perimeter(structure):
    """What ``structure`` asks to cover in other départements, by département."""
    return _perimeter_asks(PerimeterRequest.objects.filter(structure=structure))


def place_requests(departement):
    """What the coordination of ``departement`` has to decide on for structures: members asking
    to join one of its structures, communes of it that structures of elsewhere ask to cover,
    lieux placed in it by structures of elsewhere. Three queries."""
    return {
        "attachments": list(
            StructureAttachment.objects.filter(structure__departement=departement)
            .select_related("advisor__user", "structure")
            .order_by("created_at", "pk")
        ),
        "perimeter_asks": _perimeter_asks(PerimeterRequest.objects.filter(commune__departement=departement)),
        "lieux": list(
            Lieu.objects.filter(departement=departement, approval=LieuApproval.PENDING)
            .select_related("structure", "structure__departement", "commune")
            .order_by("structure__name", "name", "pk")
        ),
    }


STOP_WORDS = {"de", "du", "des", "la", "le", "les", "et", "l", "d", "a", "au", "aux", "en", "pour", "sur"}


def _words(text):
    return {word for word in normalize(text).replace("-", " ").replace("'", " ").split() if word not in STOP_WORDS}


def likely_duplicates(*, name, commune, siret=""):
    """Structures that may be the one about to be created: the same SIRET, or in the same commune
    with a name sharing a word (« Médiathèque Tarentaize » and « Médiathèque de Tarentaize »).
    One query: a commune holds few structures."""
    words = _words(name)
    condition = Q(commune=commune) | Q(siret=siret) if siret else Q(commune=commune)
    return [
        structure
        for structure in Structure.objects.filter(condition).select_related("commune").order_by("name", "pk")
        if (siret and structure.siret == siret) or words & _words(structure.search_text)
    ]
