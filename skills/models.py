from django.db import models

from skills.enums import DomainKind, PublicKind


class Domain(models.Model):
    """A field of help. The nine services of the national schéma des lieux de médiation
    numérique, plus the advisors' own craft; skills (thématiques) are grouped under them."""

    slug = models.SlugField("identifiant", max_length=80, unique=True)
    name = models.CharField("nom", max_length=120, unique=True)
    kind = models.CharField("nature", max_length=20, choices=DomainKind.choices, default=DomainKind.SERVICE)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "domaine"
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Public(models.Model):
    """A public served (jeunes, seniors…) or a specific support (surdité, illettrisme…)."""

    slug = models.SlugField("identifiant", max_length=80, unique=True)
    name = models.CharField("nom", max_length=120, unique=True)
    kind = models.CharField("nature", max_length=20, choices=PublicKind.choices, default=PublicKind.PUBLIC)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "public"
        ordering = ["kind", "position", "name"]

    def __str__(self):
        return self.name
