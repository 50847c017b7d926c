"""The form to publish and edit a resource: the essentials first, then the optional details.

Uploaded files are recognised from their content (``resources.uploads``); a refused file is said next to
the file field and every other field keeps what was typed.
"""

import re

from django import forms
from django.db.models import Q

from advisors.enums import MembershipStatus
from advisors.models import Advisor, Structure
from advisors.perms import is_coordinator
from events.enums import OrganiserStatus
from events.models import Event
from resources.enums import LICENCE_URLS, Licence, ResourceKind, ResourceScope
from resources.models import SUMMARY_MAX, Resource
from resources.uploads import ALLOWED_HELP, max_upload_bytes, validate_upload
from skills.models import Public, Skill
from territories.forms import CommuneField, DepartementChoiceField
from territories.models import EPCI

EMAIL_SEPARATORS = re.compile(r"[\s,;]+")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each goes through the content check."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class NamedChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.starts_at:%d/%m/%Y})"


def event_choices(user, departement, *, coordinator):
    """The département's past events the person organised or attended; all of them for its coordinators."""
    events = Event.objects.published().past().filter(departement=departement)
    if not coordinator:
        events = events.filter(
            Q(organisers__advisor__user=user, organisers__status=OrganiserStatus.ACCEPTED)
            | Q(registrations__user=user, registrations__cancelled_at__isnull=True)
        )
    return Event.objects.filter(pk__in=events.values("pk")).order_by("-starts_at")


