"""The resource library: supports, fiches and retours d'expérience shared as digital commons.

A resource keeps its history (``ResourceVersion``, one per saved edit) and its files are stored under
names the user does not choose (``ResourceFile``), served by the app with safe headers.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from advisors.models import Advisor, Structure, memberships_of
from resources.enums import (
    Licence,
    ReportReason,
    ReportStatus,
    ResourceKind,
    ResourceScope,
    ResourceStatus,
    ResourceVisibility,
)
from resources.queries.search import search
from territories.models import EPCI, Commune, Departement
from territories.text import normalize

SUMMARY_MAX = 280


def resource_file_path(instance, filename):
    """``resources/<uuid>.<ext>``: never the name the user chose (kept apart in ``original_name``), and
    the extension of what the content is (``original_name`` carries the recognised one)."""
    suffix = PurePath(getattr(instance, "original_name", "") or filename).suffix.lower()[:10]
    return f"resources/{uuid.uuid4().hex}{suffix}"


class ResourceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ResourceStatus.PUBLISHED)

    def visible_to(self, user):
        """Same rule as ``perms.can_view_resource``: published public resources for everyone, réseau ones
        for members of any network; drafts and hidden ones for their authors and the coordinators of the
        département."""
        published = Q(status=ResourceStatus.PUBLISHED)
        condition = published & Q(visibility=ResourceVisibility.PUBLIC)
        if user.is_authenticated:
            memberships = memberships_of(user).values()
            if any(membership.is_active for membership in memberships):
                condition |= published & Q(visibility=ResourceVisibility.NETWORK)
            coordinated = [membership.departement_id for membership in memberships if membership.is_coordinator]
            if coordinated:
                condition |= Q(departement__in=coordinated)
            if user.pk is not None:  # not the unsaved viewer of a profile's preview
                condition |= Q(
                    Exists(Resource.authors.through.objects.filter(resource=OuterRef("pk"), advisor__user=user))
                )
        return self.filter(condition)

    def serving(self, territory):
        """Resources of a territory: a département's, or those scoped to an EPCI / commune (or one of its communes)."""
        if isinstance(territory, Departement):
            return self.filter(departement=territory)
        if isinstance(territory, EPCI):
            return self.filter(Q(epci=territory) | Q(commune__epci=territory))
        if isinstance(territory, Commune):
            return self.filter(commune=territory)
        raise TypeError(f"Not a territory: {territory!r}")

    def authored_by(self, advisor):
        return self.filter(Exists(Resource.authors.through.objects.filter(resource=OuterRef("pk"), advisor=advisor)))

    def search(self, text):
        """French full-text search (resources.queries.search), best match first."""
        return search(self, text)


