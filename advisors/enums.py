from django.db import models


class MembershipRole(models.TextChoices):
    MEMBER = "member", "membre"
    COORDINATOR = "coordinator", "coordinateur ou coordinatrice"


class MembershipStatus(models.TextChoices):
    PENDING = "pending", "en attente"
    ACTIVE = "active", "membre actif"
    REFUSED = "refused", "refusée"


class LieuApproval(models.TextChoices):
    """A lieu in another département than its structure's waits for that département's coordination."""

    ACCEPTED = "accepted", "accepté"
    PENDING = "pending", "en attente de la coordination du département"
    REFUSED = "refused", "refusé par la coordination du département"


class StructureKind(models.TextChoices):
    ASSOCIATION = "association", "association"
    COMMUNE = "commune", "commune"
    EPCI = "epci", "EPCI"
    DEPARTEMENT = "departement", "département"
    CCAS = "ccas", "CCAS"
    MEDIATHEQUE = "mediatheque", "médiathèque / bibliothèque"
    FRANCE_SERVICES = "france_services", "France Services"
    EPN = "epn", "espace public numérique"
    TIERS_LIEU = "tiers_lieu", "tiers-lieu"
    FABLAB = "fablab", "fablab"
    CENTRE_SOCIAL = "centre_social", "centre social"
    MJC = "mjc", "MJC"
    PIMMS = "pimms", "PIMMS"
    OTHER = "autre", "autre"


class Dispositif(models.TextChoices):
    """Dispositifs, as named in the national schéma des lieux de médiation numérique."""

    CONSEILLERS_NUMERIQUES = "conseillers_numeriques", "Conseillers numériques"
    FRANCE_SERVICES = "france_services", "France Services"
    AIDANTS_CONNECT = "aidants_connect", "Aidants Connect"
    PROMENEURS_DU_NET = "promeneurs_du_net", "Promeneurs du net"
    PAN_CAF = "pan_caf", "Point d’accès numérique CAF"
    EMMAUS_CONNECT = "emmaus_connect", "Emmaüs Connect"
    PIX = "pix", "Certification PIX"


class AccessMode(models.TextChoices):
    """Modalités d’accès (schéma des lieux de médiation numérique)."""

    WALK_IN = "se_presenter", "Se présenter"
    PHONE = "telephoner", "Téléphoner"
    EMAIL = "contacter_par_mail", "Contacter par mail"
    ONLINE_BOOKING = "prendre_un_rdv_en_ligne", "Prendre un RDV en ligne"


class SupportMode(models.TextChoices):
    """Modalités d’accompagnement (schéma des lieux de médiation numérique)."""

    AUTONOMOUS = "en_autonomie", "En autonomie"
    INDIVIDUAL = "accompagnement_individuel", "Accompagnement individuel"
    WORKSHOP = "atelier_collectif", "Dans un atelier collectif"
    REMOTE = "a_distance", "À distance"


class Fees(models.TextChoices):
    FREE = "gratuit", "Gratuit"
    FREE_UNDER_CONDITIONS = "gratuit_sous_condition", "Gratuit sous condition"
    PAID = "payant", "Payant"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "lundi"
    TUESDAY = 1, "mardi"
    WEDNESDAY = 2, "mercredi"
    THURSDAY = 3, "jeudi"
    FRIDAY = 4, "vendredi"
    SATURDAY = 5, "samedi"
    SUNDAY = 6, "dimanche"


class AdvisorRole(models.TextChoices):
    """The job a person holds, written on their profile; not ``MembershipRole``, their role in the
    Maillage network (a "coordinateur" by job title is not for that a coordinator of the network)."""

    """A person's function, named by what they do: right whoever holds it (« Claire Vernay — Coordination »)."""

    CONSEILLER = "conseiller_numerique", "conseil numérique"
    MEDIATEUR = "mediateur_numerique", "médiation numérique"
    AIDANT = "aidant_numerique", "accompagnement numérique"
    COORDINATEUR = "coordinateur", "coordination"
    OTHER = "autre", "autre"


class Visibility(models.TextChoices):
    PUBLIC = "public", "public : tout le monde"
    NETWORK = "reseau", "réseau : les membres connectés"
    COORDINATORS = "coordinateurs", "coordination : les coordinateurs du département seulement"


class PositionSource(models.TextChoices):
    """Where a lieu's coordinates come from: how far to trust « à 7 km »."""

    COMMUNE = "commune", "centre de la commune"
    ADDRESS = "address", "adresse géocodée"
    TYPED = "typed", "saisie"
