"""The two forms of orienting a person: the search for who fits (GET) and the message sent (POST)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from advisors.enums import Weekday
from advisors.models import Language
from advisors.validators import validate_phone
from orientations.enums import TimeOfDay
from orientations.queries.matching import Criteria
from skills.enums import DomainKind, PublicKind
from skills.models import Domain, Public, Skill
from territories.forms import CommuneField

TRAVEL_CHOICES = [("oui", "oui"), ("non", "non, seulement dans sa commune ou tout près")]


class SkillChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.domain.name} — {obj.name}"


class PublicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        prefix = "prise en charge" if obj.kind == PublicKind.SPECIFIC_SUPPORT else "public"
        return f"{obj.name} ({prefix})"


class SearchForm(forms.Form):
    """The need and the person's constraints: a GET form, its values carried to the message form."""

    service = forms.ModelChoiceField(
        label="Service",
        queryset=Domain.objects.filter(kind=DomainKind.SERVICE),
        to_field_name="slug",
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": "Choisissez un service de la liste."},
    )
    competence = SkillChoiceField(
        label="ou thématique précise",
        queryset=Skill.objects.validated().filter(domain__kind=DomainKind.SERVICE).select_related("domain"),
        to_field_name="slug",
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": "Choisissez une thématique de la liste."},
    )
    commune = CommuneField(
        label="Commune de la personne",
        help_text="Nom ou code postal. Les plus proches d’abord, à partir de cette commune.",
    )
    langue = forms.ModelChoiceField(
        label="Langue",
        queryset=Language.objects.all(),
        required=False,
        empty_label="indifférent",
        help_text="La langue dans laquelle elle sera le plus à l’aise.",
        error_messages={"invalid_choice": "Choisissez une langue de la liste."},
    )
    public = PublicChoiceField(
        label="Public ou prise en charge spécifique",
        queryset=Public.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="aucun en particulier",
        error_messages={"invalid_choice": "Choisissez dans la liste."},
    )
    jours = forms.TypedMultipleChoiceField(
        label="Jours où elle est disponible",
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucun jour coché : n’importe quel jour.",
        error_messages={"invalid_choice": "Choisissez des jours de la semaine."},
    )
    moment = forms.ChoiceField(
        label="Moment de la journée",
        choices=TimeOfDay.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choisissez un moment de la liste."},
    )
    deplacement = forms.ChoiceField(
        label="Peut-elle se déplacer ?",
        choices=TRAVEL_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Répondez oui ou non."},
    )
    a_distance = forms.BooleanField(label="Un accompagnement à distance lui convient", required=False)

    def __init__(self, data=None, **kwargs):
        if data is not None and not data.get("deplacement"):
            # Unsaid, she can travel: the radio button says so, as the search reads it.
            data = data.copy()
            data["deplacement"] = "oui"
        super().__init__(data, **kwargs)
        # The thématiques under their service, as <optgroup>s: fifty names read better in nine groups.
        groups = {}
        for skill in self.fields["competence"].queryset:
            groups.setdefault(skill.domain.name, []).append((skill.slug, skill.name))
        self.fields["competence"].choices = [("", "—"), *groups.items()]
        self.fields["moment"].initial = TimeOfDay.ANY
        self.fields["deplacement"].initial = "oui"

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("service") and not cleaned.get("competence"):
            raise ValidationError("Indiquez le besoin : un service ou une thématique précise.", code="need")
        return cleaned

    def criteria(self):
        """The valid form as the matching query's ``Criteria``."""
        data = self.cleaned_data
        skill = data.get("competence")
        return Criteria(
            commune=data["commune"],
            domain=data.get("service") or (skill.domain if skill else None),
            skill=skill,
            language=data.get("langue"),
            public=data.get("public"),
            days=tuple(sorted(set(data.get("jours") or []))),
            time_of_day=data.get("moment") or TimeOfDay.ANY,
            can_travel=data.get("deplacement") != "non",
            online_ok=bool(data.get("a_distance")),
        )


class ComposeForm(forms.Form):
    """The short message and, only with the person's consent, her first name and one way to reach her."""

    message = forms.CharField(
        label="Message au destinataire",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce qu’il faut savoir pour l’accueillir. Rien de sensible : ni santé, ni situation "
        "administrative ou financière, ni numéro de dossier.",
        error_messages={
            "max_length": "Le message tient en %(limit_value)d caractères au plus (il en a %(show_value)d)."
        },
    )
    prenom = forms.CharField(
        label="Prénom de la personne",
        max_length=60,
        required=False,
        error_messages={"max_length": "Un prénom tient en %(limit_value)d caractères au plus."},
    )
    telephone = forms.CharField(
        label="Son téléphone",
        max_length=30,
        required=False,
        validators=[validate_phone],
        error_messages={"max_length": "Un numéro de téléphone tient en %(limit_value)d caractères au plus."},
    )
    courriel = forms.EmailField(
        label="ou son adresse électronique",
        required=False,
        error_messages={"invalid": "Saisissez une adresse électronique valide, par exemple nom@exemple.fr."},
    )
    consentement = forms.BooleanField(
        label="La personne accepte que ces coordonnées soient transmises au destinataire",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consentement"].help_text = (
            f"Elles sont effacées {settings.ORIENTATION_RETENTION_DAYS} jours après l’envoi. "
            "Sans son accord, n’indiquez ni prénom ni contact."
        )

    def clean(self):
        cleaned = super().clean()
        given = any(cleaned.get(name) for name in ("prenom", "telephone", "courriel"))
        if given and not cleaned.get("consentement"):
            self.add_error(
                "consentement",
                "Cochez cette case si la personne est d’accord, ou n’indiquez ni son prénom ni ses coordonnées.",
            )
        contact = cleaned.get("telephone") or cleaned.get("courriel")
        if cleaned.get("prenom") and not contact and not {"telephone", "courriel"} & set(self.errors):
            self.add_error("telephone", "Avec son prénom, indiquez son téléphone ou son adresse électronique.")
        if contact and not cleaned.get("prenom") and "prenom" not in self.errors:
            self.add_error("prenom", "Indiquez aussi son prénom, pour que le destinataire sache qui l’appelle.")
        return cleaned
