from django.db import models


class PartnerKind(models.TextChoices):
    """Organisations a network works with that are not its members' structures."""

    SPIE = "spie", "Service public de l’inclusion et de l’emploi (SPIE)"
    CAF = "caf", "CAF"
    CPAM = "cpam", "CPAM / Assurance maladie"
    MSA = "msa", "MSA"
    FRANCE_TRAVAIL = "france_travail", "France Travail"
    MISSION_LOCALE = "mission_locale", "mission locale"
    CCAS = "ccas", "réseau de CCAS / action sociale"
    DEPARTEMENT = "departement", "services du Département"
    HUB = "hub", "Hub territorial pour un numérique inclusif"
    LIBRARIES = "bibliotheques", "réseau de bibliothèques"
    PREFECTURE = "prefecture", "préfecture / services de l’État"
    ASSOCIATION = "association", "association ou réseau associatif"
    COMPANY = "entreprise", "entreprise"
    TRAINING = "formation", "organisme de formation"
    OTHER = "autre", "autre"


class PartnerScope(models.TextChoices):
    """How far a partner acts: its commune, its EPCI, the whole département or beyond."""

    COMMUNE = "commune", "communal"
    EPCI = "epci", "intercommunal"
    DEPARTEMENT = "departement", "départemental"
    REGION = "region", "régional"
    NATIONAL = "national", "national"


class PartnerStatus(models.TextChoices):
    """Coordinators publish partners; a member's suggestion waits for them."""

    PUBLISHED = "published", "publié"
    SUGGESTED = "suggested", "proposé, en attente de la coordination"
    REFUSED = "refused", "refusé"


class ChannelPlatform(models.TextChoices):
    MATTERMOST = "mattermost", "Mattermost"
    DISCORD = "discord", "Discord"
    MATRIX = "matrix", "Matrix / Element"
    MAILING_LIST = "liste", "liste de diffusion"
    LINKEDIN = "linkedin", "LinkedIn"
    MASTODON = "mastodon", "Mastodon"
    OTHER = "autre", "autre"


class ChannelAccess(models.TextChoices):
    OPEN = "open", "ouvert : on rejoint librement"
    ON_REQUEST = "request", "sur demande"


class WebhookState(models.TextChoices):
    """The last outcome of posting to a channel's webhook (``Channel.webhook_state``)."""

    NEVER = "", "jamais utilisé"
    OK = "ok", "dernier envoi réussi"
    FAILED = "failed", "dernier envoi en échec"


class LetterStatus(models.TextChoices):
    DRAFT = "draft", "brouillon"
    SENDING = "sending", "en cours d’envoi"
    SENT = "sent", "envoyée"
