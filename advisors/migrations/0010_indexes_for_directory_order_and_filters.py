"""Indexes for the national directory and structures list (issue 9).

- ``user_name_order``: the order of every list of people. A directory page reads its 20 ids
  from it (a nested loop stopping at the 20th visible profile) instead of sorting all of them.
- ``advisor_role`` and ``structure_kind``: the role and structure-kind filters across all of
  France (``advisor_dep_role`` and ``structure_dep_kind`` need a département first).
- Trigram indexes on ``search_text`` of advisors and structures, on PostgreSQL: the free-text
  search is ``LIKE '%word%'``, like the commune picker's (``territories.0002``).

The other filters already have theirs: promo (``cohort`` foreign key), newcomers
(``advisor_arrival``), languages and publics (the foreign keys of their link tables), skills
(``advisor_skill_unique`` for the per-profile test, ``advisor_skill_skill_level``). Co-animation
(about a third of the profiles) and visibility (nine in ten are visible to a member) would not
be read through an index: scanning is cheaper at that share.
"""

from django.db import migrations, models

TRIGRAM_INDEXES = {
    "advisor_search_trgm": "advisors_advisor",
    "structure_search_trgm": "advisors_structure",
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in TRIGRAM_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("advisors", "0009_serving_tables"),
        ("territories", "0002_commune_search_trigram_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="user",
            index=models.Index(fields=["last_name", "first_name"], name="user_name_order"),
        ),
        migrations.AddIndex(
            model_name="advisor",
            index=models.Index(fields=["role"], name="advisor_role"),
        ),
        migrations.AddIndex(
            model_name="structure",
            index=models.Index(fields=["kind"], name="structure_kind"),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
