"""Forms of the skills pages: proposing a skill, moderating one, filtering who holds one."""

import django_filters
from django import forms
from django.db.models import Q

from advisors import queries
from config.filters import BaseFilterSet
from skills.enums import SkillStatus
from skills.models import Domain, Skill
from territories.models import EPCI, Departement


class SkillProposeForm(forms.Form):
    domain = forms.ModelChoiceField(
        label="Domaine",
        queryset=Domain.objects.all(),
        empty_label="Choisissez un domaine",
        error_messages={"required": "Choisissez un domaine.", "invalid_choice": "Choisissez un domaine de la liste."},
    )
    name = forms.CharField(
        label="Nom de la compétence",
        max_length=120,
        help_text="Court et parlant, par exemple « Accompagner à la déclaration d’impôts ».",
        error_messages={
            "required": "Indiquez le nom de la compétence.",
            "max_length": "Le nom tient en 120 caractères au plus.",
        },
    )


class SkillRenameForm(forms.Form):
    name = forms.CharField(
        label="Nouveau nom",
        max_length=120,
        error_messages={
            "required": "Indiquez le nouveau nom.",
            "max_length": "Le nom tient en 120 caractères au plus.",
        },
    )


class SkillMergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label="Fusionner dans",
        queryset=Skill.objects.none(),
        empty_label="Choisissez la compétence qui reste",
        help_text="Les conseillers et les cartes projets de cette compétence passent sur celle choisie.",
        error_messages={
            "required": "Choisissez la compétence qui reste.",
            "invalid_choice": "Choisissez une compétence de la liste.",
        },
    )

    def __init__(self, *args, skill, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = merge_targets(skill) if targets is None else targets
        # Distinct ids per skill: several merge forms share a page.
        self.auto_id = f"id_merge_{skill.pk}_%s"


def merge_targets(skill):
    """What ``skill`` can be merged into: the validated skills and the proposals of its own network."""
    condition = Q(status=SkillStatus.VALIDATED)
    if skill.proposed_in_id:
        condition |= Q(status=SkillStatus.PROPOSED, proposed_in=skill.proposed_in_id)
    return (
        Skill.objects.filter(condition, merged_into__isnull=True)
        .exclude(pk=skill.pk)
        .select_related("domain")
        .order_by("domain__position", "name")
    )


class SkillHoldersFilterSet(BaseFilterSet):
    """Narrow a skill's page to a département or an intercommunalité (the more precise wins)."""

    departement = django_filters.ModelChoiceFilter(
        label="Département",
        queryset=Departement.objects.order_by("code"),
        to_field_name="code",
        empty_label="Tous les départements",
        method="filter_territory",
        error_messages={"invalid_choice": "Choisissez un département de la liste."},
    )
    epci = django_filters.ModelChoiceFilter(
        label="Intercommunalité",
        queryset=EPCI.objects.none(),
        to_field_name="siren",
        empty_label="Toutes les intercommunalités",
        method="filter_territory",
        error_messages={"invalid_choice": "Choisissez une intercommunalité de la liste."},
    )

    class Meta:
        model = Skill
        fields = []

    def __init__(self, data=None, **kwargs):
        super().__init__(data=data, **kwargs)
        self.limit_epcis_to_departement()

    def filter_territory(self, queryset, name, value):
        # Applied to advisors by the view through ``territory``; the skill queryset is left alone.
        return queryset

    @property
    def territory(self):
        self.form.errors  # noqa: B018 — cleans the form once; a field in error is left out
        data = self.form.cleaned_data
        return data.get("epci") or data.get("departement")

    def advisors_condition(self):
        territory = self.territory
        return queries.advisors_serving(territory) if territory else Q()
