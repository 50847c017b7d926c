"""The project card form, and the board's filters."""

from collections import OrderedDict

import django_filters
from django import forms
from django.db.models import Q

from config.filters import BaseFilterSet
from skills.models import ProjectCard, Skill
from territories.models import EPCI

MAX_SKILLS = 6


class CardForm(forms.ModelForm):
    skills = forms.ModelMultipleChoiceField(
        label="Compétences en jeu",
        help_text=f"Jusqu’à {MAX_SKILLS}, pour que les bonnes personnes trouvent votre carte.",
        queryset=Skill.objects.validated().select_related("domain"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Cette compétence n’existe plus : décochez-la."},
    )

    class Meta:
        model = ProjectCard
        fields = ["title", "body", "skills"]
        labels = {"title": "Titre du projet", "body": "Le projet en quelques lignes"}
        help_texts = {
            "title": "120 caractères au plus, par exemple « Un repair café numérique à Firminy ».",
            "body": "Ce que vous voulez faire, avec qui, ce qui vous manque. 800 caractères au plus.",
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "title": {
                "required": "Donnez un titre à votre projet.",
                "max_length": "Le titre fait %(show_value)d caractères : 120 au plus.",
            },
            "body": {
                "required": "Décrivez votre projet en quelques lignes.",
                "max_length": "Le texte fait %(show_value)d caractères : 800 au plus.",
            },
        }

    def clean_skills(self):
        skills = self.cleaned_data["skills"]
        if len(skills) > MAX_SKILLS:
            raise forms.ValidationError(f"Vous avez coché {len(skills)} compétences : gardez-en {MAX_SKILLS} au plus.")
        return skills

    def skill_groups(self):
        """The checkboxes grouped by domain, in the domains' order: [(domain, [subwidget, …], any checked), …]."""
        groups = OrderedDict()
        for checkbox in self["skills"]:
            skill = checkbox.data["value"].instance
            groups.setdefault(skill.domain, []).append(checkbox)
        return [
            (domain, checkboxes, any(checkbox.data["selected"] for checkbox in checkboxes))
            for domain, checkboxes in groups.items()
        ]


class CardFilterSet(BaseFilterSet):
    """Skill and EPCI of the author's commune, within one département's board."""

    competence = django_filters.ModelChoiceFilter(
        label="Compétence",
        queryset=Skill.objects.validated().select_related("domain"),
        to_field_name="slug",
        empty_label="Toutes les compétences",
        method="filter_skill",
    )
    epci = django_filters.ModelChoiceFilter(
        label="Intercommunalité de l’auteur",
        queryset=EPCI.objects.none(),
        to_field_name="siren",
        empty_label="Toutes les intercommunalités",
        method="filter_epci",
    )

    class Meta:
        model = ProjectCard
        fields = []

    def __init__(self, data=None, *, departement, **kwargs):
        super().__init__(data=data, **kwargs)
        self.form.fields["epci"].queryset = EPCI.objects.filter(
            pk__in=EPCI.objects.filter(communes__departement=departement).values("pk")
        ).order_by("name")

    def filter_skill(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=ProjectCard.skills.through.objects.filter(skill=value).values("projectcard"))

    def filter_epci(self, queryset, name, value):
        if not value:
            return queryset
        # The author's commune, or their structure's when they gave none.
        return queryset.filter(
            Q(author__commune__epci=value) | Q(author__commune__isnull=True, author__structure__commune__epci=value)
        )
