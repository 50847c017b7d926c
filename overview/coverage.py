"""Coverage of a territory by the network: zones blanches and empilements, commune by commune.

For a service (or all), each commune of a territory gets its lieux, the structures covering it
(by their perimeter or a lieu in it), the advisors intervening there, the distance to the nearest
lieu offering the service (across the département's border too) and a class:

- **zone blanche**: no lieu within ``distance`` km and no structure covering it;
- **empilement**: at least ``threshold`` structures covering it;
- **couverte**: otherwise.

The advisors are counted with the directory's rule (``Advisor.objects.visible_to(viewer)``): a hidden
profile is in no count, or a small commune's figure would tell of it.

Filters (public or prise en charge, opening, mode) restrict which lieux count; a structure covers
its perimeter under a lieu filter (opening, mode) only if one of its accepted lieux passes it: a
structure with no lieu open on Saturday covers nobody on Saturday.

Four queries whatever the number of communes (the communes, the lieux in the territory's box
enlarged by the distance, the perimeters, the advisors counted by commune); distances are computed
here, the nearest lieu searched in a grid of cells of 0.1 degree.
"""

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import time
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from advisors.enums import SupportMode, Weekday
from advisors.models import Advisor, AdvisorCommune, Lieu, OpeningSlot, Structure
from events.enums import EventKind, EventScope
from skills.enums import DomainKind
from skills.models import Domain, Public
from territories.enums import OutlineKind
from territories.geo import Box, distance_km, format_distance
from territories.maps import Category, MapShape, SvgMap
from territories.models import EPCI, Commune, Departement, Outline
from territories.text import normalize

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


@dataclass(frozen=True)
class StructureRef:
    """A structure covering a commune: what the page shows and links to."""

    pk: int
    name: str

    def get_absolute_url(self):
        return reverse("advisors:structure", args=[self.pk])


