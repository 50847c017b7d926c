"""Fill the directory's search column (normalised name, structure and bio) of existing profiles."""

from django.db import migrations

from territories.text import normalize


def fill(apps, schema_editor):
    Advisor = apps.get_model("advisors", "Advisor")
    profiles = list(Advisor.objects.select_related("user", "structure"))
    for profile in profiles:
        name = f"{profile.user.first_name} {profile.user.last_name}"
        structure = profile.structure.name if profile.structure_id else ""
        profile.search_text = normalize(" ".join(part for part in (name, structure, profile.bio) if part))
    Advisor.objects.bulk_update(profiles, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("advisors", "0003_seed_languages")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
