from django.conf import settings
from django.db import models
from django.urls import reverse

from skills.enums import DomainKind, PublicKind, SkillLevel, SkillStatus


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


class SkillQuerySet(models.QuerySet):
    def validated(self):
        return self.filter(status=SkillStatus.VALIDATED, merged_into__isnull=True)

    def visible_to(self, user):
        """Validated skills for everyone; a proposed one also for its author and the coordinators."""
        condition = models.Q(status=SkillStatus.VALIDATED)
        if user.is_authenticated:
            condition |= models.Q(proposed_by=user)
            coordinated = user.memberships.coordinators().values("departement")
            condition |= models.Q(status=SkillStatus.PROPOSED, proposed_in__in=coordinated)
        return self.filter(condition, merged_into__isnull=True)


class Skill(models.Model):
    """A thématique d'accompagnement, or a skill a member proposed."""

    domain = models.ForeignKey(Domain, verbose_name="domaine", on_delete=models.PROTECT, related_name="skills")
    slug = models.SlugField("identifiant", max_length=120, unique=True)
    name = models.CharField("nom", max_length=120)
    status = models.CharField("statut", max_length=20, choices=SkillStatus.choices, default=SkillStatus.VALIDATED)
    # A merged skill stays so that its old address redirects to the surviving one.
    merged_into = models.ForeignKey(
        "self", verbose_name="fusionnée dans", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="proposée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_skills",
    )
    proposed_in = models.ForeignKey(
        "territories.Departement",
        verbose_name="proposée dans le réseau",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = SkillQuerySet.as_manager()

    class Meta:
        verbose_name = "compétence"
        ordering = ["domain__position", "position", "name"]
        indexes = [models.Index(fields=["status", "merged_into"], name="skill_status_merged")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("skills:detail", args=[self.slug])


class AdvisorSkill(models.Model):
    advisor = models.ForeignKey(
        "advisors.Advisor", verbose_name="conseiller", on_delete=models.CASCADE, related_name="advisor_skills"
    )
    skill = models.ForeignKey(
        Skill, verbose_name="compétence", on_delete=models.CASCADE, related_name="advisor_skills"
    )
    level = models.CharField("niveau", max_length=20, choices=SkillLevel.choices)
    note = models.CharField("précision", max_length=140, blank=True, help_text="ex. ateliers Pix chaque mardi")
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "compétence d’un conseiller"
        verbose_name_plural = "compétences des conseillers"
        constraints = [models.UniqueConstraint(fields=["advisor", "skill"], name="advisor_skill_unique")]
        indexes = [models.Index(fields=["skill", "level"], name="advisor_skill_skill_level")]

    def __str__(self):
        return f"{self.advisor} — {self.skill} ({self.get_level_display()})"


class ProjectCard(models.Model):
    """A "carte projet": a project close to a member's heart, that others can mark."""

    author = models.ForeignKey(
        "advisors.Advisor", verbose_name="auteur", on_delete=models.CASCADE, related_name="project_cards"
    )
    departement = models.ForeignKey(
        "territories.Departement", verbose_name="département", on_delete=models.PROTECT, related_name="project_cards"
    )
    title = models.CharField("titre", max_length=120)
    body = models.TextField("le projet en quelques lignes", max_length=800)
    skills = models.ManyToManyField(Skill, verbose_name="compétences en jeu", blank=True, related_name="project_cards")
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)

    class Meta:
        verbose_name = "carte projet"
        verbose_name_plural = "cartes projets"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["departement", "-created_at"], name="projectcard_dep_created")]

    def __str__(self):
        return self.title


class ProjectInterest(models.Model):
    """ "Ça m'interpelle": one member's interest in a card."""

    card = models.ForeignKey(ProjectCard, verbose_name="carte", on_delete=models.CASCADE, related_name="interests")
    advisor = models.ForeignKey(
        "advisors.Advisor", verbose_name="conseiller", on_delete=models.CASCADE, related_name="project_interests"
    )
    created_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "intérêt pour une carte projet"
        constraints = [models.UniqueConstraint(fields=["card", "advisor"], name="project_interest_unique")]

    def __str__(self):
        return f"{self.advisor} → {self.card}"


def skills_by_level(advisor):
    """The advisor's validated skills grouped by level, highest first: ``[{"level", "label", "links"}…]``.

    Reads ``advisor.advisor_skills.all()``, so a profile prefetched with its skills costs no query.
    """
    links = [link for link in advisor.advisor_skills.all() if link.skill.status == SkillStatus.VALIDATED]
    groups = []
    for level in SkillLevel:
        chosen = sorted((link for link in links if link.level == level), key=lambda link: link.skill.name)
        if chosen:
            groups.append({"level": level, "label": level.label, "links": chosen})
    return groups


TOP_SKILLS_ON_CARDS = 3


def top_skills_prefetch():
    """For lists of advisor cards: up to three validated skills each advisor masters, in
    ``advisor.top_skills``. One query for the whole page (a sliced prefetch is a window query)."""
    return models.Prefetch(
        "advisor_skills",
        queryset=AdvisorSkill.objects.filter(
            level=SkillLevel.MASTER, skill__status=SkillStatus.VALIDATED, skill__merged_into__isnull=True
        )
        .select_related("skill")
        .order_by("skill__name", "pk")[:TOP_SKILLS_ON_CARDS],
        to_attr="top_skills",
    )
