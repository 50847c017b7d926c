"""Seed the thématiques d'accompagnement (national schéma) and the craft skills."""

from django.db import migrations

from skills.vocabularies import SKILLS


def seed(apps, schema_editor):
    Domain = apps.get_model("skills", "Domain")
    Skill = apps.get_model("skills", "Skill")
    domains = {domain.slug: domain for domain in Domain.objects.all()}
    for domain_slug, skills in SKILLS.items():
        for position, (slug, name) in enumerate(skills):
            Skill.objects.update_or_create(
                slug=slug,
                defaults={"name": name, "domain": domains[domain_slug], "position": position, "status": "validated"},
            )


class Migration(migrations.Migration):
    dependencies = [("skills", "0003_skills_advisor_skills_project_cards")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
