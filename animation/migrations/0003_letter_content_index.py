"""A GIN index on the letters' content, for the ``@>`` that finds the letters naming a newcomer when she
withdraws her consent or leaves (animation.receivers.letters_forget_newcomer): every profile saved without
that consent asks, so it must not read every letter of France. PostgreSQL only: SQLite reads its few letters."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS letter_content_gin ON animation_letter USING gin (content jsonb_path_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS letter_content_gin")


class Migration(migrations.Migration):
    dependencies = [("animation", "0002_departures")]

    operations = [migrations.RunPython(create_index, drop_index)]
