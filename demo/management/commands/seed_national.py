import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.national import (
    BENCH_COORDINATOR,
    BENCH_MEMBER,
    NATIONAL_DOMAIN,
    national_data_delete,
    national_data_exists,
    national_network_create,
)
from territories.models import Departement


def figure(number):
    # French thousands separator: a narrow no-break space (25 000).
    return f"{number:,}".replace(",", "\u202f")


class Command(BaseCommand):
    help = (
        "Génère un réseau national fictif pour les mesures de charge : environ 25 000 conseillers, 8 000 "
        "structures, 15 000 lieux, 360 000 niveaux de compétence, 20 000 événements et 30 000 ressources à "
        "l’échelle 1, chaque département au prorata de sa population. Les territoires doivent être chargés "
        "(import_territories). Refuse de "
        f"tourner deux fois sans --reset (qui supprime d’abord les comptes @{NATIONAL_DOMAIN} et leurs "
        "structures) ; refusé hors DEBUG sans --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="part des volumes nationaux (0.01 pour un essai rapide)"
        )
        parser.add_argument("--departements", nargs="+", metavar="CODE", help="limiter à ces départements")
        parser.add_argument("--seed", type=int, default=2026, help="graine du tirage (défaut : 2026)")
        parser.add_argument(
            "--reset", action="store_true", help="supprimer les données nationales déjà générées avant de générer"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="générer même quand DEBUG est désactivé (à réserver à une base de mesure)",
        )

    def handle(self, *args, scale, departements, seed, reset, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG est désactivé : cette base ressemble à une production. seed_national crée des milliers de "
                "comptes dont le mot de passe est connu de tous ; il ne tourne pas ici sans --force "
                "(à réserver à une base de mesure)."
            )
        if not 0 < scale <= 10:
            raise CommandError("--scale doit être compris entre 0 (exclu) et 10, par exemple 0.01 ou 1.")
        chosen = Departement.objects.filter(communes__isnull=False).distinct().order_by("code")
        if departements:
            chosen = chosen.filter(code__in=departements)
            missing = sorted(set(departements) - {departement.code for departement in chosen})
            if missing:
                raise CommandError(
                    f"Aucune commune pour {', '.join(missing)} dans la base : chargez ces départements avec "
                    "« manage.py import_territories »."
                )
        chosen = list(chosen)
        if not chosen:
            raise CommandError(
                "Aucune commune dans la base : chargez d’abord les territoires avec « manage.py import_territories »."
            )

        started = time.perf_counter()
        if national_data_exists():
            if not reset:
                raise CommandError(
                    f"La base contient déjà des données nationales générées (comptes @{NATIONAL_DOMAIN}). "
                    "Relancez avec --reset pour les remplacer."
                )
            deleted = national_data_delete()
            self.stdout.write(
                f"Données nationales précédentes supprimées : {figure(deleted)} lignes "
                f"en {time.perf_counter() - started:.1f} s."
            )

        report = national_network_create(departements=chosen, scale=scale, seed=seed, password=settings.DEMO_PASSWORD)
        counts = report.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Réseau national généré en {time.perf_counter() - started:.1f} s "
                f"({report.departements} départements, échelle {scale:g}, graine {seed}) :"
            )
        )
        lines = [
            f"comptes : {figure(counts['users'])}, dont {figure(counts['pending'])} demandes en attente "
            f"et {figure(counts['coordinators'])} coordinateurs",
            f"profils de conseillers : {figure(counts['advisors'])}, dont {figure(counts['newcomers'])} "
            "arrivés depuis moins de six mois",
            f"structures : {figure(counts['structures'])} ({figure(counts['perimeters'])} communes de périmètre)",
            f"lieux : {figure(counts['lieux'])} ({figure(counts['slots'])} créneaux d’ouverture), "
            f"permanences : {figure(counts['permanences'])}",
            f"communes d’intervention : {figure(counts['intervention_communes'])}, "
            f"langues : {figure(counts['languages'])}, publics : {figure(counts['publics'])}",
            f"niveaux de compétence : {figure(counts['levels'])}",
            f"promos : {figure(counts['promos'])}, cartes projets : {figure(counts['cards'])} "
            f"({figure(counts['interests'])} marques d’intérêt)",
            f"événements : {figure(counts['events'])} ({figure(counts['organisers'])} organisateurs, "
            f"{figure(counts['registrations'])} inscriptions)",
            f"ressources : {figure(counts['resources'])} ({figure(counts['resource_authors'])} auteurs, "
            f"{figure(counts['resource_skills'])} thématiques)",
            f"orientations : {figure(counts['orientations'])}, "
            f"fermetures exceptionnelles de lieux : {figure(counts['closures'])}",
            f"partenaires : {figure(counts['partners'])} ({figure(counts['suggested_partners'])} proposés), "
            f"canaux : {figure(counts['channels'])}, lettres envoyées : {figure(counts['letters'])} "
            f"({figure(counts['deliveries'])} envois), relances : {figure(counts['reminders'])}, "
            f"départs : {figure(counts['departures'])}",
        ]
        for line in lines:
            self.stdout.write(f"  {line}")
        self.stdout.write(
            f"Comptes pour les mesures, dans le réseau {report.bench_departement} "
            f"(mot de passe : {settings.DEMO_PASSWORD}) :"
        )
        self.stdout.write(f"  coordination : {BENCH_COORDINATOR}")
        self.stdout.write(f"  membre       : {BENCH_MEMBER}")
