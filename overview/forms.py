"""The filters of « près de chez moi »: a GET form that narrows both its lists (lieux and people)."""

from django import forms

from advisors.models import Language
from skills.enums import DomainKind
from skills.models import Domain, Public, Skill


class NearForm(forms.Form):
    """Every field is optional; a value that is not in the list is an error next to its field, and the
    page is shown without that filter."""

    service = forms.ModelChoiceField(
        label="Service",
        queryset=Domain.objects.filter(kind=DomainKind.SERVICE).order_by("position", "name"),
        to_field_name="slug",
        required=False,
        empty_label="Tous les services",
        error_messages={"invalid_choice": "Choisissez un service de la liste."},
    )
    competence = forms.ModelChoiceField(
        label="ou une compétence précise",
        queryset=Skill.objects.validated().select_related("domain").order_by("domain__position", "name"),
        to_field_name="slug",
        required=False,
        empty_label="Toutes les compétences",
        error_messages={"invalid_choice": "Choisissez une compétence de la liste."},
    )
    ouvert = forms.BooleanField(label="Lieux ouverts maintenant", required=False)
    langue = forms.ModelChoiceField(
        label="Langue parlée",
        queryset=Language.objects.all(),
        required=False,
        empty_label="Toutes les langues",
        error_messages={"invalid_choice": "Choisissez une langue de la liste."},
    )
    public = forms.ModelChoiceField(
        label="Public ou prise en charge spécifique",
        queryset=Public.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Tous les publics",
        error_messages={"invalid_choice": "Choisissez un public de la liste."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The skills grouped under their domain (one query, as the flat list would be).
        field = self.fields["competence"]
        groups = {}
        for skill in field.queryset:
            groups.setdefault(skill.domain.name, []).append((skill.slug, skill.name))
        field.choices = [("", field.empty_label), *groups.items()]

    def filters(self):
        """The valid values (a field in error filters nothing), ``None`` for the fields left empty."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) for name in self.fields if name not in self.errors}

    @property
    def is_filtered(self):
        return any(self.filters().values())
