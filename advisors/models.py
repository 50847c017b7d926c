import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from advisors.enums import MembershipRole, MembershipStatus
from territories.models import Commune, Departement


class EmailUserManager(UserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Une adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account. The email address is the login."""

    username = None
    email = models.EmailField("adresse électronique", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def display_name(self):
        return self.get_full_name() or self.email.split("@")[0]


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=MembershipStatus.ACTIVE)

    def pending(self):
        return self.filter(status=MembershipStatus.PENDING)

    def coordinators(self):
        return self.active().filter(role=MembershipRole.COORDINATOR)

    def in_departement(self, departement):
        return self.filter(departement=departement)

    def with_people(self):
        return self.select_related("user", "departement", "commune", "commune__epci")


class Membership(models.Model):
    """A person's place in one département network: asked for, then approved or refused."""

    user = models.ForeignKey(User, verbose_name="personne", on_delete=models.CASCADE, related_name="memberships")
    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("rôle", max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    status = models.CharField(
        "statut", max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.PENDING
    )
    structure_name = models.CharField("structure", max_length=200, blank=True)
    commune = models.ForeignKey(
        Commune,
        verbose_name="commune d’exercice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
    )
    message = models.TextField("message au coordinateur", blank=True)
    created_at = models.DateTimeField("demandée le", default=timezone.now)
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decided_by = models.ForeignKey(
        User, verbose_name="décidée par", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "adhésion au réseau"
        verbose_name_plural = "adhésions au réseau"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "departement"], name="membership_one_per_departement"),
        ]
        indexes = [models.Index(fields=["departement", "status", "role"], name="membership_dep_status_role")]

    def __str__(self):
        return f"{self.user} — {self.departement_id} ({self.get_status_display()})"

    @property
    def is_active(self):
        return self.status == MembershipStatus.ACTIVE

    @property
    def is_pending(self):
        return self.status == MembershipStatus.PENDING

    @property
    def is_coordinator(self):
        return self.is_active and self.role == MembershipRole.COORDINATOR


def _invitation_token():
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=Invitation.VALIDITY_DAYS)


class InvitationQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A single-use link that makes the account of ``email`` an active member of a network."""

    VALIDITY_DAYS = 14

    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField("adresse électronique")
    role = models.CharField("rôle", max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    created_by = models.ForeignKey(
        User, verbose_name="invitée par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    expires_at = models.DateTimeField("expire le", default=_invitation_expiry)
    used_at = models.DateTimeField("utilisée le", null=True, blank=True)
    used_by = models.ForeignKey(
        User, verbose_name="utilisée par", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField("annulée le", null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "invitation"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["departement", "-created_at"], name="invitation_dep_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="invitation_expires_after"
            ),
        ]

    def __str__(self):
        return f"Invitation de {self.email} ({self.departement_id})"

    def get_absolute_url(self):
        return reverse("advisors:invitation", args=[self.token])

    @property
    def is_used(self):
        return self.used_at is not None

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self):
        return not self.is_used and not self.is_expired and self.revoked_at is None
