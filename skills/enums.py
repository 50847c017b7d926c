from django.db import models


class DomainKind(models.TextChoices):
    SERVICE = "service", "service aux publics"
    CRAFT = "metier", "métier de la médiation"


class PublicKind(models.TextChoices):
    PUBLIC = "public", "public spécifiquement adressé"
    SPECIFIC_SUPPORT = "prise_en_charge", "prise en charge spécifique"
