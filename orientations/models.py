from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from advisors.models import Advisor, Language, Lieu, Structure
from orientations.enums import OrientationStatus, TimeOfDay
from skills.models import Domain, Public, Skill
from territories.models import Commune, Departement

# What the person shared, the sender's free text about her and the receiver's « précision » on the state
# (free text too: it may name her or tell her situation): blanked together, after the retention period
# (services/retention.py) or as soon as the receiver it was meant for goes away.
PERSONAL_FIELDS = {"person_first_name": "", "person_phone": "", "person_email": "", "message": "", "status_note": ""}


def RECEIVER_GONE(collector, field, sub_objs, using):  # noqa: N802 — named like Django's SET_NULL
    """``on_delete`` of the receivers: like ``SET_NULL``, and the person's data goes with the receiver
    it was shared with (a deleted account, a closed lieu). The record stays for the network's figures.

    The erasure is scheduled first: the collector runs its updates in order, and the check
    constraint lets an orientation lose its receiver only once its personal data is erased."""
    not_erased = (
        sub_objs.filter(personal_data_erased_at__isnull=True)
        if isinstance(sub_objs, models.QuerySet)
        else [obj for obj in sub_objs if obj.personal_data_erased_at is None]
    )
    model = field.model
    collector.add_field_update(model._meta.get_field("personal_data_erased_at"), timezone.now(), not_erased)
    for name, value in PERSONAL_FIELDS.items():
        collector.add_field_update(model._meta.get_field(name), value, sub_objs)
    collector.add_field_update(field, None, sub_objs)


RECEIVER_GONE.lazy_sub_objs = True


class Orientation(models.Model):
    """A person referred by one member to a colleague or a lieu that can help.

    It keeps the need, the constraints and only the personal data the person agreed to share
    (a first name and a phone or an email), which ``erase_orientations`` blanks after
    ``settings.ORIENTATION_RETENTION_DAYS``; the record itself stays for the network's figures.
    """

    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="orientations"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="orientée par",
        on_delete=models.SET_NULL,
        null=True,
        related_name="orientations_sent",
    )
    # Structures as they were when sent: the flows between structures read these.
    sender_structure = models.ForeignKey(
        Structure,
        verbose_name="structure d’origine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    receiver_advisor = models.ForeignKey(
        Advisor,
        verbose_name="conseiller destinataire",
        on_delete=RECEIVER_GONE,
        null=True,
        blank=True,
        related_name="orientations_received",
    )
    receiver_lieu = models.ForeignKey(
        Lieu,
        verbose_name="lieu destinataire",
        on_delete=RECEIVER_GONE,
        null=True,
        blank=True,
        related_name="orientations_received",
    )
    receiver_structure = models.ForeignKey(
        Structure,
        verbose_name="structure destinataire",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The need and the constraints.
    domain = models.ForeignKey(
        Domain, verbose_name="service", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    skill = models.ForeignKey(
        Skill, verbose_name="thématique", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    commune = models.ForeignKey(
        Commune, verbose_name="commune de la personne", on_delete=models.PROTECT, related_name="+"
    )
    language = models.ForeignKey(
        Language, verbose_name="langue", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    public = models.ForeignKey(
        Public,
        verbose_name="public ou prise en charge spécifique",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    free_days = models.JSONField("jours où elle est disponible", default=list, blank=True)  # weekdays, 0 = lundi
    free_time = models.CharField(
        "moment de la journée", max_length=20, choices=TimeOfDay.choices, default=TimeOfDay.ANY, blank=True
    )
    can_travel = models.BooleanField("peut se déplacer", default=True)
    online_ok = models.BooleanField("un accompagnement à distance lui convient", default=False)
    message = models.TextField("message au destinataire", max_length=1000, blank=True)
    # Personal data, only with the person's consent, erased after the retention period.
    consent = models.BooleanField("la personne accepte que ces coordonnées soient transmises", default=False)
    person_first_name = models.CharField("prénom de la personne", max_length=60, blank=True)
    person_phone = models.CharField("téléphone de la personne", max_length=30, blank=True)
    person_email = models.EmailField("adresse électronique de la personne", blank=True)
    personal_data_erased_at = models.DateTimeField("données personnelles effacées le", null=True, blank=True)
    # What became of it.
    status = models.CharField("état", max_length=20, choices=OrientationStatus.choices, default=OrientationStatus.SENT)
    status_changed_at = models.DateTimeField("état changé le", null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="état changé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status_note = models.CharField("précision", max_length=300, blank=True)
    created_at = models.DateTimeField("envoyée le", default=timezone.now)

    class Meta:
        verbose_name = "orientation"
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A receiver, unless it went away and took the person's data with it (RECEIVER_GONE).
            models.CheckConstraint(
                condition=Q(receiver_advisor__isnull=False)
                | Q(receiver_lieu__isnull=False)
                | Q(personal_data_erased_at__isnull=False),
                name="orientation_has_receiver",
            ),
        ]
        indexes = [
            models.Index(fields=["departement", "created_at"], name="orientation_dep_created"),
            models.Index(fields=["sender", "created_at"], name="orientation_sender"),
            models.Index(fields=["receiver_advisor", "status"], name="orientation_recv_advisor"),
            models.Index(fields=["receiver_lieu", "status"], name="orientation_recv_lieu"),
            models.Index(
                fields=["created_at"], condition=Q(personal_data_erased_at__isnull=True), name="orientation_to_erase"
            ),
        ]

    def __str__(self):
        return f"Orientation n° {self.pk}"

    def get_absolute_url(self):
        return reverse("orientations:detail", args=[self.pk])

    @property
    def receiver_name(self):
        if self.receiver_lieu_id:
            return str(self.receiver_lieu)
        return str(self.receiver_advisor) if self.receiver_advisor_id else "destinataire supprimé"
