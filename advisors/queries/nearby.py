"""Who and what is nearest a point: lieux by their own position, advisors by the point of their commune
(or of their structure's commune).

No GIS: the rows are prefiltered by a bounding box on the indexed ``latitude``/``longitude`` columns
(``territories.geo.Box``), ordered and limited in SQL by a flat-earth distance (exact to a few metres
within 100 km, so the order is the haversine one), and the distances shown are the exact ones
(``territories.geo.distance_km``), computed in Python on the few rows kept.
"""

import math

from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.expressions import ExpressionWrapper

from territories.geo import KM_PER_DEGREE, Box, distance_km, format_distance

HERE_TEXT = "dans la commune"


def squared_km(point, latitude, longitude):
    """An SQL expression: the squared flat-earth distance in km² from ``point`` to the row's columns (or
    expressions) ``latitude``/``longitude``; null when the row has no position."""
    lat0, lon0 = point
    shrink = math.cos(math.radians(lat0))
    latitude = F(latitude) if isinstance(latitude, str) else latitude
    longitude = F(longitude) if isinstance(longitude, str) else longitude
    dy = (latitude - Value(lat0)) * Value(KM_PER_DEGREE)
    dx = (longitude - Value(lon0)) * Value(KM_PER_DEGREE * shrink)
    return ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField())


def within(point, radius_km, prefix=""):
    """Condition: the row's ``<prefix>latitude``/``<prefix>longitude`` lie in the box around ``point``: what the
    index answers before any distance is computed."""
    return Q(**Box.around(point, radius_km).lookups(prefix))


def advisor_latitude_longitude():
    """The point an advisor is placed at: their own commune's, else their structure's commune's."""
    has_own = Q(commune__latitude__isnull=False)
    latitude = Case(When(has_own, then=F("commune__latitude")), default=F("structure__commune__latitude"))
    longitude = Case(When(has_own, then=F("commune__longitude")), default=F("structure__commune__longitude"))
    return latitude, longitude


def advisors_by_distance(advisors, commune):
    """``advisors`` annotated with ``here`` (their commune or their structure's is ``commune``) and
    ``near_km2`` (squared distance of their point), nearest first, ``commune``'s own before anyone, those
    without any point last."""
    latitude, longitude = advisor_latitude_longitude()
    here = Q(commune=commune.pk) | Q(commune__isnull=True, structure__commune=commune.pk)
    return advisors.annotate(
        here=Case(When(here, then=Value(0)), default=Value(1)),
        near_km2=squared_km(commune.point, latitude, longitude),
    ).order_by("here", F("near_km2").asc(nulls_last=True), "user__last_name", "user__first_name", "pk")


def lieux_by_distance(lieux, commune, radius_km):
    """``lieux`` in ``commune`` or within ``radius_km`` of its point (whatever their département), nearest
    first with ``commune``'s own first."""
    point = commune.point
    return (
        lieux.annotate(
            here=Case(When(commune=commune.pk, then=Value(0)), default=Value(1)),
            near_km2=squared_km(point, "latitude", "longitude"),
        )
        # Both branches have their index: (département, commune) and (latitude, longitude).
        .filter(
            Q(departement=commune.departement_id, commune=commune.pk)
            | (within(point, radius_km) & Q(near_km2__lte=radius_km * radius_km))
        )
        .order_by("here", F("near_km2").asc(nulls_last=True), "name", "pk")
    )


def advisor_point(advisor):
    """The point ``advisor`` is placed at (see ``advisor_latitude_longitude``), from loaded relations."""
    if advisor.commune is not None and advisor.commune.point is not None:
        return advisor.commune.point
    if advisor.structure is not None and advisor.structure.commune.point is not None:
        return advisor.structure.commune.point
    return None


def distance_text(commune, row, point):
    """« dans la commune », « à 7 km », or "" when ``point`` (the row's) is unknown. Sets ``row.distance_km``."""
    row.distance_km = None if point is None else distance_km(commune.point, point)
    if getattr(row, "here", 1) == 0:
        return HERE_TEXT
    if row.distance_km is None:
        return ""
    return format_distance(row.distance_km)
