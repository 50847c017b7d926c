"""Forms of structures, their perimeter and their lieux. They validate; ``services_places`` writes."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, When

from advisors.enums import AccessMode, Dispositif, Fees, PositionSource, SupportMode, Weekday
from advisors.models import Lieu, LieuClosure, Structure
from advisors.opening_hours import DAY_NAMES, french_time, parse_time
from advisors.services.places import LIEU_FIELDS, closure_errors, position_errors
from common.widgets import DATE_INPUT_FORMATS, DateInput, TimeInput
from skills.enums import DomainKind, PublicKind
from skills.models import Domain, Public
from territories.forms import CommuneField, DepartementChoiceField
from territories.models import EPCI, Commune, Departement

COMMUNE_HELP = "Tapez le nom ou le code postal, puis choisissez dans la liste."


def _checkboxes(label, choices, **kwargs):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, **kwargs
    )


class SiretField(forms.CharField):
    """People copy SIRETs with spaces (443 061 841 00047): they are dropped before the length is checked."""

    def to_python(self, value):
        return super().to_python(value).replace(" ", "")


class StructureForm(forms.ModelForm):
    commune = CommuneField(label="Commune", help_text=COMMUNE_HELP)
    dispositifs = _checkboxes("Dispositifs", Dispositif.choices)
    services = forms.ModelMultipleChoiceField(
        label="Services proposés",
        queryset=Domain.objects.filter(kind=DomainKind.SERVICE),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    publics = forms.ModelMultipleChoiceField(
        label="Publics accueillis et prises en charge spécifiques",
        # The publics first, then the specific supports (surdité, illettrisme…).
        queryset=Public.objects.order_by(Case(When(kind=PublicKind.PUBLIC, then=0), default=1), "position", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Structure
        fields = [
            "name",
            "kind",
            "siret",
            "address",
            "commune",
            "website",
            "email",
            "phone",
            "presentation",
            "dispositifs",
            "services",
            "publics",
        ]
        labels = {"name": "Nom de la structure", "email": "Adresse électronique de contact"}
        help_texts = {
            "siret": "14 chiffres, facultatif : vous le trouvez sur annuaire-entreprises.data.gouv.fr.",
            "website": "Adresse complète, commençant par https://",
            "presentation": "Quelques lignes : ce que fait la structure, pour qui. 2 000 caractères au plus.",
        }
        error_messages = {
            "name": {"required": "Indiquez le nom de la structure."},
            "kind": {"required": "Choisissez le type de structure.", "invalid_choice": "Type de structure inconnu."},
            "website": {"invalid": "Adresse de site non valide (exemple : https://mediatheque.exemple.fr)."},
            "email": {"invalid": "Adresse électronique non valide (exemple : contact@exemple.fr)."},
        }
        field_classes = {"siret": SiretField}
        widgets = {
            "presentation": forms.Textarea(attrs={"rows": 5}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choisissez un type")] + list(self.fields["kind"].choices)[1:]

    def clean_siret(self):
        siret = self.cleaned_data["siret"]
        if siret:
            others = Structure.objects.filter(siret=siret).exclude(pk=self.instance.pk)
            existing = others.only("name").first()
            if existing is not None:
                raise ValidationError(f"Ce SIRET est déjà celui de la structure « {existing.name} ».")
        return siret

    def validate_constraints(self):
        # The one constraint, a SIRET used once, is checked by clean_siret with a clearer message.
        pass

    @property
    def service_data(self):
        """What ``structure_create`` / ``structure_update`` take."""
        data = dict(self.cleaned_data)
        data["services"] = list(data["services"])
        data["publics"] = list(data["publics"])
        return data


class StructureCreateForm(StructureForm):
    join = forms.BooleanField(
        label="Je travaille dans cette structure",
        required=False,
        initial=True,
        help_text="Elle devient la structure de votre profil, et vous pourrez la modifier.",
    )

    not_duplicate = forms.BooleanField(label="Ce n’est aucune de ces structures : je crée la mienne", required=False)

    @property
    def service_data(self):
        data = super().service_data
        data.pop("join")
        data.pop("not_duplicate")
        return data


class PerimeterCommuneForm(forms.Form):
    commune = CommuneField(label="Une commune", help_text=COMMUNE_HELP)


class EPCIChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.communes_count} commune{'s' if obj.communes_count > 1 else ''}"


class PerimeterEPCIForm(forms.Form):
    epci = EPCIChoiceField(
        label="Toute une intercommunalité",
        queryset=EPCI.objects.none(),
        empty_label="Choisissez une intercommunalité",
        help_text="Toutes ses communes, y compris celles d’un département voisin.",
        error_messages={
            "required": "Choisissez une intercommunalité.",
            "invalid_choice": "Cette intercommunalité n’est pas dans la liste.",
        },
    )

    def __init__(self, *args, departement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["epci"].queryset = (
            EPCI.objects.in_departement(departement).annotate(communes_count=Count("communes")).order_by("name")
        )


class PerimeterDepartementForm(forms.Form):
    departement = DepartementChoiceField(
        label="Tout un département",
        queryset=Departement.objects.order_by("code"),
        empty_label="Choisissez un département",
        error_messages={
            "required": "Choisissez un département.",
            "invalid_choice": "Ce département n’est pas dans la liste.",
        },
    )


class PerimeterRemoveForm(forms.Form):
    """Some communes ticked in one EPCI group, or the whole group."""

    communes = forms.ModelMultipleChoiceField(
        queryset=Commune.objects.all(), to_field_name="code", required=False, widget=forms.MultipleHiddenInput
    )
    epci = forms.ModelChoiceField(queryset=EPCI.objects.all(), required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("communes") and not cleaned.get("epci"):
            raise ValidationError("Cochez au moins une commune à retirer.")
        return cleaned


class FrenchTimeField(forms.TimeField):
    """A time of day as people type it when the browser has no time picker: ``9 h 30``, ``14h``, ``9:30``."""

    widget = TimeInput
    default_error_messages = {"invalid": "Heure non valide : écrivez par exemple 9:30 ou 14 h."}

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            parsed = parse_time(value)
            if parsed is not None:
                return parsed
        return super().to_python(value)


class OpeningSlotForm(forms.Form):
    """One row of the weekly hours: a day, from, to. An empty row is ignored."""

    weekday = forms.TypedChoiceField(
        label="Jour", choices=[("", "—")] + Weekday.choices, coerce=int, required=False, empty_value=None
    )
    opens = FrenchTimeField(label="De", required=False)
    closes = FrenchTimeField(label="À", required=False)

    MISSING = {
        "weekday": "Choisissez le jour.",
        "opens": "Indiquez l’heure d’ouverture.",
        "closes": "Indiquez l’heure de fermeture.",
    }

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        values = {name: cleaned.get(name) for name in self.MISSING}
        if all(value is None for value in values.values()):
            return {}
        for name, value in values.items():
            if value is None:
                self.add_error(name, self.MISSING[name])
        if values["opens"] and values["closes"] and values["closes"] <= values["opens"]:
            self.add_error(
                "closes",
                f"L’heure de fermeture doit être après l’heure d’ouverture ({french_time(values['opens'])}).",
            )
        return cleaned

    @property
    def slot(self):
        """(weekday, opens, closes), or None for an empty row."""
        data = getattr(self, "cleaned_data", None) or {}
        if data.get("weekday") is None or self.errors:
            return None
        return data["weekday"], data["opens"], data["closes"]


class BaseOpeningSlotFormSet(forms.BaseFormSet):
    def clean(self):
        # Rows with errors of their own have no slot: the others are still compared.
        rows = sorted(
            ((form.slot, form) for form in self.forms if form.slot is not None and not self._should_delete_form(form)),
            key=lambda row: row[0],
        )
        for (previous, _), (current, form) in zip(rows, rows[1:], strict=False):
            if previous[0] == current[0] and current[1] < previous[2]:
                form.add_error(
                    None,
                    f"Ce créneau chevauche celui de {french_time(previous[1])} – {french_time(previous[2])} "
                    f"le {DAY_NAMES[current[0]]}.",
                )

    @property
    def slots(self):
        return [form.slot for form in self.forms if form.slot is not None and not self._should_delete_form(form)]


EXTRA_SLOT_ROWS = 3
OpeningSlotFormSet = forms.formset_factory(
    OpeningSlotForm,
    formset=BaseOpeningSlotFormSet,
    extra=EXTRA_SLOT_ROWS,
    can_delete=True,
    max_num=42,
    validate_max=True,
    absolute_max=60,
)


def opening_slot_formset(data=None, *, lieu=None, extra=EXTRA_SLOT_ROWS):
    """The hours of ``lieu`` as rows, then ``extra`` empty rows to add some."""
    initial = []
    if lieu is not None and data is None:
        initial = [
            {"weekday": slot.weekday, "opens": slot.opens, "closes": slot.closes} for slot in lieu.opening_slots.all()
        ]
    # A sent form is judged on what was sent only: a row equal to an old slot is still a row.
    formset = OpeningSlotFormSet(data, initial=initial, prefix="horaires")
    # Read when the rows are built (unbound only: a sent form keeps the rows it was sent with).
    formset.extra = extra
    return formset


# Unbroken across lines: no-break spaces between the pairs of digits.
PHONE_EXAMPLE = "04 77 12 34 56".replace(" ", "\N{NO-BREAK SPACE}")


class DegreesField(forms.FloatField):
    """Decimal degrees as people copy them from a map: ``45,4397`` or ``45.4397``, maybe with ``°``."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("\u202f", "").replace(" ", "").rstrip("°").replace(",", ".")
        return super().to_python(value)


