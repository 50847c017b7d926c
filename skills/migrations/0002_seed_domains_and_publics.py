"""Seed the national vocabularies (services as domains, publics and specific supports)."""

from django.db import migrations

from skills.vocabularies import CRAFT, PUBLICS, SERVICES, SPECIFIC_SUPPORTS


def seed(apps, schema_editor):
    Domain = apps.get_model("skills", "Domain")
    Public = apps.get_model("skills", "Public")
    for position, (slug, name) in enumerate(SERVICES):
        Domain.objects.update_or_create(slug=slug, defaults={"name": name, "kind": "service", "position": position})
    for position, (slug, name) in enumerate(CRAFT, start=len(SERVICES)):
        Domain.objects.update_or_create(slug=slug, defaults={"name": name, "kind": "metier", "position": position})
    for position, (slug, name) in enumerate(PUBLICS):
        Public.objects.update_or_create(slug=slug, defaults={"name": name, "kind": "public", "position": position})
    for position, (slug, name) in enumerate(SPECIFIC_SUPPORTS):
        Public.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": "prise_en_charge", "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("skills", "0001_domains_and_publics")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
