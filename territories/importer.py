"""Load the vendored territorial extract (``data/territories.json.gz``) and its geography
(``data/geography.json.gz``: commune points and the outlines of communes, EPCI and départements)
into the database.

The import compares the file with the tables and writes only the differences, in one
transaction: a second run writes nothing, and a yearly update of the COG touches only the
communes whose name, EPCI, population or postal codes moved.
"""

import gzip
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from territories.enums import OutlineKind
from territories.models import EPCI, Commune, Departement, Outline, Region
from territories.signals import territories_imported

DEFAULT_PATH = Path(settings.BASE_DIR) / "data" / "territories.json.gz"
DEFAULT_GEOGRAPHY_PATH = Path(settings.BASE_DIR) / "data" / "geography.json.gz"
SUPPORTED_FORMAT = 1
BATCH_SIZE = 1000

# Columns compared and written, in the order of the tuples below (attnames for foreign keys).
REGION_FIELDS = ("name",)
DEPARTEMENT_FIELDS = ("name", "region_id", "timezone")
EPCI_FIELDS = ("name", "kind")
COMMUNE_FIELDS = (
    "name",
    "departement_id",
    "epci_id",
    "population",
    "postal_codes",
    "search_name",
    "search_text",
    "latitude",
    "longitude",
)
OUTLINE_FIELDS = ("contour",)


class TerritoriesImportError(Exception):
    """The file or the requested départements cannot be imported; the message is for people."""


@dataclass
class Territories:
    """The extract as rows keyed by primary key, values in the order of the *_FIELDS tuples."""

    regions: dict[str, tuple]
    departements: dict[str, tuple]
    epcis: dict[str, tuple]
    communes: dict[str, tuple]
    outlines: dict[str, tuple] = field(default_factory=dict)


@dataclass
class Changes:
    created: int = 0
    updated: int = 0
    deleted: int = 0

    def __bool__(self):
        return bool(self.created or self.updated or self.deleted)


@dataclass
class ImportReport:
    regions: Changes = field(default_factory=Changes)
    departements: Changes = field(default_factory=Changes)
    epcis: Changes = field(default_factory=Changes)
    communes: Changes = field(default_factory=Changes)
    outlines: Changes = field(default_factory=Changes)

    @property
    def changed(self):
        return any((self.regions, self.departements, self.epcis, self.communes, self.outlines))

    def lines(self):
        """The summary shown to whoever ran the import, in French."""
        if not self.changed:
            return ["Aucun changement : les territoires sont à jour."]
        # Régions and départements are never deleted (see territories_import), so no count.
        return [
            f"Régions : {_count(self.regions.created, 'créée')}, {_count(self.regions.updated, 'modifiée')}.",
            f"Départements : {_count(self.departements.created, 'créé')}, "
            f"{_count(self.departements.updated, 'modifié')}.",
            f"EPCI : {_count(self.epcis.created, 'créé')}, {_count(self.epcis.updated, 'modifié')}, "
            f"{_count(self.epcis.deleted, 'supprimé')}.",
            f"Communes : {_count(self.communes.created, 'créée')}, {_count(self.communes.updated, 'modifiée')}, "
            f"{_count(self.communes.deleted, 'supprimée')}.",
            f"Contours : {_count(self.outlines.created, 'créé')}, {_count(self.outlines.updated, 'modifié')}, "
            f"{_count(self.outlines.deleted, 'supprimé')}.",
        ]


def _count(number, participle):
    # French agreement: singular for 0 and 1 ("0 modifiée"), as the templates' ``pluriel`` filter.
    return f"{number} {participle}{'s' if number >= 2 else ''}"


def _load(path, what):
    path = Path(path)
    try:
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            data = json.load(stream)
    except FileNotFoundError as error:
        raise TerritoriesImportError(f"Fichier introuvable : {path}") from error
    except (OSError, EOFError, ValueError) as error:
        raise TerritoriesImportError(f"Fichier illisible ({path}) : {error}") from error
    if not isinstance(data, dict) or data.get("format") != SUPPORTED_FORMAT:
        raise TerritoriesImportError(f"Ce fichier n’est pas {what} au format {SUPPORTED_FORMAT} : {path}")
    return data


def territories_read(path=DEFAULT_PATH, geography_path=DEFAULT_GEOGRAPHY_PATH):
    """Parse the extract written by ``data/build_territories.py`` and the geography written by
    ``data/build_geography.py`` (``geography_path=None`` reads no geography: no points, no outlines)."""
    data = _load(path, "un extrait de territoires")
    geography = _load(geography_path, "une géographie des territoires") if geography_path else None
    try:
        territories = _parse(data)
        if geography is not None:
            _parse_geography(territories, geography)
        return territories
    except (KeyError, TypeError, ValueError) as error:
        raise TerritoriesImportError(f"Fichier mal formé ({path}) : {error!r}") from error


