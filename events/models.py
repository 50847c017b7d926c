"""Co-organised events: the event, its organisers and needs, its programme, registrations, reminders.

Times are stored aware (UTC in the database) and shown in the time zone of the event's département:
an event in La Réunion is at 14 h in La Réunion, whoever looks at it.
"""

import secrets
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from advisors.models import Advisor, Lieu, Structure, memberships_of
from events.enums import (
    AnimatorStatus,
    Attendance,
    Audience,
    EventKind,
    EventMode,
    EventScope,
    EventStatus,
    EventVisibility,
    NeedKind,
    OrganiserRole,
    OrganiserStatus,
    RegistrationStatus,
    ReminderKind,
)
from territories.models import EPCI, Commune, Departement


def _token():
    return secrets.token_urlsafe(32)


class EventSeries(models.Model):
    """A recurring event ("le 2e mardi du mois à 10 h"): an RFC 5545 rule in local time.

    Its occurrences are real ``Event`` rows, created up to a horizon by ``series_extend``; each can
    be edited or cancelled alone. Times are computed in the département's wall-clock time, so a
    10 h café-visio stays at 10 h across daylight-saving changes.
    """

    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.CASCADE, related_name="event_series"
    )
    rule = models.CharField(
        "règle de récurrence", max_length=200, help_text="Au format RRULE, ex. FREQ=MONTHLY;BYDAY=+2TU"
    )
    starts_on = models.DateField("à partir du")
    until = models.DateField("jusqu’au", null=True, blank=True)
    start_time = models.TimeField("heure de début")
    duration = models.DurationField("durée")
    generated_until = models.DateField("occurrences créées jusqu’au", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="créée par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)

    class Meta:
        verbose_name = "série d’événements"
        verbose_name_plural = "séries d’événements"

    def __str__(self):
        return f"{self.rule} à {self.start_time:%H:%M}"


class EventQuerySet(models.QuerySet):
    def published(self):
        """Shown in calendars and feeds: published, postponed and cancelled (kept so people learn it)."""
        return self.exclude(status=EventStatus.DRAFT)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now())

    def in_departement(self, departement):
        return self.filter(departement=departement)

    def serving(self, territory):
        """Events of a territory: a département's events, or those placed in or scoped to an EPCI / commune."""
        if isinstance(territory, Departement):
            return self.filter(departement=territory)
        if isinstance(territory, EPCI):
            return self.filter(Q(epci=territory) | Q(commune__epci=territory))
        if isinstance(territory, Commune):
            return self.filter(commune=territory)
        raise TypeError(f"Not a territory: {territory!r}")

    def visible_to(self, user):
        """Public published events for everyone; réseau ones for members of any network; drafts for
        their organisers; everything of a département for its coordinators."""
        condition = Q(visibility=EventVisibility.PUBLIC) & ~Q(status=EventStatus.DRAFT)
        if user.is_authenticated:
            memberships = memberships_of(user).values()
            if any(membership.is_active for membership in memberships):
                condition |= Q(visibility=EventVisibility.NETWORK) & ~Q(status=EventStatus.DRAFT)
            coordinated = [membership.departement_id for membership in memberships if membership.is_coordinator]
            if coordinated:
                condition |= Q(departement__in=coordinated)
            condition |= Q(
                models.Exists(
                    Organiser.objects.filter(
                        event=models.OuterRef("pk"),
                        advisor__user=user,
                        status__in=[OrganiserStatus.ACCEPTED, OrganiserStatus.INVITED],
                    )
                )
            )
        return self.filter(condition)

    def involving(self, user):
        """The events ``user`` organises (accepted), animates (a sign-up on one of its slots) or is
        registered to (confirmed or waiting): « mes événements ». One EXISTS each, so no duplicate row."""
        if not user.is_authenticated:
            return self.none()
        organises = Organiser.objects.filter(
            event=models.OuterRef("pk"), advisor__user=user, status=OrganiserStatus.ACCEPTED
        )
        animates = AnimatorSignup.objects.filter(slot__event=models.OuterRef("pk"), advisor__user=user)
        attends = Registration.objects.filter(
            event=models.OuterRef("pk"),
            user=user,
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED],
        )
        return self.filter(models.Exists(organises) | models.Exists(animates) | models.Exists(attends))

    def with_cards(self):
        return self.select_related("departement", "commune", "lieu", "lieu__commune")

    def with_permissions(self):
        """What the ``events.perms`` predicates read: the département (its coordinators, its time zone)
        and the organisers with their advisor, so that checking a permission asks nothing more."""
        return self.select_related("departement").prefetch_related(organisers_prefetch())


class EventPartQuerySet(models.QuerySet):
    """Rows of one event (its slots, needs, organisers, registrations)."""

    def with_permissions(self):
        """Their event as ``EventQuerySet.with_permissions`` loads it, for the predicates of a write."""
        return self.select_related("event__departement").prefetch_related(organisers_prefetch("event__organisers"))


def organisers_prefetch(lookup="organisers"):
    """An event's organisers with their advisor and structure (what the predicates and ``str()`` read)."""
    return models.Prefetch(lookup, queryset=Organiser.objects.select_related("advisor__user", "structure"))


