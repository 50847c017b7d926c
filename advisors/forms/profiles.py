"""The sections of "Mon profil": one small form each, saving only its own fields.

Every form is built from the profile (``advisor=``) and gives the service the data it needs
through ``section_data()``. Choices that a page renders several times (the lieux of the
permanence rows) are read once and shared, so the page costs the same queries whatever
the number of rows.
"""

from urllib.parse import urlsplit

from django import forms
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.utils import timezone

from advisors.enums import AdvisorRole, LieuApproval, Visibility, Weekday
from advisors.images import photo_check
from advisors.models import (
    Cohort,
    Language,
    Lieu,
    Membership,
    Permanence,
    Structure,
    StructureAttachment,
    memberships_of,
)
from advisors.validators import validate_phone
from common.widgets import DATE_INPUT_FORMATS, TIME_INPUT_FORMATS, DateInput, TimeInput
from skills.forms import SkillsForm
from skills.models import Public
from territories.forms import CommuneField
from territories.text import normalize

DATE_ERROR = "Saisissez une date valide, par exemple 15/09/2025."
TIME_ERROR = "Saisissez une heure valide, par exemple 14:30."
MAX_PERMANENCES = 20


class CohortChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.details}"


class SectionForm(forms.Form):
    """A section of the profile: knows its profile and hands the service what it saves."""

    def __init__(self, data=None, files=None, *, advisor, **kwargs):
        self.advisor = advisor
        kwargs.setdefault("initial", self.initial_from(advisor))
        super().__init__(data, files, **kwargs)

    def initial_from(self, advisor):
        return {name: getattr(advisor, name) for name in self.base_fields if hasattr(advisor, name)}

    def section_data(self):
        return self.cleaned_data


class IdentityForm(SectionForm):
    first_name = forms.CharField(label="Prénom", max_length=150, error_messages={"required": "Indiquez votre prénom."})
    last_name = forms.CharField(label="Nom", max_length=150, error_messages={"required": "Indiquez votre nom."})
    role = forms.ChoiceField(
        label="Rôle",
        choices=AdvisorRole.choices,
        error_messages={"required": "Choisissez votre rôle.", "invalid_choice": "Choisissez un rôle de la liste."},
    )
    structure = forms.ModelChoiceField(
        label="Structure",
        queryset=Structure.objects.none(),
        required=False,
        empty_label="Autre / pas de structure",
        help_text="Les structures du département. La vôtre manque ? Choisissez « Autre » pour l’instant.",
        error_messages={"invalid_choice": "Choisissez une structure de la liste."},
    )
    commune = CommuneField(
        label="Commune de rattachement",
        required=False,
        help_text="Là où vous travaillez le plus souvent. Tapez le nom ou le code postal.",
    )
    arrival_date = forms.DateField(
        label="Arrivée dans le réseau",
        required=False,
        widget=DateInput,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": DATE_ERROR},
    )
    cohort = CohortChoiceField(
        label="Promo de formation",
        queryset=Cohort.objects.all(),
        required=False,
        empty_label="Aucune ou pas dans la liste",
        error_messages={"invalid_choice": "Choisissez une promo de la liste."},
    )
    new_cohort_name = forms.CharField(
        label="Nom de la promo", max_length=150, required=False, help_text="Par exemple « Promo automne 2025 »."
    )
    new_cohort_training_body = forms.CharField(label="Organisme de formation", max_length=150, required=False)
    new_cohort_start_date = forms.DateField(
        label="Début de la formation",
        required=False,
        widget=DateInput,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": DATE_ERROR},
    )

    NEW_COHORT_FIELDS = {
        "new_cohort_name": "Indiquez le nom de la promo à ajouter.",
        "new_cohort_training_body": "Indiquez l’organisme qui a formé cette promo.",
        "new_cohort_start_date": "Indiquez la date de début de la formation.",
    }

    def __init__(self, *args, advisor, **kwargs):
        super().__init__(*args, advisor=advisor, **kwargs)
        self.fields["structure"].queryset = Structure.objects.filter(
            Q(departement=advisor.departement_id) | Q(pk=advisor.structure_id)
        ).order_by("name")
        self.pending_structure = _pending_structure(advisor)
        if self.pending_structure is not None:
            self.fields["structure"].help_text = (
                f"Votre rattachement à « {self.pending_structure.name} » attend l’accord de ses conseillers ou de "
                "la coordination : d’ici là, votre profil garde "
                + (f"« {advisor.structure.name} »." if advisor.structure_id else "« pas de structure ».")
            )
        else:
            self.fields["structure"].help_text = (
                "Les structures du département. Choisir une structure existante envoie une demande de rattachement "
                "à ses conseillers ou à la coordination. La vôtre manque ? Choisissez « Autre » pour l’instant."
            )
            # The structure typed in the join request is not lost: it is named here and, when the
            # département has it, chosen in advance (saving then asks for the attachment as usual).
            typed = "" if advisor.structure_id else _structure_typed_when_joining(advisor)
            if typed:
                match = self.fields["structure"].queryset.filter(search_text=normalize(typed)).first()
                if match is not None and not self.is_bound:
                    self.initial["structure"] = match.pk
                self.fields["structure"].help_text = (
                    f"Dans votre demande d’adhésion, vous avez indiqué « {typed} »"
                    + (
                        "\u00a0: la voici choisie, enregistrez pour demander le rattachement. "
                        if match is not None
                        else "\u00a0: choisissez-la si elle est dans la liste. "
                    )
                    + self.fields["structure"].help_text
                )

    def initial_from(self, advisor):
        pending = _pending_structure(advisor)
        return {
            "first_name": advisor.user.first_name,
            "last_name": advisor.user.last_name,
            "role": advisor.role,
            # The request, when there is one: saving the section again must not withdraw it.
            "structure": pending.pk if pending else advisor.structure_id,
            "commune": advisor.commune,
            "arrival_date": advisor.arrival_date,
            "cohort": advisor.cohort_id,
        }

    def clean_arrival_date(self):
        arrival = self.cleaned_data["arrival_date"]
        if arrival and arrival > timezone.localdate():
            raise forms.ValidationError("La date d’arrivée ne peut pas être dans le futur.")
        return arrival

    def clean(self):
        cleaned = super().clean()
        typed = [name for name in self.NEW_COHORT_FIELDS if self.data.get(name, "").strip()]
        cleaned["new_cohort"] = None
        if typed:
            for name, message in self.NEW_COHORT_FIELDS.items():
                if name not in self.errors and not cleaned.get(name):
                    self.add_error(name, message)
            if not self.errors:
                cleaned["new_cohort"] = {
                    "name": cleaned["new_cohort_name"],
                    "training_body": cleaned["new_cohort_training_body"],
                    "start_date": cleaned["new_cohort_start_date"],
                }
        return cleaned