def _parse_geography(territories, data):
    """Add each commune's point (latitude, longitude) and the outlines to ``territories``."""
    scale = data["scale"]
    points = {}
    for code, point, contour in data["communes"]["rows"]:
        if code not in territories.communes:
            continue
        if point is not None:
            points[code] = (point[1] / scale, point[0] / scale)
        if contour:
            territories.outlines[Outline.key_for(OutlineKind.COMMUNE, code)] = (_compact(contour),)
    for code, contour in data["departements"]["rows"]:
        if code in territories.departements:
            territories.outlines[Outline.key_for(OutlineKind.DEPARTEMENT, code)] = (_compact(contour),)
    for siren, contour in data["epcis"]["rows"]:
        if siren in territories.epcis:
            territories.outlines[Outline.key_for(OutlineKind.EPCI, siren)] = (_compact(contour),)
    territories.communes = {
        code: (*row[:7], *points.get(code, (None, None))) for code, row in territories.communes.items()
    }


def _compact(contour):
    return json.dumps(contour, separators=(",", ":"))


def _parse(data):
    def rows(table):
        columns = data[table]["columns"]
        return [dict(zip(columns, row, strict=True)) for row in data[table]["rows"]]

    communes = {}
    for row in rows("communes"):
        postal_codes = " ".join(row["postal_codes"])
        # bulk_create skips Commune.save(), which fills the search columns: fill them here.
        search_name, search_text = Commune.search_columns(row["name"], postal_codes)
        communes[row["code"]] = (
            row["name"],
            row["departement"],
            row["epci"],
            row["population"],
            postal_codes,
            search_name,
            search_text,
            None,  # latitude and longitude, from the geography file
            None,
        )
    return Territories(
        regions={row["code"]: (row["name"],) for row in rows("regions")},
        departements={row["code"]: (row["name"], row["region"], row["timezone"]) for row in rows("departements")},
        epcis={row["siren"]: (row["name"], row["kind"]) for row in rows("epcis")},
        communes=communes,
    )


def normalize_departement_code(code):
    """``"1"`` → ``"01"``, ``"2a"`` → ``"2A"``: what people type for a département."""
    code = code.strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) == 1 else code


def territories_select(territories, *, departement_codes):
    """Keep the communes of ``departement_codes`` and the rows they need (their EPCIs even
    when those span other départements: only the loaded communes join them)."""
    codes = {normalize_departement_code(code) for code in departement_codes}
    unknown = codes - territories.departements.keys()
    if unknown:
        raise TerritoriesImportError(
            f"Département inconnu : {', '.join(sorted(unknown, key=_departement_order))}. "
            f"Codes possibles : {_describe_codes(territories.departements)}."
        )
    communes = {code: row for code, row in territories.communes.items() if row[1] in codes}
    epci_sirens = {row[2] for row in communes.values()} - {None}
    departements = {code: row for code, row in territories.departements.items() if code in codes}
    region_codes = {row[1] for row in departements.values()}
    kept = (
        {Outline.key_for(OutlineKind.COMMUNE, code) for code in communes}
        | {Outline.key_for(OutlineKind.EPCI, siren) for siren in epci_sirens}
        | {Outline.key_for(OutlineKind.DEPARTEMENT, code) for code in departements}
    )
    return Territories(
        regions={code: row for code, row in territories.regions.items() if code in region_codes},
        departements=departements,
        epcis={siren: row for siren, row in territories.epcis.items() if siren in epci_sirens},
        communes=communes,
        outlines={key: row for key, row in territories.outlines.items() if key in kept},
    )


def _departement_order(code):
    # Corsica sits where département 20 was; numeric order elsewhere ("976" after "95").
    return {"2A": 20.1, "2B": 20.2}.get(code) or (int(code) if code.isdigit() else float("inf"))


def _describe_codes(codes):
    """``01 à 19, 2A, 2B, 21 à 95, 971 à 974, 976``: the valid codes in a line."""
    runs = []
    for code in sorted(codes, key=_departement_order):
        if runs and code.isdigit() and runs[-1][-1].isdigit() and int(code) == int(runs[-1][-1]) + 1:
            runs[-1].append(code)
        else:
            runs.append([code])
    return ", ".join(run[0] if len(run) == 1 else f"{run[0]} à {run[-1]}" for run in runs)


def territories_import(*, path=DEFAULT_PATH, geography_path=DEFAULT_GEOGRAPHY_PATH, departement_codes=None):
    """Bring régions, départements, EPCI and communes in line with the extract at ``path``.

    With ``departement_codes``, only those départements' communes are loaded, with the
    régions, départements and EPCI they need. Communes of the loaded départements that are
    no longer in the file are deleted (a membership pointing at one loses its commune), and
    so are EPCI left without communes. Régions and départements are never deleted: they
    almost never change, and memberships and invitations hang on départements.
    """
    territories = territories_read(path, geography_path)
    if departement_codes:
        territories = territories_select(territories, departement_codes=departement_codes)
    report = ImportReport()
    with transaction.atomic():
        report.regions = _sync(Region, "code", REGION_FIELDS, territories.regions)
        report.departements = _sync(Departement, "code", DEPARTEMENT_FIELDS, territories.departements)
        report.epcis = _sync(EPCI, "siren", EPCI_FIELDS, territories.epcis)
        report.communes = _sync(
            Commune,
            "code",
            COMMUNE_FIELDS,
            territories.communes,
            deletable=lambda row: row[1] in territories.departements,
        )
        report.epcis.deleted = _delete_empty_epcis(keep=territories.epcis.keys())
        if geography_path:
            report.outlines = _sync(Outline, "key", OUTLINE_FIELDS, territories.outlines)
            report.outlines.deleted = _delete_orphan_outlines()
        territories_imported.send(sender=territories_import, report=report)
    if report.changed:
        _refresh_planner_statistics()
    return report


