from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from advisors.enums import MembershipRole
from demo.seed import DEMO_DEPARTEMENT_CODE, demo_network_create
from territories.models import Departement


def count(number, singular, plural):
    # French agreement: singular for 0 and 1.
    return f"{number} {plural if number >= 2 else singular}"


class Command(BaseCommand):
    help = (
        "Crée le réseau de démonstration de la Loire (42) : 2 coordinateurs, 60 membres actifs répartis "
        "dans les EPCI avec leur profil complet, une vingtaine de structures et une quarantaine de lieux avec "
        "leurs horaires, leurs contacts et quelques fermetures exceptionnelles, 5 demandes en attente ; les "
        "compétences de chacun, 3 compétences proposées et une douzaine de cartes projets ; une Fête du "
        "numérique avec son programme, deux rencontres, le "
        "café-visio mensuel, des événements passés et un à La Réunion ; une quarantaine de ressources de tous types "
        "et licences, avec leurs fichiers ; une douzaine d’orientations dans tous les états. Complète une démo "
        "partielle ; sans effet si elle est complète. Refusé hors DEBUG sans --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="créer la démo même quand DEBUG est désactivé (à réserver à une base de démonstration)",
        )

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG est désactivé : cette base ressemble à une production. seed_demo crée des comptes dont "
                "le mot de passe est connu de tous ; il ne tourne pas ici sans --force "
                "(à réserver à une base de démonstration)."
            )
        departement = Departement.objects.filter(code=DEMO_DEPARTEMENT_CODE).first()
        if departement is None or not departement.communes.exists():
            raise CommandError(
                "Aucune commune de la Loire (42) dans la base : chargez d’abord les territoires avec "
                "« manage.py import_territories »."
            )

        report = demo_network_create(departement=departement, password=settings.DEMO_PASSWORD)

        if report.changed:
            created, directory = report.created, report.directory
            self.stdout.write(
                self.style.SUCCESS(
                    f"Réseau de démonstration {departement} : "
                    f"{count(report.users_created, 'compte créé', 'comptes créés')}, "
                    f"{count(created['coordinators'], 'coordinateur', 'coordinateurs')}, "
                    f"{count(created['members'], 'membre actif', 'membres actifs')}, "
                    f"{count(created['pending'], 'demande en attente', 'demandes en attente')}."
                )
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Annuaire : {count(directory['structures'], 'structure créée', 'structures créées')}, "
                    f"{count(directory['lieux'], 'lieu créé', 'lieux créés')} "
                    f"({count(directory['slots'], 'créneau', 'créneaux')} d’ouverture, "
                    f"{count(directory['closures'], 'fermeture exceptionnelle', 'fermetures exceptionnelles')}), "
                    f"{count(directory['profiles'], 'profil créé', 'profils créés')}, "
                    f"{count(directory['cohorts'], 'promo créée', 'promos créées')}."
                )
            )
            skills = report.skills
            self.stdout.write(
                self.style.SUCCESS(
                    f"Compétences : {count(skills['levels'], 'niveau renseigné', 'niveaux renseignés')} "
                    f"(dont {count(skills['notes'], 'avec une précision', 'avec une précision')}), "
                    f"{count(skills['proposed'], 'compétence proposée', 'compétences proposées')}, "
                    f"{count(skills['cards'], 'carte projet créée', 'cartes projets créées')}, "
                    f"{count(skills['interests'], 'marque d’intérêt', 'marques d’intérêt')}."
                )
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Événements : {count(report.events, 'événement créé', 'événements créés')} (une Fête du "
                    "numérique et son programme, des rencontres, le café-visio mensuel, des événements passés)."
                )
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Ressources : {count(report.resources, 'ressource créée', 'ressources créées')} "
                    f"({count(report.resource_files, 'fichier joint', 'fichiers joints')} : PDF, OpenDocument, "
                    "image)."
                )
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Orientations : {count(report.orientations, 'orientation créée', 'orientations créées')} "
                    "(envoyées, prises en charge, réorientées, sans suite)."
                )
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Partenaires : {count(report.partners, 'partenaire créé', 'partenaires créés')} "
                    f"(dont des propositions en attente), "
                    f"{count(report.partner_acquaintances, 'mention', 'mentions')} « je le connais »."
                )
            )
        else:
            self.stdout.write(f"Réseau de démonstration {departement} : déjà en place, rien à créer.")
        totals = report.totals
        self.stdout.write(
            f"La démo compte {count(totals['structures'], 'structure', 'structures')}, "
            f"{count(totals['lieux'], 'lieu', 'lieux')} et "
            f"{count(totals['profiles'], 'profil de conseiller', 'profils de conseillers')} ; "
            f"{count(totals['levels'], 'niveau de compétence', 'niveaux de compétence')}, "
            f"{count(totals['cards'], 'carte projet', 'cartes projets')} et "
            f"{count(totals['interests'], 'marque d’intérêt', 'marques d’intérêt')}."
        )
        self.stdout.write(f"Comptes de démonstration (mot de passe : {settings.DEMO_PASSWORD}) :")
        for account in report.accounts:
            kind = "coordination" if account.role == MembershipRole.COORDINATOR else "membre"
            self.stdout.write(f"  {kind:<12} : {account.email}")