def _structure_typed_when_joining(advisor):
    return (
        Membership.objects.filter(user=advisor.user_id, departement=advisor.departement_id)
        .values_list("structure_name", flat=True)
        .first()
        or ""
    ).strip()


def _pending_structure(advisor):
    try:
        return advisor.structure_request.structure
    except StructureAttachment.DoesNotExist:
        return None


class PresentationForm(SectionForm):
    bio = forms.CharField(
        label="Présentation",
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Quelques lignes : ce que vous faites, pour qui, ce que vous aimez transmettre. 1 500 caractères "
        "au plus.",
        error_messages={"max_length": "Votre présentation dépasse 1 500 caractères (elle en compte %(show_value)d)."},
    )
    photo = forms.FileField(
        label="Nouvelle photo",
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text="JPEG, PNG ou WebP, 5 Mo au plus. Elle est réduite à 512 pixels et ses métadonnées (lieu, "
        "appareil) sont effacées.",
        error_messages={"empty": "Le fichier envoyé est vide.", "invalid": "Aucun fichier n’a été reçu."},
    )
    remove_photo = forms.BooleanField(label="Retirer ma photo actuelle", required=False)

    def __init__(self, *args, advisor, **kwargs):
        super().__init__(*args, advisor=advisor, **kwargs)
        if not advisor.photo:
            del self.fields["remove_photo"]

    def initial_from(self, advisor):
        return {"bio": advisor.bio}

    def clean_photo(self):
        upload = self.cleaned_data["photo"]
        if upload:
            photo_check(upload)
        return upload


class PermanenceForm(forms.Form):
    lieu = forms.TypedChoiceField(
        label="Lieu",
        coerce=int,
        error_messages={"required": "Choisissez le lieu.", "invalid_choice": "Choisissez un lieu de la liste."},
    )
    weekday = forms.TypedChoiceField(
        label="Jour",
        coerce=int,
        choices=[("", "—"), *Weekday.choices],
        error_messages={"required": "Choisissez le jour.", "invalid_choice": "Choisissez un jour de la liste."},
    )
    opens = forms.TimeField(
        label="De",
        widget=TimeInput,
        input_formats=TIME_INPUT_FORMATS,
        error_messages={"required": "Indiquez l’heure de début.", "invalid": TIME_ERROR},
    )
    closes = forms.TimeField(
        label="À",
        widget=TimeInput,
        input_formats=TIME_INPUT_FORMATS,
        error_messages={"required": "Indiquez l’heure de fin.", "invalid": TIME_ERROR},
    )

    ROW_FIELDS = ("lieu", "weekday", "opens", "closes")

    def __init__(self, *args, lieu_choices, lieux, **kwargs):
        super().__init__(*args, **kwargs)
        self.lieux = lieux
        self.fields["lieu"].choices = lieu_choices

    def full_clean(self):
        # A row emptied by hand is a row removed, not four "required" errors.
        if self.is_bound and not any(self.data.get(self.add_prefix(name), "").strip() for name in self.ROW_FIELDS):
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def clean_lieu(self):
        return self.lieux[self.cleaned_data["lieu"]]

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        if opens and closes and closes <= opens:
            self.add_error("closes", "L’heure de fin doit être après l’heure de début.")
        return cleaned


