"""The partner form (a coordinator's entry or a member's suggestion) and the « je le connais » note."""

from django import forms

from animation.enums import PartnerScope
from animation.models import Partner, PartnerAcquaintance
from territories.forms import CommuneField
from territories.models import EPCI


class PartnerForm(forms.ModelForm):
    """Every field of a partner of ``departement``. Its territory: a commune of the département (communal
    partner), an intercommunalité that has communes in it (intercommunal), or nothing (départemental or
    wider)."""

    commune = CommuneField(
        label="Commune",
        required=False,
        help_text="Pour un partenaire communal\u00a0: tapez le nom ou le code postal, puis choisissez dans la liste.",
    )
    epci = forms.ModelChoiceField(
        label="Intercommunalité",
        queryset=EPCI.objects.none(),
        required=False,
        empty_label="Choisissez une intercommunalité",
        help_text="Pour un partenaire intercommunal.",
        error_messages={"invalid_choice": "Choisissez une intercommunalité du département dans la liste."},
    )

    class Meta:
        model = Partner
        fields = [
            "name",
            "kind",
            "scope",
            "commune",
            "epci",
            "description",
            "website",
            "contact_name",
            "contact_role",
            "contact_email",
            "contact_phone",
        ]
        labels = {
            "name": "Nom du partenaire",
            "kind": "Type de partenaire",
            "scope": "Territoire d’action",
            "description": "Ce qu’il apporte au réseau",
            "website": "Site web",
            "contact_name": "Personne à contacter",
            "contact_role": "Sa fonction",
            "contact_email": "Son adresse électronique",
            "contact_phone": "Son téléphone",
        }
        help_texts = {
            "name": "Par exemple « CAF de la Loire » ou « Mission locale du Roannais ».",
            "description": "Ce qu’on peut faire ensemble\u00a0: orienter des personnes, co-animer un atelier, "
            "une formation, du matériel, des permanences…",
            "website": "L’adresse complète, commençant par https://",
            "contact_name": "Prénom et nom de la personne qui répond aux membres du réseau.",
            "contact_email": "Visible des seuls membres du réseau.",
            "contact_phone": "Visible des seuls membres du réseau. Par exemple 04 77 12 34 56.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "scope": forms.RadioSelect,
            "contact_email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }
        error_messages = {
            "name": {
                "required": "Indiquez le nom du partenaire.",
                "max_length": "Le nom fait %(show_value)d caractères\u00a0: %(limit_value)d au plus.",
            },
            "kind": {"required": "Choisissez le type de partenaire.", "invalid_choice": "Type de partenaire inconnu."},
            "scope": {"required": "Choisissez son territoire d’action.", "invalid_choice": "Territoire inconnu."},
            "description": {"max_length": "Le texte fait %(show_value)d caractères\u00a0: %(limit_value)d au plus."},
            "website": {"invalid": "Adresse non valide\u00a0: collez l’adresse complète, commençant par https://"},
            "contact_email": {"invalid": "Adresse électronique non valide (exemple\u00a0: prenom.nom@caf.fr)."},
        }

    def __init__(self, *args, departement, **kwargs):
        super().__init__(*args, **kwargs)
        self.departement = departement
        self.fields["kind"].choices = [("", "Choisissez un type")] + list(self.fields["kind"].choices)[1:]
        self.fields["epci"].queryset = EPCI.objects.in_departement(departement).order_by("name")

    def clean_commune(self):
        commune = self.cleaned_data.get("commune")
        if commune is not None and commune.departement_id != self.departement.code:
            raise forms.ValidationError(
                f"{commune.name} est dans le département {commune.departement_id}, pas dans celui du réseau "
                f"({self.departement.code})\u00a0: choisissez une commune du département."
            )
        return commune

    def clean(self):
        cleaned = super().clean()
        scope = cleaned.get("scope")
        if scope == PartnerScope.COMMUNE:
            if cleaned.get("commune") is None and "commune" not in self.errors:
                self.add_error("commune", "Indiquez la commune d’un partenaire communal.")
            cleaned["epci"] = None
        elif scope == PartnerScope.EPCI:
            if cleaned.get("epci") is None and "epci" not in self.errors:
                self.add_error("epci", "Choisissez l’intercommunalité d’un partenaire intercommunal.")
            cleaned["commune"] = None
        elif scope:
            cleaned["commune"] = cleaned["epci"] = None
        return cleaned


class AcquaintanceForm(forms.ModelForm):
    """The optional note of « Je connais ce partenaire »."""

    class Meta:
        model = PartnerAcquaintance
        fields = ["note"]
        labels = {"note": "Comment vous le connaissez (facultatif)"}
        help_texts = {"note": "Par exemple « permanence commune le mardi » ou « formée par leur référente »."}
        error_messages = {"note": {"max_length": "La précision fait %(show_value)d caractères\u00a0: 200 au plus."}}
