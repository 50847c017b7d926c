from django.core.management.base import BaseCommand, CommandError

from territories.importer import DEFAULT_PATH, TerritoriesImportError, territories_import


class Command(BaseCommand):
    help = (
        "Charge ou met à jour régions, départements, EPCI et communes depuis l’extrait vendu dans data/ "
        "(INSEE COG, via @etalab/decoupage-administratif). Sans effet si tout est déjà à jour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--departements",
            nargs="+",
            metavar="CODE",
            help="ne charger que les communes de ces départements (ex. : 42 73 2A 974)",
        )
        parser.add_argument("--file", default=DEFAULT_PATH, help=f"extrait à charger (par défaut : {DEFAULT_PATH})")

    def handle(self, *args, departements, file, **options):
        try:
            report = territories_import(path=file, departement_codes=departements)
        except TerritoriesImportError as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
