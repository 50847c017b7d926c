"""Filters of the advisors directory (``/conseillers/``)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from advisors.enums import AdvisorRole, StructureKind
from advisors.models import Advisor, Cohort, Language
from advisors.queries.territory import advisors_serving, newcomer_q
from common.filters import NormalizedSearchFilter, TerritoryFilterSet
from skills.enums import DomainKind, SkillLevel
from skills.models import AdvisorSkill, Domain, Public, Skill


class AdvisorFilterSet(TerritoryFilterSet):
    """Territory (the most precise of département, EPCI and commune wins), role, structure kind,
    language, public, service, skill and level, promo, newcomers, co-animation and a free-text search.

    Meant for ``Advisor.objects.visible_to(user)``: it only ever narrows that queryset.
    """

    q = NormalizedSearchFilter(
        label="Rechercher un nom, une structure, un mot de la présentation",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    role = django_filters.ChoiceFilter(label="Rôle", choices=AdvisorRole.choices, empty_label="Tous les rôles")
    type_structure = django_filters.ChoiceFilter(
        label="Type de structure",
        field_name="structure__kind",
        choices=StructureKind.choices,
        empty_label="Tous les types",
    )
    langue = django_filters.ModelChoiceFilter(
        label="Langue parlée",
        queryset=Language.objects.all(),
        empty_label="Toutes les langues",
        method="filter_language",
    )
    public = django_filters.ModelChoiceFilter(
        label="Public ou spécialité",
        queryset=Public.objects.all(),
        to_field_name="slug",
        empty_label="Tous les publics",
        method="filter_public",
    )
    promo = django_filters.ModelChoiceFilter(
        label="Promo de formation",
        queryset=Cohort.objects.all(),
        to_field_name="slug",
        empty_label="Toutes les promos",
        field_name="cohort",
    )
    service = django_filters.ModelChoiceFilter(
        label="Service aux publics",
        queryset=Domain.objects.filter(kind=DomainKind.SERVICE).order_by("position", "name"),
        to_field_name="slug",
        empty_label="Tous les services",
        method="filter_service",
    )
    competence = django_filters.ModelChoiceFilter(
        label="Compétence",
        queryset=Skill.objects.validated().select_related("domain").order_by("domain__position", "name"),
        to_field_name="slug",
        empty_label="Toutes les compétences",
        method="filter_skill",
    )
    niveau = django_filters.ChoiceFilter(
        label="Niveau",
        choices=SkillLevel.choices,
        empty_label="Tous les niveaux",
        method="filter_skill",
    )
    nouveaux = django_filters.BooleanFilter(
        label="Nouveaux arrivants (arrivés il y a moins de six mois)",
        widget=forms.CheckboxInput,
        method="filter_newcomers",
    )
    coanimation = django_filters.BooleanFilter(
        label="Disponibles pour co-animer",
        widget=forms.CheckboxInput,
        method="filter_co_animation",
    )

    commune_help = "Les personnes qui y travaillent ou y interviennent. Nom ou code postal."

    class Meta:
        model = Advisor
        fields = []

    def serving(self, queryset, territory):
        return queryset.filter(advisors_serving(territory))

    def filter_language(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Exists(Advisor.languages.through.objects.filter(advisor=OuterRef("pk"), language=value))
        )

    def filter_public(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(Advisor.publics.through.objects.filter(advisor=OuterRef("pk"), public=value)))

    def filter_service(self, queryset, name, value):
        """Who masters or practises a skill of the service (wanting to learn one answers no need)."""
        if not value:
            return queryset
        links = AdvisorSkill.objects.filter(
            advisor=OuterRef("pk"), skill__domain=value, level__in=[SkillLevel.MASTER, SkillLevel.PRACTICE]
        )
        return queryset.filter(Exists(links))

    def filter_skill(self, queryset, name, value):
        """Who has the skill (at the level, if one is given): one EXISTS for both fields, so no duplicate row."""
        skill = self.form.cleaned_data.get("competence")
        level = self.form.cleaned_data.get("niveau")
        if name == "niveau" and skill:
            return queryset  # already applied together with the skill
        links = AdvisorSkill.objects.filter(advisor=OuterRef("pk"))
        if skill:
            # The cards show it with each person's level: advisors.queries.directory.directory_cards.
            links = links.filter(skill=skill)
        if level:
            links = links.filter(level=level)
        return queryset.filter(Exists(links))

    def filter_newcomers(self, queryset, name, value):
        return queryset.filter(newcomer_q()) if value else queryset

    def filter_co_animation(self, queryset, name, value):
        return queryset.filter(available_for_co_animation=True) if value else queryset