class Event(models.Model):
    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField("type d’événement", max_length=20, choices=EventKind.choices)
    title = models.CharField("titre", max_length=200)
    description = models.TextField("description", blank=True, help_text="Mise en forme Markdown possible.")
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    mode = models.CharField("format", max_length=20, choices=EventMode.choices, default=EventMode.PRESENTIEL)
    lieu = models.ForeignKey(
        Lieu, verbose_name="lieu", on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    address = models.CharField("adresse", max_length=255, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name="commune", on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    online_url = models.URLField(
        "lien de connexion", blank=True, help_text="Visible seulement des inscrits et des organisateurs."
    )
    scope = models.CharField("échelon", max_length=20, choices=EventScope.choices, default=EventScope.DEPARTEMENT)
    epci = models.ForeignKey(
        EPCI, verbose_name="intercommunalité", on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    audience = models.CharField("public visé", max_length=20, choices=Audience.choices, default=Audience.RESEAU)
    visibility = models.CharField(
        "visibilité", max_length=20, choices=EventVisibility.choices, default=EventVisibility.NETWORK
    )
    capacity = models.PositiveIntegerField("nombre de places", null=True, blank=True, help_text="Vide : sans limite.")
    registration_opens_at = models.DateTimeField("ouverture des inscriptions", null=True, blank=True)
    registration_closes_at = models.DateTimeField("clôture des inscriptions", null=True, blank=True)
    status = models.CharField("statut", max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT)
    accessibility = models.TextField("accessibilité", blank=True)
    skills = models.ManyToManyField(
        "skills.Skill", verbose_name="thématiques abordées", blank=True, related_name="events"
    )
    series = models.ForeignKey(
        EventSeries, verbose_name="série", on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    occurrence_date = models.DateField("date dans la série", null=True, blank=True)
    # iCalendar SEQUENCE: raised each time the time or the place changes, so calendars update.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    attendance_count = models.PositiveIntegerField("nombre de participants", null=True, blank=True)
    report = models.TextField("bilan", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="créé par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "événement"
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"),
            models.UniqueConstraint(
                fields=["series", "occurrence_date"],
                condition=Q(series__isnull=False),
                name="event_one_occurrence_per_series_date",
            ),
        ]
        indexes = [
            models.Index(fields=["departement", "starts_at"], name="event_dep_start_idx"),
            models.Index(fields=["ends_at", "starts_at"], name="event_ends_idx"),
            models.Index(fields=["epci", "starts_at"], name="event_epci_start_idx"),
            models.Index(fields=["commune", "starts_at"], name="event_commune_start_idx"),
            models.Index(fields=["kind", "starts_at"], name="event_kind_start_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.pk])

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.departement.timezone)

    @property
    def is_cancelled(self):
        return self.status == EventStatus.CANCELLED

    @property
    def is_online(self):
        return self.mode in (EventMode.DISTANCIEL, EventMode.HYBRIDE)

    @property
    def ical_uid(self):
        return f"evenement-{self.pk}@maillage"


class Organiser(models.Model):
    """An advisor (who can then edit the event) or a structure (shown as co-organiser)."""

    event = models.ForeignKey(Event, verbose_name="événement", on_delete=models.CASCADE, related_name="organisers")
    advisor = models.ForeignKey(
        Advisor, verbose_name="conseiller", on_delete=models.CASCADE, null=True, blank=True, related_name="organised"
    )
    structure = models.ForeignKey(
        Structure, verbose_name="structure", on_delete=models.CASCADE, null=True, blank=True, related_name="organised"
    )
    role = models.CharField("rôle", max_length=20, choices=OrganiserRole.choices, default=OrganiserRole.CO)
    status = models.CharField(
        "statut", max_length=20, choices=OrganiserStatus.choices, default=OrganiserStatus.ACCEPTED
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="invité par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("ajouté le", default=timezone.now)
    responded_at = models.DateTimeField("réponse le", null=True, blank=True)

    objects = EventPartQuerySet.as_manager()

    class Meta:
        verbose_name = "organisateur"
        constraints = [
            models.CheckConstraint(
                condition=Q(advisor__isnull=False, structure__isnull=True)
                | Q(advisor__isnull=True, structure__isnull=False),
                name="organiser_advisor_xor_structure",
            ),
            models.UniqueConstraint(
                fields=["event", "advisor"], condition=Q(advisor__isnull=False), name="organiser_unique_advisor"
            ),
            models.UniqueConstraint(
                fields=["event", "structure"], condition=Q(structure__isnull=False), name="organiser_unique_structure"
            ),
        ]

    def __str__(self):
        return str(self.advisor or self.structure)

    @property
    def is_lead(self):
        return self.role == OrganiserRole.LEAD


class Need(models.Model):
    """What the organisers still look for: a room, a projector, volunteers, a speaker."""

    event = models.ForeignKey(Event, verbose_name="événement", on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField("type de besoin", max_length=20, choices=NeedKind.choices)
    description = models.CharField("besoin", max_length=300)
    covered = models.BooleanField("couvert", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="posté par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("posté le", default=timezone.now)

    objects = EventPartQuerySet.as_manager()

    class Meta:
        verbose_name = "besoin"
        ordering = ["covered", "created_at", "pk"]

    def __str__(self):
        return self.description


class NeedOffer(models.Model):
    """« Je peux apporter un vidéoprojecteur »."""

    need = models.ForeignKey(Need, verbose_name="besoin", on_delete=models.CASCADE, related_name="offers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="proposé par", on_delete=models.CASCADE, related_name="need_offers"
    )
    message = models.CharField("proposition", max_length=300)
    created_at = models.DateTimeField("proposé le", default=timezone.now)

    class Meta:
        verbose_name = "proposition d’aide"
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["need", "user"], name="need_offer_once_per_user")]

    def __str__(self):
        return self.message


class Slot(models.Model):
    """A programme item of a large event: a stand, an atelier, one part of a café-visio."""

    event = models.ForeignKey(Event, verbose_name="événement", on_delete=models.CASCADE, related_name="slots")
    title = models.CharField("titre", max_length=200)
    description = models.TextField("description", blank=True)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    room = models.CharField("salle ou stand", max_length=100, blank=True)
    capacity = models.PositiveIntegerField("nombre de places", null=True, blank=True, help_text="Vide : sans limite.")
    animators_wanted = models.PositiveSmallIntegerField("animateurs recherchés", default=1)

    objects = EventPartQuerySet.as_manager()

    class Meta:
        verbose_name = "créneau"
        ordering = ["starts_at", "room", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"),
        ]

    def __str__(self):
        return self.title


class AnimatorSignup(models.Model):
    slot = models.ForeignKey(Slot, verbose_name="créneau", on_delete=models.CASCADE, related_name="animators")
    advisor = models.ForeignKey(
        Advisor, verbose_name="conseiller", on_delete=models.CASCADE, related_name="animations"
    )
    status = models.CharField("statut", max_length=20, choices=AnimatorStatus.choices, default=AnimatorStatus.PROPOSED)
    created_at = models.DateTimeField("proposé le", default=timezone.now)

    class Meta:
        verbose_name = "animation"
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["slot", "advisor"], name="animator_once_per_slot")]

    def __str__(self):
        return f"{self.advisor} — {self.slot}"


class RegistrationQuerySet(EventPartQuerySet):
    def active(self):
        return self.exclude(status=RegistrationStatus.CANCELLED)

    def confirmed(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=RegistrationStatus.WAITLISTED).order_by("queued_at", "pk")


class Registration(models.Model):
    """A place at an event, or at one slot of its programme (``slot`` set).

    Members register with their account; people without one give a name and an address and confirm
    through the emailed link: only then does the registration take a place or join the waiting list,
    in the order of ``queued_at``.
    """

    event = models.ForeignKey(Event, verbose_name="événement", on_delete=models.CASCADE, related_name="registrations")
    slot = models.ForeignKey(
        Slot, verbose_name="créneau", on_delete=models.CASCADE, null=True, blank=True, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="registrations",
    )
    name = models.CharField("nom", max_length=150)
    email = models.EmailField("adresse électronique")
    status = models.CharField(
        "statut", max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.PENDING
    )
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    created_at = models.DateTimeField("demandée le", default=timezone.now)
    queued_at = models.DateTimeField("rang d’arrivée", null=True, blank=True)
    promoted_at = models.DateTimeField("sortie de la liste d’attente le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    attendance = models.CharField("présence", max_length=20, choices=Attendance.choices, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription"
        ordering = ["queued_at", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(slot__isnull=True) & ~Q(status=RegistrationStatus.CANCELLED),
                name="registration_once_per_event",
            ),
            models.UniqueConstraint(
                fields=["slot", "email"],
                condition=Q(slot__isnull=False) & ~Q(status=RegistrationStatus.CANCELLED),
                name="registration_once_per_slot",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "queued_at"], name="registration_queue_idx"),
            models.Index(fields=["user", "status"], name="registration_user_idx"),
        ]

    def __str__(self):
        return f"{self.name} — {self.event}"


class ReminderSent(models.Model):
    """One reminder, sent once: keyed by the event's start it announced, so a rescheduled event gets
    reminders for its new time only."""

    event = models.ForeignKey(Event, verbose_name="événement", on_delete=models.CASCADE, related_name="reminders")
    email = models.EmailField("adresse électronique")
    kind = models.CharField("rappel", max_length=10, choices=ReminderKind.choices)
    starts_at = models.DateTimeField("début annoncé")
    sent_at = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        verbose_name = "rappel envoyé"
        constraints = [
            models.UniqueConstraint(fields=["event", "email", "kind", "starts_at"], name="reminder_sent_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.email}"


class CalendarToken(models.Model):
    """The secret in the address of a member's private calendar feed; resetting it kills the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="compte", on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=_token)
    created_at = models.DateTimeField("créé le", default=timezone.now)

    class Meta:
        verbose_name = "lien d’agenda personnel"

    def __str__(self):
        return f"agenda de {self.user}"
