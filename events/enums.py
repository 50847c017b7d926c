from django.db import models


class EventKind(models.TextChoices):
    """Types d'événement of the network (DESIGN.md, shared vocabularies)."""

    RENCONTRE = "rencontre", "rencontre d’inter-connaissance"
    FETE = "fete", "fête du numérique"
    ATELIER = "atelier", "atelier co-animé"
    CAFE_VISIO = "cafe_visio", "café-visio"
    SEMINAIRE = "seminaire", "séminaire / formation"
    GROUPE_TRAVAIL = "groupe_travail", "groupe de travail"
    GRAND_PUBLIC = "grand_public", "événement grand public"
    AUTRE = "autre", "autre"


class EventMode(models.TextChoices):
    PRESENTIEL = "presentiel", "en présentiel"
    DISTANCIEL = "distanciel", "à distance"
    HYBRIDE = "hybride", "hybride (sur place et à distance)"


class EventScope(models.TextChoices):
    """Échelon: the territory the event is for."""

    COMMUNE = "commune", "communal"
    EPCI = "epci", "intercommunal"
    DEPARTEMENT = "departement", "départemental"
    REGION = "region", "régional"


class Audience(models.TextChoices):
    RESEAU = "reseau", "le réseau"
    PARTENAIRES = "partenaires", "le réseau et ses partenaires"
    GRAND_PUBLIC = "grand_public", "le grand public"


class EventVisibility(models.TextChoices):
    PUBLIC = "public", "public : tout le monde"
    NETWORK = "reseau", "réseau : les membres connectés"


class EventStatus(models.TextChoices):
    DRAFT = "brouillon", "brouillon"
    PUBLISHED = "publie", "publié"
    CANCELLED = "annule", "annulé"
    POSTPONED = "reporte", "reporté"


class OrganiserRole(models.TextChoices):
    LEAD = "responsable", "responsable"
    CO = "co", "co-organisation"


class OrganiserStatus(models.TextChoices):
    INVITED = "invite", "invitation envoyée"
    ACCEPTED = "accepte", "accepté"
    DECLINED = "decline", "décliné"


class NeedKind(models.TextChoices):
    MATERIEL = "materiel", "matériel"
    SALLE = "salle", "salle"
    BENEVOLES = "benevoles", "bénévoles"
    INTERVENANT = "intervenant", "intervenant"
    AUTRE = "autre", "autre"


class AnimatorStatus(models.TextChoices):
    PROPOSED = "propose", "proposé"
    CONFIRMED = "confirme", "confirmé"


class RegistrationStatus(models.TextChoices):
    PENDING = "a_confirmer", "à confirmer par courriel"
    CONFIRMED = "confirmee", "confirmée"
    WAITLISTED = "attente", "liste d’attente"
    CANCELLED = "annulee", "annulée"


class Attendance(models.TextChoices):
    PRESENT = "present", "présent"
    ABSENT = "absent", "absent"


class ReminderKind(models.TextChoices):
    TWO_DAYS = "j-2", "deux jours avant"
    ONE_HOUR = "h-1", "une heure avant"