@dataclass
class CommuneCoverage:
    commune: object
    lieux: int
    structures: list  # StructureRef, by name
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
        """« dans la commune », « à 7 km », « position inconnue », or None: none within the distance."""
        if self.lieux:
            return "dans la commune"
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
    viewer=None,
    domain=None,
    public=None,
    opening=None,
    mode=None,
    distance=DEFAULT_DISTANCE,
    threshold=DEFAULT_THRESHOLD,
):
    """One ``CommuneCoverage`` per commune of ``territory_communes`` (a QuerySet or a list), in their
    order, and the totals per class weighted by population. ``viewer``: the user whose visible profiles
    are counted (None: a visitor's, the public ones); ``domain``: a service ``Domain`` or None
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

    visible = Advisor.objects.visible_to(viewer if viewer is not None else AnonymousUser())
    advisors = AdvisorCommune.objects.filter(commune_id__in=codes, advisor__in=visible.values("pk"))
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
                structures=sorted((StructureRef(pk, names[pk]) for pk in structure_ids), key=lambda s: (s.name, s.pk)),
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


def _grouped(number):
    """``9800`` → « 9 800 » (a no-break space, as the French locale groups digits)."""
    return f"{number:,}".replace(",", "\xa0")


def _count(number, noun):
    return f"{_grouped(number)} {noun}{'s' if number > 1 else ''}"


# The page: its territory, the order of its table, its map and its exports.


def territory_named(value):
    """The département (``42``, ``2A``, ``974``) or the EPCI (``epci-<SIREN>``, as the skills map says, or
    the bare SIREN) that ``value`` names, or None."""
    value = (value or "").strip().upper().removeprefix("EPCI-")
    if value.isdigit() and len(value) == 9:
        return EPCI.objects.filter(siren=value).first()
    if 2 <= len(value) <= 3 and value.isalnum():
        return Departement.objects.filter(code=value).first()
    return None


def territory_communes(territory):
    """The communes of a département or of an EPCI (which may span départements), by name."""
    communes = Commune.objects.filter(
        **({"epci": territory} if isinstance(territory, EPCI) else {"departement": territory})
    )
    return communes.only("code", "name", "population", "latitude", "longitude", "departement_id").order_by(
        "name", "code"
    )


CLASS_ORDER = {CoverageClass.ZONE_BLANCHE: 0, CoverageClass.EMPILEMENT: 1, CoverageClass.COVERED: 2}
SORTS = {
    "classe": lambda row: (CLASS_ORDER[row.category], -row.population),
    "commune": lambda row: normalize(row.commune.name),
    "population": lambda row: row.population,
    "lieux": lambda row: row.lieux,
    "structures": lambda row: len(row.structures),
    "conseillers": lambda row: row.advisors,
    "distance": lambda row: (row.lieux == 0, row.nearest is None, row.nearest or 0),
}
DEFAULT_SORT = "classe"
EMPILEMENTS_SHOWN = 20  # on the page; all of them are in the table and the exports
# The table's columns: (sort key, heading, numeric).
COLUMNS = [
    ("commune", "Commune", False),
    ("population", "Population", True),
    ("lieux", "Lieux", True),
    ("structures", "Structures", True),
    ("conseillers", "Conseillers", True),
    ("distance", "Lieu le plus proche", False),
    ("classe", "Classe", False),
]


def parse_sort(value):
    """``(column, descending)`` that the ``tri`` parameter names (``population``, ``-population``…); the
    default order, zones blanches first, then empilements, the most populated first, when it names none."""
    name = (value or "").removeprefix("-")
    if name not in SORTS:
        return DEFAULT_SORT, False
    return name, value.startswith("-")


def sort_rows(rows, value):
    name, descending = parse_sort(value)
    return sorted(rows, key=SORTS[name], reverse=descending)


def categories(distance, threshold):
    """The classes as map categories: patterns as well as colours, so the map reads without colour."""
    return [
        Category(
            CoverageClass.ZONE_BLANCHE.value,
            f"zone blanche : aucun lieu à moins de {distance} km ni structure qui la couvre",
            "#fbe0d5",
            "hatch",
            "#a0301a",
        ),
        Category(CoverageClass.COVERED.value, "couverte", "#e2f0e2", "plain"),
        Category(
            CoverageClass.EMPILEMENT.value,
            f"empilement : au moins {threshold} structures la couvrent",
            "#d6e0f5",
            "dots",
            "#1c3a8c",
        ),
    ]


def _plural(count, singular, plural=None):
    return f"{count} {singular if count <= 1 else (plural or singular + 's')}"


def row_detail(row, distance):
    """What a shape's name says after the commune's, short (it is written twice per commune, as the
    link's name and its tooltip): « zone blanche, aucun lieu à moins de 15 km »."""
    parts = [row.category_label]
    if row.lieux:
        parts.append(f"{_plural(row.lieux, 'lieu', 'lieux')} dans la commune")
    elif row.position_unknown:
        parts.append("position inconnue")
    elif row.nearest is None:
        parts.append(f"aucun lieu à moins de {distance} km")
    else:
        parts.append(f"lieu le plus proche {format_distance(row.nearest)}")
    if row.structures:
        parts.append(_plural(len(row.structures), "structure"))
    return ", ".join(parts)


MAP_CACHE_SECONDS = 24 * 3600


class CoverageMap(SvgMap):
    """The map, its drawing kept in Django's cache under a digest of everything drawn (contours, classes,
    links, labels): projecting 320 outlines costs more than the whole rest of the page, and the same
    figures draw the same map."""

    def render(self, *, standalone=False):
        key = "couverture:carte:" + hashlib.sha256(repr((self, standalone)).encode()).hexdigest()
        svg = cache.get(key)
        if svg is None:
            svg = str(super().render(standalone=standalone))
            cache.set(key, svg, MAP_CACHE_SECONDS)
        return mark_safe(svg)


def coverage_map(result, *, title, site_url=""):
    """The territory's communes drawn, each coloured and patterned by its class and linking to its page
    (``site_url`` in front of the links for a map saved as a file). One query: the outlines."""
    outlines = Outline.objects.of(OutlineKind.COMMUNE, [row.commune.code for row in result.rows])
    href = site_url + reverse("overview:commune", args=["CODE"])
    shapes = [
        MapShape(
            code=row.commune.code,
            name=row.commune.name,
            contour=outlines[row.commune.code],
            category=row.category,
            href=href.replace("CODE", row.commune.code),
            detail=row_detail(row, result.distance),
        )
        for row in result.rows
        if row.commune.code in outlines
    ]
    return CoverageMap(
        title=title, shapes=shapes, categories=categories(result.distance, result.threshold), id_prefix="couverture"
    )


def rencontre_url(row, domain):
    """« Proposer une rencontre d’inter-connaissance »: the event form prefilled for this commune with
    its overlapping structures as co-organisers."""
    service = f" : {domain.name[:1].lower()}{domain.name[1:]}" if domain is not None else ""
    query = {
        "departement": row.commune.departement_id,
        "kind": EventKind.RENCONTRE.value,
        "scope": EventScope.COMMUNE.value,
        "commune": row.commune.code,
        "title": f"Rencontre d’inter-connaissance à {row.commune.name}{service}"[:200],
        "structures": ",".join(str(structure.pk) for structure in row.structures),
    }
    return f"{reverse('events:create')}?{urlencode(query)}"


def table_rows(rows, distance):
    """The table's ``<tr>``: written here rather than in a template loop, which costs ten times more
    for the 320 communes of a département (the page's target is well under 200 ms). Every text is
    escaped; the numbers are ours."""
    href = reverse("overview:commune", args=["CODE"])
    none_within = f"aucun à moins de {distance}\xa0km"
    return mark_safe(
        "".join(
            f'<tr class="coverage-{row.category}"><th scope="row">'
            f'<a href="{escape(href.replace("CODE", row.commune.code))}">{escape(row.commune.name)}</a></th>'
            f'<td class="num">{_grouped(row.population)}</td>'
            f'<td class="num">{row.lieux}</td><td class="num">{len(row.structures)}</td>'
            f'<td class="num">{row.advisors}</td><td>{escape(row.nearest_text or none_within)}</td>'
            f"<td>{escape(row.category_label)}</td></tr>"
            for row in rows
        )
    )


EXPORT_HEADER = [
    "Code INSEE",
    "Commune",
    "Population",
    "Lieux dans la commune",
    "Structures qui la couvrent",
    "Conseillers qui y interviennent",
    "Lieu le plus proche (km)",
    "Classe",
    "Noms des structures",
]


def export_rows(result):
    """The table as spreadsheet rows, header first; the distance in km with one decimal, empty when none."""
    yield EXPORT_HEADER
    for row in result.rows:
        yield [
            row.commune.code,
            row.commune.name,
            row.population,
            row.lieux,
            len(row.structures),
            row.advisors,
            round(row.nearest, 1) if row.nearest is not None else None,
            row.category_label,
            ", ".join(structure.name for structure in row.structures),
        ]


# The page's form: a GET form, every field with its French error next to it.


class CoverageForm(forms.Form):
    territoire = forms.CharField(
        label="Territoire",
        help_text="Un département ou une de ses intercommunalités.",
        error_messages={"required": "Choisissez un territoire."},
    )
    service = forms.ModelChoiceField(
        label="Service",
        queryset=Domain.objects.filter(kind=DomainKind.SERVICE).order_by("position", "name"),
        to_field_name="slug",
        required=False,
        empty_label="Tous les services",
        error_messages={"invalid_choice": "Choisissez un service de la liste."},
    )
    public = forms.ModelChoiceField(
        label="Public ou prise en charge spécifique",
        queryset=Public.objects.order_by("kind", "position", "name"),
        to_field_name="slug",
        required=False,
        empty_label="Tous les publics",
        error_messages={"invalid_choice": "Choisissez un public de la liste."},
    )
    ouverture = forms.ChoiceField(
        label="Ouverture",
        choices=[("", "Toutes les heures d’ouverture"), *Opening.choices],
        required=False,
        error_messages={"invalid_choice": "Choisissez une ouverture de la liste."},
    )
    mode = forms.ChoiceField(
        label="Modalité",
        choices=[("", "Toutes les modalités"), *Mode.choices],
        required=False,
        error_messages={"invalid_choice": "Choisissez une modalité de la liste."},
    )
    distance = forms.IntegerField(
        label="Distance (km)",
        min_value=1,
        max_value=100,
        required=False,
        help_text=f"Zone blanche : aucun lieu à moins de cette distance. {DEFAULT_DISTANCE} km par défaut.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": "4"}),
        error_messages={
            "invalid": "Indiquez une distance en kilomètres, un nombre entier de 1 à 100.",
            "min_value": "La distance va de 1 à 100 km.",
            "max_value": "La distance va de 1 à 100 km.",
        },
    )
    seuil = forms.IntegerField(
        label="Seuil d’empilement",
        min_value=2,
        max_value=20,
        required=False,
        help_text=f"Empilement : au moins ce nombre de structures. {DEFAULT_THRESHOLD} par défaut.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": "4"}),
        error_messages={
            "invalid": "Indiquez un nombre entier de structures, de 2 à 20.",
            "min_value": "Le seuil va de 2 à 20 structures.",
            "max_value": "Le seuil va de 2 à 20 structures.",
        },
    )

    def __init__(self, data=None, *, current_departement=None):
        """Unbound (no error shown) when the query is empty and the visitor has no département; the
        visitor's département is the territory when the query names none."""
        if data is not None or current_departement is not None:
            data = data.copy() if data is not None else {}
            if not data.get("territoire") and current_departement is not None:
                data["territoire"] = current_departement.code
            # The defaults show in their fields: a person sees what the figures were computed with.
            for name, default in (("distance", DEFAULT_DISTANCE), ("seuil", DEFAULT_THRESHOLD)):
                if not data.get(name):
                    data[name] = str(default)
        super().__init__(data)
        self.territory = territory_named(data.get("territoire")) if data is not None else None
        # The départements, and the EPCI of the territory's département(s): a dozen, not 1,255.
        departements = list(Departement.objects.order_by("code").values_list("code", "name"))
        choices = [("", "Choisissez un territoire"), ("Départements", [(c, f"{n} ({c})") for c, n in departements])]
        if self.territory is not None:
            if isinstance(self.territory, EPCI):
                epcis = EPCI.objects.filter(
                    pk__in=Commune.objects.filter(
                        departement__in=Commune.objects.filter(epci=self.territory).values("departement")
                    ).values("epci")
                )
            else:
                epcis = EPCI.objects.in_departement(self.territory)
            choices.append(("Intercommunalités", [(f"epci-{e.siren}", e.name) for e in epcis.order_by("name")]))
            if isinstance(self.territory, EPCI):
                self.data["territoire"] = f"epci-{self.territory.siren}"
        self.fields["territoire"].widget = forms.Select(choices=choices)

    def clean_territoire(self):
        if self.territory is None:
            raise ValidationError("Choisissez un département ou une intercommunalité de la liste.")
        return self.territory

    def parameters(self):
        """The arguments of ``coverage()`` (the defaults for what is left empty)."""
        data = self.cleaned_data
        return {
            "domain": data["service"],
            "public": data["public"],
            "opening": data["ouverture"] or None,
            "mode": data["mode"] or None,
            "distance": data["distance"] or DEFAULT_DISTANCE,
            "threshold": data["seuil"] or DEFAULT_THRESHOLD,
        }


def territory_value(territory):
    """What the ``territoire`` parameter says for ``territory``."""
    return f"epci-{territory.siren}" if isinstance(territory, EPCI) else territory.code


def territory_title(territory):
    """« Loire (42) », or the EPCI's name."""
    if isinstance(territory, EPCI):
        return territory.name
    return f"{territory.name} ({territory.code})"
