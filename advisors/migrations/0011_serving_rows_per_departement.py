"""One serving row without a commune per advisor and département served (not only the network's), so that
"serves this département" reads one row per advisor, and the planner estimates it right."""

from django.db import migrations, models


def fill(apps, schema_editor):
    served = schema_editor.quote_name(apps.get_model("advisors", "AdvisorCommune")._meta.db_table)
    schema_editor.execute(
        f"INSERT INTO {served} (advisor_id, commune_id, departement_id, epci_id) "
        f"SELECT DISTINCT advisor_id, NULL, departement_id, NULL FROM {served} WHERE commune_id IS NOT NULL "
        "ON CONFLICT DO NOTHING"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("advisors", "0010_indexes_for_directory_order_and_filters"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="advisorcommune",
            name="advisor_network_departement_once",
        ),
        migrations.AddConstraint(
            model_name="advisorcommune",
            constraint=models.UniqueConstraint(
                condition=models.Q(("commune__isnull", True)),
                fields=("departement", "advisor"),
                name="advisor_departement_once",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
