"""Maps drawn on the server as SVG: no tiles, no JavaScript, no request to anyone.

A map is shapes (communes, EPCI, départements: each a link with an accessible name and a
``<title>``), optional points (lieux), and categories whose fills are patterns as well as
colours, so that the legend reads without colour and in black-and-white print. The page
around the map always gives the same figures as a table (the text alternative).
"""

import hashlib
from dataclasses import dataclass, field

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from territories.enums import OutlineKind
from territories.geo import Projection, bounds, decode
from territories.models import Outline


@dataclass(frozen=True)
class Category:
    """A class of shapes: ``pattern`` is one of ``plain``, ``hatch``, ``dots``, ``cross``, ``none``."""

    key: str
    label: str
    fill: str
    pattern: str = "plain"
    ink: str = "#1e1e1e"


@dataclass
class MapShape:
    code: str
    name: str
    contour: str
    category: str = ""
    href: str = ""
    detail: str = ""  # « zone blanche : aucun lieu à moins de 15 km »

    @property
    def label(self):
        return f"{self.name}\u00a0: {self.detail}" if self.detail else self.name


@dataclass
class MapPoint:
    latitude: float
    longitude: float
    name: str
    href: str = ""
    detail: str = ""
    emphasis: bool = False  # the commune asked about, drawn as a star-like bigger mark


@dataclass
class SvgMap:
    title: str
    shapes: list
    categories: list = field(default_factory=list)
    points: list = field(default_factory=list)
    width: int = 1000
    id_prefix: str = "carte"
    # 0 for a map of France: a unit of a 1000-unit drawing is finer than a screen shows, and halves the bytes.
    decimals: int = 1
    # Read by assistive technologies after the title: where the same figures are as a table.
    description: str = ""
    # Seconds to keep the drawing in Django's cache (0: drawn each time). The key is a digest of
    # everything drawn (contours, categories, links, labels), so new figures or new contours draw anew.
    cache_timeout: int = 0

    def render(self, *, standalone=False):
        """The ``<svg>`` element (``standalone``: with the XML namespace declarations a file needs)."""
        if not self.cache_timeout:
            return self._draw(standalone=standalone)
        key = "svgmap:" + hashlib.sha256(repr((self, standalone)).encode()).hexdigest()
        svg = cache.get(key)
        if svg is None:
            svg = str(self._draw(standalone=standalone))
            cache.set(key, svg, self.cache_timeout)
        return mark_safe(svg)

    def _draw(self, *, standalone):
        decoded = [(shape, decode(shape.contour)) for shape in self.shapes]
        extent = bounds([polygons for _, polygons in decoded])
        if extent is None:
            extent = _points_extent(self.points)
        projection = Projection(extent, width=self.width, decimals=self.decimals)
        by_key = {category.key: category for category in self.categories}
        title_id = f"{self.id_prefix}-titre"
        namespaces = (
            mark_safe(' xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"')
            if standalone
            else ""
        )
        body = []
        for shape, polygons in decoded:
            d = projection.path(polygons)
            if not d:
                continue
            fill = _fill(by_key.get(shape.category), self.id_prefix)
            path = format_html('<path d="{}" fill="{}"><title>{}</title></path>', d, fill, shape.label)
            if shape.href:
                body.append(format_html('<a href="{}" aria-label="{}">{}</a>', shape.href, shape.label, path))
            else:
                body.append(path)
        for point in self.points:
            x, y = projection(point.longitude, point.latitude)
            radius = 9 if point.emphasis else 6
            label = f"{point.name}\u00a0: {point.detail}" if point.detail else point.name
            mark = format_html(
                '<circle class="map-point{}" cx="{}" cy="{}" r="{}"><title>{}</title></circle>',
                " map-point-here" if point.emphasis else "",
                x,
                y,
                radius,
                label,
            )
            if point.href:
                body.append(format_html('<a href="{}" aria-label="{}">{}</a>', point.href, label, mark))
            else:
                body.append(mark)
        description = described_by = ""
        if self.description:
            description = format_html('<desc id="{}-desc">{}</desc>', self.id_prefix, self.description)
            described_by = format_html(' aria-describedby="{}-desc"', self.id_prefix)
        return format_html(
            '<svg{} class="map" viewBox="0 0 {} {}" width="{}" height="{}" role="group" aria-labelledby="{}"{} '
            'preserveAspectRatio="xMidYMid meet"><title id="{}">{}</title>{}'
            '<defs>{}</defs><g class="map-shapes" stroke="#4a4a4a" stroke-width=".6" stroke-linejoin="round">'
            "{}</g></svg>",
            namespaces,
            projection.width,
            projection.height,
            projection.width,
            projection.height,
            title_id,
            described_by,
            title_id,
            self.title,
            description,
            self.patterns(),
            mark_safe("".join(body)),
        )

    def patterns(self):
        return format_html_join("", "{}", ((_pattern(c, self.id_prefix),) for c in self.categories))

    def legend(self):
        """The categories as swatches (same patterns) and labels, for the HTML legend."""
        return [
            {
                "category": category,
                "swatch": format_html(
                    '<svg class="map-swatch" viewBox="0 0 24 16" aria-hidden="true" focusable="false">'
                    '<rect width="24" height="16" fill="{}" stroke="#1e1e1e"/></svg>',
                    _fill(category, self.id_prefix),
                ),
            }
            for category in self.categories
        ]


