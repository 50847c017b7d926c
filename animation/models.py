from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from advisors.models import Advisor
from advisors.validators import validate_phone
from animation.enums import (
    ChannelAccess,
    ChannelPlatform,
    LetterStatus,
    PartnerKind,
    PartnerScope,
    PartnerStatus,
    WebhookState,
)
from territories.models import EPCI, Commune, Departement
from territories.text import normalize


class PartnerQuerySet(models.QuerySet):
    def in_departement(self, departement):
        return self.filter(departement=departement)

    def published(self):
        return self.filter(status=PartnerStatus.PUBLISHED)

    def suggested(self):
        return self.filter(status=PartnerStatus.SUGGESTED)


class Partner(models.Model):
    """An organisation the network works with that is not one of its members' structures: the SPIE,
    the CAF, France Travail, a network of CCAS, the regional hub… Coordinators publish them; members
    suggest them and say that they know them (``PartnerAcquaintance``)."""

    departement = models.ForeignKey(
        Departement, verbose_name="réseau départemental", on_delete=models.PROTECT, related_name="partners"
    )
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type de partenaire", max_length=30, choices=PartnerKind.choices)
    scope = models.CharField(
        "territoire d’action", max_length=20, choices=PartnerScope.choices, default=PartnerScope.DEPARTEMENT
    )
    epci = models.ForeignKey(
        EPCI, verbose_name="intercommunalité", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    commune = models.ForeignKey(
        Commune, verbose_name="commune", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    description = models.TextField("ce qu’il apporte au réseau", max_length=2000, blank=True)
    website = models.URLField("site web", blank=True)
    contact_name = models.CharField("personne à contacter", max_length=150, blank=True)
    contact_role = models.CharField("sa fonction", max_length=150, blank=True)
    contact_email = models.EmailField("son adresse électronique", blank=True)
    contact_phone = models.CharField("son téléphone", max_length=30, blank=True, validators=[validate_phone])
    status = models.CharField("statut", max_length=20, choices=PartnerStatus.choices, default=PartnerStatus.PUBLISHED)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="proposé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="décidé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)
    known_by = models.ManyToManyField(
        Advisor, verbose_name="membres qui le connaissent", through="PartnerAcquaintance", related_name="partners"
    )
    # Normalised name, contact and description: what the directory's free-text search matches.
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField("ajouté le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = "partenaire"
        ordering = ["name"]
        indexes = [
            models.Index(fields=["departement", "status", "kind"], name="partner_dep_status_kind"),
            models.Index(fields=["departement", "status", "name"], name="partner_dep_status_name"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = normalize(" ".join([self.name, self.contact_name, self.description]))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("animation:partner", args=[self.departement_id, self.pk])


class PartnerAcquaintance(models.Model):
    """« Je connais ce partenaire » : a member who can introduce colleagues to it."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="acquaintances")
    advisor = models.ForeignKey(Advisor, on_delete=models.CASCADE, related_name="partner_acquaintances")
    note = models.CharField("comment je le connais", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "membre qui connaît un partenaire"
        verbose_name_plural = "membres qui connaissent un partenaire"
        constraints = [
            models.UniqueConstraint(fields=["partner", "advisor"], name="partner_acquaintance_once"),
        ]

    def __str__(self):
        return f"{self.advisor} connaît {self.partner}"


class ChannelQuerySet(models.QuerySet):
    def in_departement(self, departement):
        return self.filter(departement=departement)

    def announcing(self, kind):
        """Channels with a webhook that announce ``kind`` (« event » or « resource »)."""
        field = {"event": "announce_events", "resource": "announce_resources"}[kind]
        return self.exclude(webhook_url="").filter(**{field: True})


class Channel(models.Model):
    """A place where the network talks: a Mattermost team or one of its channels, a Discord server,
    a Matrix room, a mailing list, an account on LinkedIn or Mastodon. A channel may sit in a space
    (``parent``: the team or server). It may receive the network's new events and resources through an
    outgoing webhook (Mattermost and Discord take the same simple JSON post)."""

    departement = models.ForeignKey(
        Departement, verbose_name="réseau départemental", on_delete=models.PROTECT, related_name="channels"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="dans l’espace",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    name = models.CharField("nom", max_length=150)
    platform = models.CharField("outil", max_length=20, choices=ChannelPlatform.choices)
    purpose = models.TextField("à quoi il sert", max_length=1000)
    skills = models.ManyToManyField("skills.Skill", verbose_name="thématiques", blank=True, related_name="channels")
    publics = models.ManyToManyField("skills.Public", verbose_name="publics", blank=True, related_name="channels")
    access = models.CharField("accès", max_length=20, choices=ChannelAccess.choices, default=ChannelAccess.OPEN)
    join_url = models.URLField("lien pour rejoindre", max_length=500, blank=True)
    join_instructions = models.TextField("comment le rejoindre", max_length=1000, blank=True)
    show_to_newcomers = models.BooleanField("montrer aux nouveaux membres", default=True)
    position = models.PositiveSmallIntegerField("ordre d’affichage", default=0)
    # The outgoing webhook: a secret (whoever holds it posts in the channel), seen by coordinators only.
    webhook_url = models.URLField("adresse du webhook entrant (Mattermost, Discord)", max_length=500, blank=True)
    announce_events = models.BooleanField("annoncer les nouveaux événements", default=False)
    announce_resources = models.BooleanField("annoncer les nouvelles ressources", default=False)
    announce_network_only = models.BooleanField("annoncer aussi ce qui est réservé au réseau", default=False)
    webhook_state = models.CharField(
        "état du webhook", max_length=10, choices=WebhookState.choices, default=WebhookState.NEVER, blank=True
    )
    webhook_checked_at = models.DateTimeField("dernier envoi le", null=True, blank=True)
    webhook_error = models.CharField("dernière erreur", max_length=300, blank=True)
    created_at = models.DateTimeField("ajouté le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        verbose_name = "canal de discussion"
        verbose_name_plural = "canaux de discussion"
        ordering = ["position", "name"]
        indexes = [models.Index(fields=["departement", "position", "name"], name="channel_dep_order")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("animation:channels", args=[self.departement_id]) + f"#canal-{self.pk}"


class Announcement(models.Model):
    """One event or resource posted (or to be posted) to one channel's webhook: at most once each."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="announcements")
    kind = models.CharField(max_length=10, choices=[("event", "événement"), ("resource", "ressource")])
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    state = models.CharField(max_length=10, choices=WebhookState.choices, default=WebhookState.NEVER, blank=True)
    error = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "annonce sur un canal"
        verbose_name_plural = "annonces sur les canaux"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "kind", "object_id"], name="announcement_once"),
        ]

    def __str__(self):
        return f"{self.title} → {self.channel}"


class ProfileReminder(models.Model):
    """A coordinator's « pensez à mettre à jour votre profil » email: never twice in a month."""

    advisor = models.ForeignKey(Advisor, on_delete=models.CASCADE, related_name="profile_reminders")
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        verbose_name = "relance de mise à jour du profil"
        verbose_name_plural = "relances de mise à jour du profil"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["advisor", "-created_at"], name="reminder_advisor_recent")]

    def __str__(self):
        return f"Relance de {self.advisor} le {self.created_at:%d/%m/%Y}"


