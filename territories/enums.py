from django.db import models


class EPCIKind(models.TextChoices):
    CC = "CC", "communauté de communes"
    CA = "CA", "communauté d’agglomération"
    CU = "CU", "communauté urbaine"
    METRO = "METRO", "métropole"
    MET69 = "MET69", "Métropole de Lyon"


class OutlineKind(models.TextChoices):
    COMMUNE = "commune", "commune"
    EPCI = "epci", "EPCI"
    DEPARTEMENT = "departement", "département"