class BasePermanenceFormSet(forms.BaseFormSet):
    def rows(self):
        """The permanences to keep: filled rows not ticked "supprimer" (blank rows have no data)."""
        return [form.cleaned_data for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]


PermanenceFormSet = forms.formset_factory(
    PermanenceForm,
    formset=BasePermanenceFormSet,
    extra=2,
    can_delete=True,
    can_delete_extra=False,
    max_num=MAX_PERMANENCES,
    validate_max=True,
)


class PlacesForm(SectionForm):
    """Permanences (a formset) and communes of intervention, saved together."""

    add_commune = CommuneField(
        label="Ajouter une commune d’intervention",
        required=False,
        help_text="Tapez le nom ou le code postal, puis enregistrez. Une commune à la fois.",
    )
    remove_communes = forms.MultipleChoiceField(
        label="Retirer des communes",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Cette commune n’est plus dans votre liste : rechargez la page."},
    )

    def __init__(self, data=None, files=None, *, advisor, **kwargs):
        super().__init__(data, files, advisor=advisor, **kwargs)
        # Read from the profile's prefetch: the list costs no query.
        self.explicit_communes = sorted(advisor.intervention_communes.all(), key=lambda commune: commune.search_name)
        self.fields["remove_communes"].choices = [(commune.pk, str(commune)) for commune in self.explicit_communes]
        lieux = {
            lieu.pk: lieu
            # ``pk IN (… UNION …)`` rather than an ``OR`` over a join to the permanences and ``DISTINCT``:
            # PostgreSQL then reads the few lieux by index instead of scanning and sorting them all.
            for lieu in Lieu.objects.filter(
                pk__in=Lieu.objects.filter(departement=advisor.departement_id, approval=LieuApproval.ACCEPTED)
                .values("pk")
                .union(Permanence.objects.filter(advisor=advisor).values("lieu"))
            )
            .select_related("commune")
            .order_by("commune__name", "name")
        }
        self.lieux_count = len(lieux)
        groups = {}
        for lieu in lieux.values():
            groups.setdefault(lieu.commune.name, []).append((lieu.pk, lieu.name))
        lieu_choices = [("", "Choisissez un lieu"), *groups.items()]
        self.permanences = PermanenceFormSet(
            data,
            prefix="permanences",
            initial=[
                {
                    "lieu": permanence.lieu_id,
                    "weekday": permanence.weekday,
                    "opens": permanence.opens,
                    "closes": permanence.closes,
                }
                for permanence in advisor.permanences.all()
            ],
            form_kwargs={"lieu_choices": lieu_choices, "lieux": lieux},
        )

    def initial_from(self, advisor):
        return {}

    def clean_add_commune(self):
        commune = self.cleaned_data["add_commune"]
        if commune is None:
            return commune
        membership = memberships_of(self.advisor.user).get(commune.departement_id)
        if membership is None or not membership.is_active:
            # Another network's "près de chez moi" pages are its own: one intervenes there as its member.
            raise forms.ValidationError(
                f"{commune.name} est dans le département {commune.departement.name} ({commune.departement_id}), "
                "dont vous n’êtes pas membre du réseau : rejoignez ce réseau pour y indiquer des communes "
                "d’intervention."
            )
        return commune

    def clean_remove_communes(self):
        codes = set(self.cleaned_data["remove_communes"])
        return [commune for commune in self.explicit_communes if commune.pk in codes]

    def is_valid(self):
        permanences_valid = self.permanences.is_valid()
        return super().is_valid() and permanences_valid

    def section_data(self):
        return {**self.cleaned_data, "permanences": self.permanences.rows()}


