"""Geography without GIS: distances between WGS 84 points, bounding boxes for an indexed prefilter,
and the vendored contours (``data/build_geography.py``) decoded and drawn as SVG paths.

At the scale of a département or of France, a sphere is exact enough: the haversine distance
is within 0.5 % of the geodesic one, far below what "à 7 km" shows.
"""

import json
import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180  # about 111.2 km along a meridian
SCALE = 10_000  # the contours' integers are 1e-4 degree
BOX_SLACK_DEGREES = 1e-7


def distance_km(a, b):
    """Great-circle distance between two ``(latitude, longitude)`` points, in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class Box:
    """A latitude/longitude rectangle: what an index can prefilter before exact distances."""

    lat_min: float
    lat_max: float
    lon_min: float
    lon_max: float

    @classmethod
    def around(cls, point, radius_km):
        """The rectangle holding every point within ``radius_km`` of ``point``."""
        lat, lon = point
        dlat = radius_km / KM_PER_DEGREE
        dlon = radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(min(89.0, abs(lat) + dlat))), 0.01))
        # A centimetre more: a point exactly on the circle stays inside despite floating-point rounding.
        dlat, dlon = dlat + BOX_SLACK_DEGREES, dlon + BOX_SLACK_DEGREES
        return cls(lat - dlat, lat + dlat, lon - dlon, lon + dlon)

    def lookups(self, prefix=""):
        """Keyword arguments for ``.filter()`` on ``<prefix>latitude`` / ``<prefix>longitude`` columns."""
        return {
            f"{prefix}latitude__gte": self.lat_min,
            f"{prefix}latitude__lte": self.lat_max,
            f"{prefix}longitude__gte": self.lon_min,
            f"{prefix}longitude__lte": self.lon_max,
        }


def format_distance(km):
    """« dans la commune » is the caller's; here « à 800 m », « à 7 km », « à 12 km »."""
    metres = max(100, round(km * 10) * 100)
    if metres < 1000:  # 0.96 km reads « à 1 km », not « à 1000 m »
        return f"à {metres} m"
    if km < 10:
        rounded = round(km, 1)
        text = f"{rounded:.1f}".replace(".", ",").removesuffix(",0")
        return f"à {text} km"
    return f"à {round(km)} km"


def decode(contour):
    """The vendored encoding (a JSON string or its parsed list) → polygons of rings of (lon, lat)."""
    if isinstance(contour, str):
        contour = json.loads(contour) if contour else []
    polygons = []
    for polygon in contour:
        rings = []
        for flat in polygon:
            x, y = flat[0], flat[1]
            ring = [(x / SCALE, y / SCALE)]
            for index in range(2, len(flat), 2):
                x += flat[index]
                y += flat[index + 1]
                ring.append((x / SCALE, y / SCALE))
            rings.append(ring)
        polygons.append(rings)
    return polygons


def bounds(polygons_list):
    """(lon_min, lat_min, lon_max, lat_max) of several decoded contours, or None."""
    xs, ys = [], []
    for polygons in polygons_list:
        for rings in polygons:
            for x, y in rings[0]:
                xs.append(x)
                ys.append(y)
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


class Projection:
    """Equirectangular projection fitted to ``extent`` (lon_min, lat_min, lon_max, lat_max) in a
    ``width``-unit-wide drawing: longitudes shrink by the cosine of the middle latitude, which
    keeps shapes true at the scale of a département."""

    def __init__(self, extent, width=1000, margin=8, decimals=1):
        lon_min, lat_min, lon_max, lat_max = extent
        self.shrink = math.cos(math.radians((lat_min + lat_max) / 2))
        span_x = max((lon_max - lon_min) * self.shrink, 1e-6)
        span_y = max(lat_max - lat_min, 1e-6)
        self.scale = (width - 2 * margin) / span_x
        self.lon_min, self.lat_max, self.margin = lon_min, lat_max, margin
        self.width = width
        self.height = round(span_y * self.scale + 2 * margin)
        # Coordinates snap to a grid of 10^-decimals drawing units. The snapping depends on the point
        # alone, so two neighbours' common border stays one line (no slivers), and at the scale of
        # France (``decimals=0``) the vertices that fall on the same unit merge: a third of the bytes.
        self.decimals = decimals

    def __call__(self, lon, lat):
        x = (lon - self.lon_min) * self.shrink * self.scale + self.margin
        y = (self.lat_max - lat) * self.scale + self.margin
        return round(x, self.decimals), round(y, self.decimals)

    def path(self, polygons):
        """An SVG path ``d`` (relative moves on the grid of ``decimals``) for decoded polygons: repeated
        points are dropped and consecutive moves in the same direction merged into one."""
        unit = 10**self.decimals
        parts = []
        for rings in polygons:
            for ring in rings:
                # Integers on the grid: exact equality for repeated points and collinear moves.
                points = [(round(x * unit), round(y * unit)) for x, y in (self(lon, lat) for lon, lat in ring)]
                deltas = []
                x0, y0 = points[0]
                for x, y in points[1:]:
                    dx, dy = x - x0, y - y0
                    if not (dx or dy):
                        continue
                    x0, y0 = x, y
                    if deltas:
                        px, py = deltas[-1]
                        # Same direction as the previous move (collinear, not turning back): one move.
                        if px * dy == py * dx and px * dx + py * dy > 0:
                            deltas[-1] = (px + dx, py + dy)
                            continue
                    deltas.append((dx, dy))
                if len(deltas) < 2:
                    continue
                start_x, start_y = points[0]
                d = self.decimals
                moves = " ".join(f"{_n(dx / unit, d)} {_n(dy / unit, d)}" for dx, dy in deltas)
                # A minus sign separates two numbers by itself: « 9 -5 » is « 9-5 ».
                parts.append(f"M{_n(start_x / unit, d)} {_n(start_y / unit, d)}l{moves}z".replace(" -", "-"))
        return "".join(parts)


def _n(value, decimals=1):
    """``12.0`` → ``12``, ``-0.5`` → ``-.5``: fewer bytes per coordinate."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text.startswith("0."):
        return text[1:]
    if text.startswith("-0."):
        return "-" + text[2:]
    return "0" if text in ("", "-0") else text
