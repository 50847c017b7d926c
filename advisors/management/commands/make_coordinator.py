from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

from advisors.models import Membership, User
from advisors.services import network as services
from territories.models import Departement


class Command(BaseCommand):
    help = (
        "Fait d’une personne un coordinateur ou une coordinatrice du réseau d’un département : le premier "
        "d’un réseau, qui pourra ensuite valider et inviter les autres. Crée le compte s’il n’existe pas."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="adresse électronique de la personne")
        parser.add_argument("departement", metavar="DEP", help="code du département (ex. : 42, 2A, 974)")

    def handle(self, *args, email, departement, **options):
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"Adresse électronique invalide : « {email} ».") from error
        code = departement.strip().upper()
        code = code.zfill(2) if code.isdigit() and len(code) == 1 else code
        departement = Departement.objects.filter(code=code).first()
        if departement is None:
            raise CommandError(
                f"Département inconnu : « {code} ». Vérifiez le code, ou chargez d’abord les territoires "
                "avec « manage.py import_territories »."
            )

        with transaction.atomic():
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                # No password: the person chooses one through "Mot de passe oublié", which also
                # proves that the address is theirs.
                user = User.objects.create_user(email=email, password=None)
                self.stdout.write(f"Compte créé pour {email}, sans mot de passe.")
            if not EmailAddress.objects.filter(user=user, email__iexact=user.email).exists():
                # The administrator vouches for the address they typed.
                EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
            membership = Membership.objects.filter(user=user, departement=departement).first()
            if membership is not None and membership.is_coordinator:
                self.stdout.write(f"{user.email} coordonne déjà le réseau {departement} : rien à changer.")
            else:
                services.coordinator_make(user=user, departement=departement)
                before = f" (auparavant : {membership.get_status_display()})" if membership else ""
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{user.email} est maintenant coordinateur ou coordinatrice du réseau {departement}{before}."
                    )
                )

        if not user.has_usable_password():
            reset_url = f"{settings.SITE_URL}{reverse('account_reset_password')}"
            self.stdout.write(
                f"Pour se connecter, cette personne choisit son mot de passe avec « Mot de passe oublié » :\n"
                f"  {reset_url}"
            )
