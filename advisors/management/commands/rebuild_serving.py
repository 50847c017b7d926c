import time

from django.core.management.base import BaseCommand

from advisors.services.serving import serving_rebuild


class Command(BaseCommand):
    help = (
        "Recalcule les communes servies par chaque conseiller et chaque lieu (tables dérivées de leurs "
        "communes, structures, périmètres, permanences et communes d’intervention), en une transaction. "
        "À lancer après un import ou toute écriture qui ne passe pas par les services ; sans effet sinon."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        counts = serving_rebuild()
        self.stdout.write(
            f"Communes servies recalculées en {time.monotonic() - started:.1f} s : "
            f"{counts.advisor_rows:_} lignes pour les conseillers, {counts.lieu_rows:_} pour les lieux.".replace(
                "_", "\u202f"
            )
        )
