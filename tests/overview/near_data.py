"""Communes with their real points (rounded) and square outlines, around Montbrison (Loire), for the
tests of distances: « près de chez moi » and the directory's « les plus proches »."""

import json
from types import SimpleNamespace

from territories.enums import OutlineKind
from territories.geo import distance_km, format_distance
from territories.models import Outline
from tests.territories.factories import CommuneFactory, DepartementFactory, EPCIFactory

MONTBRISON = (45.6074, 4.0630)
SAVIGNEUX = (45.6072, 4.0829)  # 1.5 km
CHAMPDIEU = (45.6457, 4.0455)  # 4.5 km
SAINT_ANTHEME = (45.5248, 3.9193)  # 14.5 km, in the Puy-de-Dôme
BOEN = (45.7440, 4.0049)  # 15.9 km
SAINT_ETIENNE = (45.4396, 4.3875)  # 31 km: beyond the lieux' 30 km


def square(point, half=0.02):
    """A commune outline in the vendored encoding: a square around ``point``."""
    lat, lon = point
    side = round(2 * half * 10_000)
    x, y = round((lon - half) * 10_000), round((lat - half) * 10_000)
    return json.dumps([[[x, y, side, 0, 0, side, -side, 0]]])


def build_geo(loire):
    """Montbrison and its neighbours, Saint-Anthème across the border (Puy-de-Dôme), Saint-Étienne far away."""
    puy_de_dome = DepartementFactory(code="63", name="Puy-de-Dôme")
    loire_forez = EPCIFactory(siren="200065886", name="Loire Forez Agglomération", kind="CA")

    def commune(code, name, point, departement=loire, epci=loire_forez):
        made = CommuneFactory(
            code=code, name=name, departement=departement, epci=epci, latitude=point[0], longitude=point[1]
        )
        Outline.objects.create(key=Outline.key_for(OutlineKind.COMMUNE, code), contour=square(point))
        return made

    return SimpleNamespace(
        montbrison=commune("42147", "Montbrison", MONTBRISON),
        savigneux=commune("42299", "Savigneux", SAVIGNEUX),
        champdieu=commune("42044", "Champdieu", CHAMPDIEU),
        saint_antheme=commune("63322", "Saint-Anthème", SAINT_ANTHEME, puy_de_dome, EPCIFactory(name="Ambert")),
        boen=commune("42019", "Boën-sur-Lignon", BOEN),
        saint_etienne=commune("42218", "Saint-Étienne", SAINT_ETIENNE, epci=EPCIFactory(name="Métropole")),
    )


def expected_distance(a, b):
    """What the page shows, capitalised as it starts a line: « À 1,5 km »."""
    return format_distance(distance_km(a, b)).capitalize()