def _points_extent(points):
    if not points:
        return (0.0, 0.0, 1.0, 1.0)
    lons = [p.longitude for p in points]
    lats = [p.latitude for p in points]
    pad = 0.05
    return (min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad)


def _fill(category, prefix):
    if category is None:
        return "#ffffff"
    if category.pattern in ("plain", "none"):
        return category.fill
    return f"url(#{prefix}-motif-{category.key})"


def _pattern(category, prefix):
    if category.pattern in ("plain", "none"):
        return ""
    marks = {
        "hatch": format_html('<path d="M-2 2l4-4M0 8l8-8M6 10l4-4" stroke="{}" stroke-width="1.6"/>', category.ink),
        "dots": format_html('<circle cx="4" cy="4" r="1.7" fill="{}"/>', category.ink),
        "cross": format_html('<path d="M0 4h8M4 0v8" stroke="{}" stroke-width="1.4"/>', category.ink),
    }[category.pattern]
    return format_html(
        '<pattern id="{}-motif-{}" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<rect width="8" height="8" fill="{}"/>{}</pattern>',
        prefix,
        category.key,
        category.fill,
        marks,
    )


# Population classes: the territories' own figure, for maps that show only territory data (an EPCI's page).
POPULATION_CATEGORIES = [
    Category("moins-500", "moins de 500 habitants", "#ffffff", "plain"),
    Category("500-2000", "de 500 à 1 999 habitants", "#e3ecf7", "dots", "#2a4f7a"),
    Category("2000-10000", "de 2 000 à 9 999 habitants", "#b9cfe8", "hatch", "#1f3d60"),
    Category("10000", "10 000 habitants et plus", "#5b86b8", "cross", "#0f2540"),
]
_POPULATION_FLOORS = [(10_000, "10000"), (2_000, "2000-10000"), (500, "500-2000"), (0, "moins-500")]


def population_category(population):
    """The key of ``POPULATION_CATEGORIES`` for a commune of ``population`` inhabitants."""
    return next(key for floor, key in _POPULATION_FLOORS if (population or 0) >= floor)


def communes_map(communes, *, title, id_prefix="carte", description="", cache_timeout=0):
    """The communes of ``communes`` (a ``Commune`` queryset) classed by population, each a link to its page.

    Two queries (the communes, their outlines) whatever their number; a commune without an outline is not drawn.
    """
    rows = list(communes.order_by("name").values_list("code", "name", "population"))
    outlines = Outline.objects.of(OutlineKind.COMMUNE, [code for code, _, _ in rows])
    # One reverse() for all the communes (each costs about a tenth of a millisecond).
    url = reverse("overview:commune", args=["00000"])
    shapes = [
        MapShape(
            code,
            name,
            outlines[code],
            population_category(population),
            url.replace("00000", code),
            f"{intcomma(population or 0)} habitants",
        )
        for code, name, population in rows
        if code in outlines
    ]
    return SvgMap(
        title,
        shapes,
        categories=POPULATION_CATEGORIES,
        id_prefix=id_prefix,
        decimals=0,
        description=description,
        cache_timeout=cache_timeout,
    )