class Resource(models.Model):
    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="resources"
    )
    kind = models.CharField("type de ressource", max_length=20, choices=ResourceKind.choices)
    title = models.CharField("titre", max_length=200)
    summary = models.CharField("résumé", max_length=SUMMARY_MAX)
    body = models.TextField("contenu", blank=True, help_text="Mise en forme Markdown possible.")
    link = models.URLField("lien externe", max_length=500, blank=True)
    licence = models.CharField("licence", max_length=30, choices=Licence.choices, default=Licence.ETALAB)
    skills = models.ManyToManyField("skills.Skill", verbose_name="thématiques", blank=True, related_name="resources")
    publics = models.ManyToManyField("skills.Public", verbose_name="publics", blank=True, related_name="resources")
    authors = models.ManyToManyField(Advisor, verbose_name="auteurs", related_name="resources")
    structure = models.ForeignKey(
        Structure,
        verbose_name="structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
    )
    scope = models.CharField(
        "échelon", max_length=20, choices=ResourceScope.choices, default=ResourceScope.DEPARTEMENT
    )
    epci = models.ForeignKey(
        EPCI, verbose_name="intercommunalité", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    commune = models.ForeignKey(
        Commune, verbose_name="commune", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    visibility = models.CharField(
        "visibilité", max_length=20, choices=ResourceVisibility.choices, default=ResourceVisibility.PUBLIC
    )
    status = models.CharField("statut", max_length=20, choices=ResourceStatus.choices, default=ResourceStatus.DRAFT)
    event = models.ForeignKey(
        "events.Event",
        verbose_name="événement d’origine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
    )
    # Raised by each saved edit: a save that started from an older number is told the page changed.
    version = models.PositiveIntegerField("version", default=1, editable=False)
    download_count = models.PositiveIntegerField("téléchargements", default=0, editable=False)
    # Accent-free, lower-case words of the title, summary and body (territories.text.normalize): the
    # search of the embedded SQLite default; PostgreSQL searches with its French full-text search.
    search_text = models.TextField(editable=False, blank=True)
    # PostgreSQL: weighted French tsvector (title A, summary B, body C) over unaccented text, kept up to
    # date by a trigger (migration 0002) and GIN-indexed. Unused (and always empty) on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="créée par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = "ressource"
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["departement", "status", "-published_at"], name="resource_dep_idx"),
            models.Index(fields=["kind", "-published_at"], name="resource_kind_idx"),
            models.Index(fields=["licence", "-published_at"], name="resource_licence_idx"),
            models.Index(fields=["status", "visibility", "-published_at"], name="resource_status_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = resource_search_text(self)
        if kwargs.get("update_fields") is not None and {"title", "summary", "body"} & set(kwargs["update_fields"]):
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("resources:detail", args=[self.pk])


def resource_search_text(resource):
    """The accent-free, lower-case words the SQLite search looks into."""
    return normalize(f"{resource.title} {resource.summary} {resource.body}")


class ResourceFile(models.Model):
    resource = models.ForeignKey(Resource, verbose_name="ressource", on_delete=models.CASCADE, related_name="files")
    file = models.FileField("fichier", upload_to=resource_file_path, max_length=200)
    original_name = models.CharField("nom d’origine", max_length=200)
    content_type = models.CharField("type", max_length=100)
    size = models.PositiveBigIntegerField("taille (octets)")
    created_at = models.DateTimeField("ajouté le", default=timezone.now)

    class Meta:
        verbose_name = "fichier"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.original_name


class ResourceVersion(models.Model):
    """One saved state of a resource, kept so that authors and coordinators can read and restore it."""

    resource = models.ForeignKey(Resource, verbose_name="ressource", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("version")
    title = models.CharField("titre", max_length=200)
    summary = models.CharField("résumé", max_length=SUMMARY_MAX)
    body = models.TextField("contenu", blank=True)
    link = models.URLField("lien externe", max_length=500, blank=True)
    licence = models.CharField("licence", max_length=30, choices=Licence.choices)
    change_summary = models.CharField("ce qui a changé", max_length=300, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    edited_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "version"
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["resource", "number"], name="resource_version_unique")]

    def __str__(self):
        return f"{self.resource} — version {self.number}"


class ResourceUseful(models.Model):
    """« Utile » : one per member and resource, undone by deleting it."""

    resource = models.ForeignKey(Resource, verbose_name="ressource", on_delete=models.CASCADE, related_name="useful")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="membre", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "mention « utile »"
        constraints = [models.UniqueConstraint(fields=["resource", "user"], name="resource_useful_once")]

    def __str__(self):
        return f"{self.user} — {self.resource}"


class ResourceComment(models.Model):
    resource = models.ForeignKey(Resource, verbose_name="ressource", on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="membre", on_delete=models.CASCADE, related_name="+"
    )
    body = models.CharField("commentaire", max_length=1000)
    hidden = models.BooleanField("masqué", default=False)
    created_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "commentaire"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:50]


class ResourceReport(models.Model):
    """« Signaler » : feeds the moderation list of the département's coordinators."""

    resource = models.ForeignKey(Resource, verbose_name="ressource", on_delete=models.CASCADE, related_name="reports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="signalé par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField("motif", max_length=20, choices=ReportReason.choices)
    message = models.CharField("précisions", max_length=500, blank=True)
    status = models.CharField("statut", max_length=20, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    created_at = models.DateTimeField("signalé le", default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="traité par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolved_at = models.DateTimeField("traité le", null=True, blank=True)

    class Meta:
        verbose_name = "signalement"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="resource_report_open_idx")]

    def __str__(self):
        return f"{self.get_reason_display()} — {self.resource}"
