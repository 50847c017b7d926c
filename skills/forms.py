"""Forms of the skills pages: proposing and moderating a skill, the skills section of Mon profil,
project cards, the skills map's territory picker.
"""

from collections import OrderedDict

from django import forms
from django.db.models import Q

from skills.enums import SkillLevel, SkillStatus
from skills.models import AdvisorSkill, Domain, ProjectCard, Skill
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
    # A merge cannot be undone: the box is the confirmation step, and it needs no JavaScript.
    confirm = forms.BooleanField(
        label="Je confirme la fusion, qui ne peut pas être défaite",
        error_messages={"required": "Cochez la case pour confirmer la fusion : elle ne peut pas être défaite."},
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


NONE_CHOICE = ""


def _skills_for(advisor):
    """The validated skills, the member's own proposals, and any skill they already have (one query)."""
    condition = Q(status=SkillStatus.VALIDATED) | Q(proposed_by=advisor.user_id)
    condition |= Q(pk__in=AdvisorSkill.objects.filter(advisor=advisor).values("skill"))
    return list(
        Skill.objects.filter(condition, merged_into__isnull=True)
        .select_related("domain")
        .order_by("domain__position", "domain__name", "position", "name")
    )


class SkillsForm(forms.Form):
    """Built like the other sections of Mon profil (``advisor=``, ``section_data()``), without
    inheriting from them so that the skills app does not import the profile forms."""

    def __init__(self, data=None, files=None, *, advisor, **kwargs):
        self.advisor = advisor
        super().__init__(data, **kwargs)
        self.skills = _skills_for(advisor)
        # Read through .all(): the profile page prefetches the advisor's skills.
        current = {link.skill_id: link for link in advisor.advisor_skills.all()}
        choices = [(NONE_CHOICE, "—"), *SkillLevel.choices]
        for skill in self.skills:
            link = current.get(skill.pk)
            self.fields[f"level_{skill.pk}"] = forms.ChoiceField(
                label=skill.name,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                initial=link.level if link else NONE_CHOICE,
                error_messages={"invalid_choice": "Choisissez un des niveaux proposés."},
            )
            self.fields[f"note_{skill.pk}"] = forms.CharField(
                label=f"Précision sur « {skill.name} »",
                required=False,
                max_length=140,
                initial=link.note if link else "",
                error_messages={"max_length": "La précision tient en 140 caractères au plus (%(show_value)d)."},
            )

    def clean(self):
        cleaned = super().clean()
        for skill in self.skills:
            level = cleaned.get(f"level_{skill.pk}")
            note = (cleaned.get(f"note_{skill.pk}") or "").strip()
            if note and not level and f"level_{skill.pk}" not in self.errors:
                self.add_error(
                    f"note_{skill.pk}", "Choisissez un niveau pour cette compétence ou effacez la précision."
                )
        return cleaned

    def groups(self):
        """``[(domain, [{"skill", "level", "note"}…])…]`` in page order."""
        groups = []
        for skill in self.skills:
            if not groups or groups[-1][0].pk != skill.domain_id:
                groups.append((skill.domain, []))
            groups[-1][1].append(
                {"skill": skill, "level": self[f"level_{skill.pk}"], "note": self[f"note_{skill.pk}"]}
            )
        return groups

    def section_data(self):
        levels = {}
        for skill in self.skills:
            level = self.cleaned_data.get(f"level_{skill.pk}")
            if level:
                levels[skill.pk] = (level, self.cleaned_data.get(f"note_{skill.pk}", "").strip())
        return {"levels": levels}


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


class TerritoryForm(forms.Form):
    """The picker: every département, and the EPCI of the one being shown."""

    territoire = forms.CharField(label="Territoire", max_length=20, required=False, widget=forms.Select)

    def __init__(self, *args, territory=None, **kwargs):
        super().__init__(*args, **kwargs)
        departements = [(d.code, f"{d.name} ({d.code})") for d in Departement.objects.order_by("code")]
        choices = [("Départements", departements)]
        if territory is not None and territory.reference is not None:
            epcis = EPCI.objects.in_departement(territory.reference).order_by("name")
            choices.append(
                (f"Intercommunalités — {territory.reference.name}", [(f"epci-{e.siren}", e.name) for e in epcis])
            )
        self.fields["territoire"].widget.choices = choices
        self.fields["territoire"].help_text = "Un département, ou une intercommunalité du département affiché."
