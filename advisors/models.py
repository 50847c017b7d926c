import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from advisors.enums import (
    AdvisorRole,
    Fees,
    LieuApproval,
    MembershipRole,
    MembershipStatus,
    PositionSource,
    StructureKind,
    Visibility,
    Weekday,
)
from advisors.validators import validate_phone, validate_siret
from territories.models import EPCI, Commune, Departement
from territories.text import normalize


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
    # The monthly lettre d'information of the person's networks (animation app): one click in every
    # letter, or Mon profil, turns it off.
    receives_letter = models.BooleanField("recevoir la lettre d’information du réseau", default=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name", "email"]
        # The order of every list of people (``ADVISOR_NAME_ORDER``): a page of the directory reads the
        # first matching names from it instead of sorting every visible profile.
        indexes = [models.Index(fields=["last_name", "first_name"], name="user_name_order")]

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

    def count_by_departement(self):
        """{département code: how many}, in one query."""
        return dict(
            self.order_by().values("departement_id").annotate(count=Count("pk")).values_list("departement_id", "count")
        )

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
        """Active coordinator of this département: the one place this rule is written."""
        return self.is_active and self.role == MembershipRole.COORDINATOR


def memberships_of(user):
    """``user``'s memberships keyed by département code, loaded once per user object, so once per
    request: ``perms`` and ``visible_to`` both read them from here."""
    if not user.is_authenticated:
        return {}
    cache = getattr(user, "_memberships_by_dep", None)
    if cache is None:
        cache = memberships_prime(user, user.memberships.all())
    return cache


def memberships_prime(user, memberships):
    """Give ``user`` these memberships as the ones ``memberships_of`` returns, without a query: for a
    viewer that is not in the database (the "see my profile as…" preview), or already loaded ones."""
    user._memberships_by_dep = {membership.departement_id: membership for membership in memberships}
    return user._memberships_by_dep


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


class Language(models.Model):
    code = models.CharField("code", max_length=8, primary_key=True)
    name = models.CharField("nom", max_length=80, unique=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "langue"
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Cohort(models.Model):
    """A "promo de formation": the advisors trained together by one body over one period."""

    slug = models.SlugField("identifiant", max_length=120, unique=True)
    name = models.CharField("nom", max_length=150)
    training_body = models.CharField("organisme de formation", max_length=150)
    start_date = models.DateField("début")
    end_date = models.DateField("fin", null=True, blank=True)

    class Meta:
        verbose_name = "promo de formation"
        verbose_name_plural = "promos de formation"
        ordering = ["-start_date", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("advisors:cohort", args=[self.slug])

    @property
    def details(self):
        """What the name does not already say, for a label « name — details »: the training body
        (unless the name holds it, « Promo 2024 — Simplon »), then the month it started."""
        body = [] if normalize(self.training_body) in normalize(self.name) else [self.training_body]
        return ", ".join([*body, date_format(self.start_date, "F Y")])


class PlacedInCommune(models.Model):
    """A row placed in a commune keeps that commune's département: every list filters by it."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.departement_id = self.commune.departement_id
        super().save(*args, **kwargs)


class StructureQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        # bulk_create skips save(): the search column is filled here too, so no writer forgets it.
        objs = list(objs)
        for structure in objs:
            structure.fill_search_text()
        return super().bulk_create(objs, *args, **kwargs)

    def in_departement(self, departement):
        return self.filter(departement=departement)

    def with_cards(self):
        return self.select_related("commune", "commune__epci", "departement")


class Structure(PlacedInCommune):
    """An organisation advisors work for: a commune, an association, a médiathèque…"""

    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type de structure", max_length=20, choices=StructureKind.choices)
    siret = models.CharField(
        "SIRET", max_length=14, blank=True, validators=[validate_siret], help_text="14 chiffres, facultatif."
    )
    address = models.CharField("adresse", max_length=255, blank=True)
    commune = models.ForeignKey(Commune, verbose_name="commune", on_delete=models.PROTECT, related_name="structures")
    # Copied from the commune on save: every list of the platform filters by département.
    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="structures", editable=False
    )
    website = models.URLField("site web", blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True, validators=[validate_phone])
    presentation = models.TextField("présentation", max_length=2000, blank=True)
    dispositifs = models.JSONField("dispositifs", default=list, blank=True)
    services = models.ManyToManyField(
        "skills.Domain", verbose_name="services proposés", blank=True, related_name="structures"
    )
    publics = models.ManyToManyField(
        "skills.Public", verbose_name="publics accueillis", blank=True, related_name="structures"
    )
    perimeter = models.ManyToManyField(
        Commune, verbose_name="périmètre d’intervention", blank=True, related_name="covering_structures"
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    # Its creator may edit it (as its attached advisors and its département's coordinators do).
    created_by = models.ForeignKey(
        User, verbose_name="créée par", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)
    # The normalised name that the accent-free search matches: SQL has no portable way to drop
    # accents (SQLite overflows on the nested REPLACE it would take), so it is stored.
    search_text = models.TextField(editable=False, blank=True)

    objects = StructureQuerySet.as_manager()

    class Meta(PlacedInCommune.Meta):
        verbose_name = "structure"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["siret"], condition=~Q(siret=""), name="structure_unique_siret"),
        ]
        indexes = [
            models.Index(fields=["departement", "kind"], name="structure_dep_kind"),
            # The kind filter across all of France (directory and structures list): some kinds have 100 structures.
            models.Index(fields=["kind"], name="structure_kind"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, update_fields=None, **kwargs):
        self.fill_search_text()
        if update_fields is not None and "name" in update_fields:
            update_fields = {*update_fields, "search_text"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self):
        return reverse("advisors:structure", args=[self.pk])

    def fill_search_text(self):
        self.search_text = normalize(self.name)


class PerimeterRequest(models.Model):
    """A commune of another département that a structure asks to cover. It counts nowhere until
    that département's coordination accepts it: it then moves into ``Structure.perimeter``, so
    every read of the perimeter only ever sees accepted communes."""

    structure = models.ForeignKey(
        Structure, verbose_name="structure", on_delete=models.CASCADE, related_name="perimeter_requests"
    )
    commune = models.ForeignKey(Commune, verbose_name="commune", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        User, verbose_name="demandée par", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("demandée le", default=timezone.now)

    class Meta:
        verbose_name = "demande d’extension de périmètre"
        verbose_name_plural = "demandes d’extension de périmètre"
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["structure", "commune"], name="perimeter_request_once"),
        ]

    def __str__(self):
        return f"{self.structure} → {self.commune_id}"


class LieuQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        # bulk_create skips save(): lieux without a position get their commune's here too.
        objs = list(objs)
        for lieu in objs:
            lieu.place_at_commune_unless_positioned()
        return super().bulk_create(objs, *args, **kwargs)

    def accepted(self):
        """Lieux that count in their département: what every territory read and public page shows."""
        return self.filter(approval=LieuApproval.ACCEPTED)


class Lieu(PlacedInCommune):
    """A place where people are welcomed, with its opening hours (see ``OpeningSlot``)."""

    structure = models.ForeignKey(Structure, verbose_name="structure", on_delete=models.CASCADE, related_name="lieux")
    name = models.CharField("nom", max_length=200)
    address = models.CharField("adresse", max_length=255, blank=True)
    commune = models.ForeignKey(Commune, verbose_name="commune", on_delete=models.PROTECT, related_name="lieux")
    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="lieux", editable=False
    )
    access_modes = models.JSONField("modalités d’accès", default=list, blank=True)
    support_modes = models.JSONField("modalités d’accompagnement", default=list, blank=True)
    fees = models.CharField("frais", max_length=30, choices=Fees.choices, default=Fees.FREE)
    reduced_mobility_access = models.BooleanField("accessible aux personnes à mobilité réduite", default=False)
    itinerant = models.BooleanField("itinérant", default=False, help_text="Un bus, une permanence qui se déplace…")
    hours_note = models.CharField(
        "précisions sur les horaires", max_length=200, blank=True, help_text="ex. fermé en août"
    )
    approval = models.CharField(
        "accord de la coordination", max_length=20, choices=LieuApproval.choices, default=LieuApproval.ACCEPTED
    )
    # Public contact details of the lieu (its accueil): public information, shown to visitors,
    # unlike the advisors' own contacts.
    public_phone = models.CharField("téléphone de l’accueil", max_length=30, blank=True, validators=[validate_phone])
    public_email = models.EmailField("adresse électronique de l’accueil", blank=True)
    booking_url = models.URLField("lien de prise de rendez-vous", blank=True)
    # WGS 84 degrees. Without a typed or geocoded position, the commune's point (see save()).
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    position_source = models.CharField(
        "origine de la position", max_length=20, choices=PositionSource.choices, default=PositionSource.COMMUNE
    )
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = LieuQuerySet.as_manager()

    class Meta(PlacedInCommune.Meta):
        verbose_name = "lieu"
        ordering = ["name"]
        indexes = [
            models.Index(fields=["departement", "commune"], name="lieu_dep_commune"),
            # The bounding-box prefilter of "nearest lieux": a latitude band, then longitudes.
            models.Index(fields=["latitude", "longitude"], name="lieu_lat_lon"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.place_at_commune_unless_positioned()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("advisors:lieu", args=[self.pk])

    def place_at_commune_unless_positioned(self):
        """A lieu without a typed or geocoded position sits at its commune's point (and follows
        its commune when that changes)."""
        if self.position_source == PositionSource.COMMUNE or self.latitude is None or self.longitude is None:
            self.position_source = PositionSource.COMMUNE
            self.latitude, self.longitude = self.commune.latitude, self.commune.longitude

    @property
    def point(self):
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)


class OpeningSlot(models.Model):
    """One opening of a lieu in the week: several per day are allowed (9 h–12 h, 14 h–17 h)."""

    lieu = models.ForeignKey(Lieu, verbose_name="lieu", on_delete=models.CASCADE, related_name="opening_slots")
    weekday = models.PositiveSmallIntegerField("jour", choices=Weekday.choices)
    opens = models.TimeField("ouvre à")
    closes = models.TimeField("ferme à")

    class Meta:
        verbose_name = "créneau d’ouverture"
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=models.F("opens")), name="opening_slot_closes_after_opens"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class LieuClosure(models.Model):
    """An exceptional closure of a lieu, both days included: « fermé du 22 décembre au 2 janvier »."""

    lieu = models.ForeignKey(Lieu, verbose_name="lieu", on_delete=models.CASCADE, related_name="closures")
    starts_on = models.DateField("du")
    ends_on = models.DateField("au")
    reason = models.CharField("motif", max_length=120, blank=True, help_text="ex. congés de fin d’année")

    class Meta:
        verbose_name = "fermeture exceptionnelle"
        verbose_name_plural = "fermetures exceptionnelles"
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="lieu_closure_ends_after")
        ]
        indexes = [models.Index(fields=["lieu", "ends_on"], name="lieu_closure_lieu_end")]

    def __str__(self):
        return f"{self.lieu} fermé du {self.starts_on:%d/%m/%Y} au {self.ends_on:%d/%m/%Y}"

    def covers(self, day):
        return self.starts_on <= day <= self.ends_on


class AdvisorQuerySet(models.QuerySet):
    def with_cards(self):
        return self.select_related("user", "structure", "commune", "commune__epci", "departement")

    def in_departement(self, departement):
        return self.filter(departement=departement)

    def visible_to(self, user):
        """The profiles ``user`` may see: public ones; "réseau" ones for active members of any
        network; "coordinateurs" ones for the coordinators of their département; one's own.

        Hidden profiles are absent from every list, count and search built on this.
        """
        condition = Q(visibility=Visibility.PUBLIC)
        if user.is_authenticated:
            memberships = memberships_of(user).values()
            if any(membership.is_active for membership in memberships):
                condition |= Q(visibility=Visibility.NETWORK)
            coordinated = [membership.departement_id for membership in memberships if membership.is_coordinator]
            if coordinated:
                condition |= Q(departement__in=coordinated)
            condition |= Q(user=user)
        return self.filter(condition)


class Advisor(models.Model):
    """The profile of a member: who they are, where they work, how to reach them."""

    user = models.OneToOneField(User, verbose_name="compte", on_delete=models.CASCADE, related_name="advisor")
    departement = models.ForeignKey(
        Departement, verbose_name="réseau départemental", on_delete=models.PROTECT, related_name="advisors"
    )
    role = models.CharField("rôle", max_length=30, choices=AdvisorRole.choices, default=AdvisorRole.CONSEILLER)
    structure = models.ForeignKey(
        Structure, verbose_name="structure", on_delete=models.SET_NULL, null=True, blank=True, related_name="advisors"
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name="commune de rattachement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="based_advisors",
    )
    intervention_communes = models.ManyToManyField(
        Commune, verbose_name="communes d’intervention", blank=True, related_name="intervening_advisors"
    )
    languages = models.ManyToManyField(Language, verbose_name="langues parlées", blank=True, related_name="advisors")
    # Specialities: the publics served and the "prises en charge spécifiques" (national vocabulary).
    publics = models.ManyToManyField(
        "skills.Public", verbose_name="publics et prises en charge spécifiques", blank=True, related_name="advisors"
    )
    cohort = models.ForeignKey(
        Cohort,
        verbose_name="promo de formation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advisors",
    )
    arrival_date = models.DateField("arrivée dans le réseau", null=True, blank=True)
    bio = models.TextField("présentation", max_length=1500, blank=True)
    photo = models.ImageField("photo", upload_to="advisors/photos/", blank=True)
    contact_email = models.EmailField("adresse électronique professionnelle", blank=True)
    phone = models.CharField("téléphone professionnel", max_length=30, blank=True, validators=[validate_phone])
    mattermost = models.CharField("identifiant Mattermost", max_length=100, blank=True)
    discord = models.CharField("identifiant Discord", max_length=100, blank=True)
    linkedin = models.URLField("profil LinkedIn", blank=True)
    available_for_co_animation = models.BooleanField("disponible pour co-animer", default=False)
    # A newcomer is presented in the monthly letter only if they said yes.
    introduce_in_letter = models.BooleanField("présenter mon arrivée dans la lettre d’information", default=False)
    visibility = models.CharField(
        "visibilité du profil", max_length=20, choices=Visibility.choices, default=Visibility.NETWORK
    )
    # Normalised name, structure and bio: what the directory's free-text search matches.
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = AdvisorQuerySet.as_manager()

    class Meta:
        verbose_name = "conseiller"
        ordering = ["user__last_name", "user__first_name"]
        indexes = [
            models.Index(fields=["departement", "visibility"], name="advisor_dep_visibility"),
            models.Index(fields=["departement", "role"], name="advisor_dep_role"),
            # The role filter across all of France: coordinators are under 1 % of the profiles.
            models.Index(fields=["role"], name="advisor_role"),
            models.Index(fields=["arrival_date"], name="advisor_arrival"),
        ]

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        return reverse("advisors:profile", args=[self.pk])


class StructureAttachment(models.Model):
    """A member's request to be attached to an existing structure, which its editors or the
    coordination accept. ``Advisor.structure`` changes only then: until that, nothing (the
    right to edit, cards, the directory, territory reads) knows of the request."""

    advisor = models.OneToOneField(
        Advisor, verbose_name="conseiller", on_delete=models.CASCADE, related_name="structure_request"
    )
    structure = models.ForeignKey(
        Structure, verbose_name="structure", on_delete=models.CASCADE, related_name="attachment_requests"
    )
    created_at = models.DateTimeField("demandé le", default=timezone.now)

    class Meta:
        verbose_name = "demande de rattachement à une structure"
        verbose_name_plural = "demandes de rattachement à une structure"
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.advisor} → {self.structure}"


class Permanence(models.Model):
    """An advisor's regular presence at a lieu: their own day and hours there."""

    advisor = models.ForeignKey(
        Advisor, verbose_name="conseiller", on_delete=models.CASCADE, related_name="permanences"
    )
    lieu = models.ForeignKey(Lieu, verbose_name="lieu", on_delete=models.CASCADE, related_name="permanences")
    weekday = models.PositiveSmallIntegerField("jour", choices=Weekday.choices)
    opens = models.TimeField("de")
    closes = models.TimeField("à")

    class Meta:
        verbose_name = "permanence"
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=models.F("opens")), name="permanence_closes_after_opens"),
        ]

    def __str__(self):
        return f"{self.lieu} — {self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class ServedCommune(models.Model):
    """A row of the serving tables: a commune served, copied with its département and EPCI so that
    a filter on any of the three territories is one indexed column. The composite indexes and the
    unique constraint serve every lookup: no single-column index on the foreign keys.

    These tables are derived data, never typed by anyone: ``advisors.services.serving`` writes them
    whenever a source changes, and ``manage.py rebuild_serving`` recomputes them all.
    """

    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    epci = models.ForeignKey(
        EPCI, verbose_name="EPCI", on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )

    class Meta:
        abstract = True


