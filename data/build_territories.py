#!/usr/bin/env python3
"""Rebuild ``data/territories.json.gz`` from the npm package ``@etalab/decoupage-administratif``.

Standalone on purpose (standard library only, no Django): the extract is data the project
vendors, and rebuilding it must not depend on the application or its database.

    python data/build_territories.py                     # npm pack the pinned version
    python data/build_territories.py --source DIR        # DIR is an unpacked package/data

The output is deterministic: same source, same bytes (sorted rows and keys, gzip mtime 0),
so a rebuild that changes nothing shows no diff in git.
"""

import argparse
import gzip
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
FORMAT = 1
OUTPUT = Path(__file__).resolve().parent / "territories.json.gz"

SOURCE = {
    "package": PACKAGE,
    "version": VERSION,
    "data": "INSEE, Code officiel géographique 2026 (via Etalab)",
    "licence": "Licence Ouverte 2.0 (Etalab)",
    "licence_url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
    "url": f"https://www.npmjs.com/package/{PACKAGE}/v/{VERSION}",
}

# Départements and régions d'outre-mer are in scope; collectivités d'outre-mer are not
# (no EPCI, other institutions). A code in neither list stops the build: a new COG with a
# new code needs a decision, not a silent guess.
OUT_OF_SCOPE = {"975", "977", "978", "984", "986", "987", "988", "989"}
TIMEZONES = {
    "971": "America/Guadeloupe",
    "972": "America/Martinique",
    "973": "America/Cayenne",
    "974": "Indian/Reunion",
    "976": "Indian/Mayotte",
}
DEFAULT_TIMEZONE = "Europe/Paris"
METROPOLITAN = {f"{number:02d}" for number in range(1, 96) if number != 20} | {"2A", "2B"}
IN_SCOPE = METROPOLITAN | set(TIMEZONES)

EPCI_KINDS = {"CC", "CA", "CU", "METRO", "MET69"}

COLUMNS = {
    "regions": ["code", "name"],
    "departements": ["code", "name", "region", "timezone"],
    "epcis": ["siren", "name", "kind"],
    "communes": ["code", "name", "departement", "epci", "population", "postal_codes"],
}


class BuildError(Exception):
    pass


def fetch_package(workdir):
    """``npm pack`` the pinned version (npm checks the registry's integrity hash) and unpack it."""
    result = subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{VERSION}", "--json", "--pack-destination", str(workdir)],
        check=True,
        capture_output=True,
        text=True,
    )
    tarball = workdir / json.loads(result.stdout)[0]["filename"]
    with tarfile.open(tarball) as archive:
        archive.extractall(workdir, filter="data")
    return workdir / "package" / "data"


def check_version(data_dir):
    package_json = data_dir.parent / "package.json"
    if not package_json.exists():
        return
    version = json.loads(package_json.read_text(encoding="utf-8"))["version"]
    if version != VERSION:
        raise BuildError(f"{package_json} is version {version}, expected {VERSION}")


def load(data_dir, name):
    return json.loads((data_dir / f"{name}.json").read_text(encoding="utf-8"))


def build(data_dir):
    check_version(data_dir)
    departements = load(data_dir, "departements")
    unknown = {dep["code"] for dep in departements} - IN_SCOPE - OUT_OF_SCOPE
    if unknown:
        raise BuildError(f"départements neither in nor out of scope: {sorted(unknown)}")
    departements = [dep for dep in departements if dep["code"] in IN_SCOPE]
    missing = IN_SCOPE - {dep["code"] for dep in departements}
    if missing:
        raise BuildError(f"départements missing from the source: {sorted(missing)}")

    region_codes = {dep["region"] for dep in departements}
    regions = [region for region in load(data_dir, "regions") if region["code"] in region_codes]

    records = load(data_dir, "communes")
    # Communes déléguées and associées reuse codes (584 are shared with their commune
    # nouvelle) and arrondissements municipaux duplicate their city's population: only the
    # current communes are communes.
    communes = {
        rec["code"]: rec for rec in records if rec["type"] == "commune-actuelle" and rec["departement"] in IN_SCOPE
    }
    postal_codes = {code: set(rec["codesPostaux"]) for code, rec in communes.items()}
    for rec in records:
        if rec["type"] == "arrondissement-municipal":
            # A postal code is looked up on the city, so keep the arrondissements' ones there
            # (in 6.0.0 they already are: the union changes nothing).
            postal_codes[rec["commune"]] |= set(rec["codesPostaux"])

    epci_of = {}
    epcis = []
    for epci in load(data_dir, "epci"):
        if epci["type"] not in EPCI_KINDS:
            raise BuildError(f"EPCI {epci['code']} has unknown kind {epci['type']!r}")
        members = [member["code"] for member in epci["membres"] if member["code"] in communes]
        for code in members:
            if code in epci_of:
                raise BuildError(f"commune {code} is in EPCI {epci_of[code]} and {epci['code']}")
            epci_of[code] = epci["code"]
        if members:
            epcis.append(epci)

    tables = {
        "regions": [[r["code"], r["nom"]] for r in regions],
        "departements": [
            [d["code"], d["nom"], d["region"], TIMEZONES.get(d["code"], DEFAULT_TIMEZONE)] for d in departements
        ],
        "epcis": [[e["code"], e["nom"], e["type"]] for e in epcis],
        "communes": [
            [code, rec["nom"], rec["departement"], epci_of.get(code), rec["population"], sorted(postal_codes[code])]
            for code, rec in communes.items()
        ],
    }
    for rows in tables.values():
        rows.sort(key=lambda row: row[0])
    return tables


def serialize(tables):
    """JSON with one row per line, so ``zcat territories.json.gz | grep 42218`` reads well."""

    def dump(value):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    parts = ["{", f'"format":{FORMAT},', f'"source":{dump(SOURCE)},']
    for position, name in enumerate(sorted(tables)):
        rows = ",\n".join(dump(row) for row in tables[name])
        comma = "," if position < len(tables) - 1 else ""
        parts.append(f'"{name}":{{"columns":{dump(COLUMNS[name])},"rows":[\n{rows}\n]}}{comma}')
    parts.append("}\n")
    return "\n".join(parts).encode("utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="an unpacked package/data directory (default: npm pack)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as workdir:
        data_dir = args.source or fetch_package(Path(workdir))
        tables = build(data_dir)
    payload = serialize(tables)
    json.loads(payload)  # never vendor a file the importer cannot read
    args.output.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))

    counts = ", ".join(f"{len(rows)} {name}" for name, rows in tables.items())
    print(f"{args.output}: {counts}; {args.output.stat().st_size} bytes", file=sys.stderr)


if __name__ == "__main__":
    try:
        main()
    except BuildError as error:
        sys.exit(f"error: {error}")
