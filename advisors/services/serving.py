"""The serving tables (``AdvisorCommune``, ``LieuCommune``): what each advisor and lieu serves, kept
as rows so that "serves this territory" is one indexed lookup (``advisors.queries.territory``).

They are derived from these sources: an advisor's commune, their structure's commune and
perimeter, the communes of the accepted lieux of their permanences, their communes of intervention,
and the département of their network (plus one row per département served, ``AdvisorCommune``); a
lieu's commune and its structure's perimeter, once it is
accepted (``tests/advisors/test_serving.py`` keeps the former predicates over the sources and checks
that the tables agree). Every service that changes a source calls ``serving_refresh`` in its
transaction; ``serving_rebuild`` (``manage.py rebuild_serving``) recomputes everything, for data
written around the services (imports, generators, the admin).

Both are set-based SQL (``INSERT … SELECT``): a constant number of queries whatever the number of
rows, in SQL that PostgreSQL and SQLite both read.
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import QuerySet

from advisors.enums import LieuApproval
from advisors.models import Advisor, AdvisorCommune, Lieu, LieuCommune, Permanence, Structure
from territories.models import Commune


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _advisor_rows_sql(where):
    """``INSERT … SELECT`` of the rows of the advisors whose ``a.id`` passes ``where`` (SQL with one
    ``{id}`` placeholder for the column to test). Returns ``(sql, number of times where appears)``."""
    tables = {
        "advisor": _table(Advisor),
        "structure": _table(Structure),
        "perimeter": _table(Structure.perimeter.through),
        "permanence": _table(Permanence),
        "lieu": _table(Lieu),
        "intervention": _table(Advisor.intervention_communes.through),
        "commune": _table(Commune),
        "served": _table(AdvisorCommune),
    }
    sources = [
        "SELECT a.id AS advisor_id, a.commune_id AS commune_id FROM {advisor} a WHERE a.commune_id IS NOT NULL AND "
        + where.format(id="a.id"),
        "SELECT a.id, s.commune_id FROM {advisor} a JOIN {structure} s ON s.id = a.structure_id WHERE "
        + where.format(id="a.id"),
        "SELECT a.id, sp.commune_id FROM {advisor} a JOIN {perimeter} sp ON sp.structure_id = a.structure_id WHERE "
        + where.format(id="a.id"),
        "SELECT p.advisor_id, l.commune_id FROM {permanence} p JOIN {lieu} l ON l.id = p.lieu_id "
        "WHERE l.approval = '" + LieuApproval.ACCEPTED + "' AND " + where.format(id="p.advisor_id"),
        "SELECT ic.advisor_id, ic.commune_id FROM {intervention} ic WHERE " + where.format(id="ic.advisor_id"),
    ]
    sql = (
        # The CTE after ``INSERT``: a statement that begins with ``WITH`` has no row count on SQLite.
        "INSERT INTO {served} (advisor_id, commune_id, departement_id, epci_id) "
        "WITH served_rows AS (SELECT served.advisor_id, c.code, c.departement_id, c.epci_id "
        "FROM (" + " UNION ".join(sources) + ") served JOIN {commune} c ON c.code = served.commune_id) "
        "SELECT advisor_id, code, departement_id, epci_id FROM served_rows "
        # Each département served as a whole, the network's first: the rows without a commune.
        "UNION ALL SELECT advisor_id, NULL, departement_id, NULL FROM ("
        "SELECT a.id AS advisor_id, a.departement_id FROM {advisor} a WHERE " + where.format(id="a.id") + " "
        "UNION SELECT advisor_id, departement_id FROM served_rows) departements WHERE 1 = 1 "
        # Two refreshes of one advisor are serialised by the row lock of ``serving_refresh``; this only
        # spares the rebuild a failure should a service write meanwhile.
        "ON CONFLICT DO NOTHING"
    )
    return sql.format(**tables), len(sources) + 1


def _lieu_rows_sql(where):
    tables = {
        "lieu": _table(Lieu),
        "perimeter": _table(Structure.perimeter.through),
        "commune": _table(Commune),
        "served": _table(LieuCommune),
    }
    accepted = "l.approval = '" + LieuApproval.ACCEPTED + "' AND " + where.format(id="l.id")
    sql = (
        "INSERT INTO {served} (lieu_id, commune_id, departement_id, epci_id) "
        "WITH served_rows AS (SELECT served.lieu_id, c.code, c.departement_id, c.epci_id FROM ("
        "SELECT l.id AS lieu_id, l.commune_id AS commune_id FROM {lieu} l WHERE " + accepted + " UNION "
        "SELECT l.id, sp.commune_id FROM {lieu} l JOIN {perimeter} sp ON sp.structure_id = l.structure_id "
        "WHERE " + accepted + ") served JOIN {commune} c ON c.code = served.commune_id) "
        "SELECT lieu_id, code, departement_id, epci_id FROM served_rows "
        # Each département served as a whole: the rows without a commune.
        "UNION ALL SELECT DISTINCT lieu_id, NULL, departement_id, NULL FROM served_rows WHERE 1 = 1 "
        "ON CONFLICT DO NOTHING"
    )
    return sql.format(**tables), 2


def _ids(rows):
    if isinstance(rows, QuerySet):
        return rows
    return [getattr(row, "pk", row) for row in rows]


def _refresh(model, served_model, key, ids, rows_sql):
    # Locked in a fixed order: a second refresh of the same rows waits, then reads what the first wrote.
    ids = list(
        model.objects.filter(pk__in=ids).order_by("pk").select_for_update(of=("self",)).values_list("pk", flat=True)
    )
    if not ids:
        return
    in_ids = "{id} IN (" + ", ".join(["%s"] * len(ids)) + ")"
    sql, times = rows_sql(in_ids)
    with connection.cursor() as cursor:
        served_model.objects.filter(**{f"{key}__in": ids}).delete()
        cursor.execute(sql, ids * times)


# No savepoint inside the callers' transaction: what it writes stands or falls with their change.
@transaction.atomic(savepoint=False)
def serving_refresh(*, advisors=(), lieux=()):
    """Recompute the serving rows of ``advisors`` and ``lieux`` (QuerySets, rows or pks) from their
    sources. Six queries at most, whatever their number. Call it inside the transaction of the change:
    it locks the rows it recomputes until that commits."""
    _refresh(Advisor, AdvisorCommune, "advisor", _ids(advisors), _advisor_rows_sql)
    _refresh(Lieu, LieuCommune, "lieu", _ids(lieux), _lieu_rows_sql)


def serving_refresh_structure(*, structure):
    """After a change of a structure's commune or perimeter: its advisors and its lieux."""
    serving_refresh(
        advisors=Advisor.objects.filter(structure=structure).order_by(),
        lieux=Lieu.objects.filter(structure=structure).order_by(),
    )


def serving_refresh_lieu(*, lieu):
    """After a change of a lieu's commune or approval: the lieu and the advisors who hold permanences there."""
    serving_refresh(
        advisors=Advisor.objects.filter(pk__in=Permanence.objects.filter(lieu=lieu).values("advisor")).order_by(),
        lieux=[lieu],
    )


@dataclass(frozen=True)
class ServingCounts:
    advisor_rows: int
    lieu_rows: int


@transaction.atomic(savepoint=False)
def serving_rebuild():
    """Empty the serving tables and fill them again from their sources, in one transaction: readers
    see the old rows until it commits. Returns how many rows each table holds. Five queries."""
    with connection.cursor() as cursor:
        # Holds the services' refreshes back meanwhile: this transaction would not see what they insert.
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {_table(AdvisorCommune)}, {_table(LieuCommune)} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {_table(AdvisorCommune)}")
        cursor.execute(_advisor_rows_sql("1 = 1")[0])
        advisor_rows = cursor.rowcount
        cursor.execute(f"DELETE FROM {_table(LieuCommune)}")
        cursor.execute(_lieu_rows_sql("1 = 1")[0])
        return ServingCounts(advisor_rows=advisor_rows, lieu_rows=cursor.rowcount)