class LanguagesForm(SectionForm):
    languages = forms.ModelMultipleChoiceField(
        label="Langues que vous parlez",
        queryset=Language.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Le français compris : cochez toutes celles dans lesquelles vous pouvez accompagner quelqu’un.",
        error_messages={
            "invalid_choice": "Choisissez des langues de la liste.",
            "invalid_pk_value": "Choix non valide.",
        },
    )

    publics = forms.ModelMultipleChoiceField(
        label="Publics que vous accompagnez particulièrement",
        queryset=Public.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Vos spécialités : les publics et les prises en charge spécifiques pour lesquels on peut vous "
        "orienter quelqu’un.",
        error_messages={
            "invalid_choice": "Choisissez des publics de la liste.",
            "invalid_pk_value": "Choix non valide.",
        },
    )

    def initial_from(self, advisor):
        return {
            "languages": [language.pk for language in advisor.languages.all()],
            "publics": [public.pk for public in advisor.publics.all()],
        }


class ContactForm(SectionForm):
    contact_email = forms.EmailField(
        label="Adresse électronique professionnelle",
        required=False,
        error_messages={"invalid": "Cette adresse électronique n’est pas valide (exemple : prenom.nom@exemple.fr)."},
    )
    phone = forms.CharField(
        label="Téléphone professionnel",
        max_length=30,
        required=False,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    mattermost = forms.CharField(label="Identifiant Mattermost", max_length=100, required=False)
    discord = forms.CharField(label="Identifiant Discord", max_length=100, required=False)
    linkedin = forms.URLField(
        label="Profil LinkedIn",
        required=False,
        assume_scheme="https",
        help_text="L’adresse de votre profil, par exemple https://www.linkedin.com/in/prenom-nom.",
        error_messages={"invalid": "Indiquez l’adresse de votre profil LinkedIn (https://www.linkedin.com/in/…)."},
    )
    available_for_co_animation = forms.BooleanField(
        label="Disponible pour co-animer des ateliers ou des événements", required=False
    )

    def clean_linkedin(self):
        url = self.cleaned_data["linkedin"]
        host = urlsplit(url).hostname or ""
        if url and not (host == "linkedin.com" or host.endswith(".linkedin.com")):
            raise forms.ValidationError("Indiquez l’adresse de votre profil LinkedIn (https://www.linkedin.com/in/…).")
        return url


VISIBILITY_HELP = {
    Visibility.PUBLIC: "Tout le monde voit votre profil, même sans compte. Vos coordonnées restent réservées aux "
    "personnes connectées.",
    Visibility.NETWORK: "Les membres connectés des réseaux départementaux voient votre profil et vos coordonnées. "
    "Les visiteurs sans compte ne le voient pas. C’est le réglage par défaut.",
    Visibility.COORDINATORS: "Seuls les coordinateurs de votre département voient votre profil : vous n’apparaissez "
    "dans aucune liste ni recherche pour les autres.",
}


class VisibilityForm(SectionForm):
    visibility = forms.ChoiceField(
        label="Qui peut voir mon profil ?",
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez qui peut voir votre profil.",
            "invalid_choice": "Choisissez une des trois possibilités.",
        },
    )

    def visibility_options(self):
        """The radio buttons with a sentence explaining each."""
        return [(radio, VISIBILITY_HELP[radio.data["value"]]) for radio in self["visibility"]]


class LetterForm(SectionForm):
    """The monthly letter: receiving it (the account's choice) and being introduced in it (the profile's)."""

    receives_letter = forms.BooleanField(
        label="Recevoir la lettre d’information du réseau",
        required=False,
        help_text="Une fois par mois, par courriel\u00a0: les prochains événements, les nouvelles ressources, les "
        "nouveaux membres et le mot de la coordination. Chaque lettre a aussi un lien pour ne plus la recevoir.",
    )
    introduce_in_letter = forms.BooleanField(
        label="Présenter mon arrivée dans la lettre d’information",
        required=False,
        help_text="Votre nom, votre rôle, votre structure et votre commune, avec un lien vers votre profil, dans "
        "la lettre qui suit votre arrivée. Seulement si votre profil est visible du réseau ou de tous.",
    )

    def initial_from(self, advisor):
        return {"receives_letter": advisor.user.receives_letter, "introduce_in_letter": advisor.introduce_in_letter}


class Section:
    def __init__(self, slug, key, title, form_class):
        self.slug, self.key, self.title, self.form_class = slug, key, title, form_class


# In page order. The slug is the URL (/profil/<slug>/) and the anchor (#slug) of each section.
SECTIONS = {
    section.slug: section
    for section in [
        Section("identite", "identity", "Identité et rôle", IdentityForm),
        Section("presentation", "presentation", "Présentation", PresentationForm),
        Section("lieux", "places", "Où j’interviens", PlacesForm),
        Section("langues", "languages", "Langues et publics", LanguagesForm),
        Section("competences", "skills", "Compétences", SkillsForm),
        Section("contact", "contact", "Contact", ContactForm),
        Section("visibilite", "visibility", "Visibilité", VisibilityForm),
        Section("lettre", "letter", "Lettre d’information", LetterForm),
    ]
}
