"""Seed the languages advisors may speak (French, sign and regional languages included)."""

from django.db import migrations

from skills.vocabularies import LANGUAGES


def seed(apps, schema_editor):
    Language = apps.get_model("advisors", "Language")
    for position, (code, name) in enumerate(LANGUAGES):
        Language.objects.update_or_create(code=code, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("advisors", "0002_structures_lieux_advisor_profiles")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
