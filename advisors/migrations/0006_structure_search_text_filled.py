"""Structures get a normalised name column (``search_text``) for the accent-free search, filled here.

The structures list used to lower and strip accents in SQL with about seventy nested ``REPLACE``
calls, which SQLite (the embedded quick-start database) refuses with "parser stack overflow".
No index: France has a few thousand structures, which a scan reads in a blink.
"""

from django.db import migrations, models

from territories.text import normalize


def fill(apps, schema_editor):
    Structure = apps.get_model("advisors", "Structure")
    structures = list(Structure.objects.only("pk", "name"))
    for structure in structures:
        structure.search_text = normalize(structure.name)
    Structure.objects.bulk_update(structures, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("advisors", "0005_advisor_publics")]

    operations = [
        migrations.AddField(
            model_name="structure",
            name="search_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
