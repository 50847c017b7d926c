"""Coverage of a territory by the network: zones blanches and empilements, commune by commune.

For a service (or all), each commune of a territory gets its lieux, the structures covering it
(by their perimeter or a lieu in it), the advisors intervening there, the distance to the nearest
lieu offering the service (across the département's border too) and a class:

- **zone blanche**: no lieu within ``distance`` km and no structure covering it;
- **empilement**: at least ``threshold`` structures covering it;
- **couverte**: otherwise.

Filters (public or prise en charge, opening, mode) restrict which lieux count; a structure covers
its perimeter under a lieu filter (opening, mode) only if one of its accepted lieux passes it: a
structure with no lieu open on Saturday covers nobody on Saturday.

Four queries whatever the number of communes (the communes, the lieux in the territory's box
enlarged by the distance, the perimeters, the advisors counted by commune); distances are computed
here, the nearest lieu searched in a grid of cells of 0.1 degree.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import time

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q

from advisors.enums import SupportMode, Weekday
from advisors.models import AdvisorCommune, Lieu, OpeningSlot, Structure
from territories.geo import Box, distance_km, format_distance

DEFAULT_DISTANCE = 15
DEFAULT_THRESHOLD = 3
EVENING = time(18, 0)
CELL = 0.1  # degrees: the grid of the nearest-lieu search


class CoverageClass(models.TextChoices):
    ZONE_BLANCHE = "zone_blanche", "zone blanche"
    COVERED = "couverte", "couverte"
    EMPILEMENT = "empilement", "empilement"


class Opening(models.TextChoices):
    SATURDAY = "samedi", "ouvert le samedi"
    EVENING = "soir", "ouvert après 18 h"


class Mode(models.TextChoices):
    ITINERANT = "itinerant", "itinérant"
    REMOTE = "a_distance", "à distance"


@dataclass
class CommuneCoverage:
    commune: object
    lieux: int
    structures: list  # Structure instances carrying only ``pk`` and ``name``, by name
    advisors: int
    nearest: float | None  # km; None: no lieu within the distance, or no position
    category: str

    @property
    def population(self):
        return self.commune.population

    @property
    def position_unknown(self):
        return self.commune.point is None

    @property
    def nearest_text(self):
        """« à 7 km », « dans la commune », « aucun à moins de 15 km », « position inconnue »."""
        if self.position_unknown:
            return "position inconnue"
        if self.nearest is None:
            return None
        return format_distance(self.nearest)

    @property
    def category_label(self):
        return CoverageClass(self.category).label


@dataclass
class ClassTotal:
    category: str
    communes: int = 0
    population: int = 0

    @property
    def label(self):
        return CoverageClass(self.category).label


@dataclass
class Coverage:
    rows: list
    totals: dict = field(default_factory=dict)  # CoverageClass value → ClassTotal
    distance: int = DEFAULT_DISTANCE
    threshold: int = DEFAULT_THRESHOLD

    @property
    def empilements(self):
        return [row for row in self.rows if row.category == CoverageClass.EMPILEMENT]


def _lieu_filters(*, public=None, opening=None, mode=None):
    """Conditions on ``Lieu`` rows for the filters other than the service (which the caller adds)."""
    condition = Q()
    if public is not None:
        condition &= Q(structure__publics=public)
    if opening == Opening.SATURDAY:
        condition &= Exists(OpeningSlot.objects.filter(lieu=OuterRef("pk"), weekday=Weekday.SATURDAY))
    elif opening == Opening.EVENING:
        condition &= Exists(OpeningSlot.objects.filter(lieu=OuterRef("pk"), closes__gt=EVENING))
    if mode == Mode.ITINERANT:
        condition &= Q(itinerant=True)
    elif mode == Mode.REMOTE:
        # ``icontains`` on the JSON list's text: portable (``contains`` on a JSONField is not, on SQLite).
        condition &= Q(support_modes__icontains=SupportMode.REMOTE.value)
    return condition


def _territory_box(communes, distance):
    points = [commune.point for commune in communes if commune.point is not None]
    if not points:
        return None
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    south = Box.around((min(lats), min(lons)), distance)
    north = Box.around((max(lats), max(lons)), distance)
    return Box(south.lat_min, north.lat_max, min(south.lon_min, north.lon_min), max(south.lon_max, north.lon_max))


def _cell(lat, lon):
    return (math.floor(lat / CELL), math.floor(lon / CELL))


def _nearest(point, grid, distance):
    """The smallest distance from ``point`` to a lieu of ``grid`` within ``distance`` km, or None."""
    box = Box.around(point, distance)
    (row_min, col_min), (row_max, col_max) = _cell(box.lat_min, box.lon_min), _cell(box.lat_max, box.lon_max)
    best = None
    for row in range(row_min, row_max + 1):
        for col in range(col_min, col_max + 1):
            for lieu_point in grid.get((row, col), ()):
                km = distance_km(point, lieu_point)
                if km <= distance and (best is None or km < best):
                    best = km
    return best


def coverage(
    territory_communes,
    *,
    domain=None,
    public=None,
    opening=None,
    mode=None,
    distance=DEFAULT_DISTANCE,
    threshold=DEFAULT_THRESHOLD,
):
    """One ``CommuneCoverage`` per commune of ``territory_communes`` (a QuerySet or a list), in their
    order, and the totals per class weighted by population. ``domain``: a service ``Domain`` or None
    for all services; ``public``: a ``Public`` or None; ``opening``: an ``Opening``; ``mode``: a
    ``Mode``."""
    communes = list(territory_communes)
    codes = [commune.code for commune in communes]

    # The lieux that count: accepted, offering the service, passing the filters; in the territory's
    # communes or close enough to one of them to be its nearest (across the border too).
    lieu_condition = _lieu_filters(public=public, opening=opening, mode=mode)
    lieux = Lieu.objects.accepted().filter(lieu_condition)
    if domain is not None:
        lieux = lieux.filter(structure__services=domain)
    box = _territory_box(communes, distance)
    where = Q(commune_id__in=codes)
    if box is not None:
        where |= Q(**box.lookups())
    lieu_rows = list(
        lieux.filter(where).values_list("commune_id", "structure_id", "structure__name", "latitude", "longitude")
    )

    # The structures covering by their perimeter: offering the service, serving the public, and under
    # a lieu filter (opening, mode) having a lieu that passes it.
    structures = Structure.objects.all()
    if domain is not None:
        structures = structures.filter(services=domain)
    if public is not None:
        structures = structures.filter(publics=public)
    if opening or mode:
        matching = Lieu.objects.accepted().filter(_lieu_filters(opening=opening, mode=mode), structure=OuterRef("pk"))
        structures = structures.filter(Exists(matching))
    perimeter_rows = list(
        Structure.perimeter.through.objects.filter(
            commune_id__in=codes, structure_id__in=structures.values("pk")
        ).values_list("commune_id", "structure_id", "structure__name")
    )

    advisors = AdvisorCommune.objects.filter(commune_id__in=codes)
    if domain is not None:
        advisors = advisors.filter(advisor__structure__services=domain)
    advisor_counts = dict(advisors.values("commune_id").annotate(n=Count("advisor_id")).values_list("commune_id", "n"))

    names = {}
    lieux_in = defaultdict(int)
    covering = defaultdict(set)
    grid = defaultdict(list)
    territory = set(codes)
    for commune_id, structure_id, structure_name, lat, lon in lieu_rows:
        if commune_id in territory:
            lieux_in[commune_id] += 1
            covering[commune_id].add(structure_id)
            names[structure_id] = structure_name
        if lat is not None and lon is not None:
            grid[_cell(lat, lon)].append((lat, lon))
    for commune_id, structure_id, structure_name in perimeter_rows:
        covering[commune_id].add(structure_id)
        names[structure_id] = structure_name

    totals = {category: ClassTotal(category) for category in CoverageClass.values}
    rows = []
    for commune in communes:
        point = commune.point
        nearest = _nearest(point, grid, distance) if point is not None else None
        structure_ids = covering.get(commune.code, set())
        if len(structure_ids) >= threshold:
            category = CoverageClass.EMPILEMENT
        elif structure_ids or nearest is not None:
            category = CoverageClass.COVERED
        else:
            category = CoverageClass.ZONE_BLANCHE
        rows.append(
            CommuneCoverage(
                commune=commune,
                lieux=lieux_in.get(commune.code, 0),
                structures=sorted(
                    (Structure(pk=pk, name=names[pk]) for pk in structure_ids), key=lambda s: (s.name, s.pk)
                ),
                advisors=advisor_counts.get(commune.code, 0),
                nearest=nearest,
                category=category.value,
            )
        )
        total = totals[category.value]
        total.communes += 1
        total.population += commune.population
    return Coverage(rows=rows, totals=totals, distance=distance, threshold=threshold)


def service_phrase(domain):
    """« pour l’aide aux démarches administratives », « pour la maîtrise des outils… », « tous services confondus »."""
    if domain is None:
        return "tous services confondus"
    name = domain.name[:1].lower() + domain.name[1:]
    if name[:1] in "aeiouyhéèêàâîôû":
        return f"pour l’{name}"
    if name.split(" ", 1)[0].endswith("s"):
        return f"pour les {name}"
    return f"pour la {name}"


def summary(result, domain):
    """The figures per class, weighted by population, as sentences:
    « 14 communes, 9 800 habitants, sans lieu à moins de 15 km pour l’aide aux démarches administratives »."""
    service = service_phrase(domain)
    sentences = []
    for category, tail in (
        (CoverageClass.ZONE_BLANCHE, f"sans lieu à moins de {result.distance} km"),
        (CoverageClass.EMPILEMENT, f"couvertes par au moins {result.threshold} structures"),
        (CoverageClass.COVERED, "couvertes sans empilement"),
    ):
        total = result.totals[category]
        sentences.append(
            {
                "category": category.value,
                "label": category.label,
                "communes": total.communes,
                "population": total.population,
                "text": f"{_count(total.communes, 'commune')}, {_count(total.population, 'habitant')}, "
                f"{tail} {service}",
            }
        )
    return sentences


def _count(number, noun):
    grouped = f"{number:,}".replace(",", "\xa0")
    return f"{grouped} {noun}{'s' if number > 1 else ''}"