def _refresh_planner_statistics():
    """Right after a first load PostgreSQL has no statistics on the new rows and, until
    autovacuum gets to them, plans the picker's ``LIKE '%…%'`` as a sequential scan
    instead of using the trigram index (about ten times slower)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Region, Departement, EPCI, Commune, Outline):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _sync(model, pk_name, fields, wanted, *, deletable=None):
    """Create and update ``model`` rows to match ``wanted`` ({pk: values}); delete the rows
    absent from it for which ``deletable(values)`` is true."""
    existing = {row[0]: row[1:] for row in model.objects.values_list(pk_name, *fields).iterator(chunk_size=5000)}
    changes = Changes()

    to_create = [
        model(**{pk_name: pk}, **dict(zip(fields, values, strict=True)))
        for pk, values in wanted.items()
        if pk not in existing
    ]
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    changes.created = len(to_create)

    # Group the updates by the columns that changed: a yearly refresh mostly changes
    # populations, and there is no point rewriting six other columns of every commune.
    by_columns = defaultdict(list)
    for pk, values in wanted.items():
        current = existing.get(pk)
        if current is None or current == values:
            continue
        changed = [index for index, (old, new) in enumerate(zip(current, values, strict=True)) if old != new]
        by_columns[tuple(changed)].append((pk, *(values[index] for index in changed)))
    for indexes, rows in by_columns.items():
        _update_rows(model, pk_name, [fields[index] for index in indexes], rows)
        changes.updated += len(rows)

    if deletable is not None:
        obsolete = [pk for pk, values in existing.items() if pk not in wanted and deletable(values)]
        for start in range(0, len(obsolete), BATCH_SIZE):
            model.objects.filter(pk__in=obsolete[start : start + BATCH_SIZE]).delete()
        changes.deleted = len(obsolete)
    return changes


def _update_rows(model, pk_name, columns, rows):
    """Set ``columns`` to the values in ``rows`` ((pk, *values) tuples) with one
    ``UPDATE … FROM (VALUES …)`` per batch.

    Not ``bulk_update()``: it builds a ``CASE WHEN pk = … THEN …`` per row and column,
    which takes about 10 s of Python alone to refresh the population of 35,000 communes.
    PostgreSQL and SQLite (3.33+) both run this form and both name the columns of an
    anonymous ``VALUES`` list ``column1``, ``column2``…
    """
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk_column = quote(model._meta.get_field(pk_name).column)
    assignments = ", ".join(
        f"{quote(model._meta.get_field(name).column)} = v.column{position}"
        for position, name in enumerate(columns, start=2)
    )
    row_placeholder = f"({', '.join(['%s'] * (len(columns) + 1))})"
    batch_size = BATCH_SIZE
    if connection.features.max_query_params:
        batch_size = min(batch_size, connection.features.max_query_params // (len(columns) + 1))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row_placeholder] * len(batch))}) AS v "
                f"WHERE {table}.{pk_column} = v.column1",
                [value for row in batch for value in row],
            )


def _delete_orphan_outlines():
    """Outlines of communes, EPCI or départements no longer in the tables (whatever file was loaded)."""
    existing = {
        OutlineKind.COMMUNE: set(Commune.objects.values_list("code", flat=True)),
        OutlineKind.EPCI: set(EPCI.objects.values_list("siren", flat=True)),
        OutlineKind.DEPARTEMENT: set(Departement.objects.values_list("code", flat=True)),
    }
    orphans = []
    for key in Outline.objects.values_list("key", flat=True).iterator(chunk_size=5000):
        kind, code = key.split(":", 1)
        if code not in existing.get(kind, ()):
            orphans.append(key)
    for start in range(0, len(orphans), BATCH_SIZE):
        Outline.objects.filter(key__in=orphans[start : start + BATCH_SIZE]).delete()
    return len(orphans)


def _delete_empty_epcis(*, keep):
    empty = EPCI.objects.filter(communes__isnull=True).values_list("siren", flat=True)
    obsolete = [siren for siren in empty if siren not in keep]
    for start in range(0, len(obsolete), BATCH_SIZE):
        EPCI.objects.filter(siren__in=obsolete[start : start + BATCH_SIZE]).delete()
    return len(obsolete)
