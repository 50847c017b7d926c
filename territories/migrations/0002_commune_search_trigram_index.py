"""Trigram index for the commune picker on PostgreSQL.

The picker matches ``LIKE '%word%'`` on ``search_text``; a GIN trigram index answers it
in a few milliseconds over all French communes. SQLite (the embedded quick-start
database) has no such index type and does not need one at that size.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS territories_commune_search_trgm "
        "ON territories_commune USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS territories_commune_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("territories", "0001_regions_departements_epcis_communes")]

    operations = [migrations.RunPython(create_index, drop_index)]
