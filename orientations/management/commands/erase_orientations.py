from django.conf import settings
from django.core.management.base import BaseCommand

from orientations.services.retention import orientations_erase


class Command(BaseCommand):
    help = (
        "Efface les données personnelles (prénom, téléphone, adresse électronique, message) des orientations "
        "envoyées il y a plus de MAILLAGE_ORIENTATION_RETENTION_DAYS jours. À lancer par cron chaque jour ; "
        "une orientation déjà effacée ne l’est pas deux fois."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="compte les orientations à effacer, sans rien effacer"
        )

    def handle(self, *args, dry_run=False, **options):
        days = settings.ORIENTATION_RETENTION_DAYS
        count = orientations_erase(dry_run=dry_run)
        noun = "orientation" if count < 2 else "orientations"
        if dry_run:
            self.stdout.write(f"{count} {noun} de plus de {days} jours à effacer (essai : rien n’est effacé).")
        else:
            verb = "effacée" if count < 2 else "effacées"
            self.stdout.write(
                self.style.SUCCESS(f"Données personnelles de {count} {noun} de plus de {days} jours {verb}.")
            )
