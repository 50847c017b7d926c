"""The library's French full-text search.

On PostgreSQL: the ``unaccent`` extension, a ``french_unaccent`` text search configuration (French
stemming over unaccented words), a trigger writing ``search_vector`` (title A, summary B, body C) on every
insert and update, and its GIN index. On SQLite (the embedded default) only the column is added: the
search uses ``search_text``, which this migration fills for existing rows on every database.
"""

import django.contrib.postgres.search
from django.db import migrations

POSTGRES_FORWARD = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
CREATE OR REPLACE FUNCTION resources_resource_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('french_unaccent', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('french_unaccent', coalesce(NEW.summary, '')), 'B')
        || setweight(to_tsvector('french_unaccent', coalesce(NEW.body, '')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS resources_resource_search_vector ON resources_resource;
CREATE TRIGGER resources_resource_search_vector
    BEFORE INSERT OR UPDATE OF title, summary, body, search_text ON resources_resource
    FOR EACH ROW EXECUTE FUNCTION resources_resource_search_vector();
CREATE INDEX IF NOT EXISTS resource_search_vector_idx ON resources_resource USING gin (search_vector);
UPDATE resources_resource SET title = title;
"""

POSTGRES_BACKWARD = """
DROP INDEX IF EXISTS resource_search_vector_idx;
DROP TRIGGER IF EXISTS resources_resource_search_vector ON resources_resource;
DROP FUNCTION IF EXISTS resources_resource_search_vector();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    from territories.text import normalize

    Resource = apps.get_model("resources", "Resource")
    for resource in Resource.objects.only("title", "summary", "body").iterator():
        text = normalize(f"{resource.title} {resource.summary} {resource.body}")
        Resource.objects.filter(pk=resource.pk).update(search_text=text)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_resource_library")]

    operations = [
        migrations.AddField(
            model_name="resource",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forward, backward),
    ]
