"""The "Compétences" section of Mon profil: one radio group and one short note per skill."""

from django import forms
from django.db.models import Q

from skills.enums import SkillLevel, SkillStatus
from skills.models import AdvisorSkill, Skill

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