class LieuForm(forms.ModelForm):
    commune = CommuneField(label="Commune", help_text=COMMUNE_HELP)
    access_modes = _checkboxes("Modalités d’accès", AccessMode.choices)
    support_modes = _checkboxes("Modalités d’accompagnement", SupportMode.choices)
    fees = forms.ChoiceField(
        label="Frais",
        choices=Fees.choices,
        initial=Fees.FREE,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez si l’accompagnement est gratuit ou payant."},
    )

    latitude = DegreesField(
        label="Latitude",
        required=False,
        min_value=-90,
        max_value=90,
        help_text="Par exemple : 45,4397",
        error_messages={
            "invalid": "Latitude non valide : écrivez des degrés décimaux, par exemple 45,4397.",
            "min_value": "La latitude est comprise entre -90 et 90 degrés.",
            "max_value": "La latitude est comprise entre -90 et 90 degrés.",
        },
    )
    longitude = DegreesField(
        label="Longitude",
        required=False,
        min_value=-180,
        max_value=180,
        help_text="Par exemple : 4,3872",
        error_messages={
            "invalid": "Longitude non valide : écrivez des degrés décimaux, par exemple 4,3872.",
            "min_value": "La longitude est comprise entre -180 et 180 degrés.",
            "max_value": "La longitude est comprise entre -180 et 180 degrés.",
        },
    )

    # Shown apart from the other fields, each group in its fieldset.
    POSITION_FIELDS = ("latitude", "longitude")
    PUBLIC_CONTACT_FIELDS = ("public_phone", "public_email", "booking_url")

    class Meta:
        model = Lieu
        # What the service stores, plus the commune it checks on its own; shown with the address.
        fields = [*LIEU_FIELDS, "commune", "latitude", "longitude"]
        labels = {
            "name": "Nom du lieu",
            "public_phone": "Téléphone de l’accueil",
            "public_email": "Adresse électronique de l’accueil",
            "booking_url": "Lien de prise de rendez-vous en ligne",
        }
        help_texts = {
            "name": "Par exemple : Médiathèque Carnot, salle informatique.",
            "public_phone": f"Public : affiché à tous sur la page du lieu, visiteurs compris (ex. {PHONE_EXAMPLE}).",
            "public_email": "Public : affichée à tous sur la page du lieu. Une adresse de l’accueil, pas la vôtre.",
            "booking_url": "Public : adresse complète de la page de rendez-vous, commençant par https://",
        }
        error_messages = {
            "name": {"required": "Indiquez le nom du lieu."},
            "public_email": {"invalid": "Adresse électronique non valide (exemple : accueil@mediatheque.fr)."},
            "booking_url": {"invalid": "Adresse de page non valide (exemple : https://rdv.exemple.fr/mediatheque)."},
        }
        widgets = {
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "public_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "public_email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }

    field_order = ["name", "address", "commune"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.position_source != PositionSource.TYPED:
            # The commune's point or a geocoded one is not the editor's: sent back, it would become « saisie ».
            self.initial["latitude"] = self.initial["longitude"] = None

    @property
    def position_help(self):
        where = "à son adresse quand elle est trouvée, sinon " if settings.GEOCODER_URL else ""
        return (
            "Facultatif. En degrés décimaux, tels que les donne un clic droit sur une carte en ligne. "
            f"Sans position saisie, le lieu est placé {where}au centre de sa commune ; "
            "videz les deux champs pour l’y remettre."
        )

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if "latitude" in self.errors or "longitude" in self.errors:
            return cleaned
        if latitude is None and longitude is not None:
            self.add_error("latitude", "Indiquez aussi la latitude, ou videz la longitude.")
        elif longitude is None and latitude is not None:
            self.add_error("longitude", "Indiquez aussi la longitude, ou videz la latitude.")
        elif latitude is not None and cleaned.get("commune") is not None:
            # Judged here too (the service judges it again), so that it shows with the other errors.
            for name, message in position_errors(
                latitude=latitude, longitude=longitude, commune=cleaned["commune"]
            ).items():
                self.add_error(name, message)
        return cleaned


CLOSURE_DATE_ERROR = "Saisissez une date valide, par exemple 22/12/2026."


class LieuClosureForm(forms.Form):
    """An exceptional closure of a lieu, checked on the lieu's ``today`` (the service checks it again)."""

    starts_on = forms.DateField(
        label="Fermé du",
        widget=DateInput,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"required": "Indiquez le premier jour de fermeture.", "invalid": CLOSURE_DATE_ERROR},
    )
    ends_on = forms.DateField(
        label="au (inclus)",
        widget=DateInput,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"required": "Indiquez le dernier jour de fermeture.", "invalid": CLOSURE_DATE_ERROR},
    )
    reason = forms.CharField(
        label="Motif (facultatif)",
        required=False,
        max_length=LieuClosure._meta.get_field("reason").max_length,
        help_text="Affiché aux visiteurs, ex. « congés de fin d’année ».",
        error_messages={"max_length": "Le motif tient en %(limit_value)d caractères au plus."},
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on:
            for field, message in closure_errors(starts_on=starts_on, ends_on=ends_on, today=self.today).items():
                self.add_error(field, message)
        return cleaned