class ResourceForm(forms.ModelForm):
    departement = DepartementChoiceField(
        label="Réseau",
        queryset=None,
        empty_label=None,
        help_text="Le réseau départemental qui partage la ressource.",
        error_messages={"invalid_choice": "Choisissez un département de vos réseaux."},
    )
    files = MultipleFileField(
        label="Fichiers",
        required=False,
        help_text=f"Un ou plusieurs fichiers : {ALLOWED_HELP}.",
    )
    authors_emails = forms.CharField(
        label="Co-auteurs",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Les adresses électroniques des membres qui l’ont écrite avec vous, séparées par des virgules.",
    )
    skills = NamedChoiceField(
        label="Thématiques",
        queryset=Skill.objects.validated().order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Cette thématique n’existe plus : décochez-la."},
    )
    publics = NamedChoiceField(
        label="Publics",
        queryset=Public.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Ce public n’existe plus : décochez-le."},
    )
    commune = CommuneField(
        label="Commune", required=False, help_text="Pour une ressource communale : tapez le nom ou le code postal."
    )
    event = EventChoiceField(
        label="Événement d’origine",
        queryset=Event.objects.none(),
        required=False,
        empty_label="Aucun",
        help_text="Pour un retour d’expérience ou un compte rendu : l’événement passé dont il parle.",
        error_messages={"invalid_choice": "Choisissez un événement passé du département dans la liste."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31)
    change_summary = forms.CharField(
        label="Ce qui a changé",
        required=False,
        max_length=300,
        help_text="Facultatif : sinon l’historique dit quels champs ont changé.",
    )

    class Meta:
        model = Resource
        fields = [
            "departement",
            "kind",
            "title",
            "summary",
            "link",
            "licence",
            "body",
            "skills",
            "publics",
            "structure",
            "scope",
            "epci",
            "commune",
            "visibility",
            "event",
        ]
        labels = {
            "kind": "Type de ressource",
            "title": "Titre",
            "summary": "Résumé",
            "link": "Lien externe",
            "licence": "Licence",
            "body": "Contenu",
            "structure": "Structure",
            "scope": "Échelon",
            "epci": "Intercommunalité",
            "visibility": "Visibilité",
        }
        help_texts = {
            "summary": f"En une ou deux phrases, {SUMMARY_MAX} caractères au plus : il s’affiche dans la liste.",
            "link": "Une vidéo, un outil en ligne, un article : collez l’adresse complète (https://…).",
            "licence": "La Licence Ouverte / Etalab 2.0 convient à la plupart des ressources publiques.",
            "body": "Facultatif. Mise en forme Markdown possible : **gras**, *italique*, listes avec « - », "
            "liens [texte](https://…).",
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": SUMMARY_MAX}),
            "body": forms.Textarea(attrs={"rows": 10}),
            "licence": forms.RadioSelect,
            "visibility": forms.RadioSelect,
        }
        error_messages = {
            "kind": {"required": "Choisissez le type de ressource.", "invalid_choice": "Type de ressource inconnu."},
            "title": {
                "required": "Donnez un titre à la ressource.",
                "max_length": "Le titre fait %(show_value)d caractères : 200 au plus.",
            },
            "summary": {
                "required": "Résumez la ressource en une ou deux phrases.",
                "max_length": f"Le résumé fait %(show_value)d caractères : {SUMMARY_MAX} au plus.",
            },
            "link": {
                "invalid": "Adresse non valide : collez le lien complet, commençant par https://",
                "max_length": "Ce lien est trop long (500 caractères au plus).",
            },
            "licence": {"required": "Choisissez une licence.", "invalid_choice": "Licence inconnue."},
            "structure": {"invalid_choice": "Choisissez une structure du département dans la liste."},
            "scope": {"invalid_choice": "Échelon inconnu."},
            "epci": {"invalid_choice": "Choisissez une intercommunalité du département dans la liste."},
            "visibility": {"invalid_choice": "Visibilité inconnue."},
        }

    def __init__(self, *args, user, departements=None, departement, **kwargs):
        """``departements``: those the person may publish in (creation), ``None`` when editing."""
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choisissez un type")] + list(ResourceKind.choices)
        self.fields["licence"].choices = Licence.choices
        self.fields["files"].widget.attrs["accept"] = (
            ".pdf,.odt,.ods,.odp,.docx,.xlsx,.pptx,.doc,.xls,.ppt,.png,.jpg,.jpeg,.gif,.webp,.txt,.zip"
        )
        if departements is None:
            del self.fields["departement"]
        else:
            self.fields["departement"].queryset = departements
            self.fields["departement"].initial = departement
            if len(departements) == 1:
                self.fields["departement"].widget = forms.HiddenInput()
            if self.is_bound:
                departement = (
                    departements.filter(code=str(self.data.get("departement", ""))[:3]).first() or departement
                )
        self.departement = departement
        self.fields["structure"].queryset = Structure.objects.in_departement(departement).order_by("name")
        self.fields["structure"].empty_label = "Aucune"
        self.fields["epci"].queryset = EPCI.objects.in_departement(departement).order_by("name")
        self.fields["epci"].empty_label = "Choisissez une intercommunalité"
        self.fields["event"].queryset = event_choices(user, departement, coordinator=is_coordinator(user, departement))
        if self.instance.pk:
            self.fields["authors_emails"].label = "Auteurs"
            self.fields["authors_emails"].required = True
            self.fields[
                "authors_emails"
            ].help_text = "Les adresses électroniques des membres auteurs, séparées par des virgules."
            self.initial["authors_emails"] = ", ".join(author.user.email for author in self.instance.authors.all())
            self.initial["version"] = self.instance.version
        else:
            del self.fields["change_summary"]
            del self.fields["version"]

    def validate_constraints(self):
        pass

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        errors = []
        for uploaded in files:
            try:
                validate_upload(uploaded)
            except forms.ValidationError as error:
                errors.extend(f"« {uploaded.name} » : {message}" for message in error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return files

    def clean_authors_emails(self):
        emails = [email for email in EMAIL_SEPARATORS.split(self.cleaned_data["authors_emails"]) if email]
        if len(emails) > 20:
            raise forms.ValidationError("20 auteurs au plus.")
        found = {
            advisor.user.email.lower(): advisor
            # Co-authors get the right to edit: members of the resource's network only.
            for advisor in Advisor.objects.select_related("user").filter(
                user__email__in=[e.lower() for e in emails],
                user__memberships__departement=self.departement,
                user__memberships__status=MembershipStatus.ACTIVE,
            )
        }
        missing = [email for email in emails if email.lower() not in found]
        if missing:
            # The same words whether the address is unknown or belongs to someone elsewhere: the form
            # does not tell who is a member.
            raise forms.ValidationError(
                f"« {missing[0][:100]} » n’est pas l’adresse d’un membre de ce réseau avec un profil : "
                "vérifiez-la ou retirez-la."
            )
        return list(dict.fromkeys(found[email.lower()] for email in emails))

    def clean(self):
        cleaned = super().clean()
        if "departement" in self.fields and cleaned.get("departement"):
            self.departement = cleaned["departement"]
        commune = cleaned.get("commune")
        if commune is not None and commune.departement_id != self.departement.code:
            self.add_error("commune", f"{commune.name} n’est pas dans le département {self.departement.code}.")
        scope = cleaned.get("scope")
        if scope == ResourceScope.EPCI and not cleaned.get("epci") and "epci" not in self.errors:
            self.add_error("epci", "Choisissez l’intercommunalité : la ressource est intercommunale.")
        if scope == ResourceScope.COMMUNE and not commune and "commune" not in self.errors:
            self.add_error("commune", "Indiquez la commune : la ressource est communale.")
        has_files = bool(cleaned.get("files")) or "files" in self.errors
        has_existing = self.instance.pk is not None and self.instance.files.exists()
        if not (has_files or has_existing or cleaned.get("link")) and "link" not in self.errors:
            self.add_error("files", "Joignez au moins un fichier ou indiquez un lien.")
        return cleaned

    @property
    def licence_options(self):
        """Each licence's radio button with the link to its text (none for « tous droits réservés »)."""
        return [(radio, LICENCE_URLS.get(radio.data["value"], "")) for radio in self["licence"]]

    @property
    def service_data(self):
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields if name != "departement"}
        for name in ("title", "summary", "body", "link"):
            data[name] = data[name] or ""
        return data


def max_upload_mb():
    return max_upload_bytes() // (1024 * 1024)
