from django.core.management.base import BaseCommand

from events.services.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Envoie les rappels des événements (deux jours et une heure avant) aux inscrits confirmés et aux "
        "animateurs. À lancer par cron toutes les 10 minutes ; un rappel n’est jamais envoyé deux fois, "
        "même par deux passes simultanées."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="liste les rappels qui partiraient, sans rien envoyer"
        )

    def handle(self, *args, dry_run=False, **options):
        reminders = reminders_send(dry_run=dry_run)
        for reminder in reminders:
            self.stdout.write(str(reminder))
        if dry_run:
            self.stdout.write(f"{len(reminders)} rappel(s) à envoyer (essai : rien n’est envoyé).")
        else:
            self.stdout.write(self.style.SUCCESS(f"{len(reminders)} rappel(s) envoyé(s)."))