class AdvisorCommune(ServedCommune):
    """A commune ``advisor`` serves: their own, their structure's, their permanences' (accepted lieux),
    their communes of intervention, their structure's perimeter.

    Rows without a commune stand for a whole département, one per advisor and département served: the
    département of their network, which counts as served as a whole (a member serves their network's
    département before saying where they work), and the départements of the communes above. "Serves
    this département" reads these alone: one row per advisor, so PostgreSQL estimates how many advisors
    match (counting their communes, it expected ten times too many and chose plans for thousands).
    """

    advisor = models.ForeignKey(
        Advisor, verbose_name="conseiller", on_delete=models.CASCADE, related_name="served_communes", db_index=False
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name="commune",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = "commune servie par un conseiller"
        verbose_name_plural = "communes servies par les conseillers"
        constraints = [
            models.UniqueConstraint(fields=["advisor", "commune"], name="advisor_commune_once"),
            models.UniqueConstraint(
                fields=["departement", "advisor"], condition=Q(commune__isnull=True), name="advisor_departement_once"
            ),
        ]
        indexes = [
            models.Index(fields=["departement", "advisor"], name="advisor_commune_dep"),
            models.Index(fields=["epci", "advisor"], name="advisor_commune_epci"),
            models.Index(fields=["commune", "advisor"], name="advisor_commune_commune"),
        ]

    def __str__(self):
        return f"{self.advisor_id} → {self.commune_id or self.departement_id}"


class LieuCommune(ServedCommune):
    """A commune an accepted ``lieu`` serves: its own, and its structure's perimeter.

    Rows without a commune stand for the départements of those communes, one per lieu and département:
    "serves this département" reads them alone, as for ``AdvisorCommune``.
    """

    lieu = models.ForeignKey(
        Lieu, verbose_name="lieu", on_delete=models.CASCADE, related_name="served_communes", db_index=False
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name="commune",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = "commune servie par un lieu"
        verbose_name_plural = "communes servies par les lieux"
        constraints = [
            models.UniqueConstraint(fields=["lieu", "commune"], name="lieu_commune_once"),
            models.UniqueConstraint(
                fields=["departement", "lieu"], condition=Q(commune__isnull=True), name="lieu_departement_once"
            ),
        ]
        indexes = [
            models.Index(fields=["departement", "lieu"], name="lieu_commune_dep"),
            models.Index(fields=["epci", "lieu"], name="lieu_commune_epci"),
            models.Index(fields=["commune", "lieu"], name="lieu_commune_commune"),
        ]

    def __str__(self):
        return f"{self.lieu_id} → {self.commune_id or self.departement_id}"
