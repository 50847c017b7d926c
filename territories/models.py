from django.db import models
from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from territories.enums import EPCIKind
from territories.text import normalize


class RegionQuerySet(models.QuerySet):
    def with_departements(self):
        """Régions in French alphabetical order (Île-de-France among the I), with their départements."""
        regions = self.prefetch_related(Prefetch("departements", queryset=Departement.objects.order_by("code")))
        return sorted(regions, key=lambda region: normalize(region.name))


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = "région"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)
    region = models.ForeignKey(Region, verbose_name="région", on_delete=models.PROTECT, related_name="departements")
    timezone = models.CharField("fuseau horaire", max_length=40, default="Europe/Paris")

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("overview:departement", args=[self.code])


class EPCIQuerySet(models.QuerySet):
    def in_departement(self, departement):
        """The EPCI with a commune in ``departement``: the one narrowing of EPCI choices to a département.
        A subquery, not a join, so counts annotated afterwards take in all the EPCI's communes."""
        return self.filter(pk__in=Commune.objects.filter(departement=departement, epci__isnull=False).values("epci"))

    def with_stats_in(self, departement):
        """Communes and population of each EPCI inside one département, and its total reach."""
        in_dep = Q(communes__departement=departement)
        return (
            self.filter(communes__departement=departement)
            .annotate(
                communes_here=Count("communes", filter=in_dep),
                population_here=Coalesce(Sum("communes__population", filter=in_dep), 0),
            )
            .annotate(
                departements_count=models.Subquery(
                    Commune.objects.filter(epci=models.OuterRef("pk"))
                    .values("epci")
                    .annotate(n=Count("departement", distinct=True))
                    .values("n")[:1]
                )
            )
            .order_by("name")
        )


class EPCI(models.Model):
    """An intercommunality. It may span several départements: it is never hung on one."""

    siren = models.CharField("SIREN", max_length=9, primary_key=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("nature juridique", max_length=5, choices=EPCIKind.choices)

    objects = EPCIQuerySet.as_manager()

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("territories:epci", args=[self.siren])


class CommuneQuerySet(models.QuerySet):
    def with_territory(self):
        return self.select_related("departement", "epci")

    def search(self, query):
        """Communes whose name or postal code matches ``query``, best matches first.

        Every word of the normalised query must appear in ``search_text`` (name and postal
        codes); on PostgreSQL a trigram index serves these ``LIKE '%…%'`` lookups.
        """
        normalized = normalize(query)
        if not normalized:
            return self.none()
        condition = Q()
        for word in normalized.split():
            condition &= Q(search_text__contains=word)
        return (
            self.filter(condition)
            .annotate(
                exact=models.Case(
                    models.When(search_name=normalized, then=0),
                    models.When(search_name__startswith=normalized, then=1),
                    default=2,
                    output_field=models.IntegerField(),
                )
            )
            .order_by("exact", "-population", "code")
        )


class Commune(models.Model):
    code = models.CharField("code INSEE", max_length=5, primary_key=True)
    name = models.CharField("nom", max_length=200)
    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="communes"
    )
    epci = models.ForeignKey(
        EPCI, verbose_name="EPCI", on_delete=models.SET_NULL, null=True, blank=True, related_name="communes"
    )
    population = models.PositiveIntegerField("population municipale", default=0)
    postal_codes = models.CharField("codes postaux", max_length=200, blank=True, help_text="séparés par des espaces")
    # The commune's reference point (its town hall where known), WGS 84 degrees: distances are
    # measured from it. Null for the few communes the geographic source has no outline for.
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    # Accent-free lowercase name, and the same followed by the postal codes: what searches match.
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    search_text = models.CharField(max_length=400, editable=False)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        ordering = ["name", "code"]
        # The bounding-box prefilter of "nearest communes" reads a latitude band, then longitudes.
        indexes = [models.Index(fields=["latitude", "longitude"], name="commune_lat_lon")]

    def __str__(self):
        return f"{self.name} ({self.departement_id})"

    def save(self, *args, **kwargs):
        self.search_name, self.search_text = self.search_columns(self.name, self.postal_codes)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("overview:commune", args=[self.code])

    @staticmethod
    def search_columns(name, postal_codes):
        search_name = normalize(name)
        return search_name, f"{search_name} {postal_codes}".strip()

    @property
    def postal_code_list(self):
        return self.postal_codes.split()

    @property
    def point(self):
        """``(latitude, longitude)`` or ``None``."""
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)

    @property
    def label(self):
        """What a picker shows and parses back: the name, the département and the INSEE code."""
        return f"{self.name} ({self.departement_id}) — {self.code}"


class OutlineQuerySet(models.QuerySet):
    def of(self, kind, codes):
        """``{code: contour}`` for ``codes`` of one kind (communes, EPCI or départements)."""
        keys = [Outline.key_for(kind, code) for code in codes]
        rows = self.filter(key__in=keys).values_list("key", "contour")
        return {key.split(":", 1)[1]: contour for key, contour in rows}


class Outline(models.Model):
    """The simplified contour of a commune, an EPCI or a département, kept out of their own tables
    (the commune row is joined everywhere; its outline is read only to draw a map).

    ``contour`` is the vendored encoding (``data/build_geography.py``): a JSON list of polygons,
    each a list of rings, each ring a flat delta-encoded list of integers in 1e-4 degree.
    """

    key = models.CharField("clé", max_length=20, primary_key=True, help_text="« commune:42218 », « epci:… »")
    contour = models.TextField("contour")

    objects = OutlineQuerySet.as_manager()

    class Meta:
        verbose_name = "contour"

    def __str__(self):
        return self.key

    @staticmethod
    def key_for(kind, code):
        return f"{kind}:{code}"
