from django.db import models


class DomainKind(models.TextChoices):
    SERVICE = "service", "service aux publics"
    CRAFT = "metier", "métier de la médiation"


class PublicKind(models.TextChoices):
    PUBLIC = "public", "public spécifiquement adressé"
    SPECIFIC_SUPPORT = "prise_en_charge", "prise en charge spécifique"


class SkillStatus(models.TextChoices):
    VALIDATED = "validated", "validée"
    PROPOSED = "proposed", "proposée"


class SkillLevel(models.TextChoices):
    """Ordered from the highest: a merge keeps the highest level an advisor had."""

    MASTER = "maitrise", "je maîtrise et peux transmettre"
    PRACTICE = "pratique", "je pratique"
    LEARN = "appetence", "je veux apprendre"


LEVEL_RANK = {SkillLevel.MASTER: 3, SkillLevel.PRACTICE: 2, SkillLevel.LEARN: 1}
