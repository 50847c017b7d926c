"""One serving row without a commune per lieu and département served, as for the advisors (0011)."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    served = schema_editor.quote_name(apps.get_model("advisors", "LieuCommune")._meta.db_table)
    schema_editor.execute(
        f"INSERT INTO {served} (lieu_id, commune_id, departement_id, epci_id) "
        f"SELECT DISTINCT lieu_id, NULL, departement_id, NULL FROM {served} WHERE commune_id IS NOT NULL "
        "ON CONFLICT DO NOTHING"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("advisors", "0011_serving_rows_per_departement"),
        ("territories", "0002_commune_search_trigram_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="lieucommune",
            name="commune",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="territories.commune",
                verbose_name="commune",
            ),
        ),
        migrations.AddConstraint(
            model_name="lieucommune",
            constraint=models.UniqueConstraint(
                condition=models.Q(("commune__isnull", True)),
                fields=("departement", "lieu"),
                name="lieu_departement_once",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
