from django.core.management.base import BaseCommand

from events.queries.series import horizon, series_label
from events.services.series import series_extend_all


class Command(BaseCommand):
    help = (
        "Crée les dates à venir des événements récurrents (cafés-visio…) jusqu’à l’horizon "
        "(EVENTS_SERIES_HORIZON_DAYS, six mois par défaut). Idempotent : à lancer chaque jour par cron ; "
        "une date déjà créée, modifiée ou annulée n’est jamais recréée."
    )

    def handle(self, *args, **options):
        created = series_extend_all()
        for series, events in created.items():
            first = events[0].title
            self.stdout.write(f"{first} ({series_label(series)}) : {len(events)} date(s) ajoutée(s)")
        total = sum(len(events) for events in created.values())
        self.stdout.write(self.style.SUCCESS(f"{total} date(s) créée(s) jusqu’au {horizon():%d/%m/%Y}."))
