from django.db import models


class MembershipRole(models.TextChoices):
    MEMBER = "member", "membre"
    COORDINATOR = "coordinator", "coordinateur ou coordinatrice"


class MembershipStatus(models.TextChoices):
    PENDING = "pending", "en attente"
    ACTIVE = "active", "membre actif"
    REFUSED = "refused", "refusée"
