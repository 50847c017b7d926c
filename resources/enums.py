from django.db import models


class ResourceKind(models.TextChoices):
    SUPPORT = "support", "support pédagogique"
    FICHE = "fiche", "fiche pratique"
    KIT = "kit", "kit d’animation"
    RETOUR = "retour", "retour d’expérience"
    GUIDE = "guide", "guide / méthodologie"
    OUTIL = "outil", "outil numérique"
    VEILLE = "veille", "veille / article"
    VIDEO = "video", "vidéo / webinaire"


class Licence(models.TextChoices):
    """The licences a resource is shared under; Etalab 2.0 is suggested by default (public sector)."""

    ETALAB = "etalab-2.0", "Licence Ouverte / Etalab 2.0"
    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC_BY_NC_SA = "cc-by-nc-sa-4.0", "CC BY-NC-SA 4.0"
    CC0 = "cc0-1.0", "CC0"
    RESERVED = "tous-droits-reserves", "tous droits réservés"


LICENCE_URLS = {
    Licence.ETALAB: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/deed.fr",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
    Licence.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/deed.fr",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/deed.fr",
    Licence.RESERVED: "",
}


class ResourceVisibility(models.TextChoices):
    PUBLIC = "public", "public : tout le monde"
    NETWORK = "reseau", "réseau : les membres connectés"


class ResourceStatus(models.TextChoices):
    DRAFT = "brouillon", "brouillon"
    PUBLISHED = "publiee", "publiée"
    HIDDEN = "masquee", "masquée par la coordination"


class ResourceScope(models.TextChoices):
    COMMUNE = "commune", "communal"
    EPCI = "epci", "intercommunal"
    DEPARTEMENT = "departement", "départemental"
    NATIONAL = "national", "national"


class ReportReason(models.TextChoices):
    OBSOLETE = "obsolete", "obsolète"
    ERROR = "erreur", "erreur"
    INAPPROPRIATE = "inapproprie", "contenu inapproprié"
    DUPLICATE = "doublon", "doublon"


class ReportStatus(models.TextChoices):
    OPEN = "ouvert", "à traiter"
    RESOLVED = "resolu", "résolu"