class Departure(models.Model):
    """A member who left a network: her membership ended (``membership_leave``) or her account was
    deleted. Leaving deletes the membership, so without this row the dashboard could not count who went;
    it holds dates and nothing about the person (she asked to leave, or to be forgotten)."""

    departement = models.ForeignKey(Departement, on_delete=models.CASCADE, related_name="+")
    left_at = models.DateTimeField("parti le", default=timezone.now)
    joined_at = models.DateTimeField("membre depuis le", null=True, blank=True)
    was_coordinator = models.BooleanField("coordination", default=False)

    class Meta:
        verbose_name = "départ du réseau"
        verbose_name_plural = "départs du réseau"
        ordering = ["-left_at"]
        indexes = [models.Index(fields=["departement", "left_at"], name="departure_dep_left")]

    def __str__(self):
        return f"Départ du réseau {self.departement_id} le {self.left_at:%d/%m/%Y}"


class LetterQuerySet(models.QuerySet):
    def in_departement(self, departement):
        return self.filter(departement=departement)

    def sent(self):
        return self.filter(status=LetterStatus.SENT)


class Letter(models.Model):
    """The monthly lettre d'information of a département network: composed automatically (next events,
    new resources, newcomers who agreed, skills wanted), edited by a coordinator, then sent once.

    ``content`` holds the composed sections as they will be (and were) sent, so the web version and the
    archive show the letter as its readers received it, whatever changed since."""

    departement = models.ForeignKey(
        Departement, verbose_name="réseau départemental", on_delete=models.PROTECT, related_name="letters"
    )
    period = models.DateField("mois", help_text="Le premier jour du mois de la lettre.")
    subject = models.CharField("objet", max_length=200)
    editorial = models.TextField("le mot de la coordination", max_length=5000, blank=True)
    content = models.JSONField("sections", default=dict, blank=True)
    status = models.CharField("statut", max_length=20, choices=LetterStatus.choices, default=LetterStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    test_sent_at = models.DateTimeField("test envoyé le", null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)
    recipients_count = models.PositiveIntegerField("destinataires", default=0)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = "lettre d’information"
        verbose_name_plural = "lettres d’information"
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(fields=["departement", "period"], name="letter_one_per_month"),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("animation:letter", args=[self.departement_id, f"{self.period:%Y-%m}"])


class LetterDelivery(models.Model):
    """One letter to one person: the unique pair is what makes a second sending impossible."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "envoi de la lettre"
        verbose_name_plural = "envois de la lettre"
        constraints = [
            models.UniqueConstraint(fields=["letter", "user"], name="letter_delivery_once"),
        ]

    def __str__(self):
        return f"{self.letter} → {self.user}"
