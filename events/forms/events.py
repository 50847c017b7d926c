"""Forms to create and edit an event, change its status, invite co-organisers and post needs.

Times are typed in the wall-clock time of the event's département: « 14:00 » for an event of La
Réunion is 14 h in La Réunion. The forms turn them into aware datetimes; ``events.services`` writes.
"""

import datetime
import zoneinfo
from collections import OrderedDict

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from advisors.forms.places import FrenchTimeField
from advisors.models import Lieu, Structure
from common.widgets import DATE_INPUT_FORMATS, DateInput
from events.enums import EventMode, EventScope, NeedKind
from events.forms.fields import SKIPPED_TIME, check_date, local_span, wall_clock
from events.models import Event, Need, NeedOffer
from skills.models import Skill
from territories.forms import CommuneField, DepartementChoiceField
from territories.models import EPCI

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y %Hh%M", "%d/%m/%Y %H h %M"]
DATE_ERROR = "Saisissez une date valide, par exemple 28/11/2026."
MAX_CAPACITY = 100_000
COMMUNE_HELP = "Tapez le nom ou le code postal, puis choisissez dans la liste."


class LocalDateTimeField(forms.DateTimeField):
    """A date and time as typed, without a time zone: the form puts it in the département's zone
    (Django's own field would put it in the server's, Europe/Paris)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = DATETIME_INPUT_FORMATS
    default_error_messages = {"invalid": "Saisissez une date et une heure valides, par exemple 20/11/2026 18:00."}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value
        value = value.strip()
        for pattern in self.input_formats:
            try:
                return datetime.datetime.strptime(value, pattern)
            except ValueError:
                continue
        raise ValidationError(self.error_messages["invalid"], code="invalid")


def local(moment, tzinfo):
    """``moment`` (aware) as the naive wall-clock time of ``tzinfo``."""
    return timezone.localtime(moment, tzinfo).replace(tzinfo=None) if moment else None


class LieuChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.commune.name}"


class SkillsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class EventForm(forms.ModelForm):
    """Every field of an event. ``departement`` is chosen among the networks of the person when
    creating; it is fixed when editing. The lieux and EPCI offered are those of that département."""

    departement = DepartementChoiceField(
        label="Département",
        queryset=None,
        empty_label=None,
        help_text="Le réseau qui organise l’événement : les heures sont celles de ce département.",
        error_messages={"invalid_choice": "Choisissez un département de vos réseaux."},
    )
    date = forms.DateField(
        label="Date",
        widget=DateInput,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"required": "Indiquez la date de l’événement.", "invalid": DATE_ERROR},
    )
    start_time = FrenchTimeField(label="Heure de début", error_messages={"required": "Indiquez l’heure de début."})
    end_time = FrenchTimeField(label="Heure de fin", error_messages={"required": "Indiquez l’heure de fin."})
    lieu = LieuChoiceField(
        label="Lieu",
        queryset=Lieu.objects.none(),
        required=False,
        empty_label="Un autre lieu (adresse ci-dessous)",
        help_text="Un lieu d’accueil du département, ou laissez « Un autre lieu » et indiquez l’adresse.",
        error_messages={"invalid_choice": "Choisissez un lieu du département de l’événement dans la liste."},
    )
    commune = CommuneField(label="Commune", required=False, help_text=COMMUNE_HELP)
    epci = forms.ModelChoiceField(
        label="Intercommunalité",
        queryset=EPCI.objects.none(),
        required=False,
        empty_label="Choisissez une intercommunalité",
        help_text="Pour un événement intercommunal.",
        error_messages={"invalid_choice": "Choisissez une intercommunalité du département dans la liste."},
    )
    capacity = forms.IntegerField(
        label="Nombre de places",
        required=False,
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text="Vide : sans limite. Au-delà, les personnes rejoignent une liste d’attente.",
        error_messages={
            "invalid": "Indiquez un nombre entier de places, par exemple 30.",
            "min_value": "Indiquez au moins une place, ou laissez vide pour ne pas limiter.",
            "max_value": f"{MAX_CAPACITY:,} places au plus : laissez vide pour ne pas limiter.".replace(",", "\u202f"),
        },
    )
    registration_opens_at = LocalDateTimeField(
        label="Ouverture des inscriptions", required=False, help_text="Facultatif. Heure du département."
    )
    registration_closes_at = LocalDateTimeField(
        label="Clôture des inscriptions", required=False, help_text="Facultatif. Heure du département."
    )
    skills = SkillsField(
        label="Thématiques abordées",
        queryset=Skill.objects.validated()
        .select_related("domain")
        .order_by("domain__position", "domain__name", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Cette thématique n’existe plus : décochez-la."},
    )
    # Creation only: structures invited as co-organisers by a link (the coverage page's « proposer une
    # rencontre »), among those of the event's département, as ``StructureOrganiserForm`` offers.
    structures = forms.ModelMultipleChoiceField(
        label="Structures co-organisatrices",
        queryset=Structure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Elles apparaîtront comme co-organisatrices sur la page de l’événement.",
        error_messages={"invalid_choice": "Choisissez des structures du département de l’événement."},
    )

    class Meta:
        model = Event
        fields = [
            "departement",
            "kind",
            "title",
            "description",
            "date",
            "start_time",
            "end_time",
            "mode",
            "lieu",
            "address",
            "commune",
            "online_url",
            "scope",
            "epci",
            "audience",
            "visibility",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "accessibility",
            "skills",
        ]
        labels = {
            "kind": "Type d’événement",
            "title": "Titre",
            "address": "Adresse",
            "online_url": "Lien de connexion",
            "mode": "Format",
            "scope": "Échelon",
            "audience": "Public visé",
            "visibility": "Visibilité",
            "accessibility": "Accessibilité",
        }
        help_texts = {
            "title": "Par exemple « Rencontre des conseillers du Forez ».",
            "description": "Programme, public, ce qu’il faut apporter. Mise en forme Markdown possible : "
            "**gras**, *italique*, listes avec « - », liens [texte](https://…).",
            "address": "Numéro et rue, si le lieu n’est pas dans la liste.",
            "online_url": "Obligatoire à distance ou en hybride. Visible seulement des inscrits et des organisateurs.",
            "accessibility": "Accès en fauteuil, boucle magnétique, interprète LSF…",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
            "mode": forms.RadioSelect,
            "audience": forms.RadioSelect,
            "visibility": forms.RadioSelect,
        }
        error_messages = {
            "kind": {"required": "Choisissez le type d’événement.", "invalid_choice": "Type d’événement inconnu."},
            "title": {
                "required": "Donnez un titre à l’événement.",
                "max_length": "Le titre fait %(show_value)d caractères : 200 au plus.",
            },
            "online_url": {"invalid": "Adresse non valide : collez le lien complet, commençant par https://"},
            "mode": {"required": "Choisissez le format.", "invalid_choice": "Format inconnu."},
            "scope": {"invalid_choice": "Échelon inconnu."},
            "audience": {"invalid_choice": "Public inconnu."},
            "visibility": {"invalid_choice": "Visibilité inconnue."},
        }

    def __init__(self, *args, departements=None, departement, **kwargs):
        """``departements``: those the person may create an event in (creation), ``None`` when editing;
        ``departement``: the one whose lieux and EPCI are offered (the chosen one, or the event's)."""
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choisissez un type")] + list(self.fields["kind"].choices)[1:]
        self.fields["scope"].choices = EventScope.choices
        if departements is None:
            del self.fields["departement"]
        else:
            self.fields["departement"].queryset = departements
            self.fields["departement"].initial = departement
            if self.is_bound:
                chosen = departements.filter(code=self.data.get("departement", "")[:3]).first()
                departement = chosen or departement
        self.departement = departement
        self.fields["lieu"].queryset = (
            Lieu.objects.accepted().filter(departement=departement).select_related("commune").order_by("name")
        )
        self.fields["epci"].queryset = EPCI.objects.in_departement(departement).order_by("name")
        # Only the structures the link or the posted form names: the checkboxes stay few (none, no field).
        wanted = ()
        if departements is not None:
            wanted = self.data.getlist("structures") if self.is_bound else self.initial.get("structures", ())
        ids = [int(pk) for pk in wanted if str(pk).isdigit() and len(str(pk)) < 10]
        if ids:
            self.fields["structures"].queryset = (
                Structure.objects.in_departement(departement).filter(pk__in=ids).order_by("name")
            )
        else:
            del self.fields["structures"]
        event = self.instance
        if event.pk:
            tzinfo = event.tzinfo
            starts, ends = local(event.starts_at, tzinfo), local(event.ends_at, tzinfo)
            self.initial.update(
                date=starts.date(),
                start_time=starts.time(),
                end_time=ends.time(),
                registration_opens_at=local(event.registration_opens_at, tzinfo),
                registration_closes_at=local(event.registration_closes_at, tzinfo),
            )

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.departement.timezone)

    def validate_constraints(self):
        # The one check constraint, an end after the start, is checked by clean() next to the field.
        pass

    def clean(self):
        cleaned = super().clean()
        if "departement" in self.fields and cleaned.get("departement"):
            self.departement = cleaned["departement"]
        tzinfo = self.tzinfo
        day, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and self._refused_date(day, self.initial.get("date")):
            day = None
        if day and start and end:
            cleaned.update(local_span(self, day, start, end, tzinfo, fields=("start_time", "end_time")))
        mode, lieu, commune = cleaned.get("mode"), cleaned.get("lieu"), cleaned.get("commune")
        if lieu is not None:
            cleaned["address"], cleaned["commune"] = "", None
        elif commune is not None and commune.departement_id != self.departement.code:
            self.add_error(
                "commune",
                f"{commune.name} est dans le département {commune.departement_id}, pas dans celui de l’événement "
                f"({self.departement.code}).",
            )
        elif mode in (EventMode.PRESENTIEL, EventMode.HYBRIDE) and commune is None and "commune" not in self.errors:
            self.add_error("lieu", "Choisissez un lieu, ou indiquez une adresse et sa commune ci-dessous.")
        if mode in (EventMode.DISTANCIEL, EventMode.HYBRIDE) and not cleaned.get("online_url"):
            if "online_url" not in self.errors:
                self.add_error("online_url", "Indiquez le lien de connexion : l’événement se suit à distance.")
        if cleaned.get("scope") == EventScope.EPCI and not cleaned.get("epci") and "epci" not in self.errors:
            self.add_error("epci", "Choisissez l’intercommunalité d’un événement intercommunal.")
        elif cleaned.get("scope") != EventScope.EPCI:
            cleaned["epci"] = None
        moments = {}
        for name in ("registration_opens_at", "registration_closes_at"):
            naive = cleaned.get(name)
            moments[name] = None
            if naive is None or self._refused_date(naive, self.initial.get(name), field=name):
                continue
            moments[name] = wall_clock(naive.date(), naive.time(), tzinfo)
            if moments[name] is None:
                self.add_error(name, SKIPPED_TIME)
        cleaned.update(moments)
        opens, closes = moments["registration_opens_at"], moments["registration_closes_at"]
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", "La clôture des inscriptions doit venir après leur ouverture.")
        elif closes and "ends_at" in cleaned and closes > cleaned["ends_at"]:
            self.add_error(
                "registration_closes_at", "La clôture des inscriptions doit venir avant la fin de l’événement."
            )
        return cleaned

    def _refused_date(self, value, initial, field="date"):
        """Whether the day of ``value`` is refused (``check_date``, the error next to ``field``); an
        unchanged value is not checked again (an event a year old keeps its date when edited)."""
        if initial is not None and value == initial:
            return False
        try:
            check_date(value)
        except ValidationError as error:
            self.add_error(field, error)
            return True
        return False

    def _post_clean(self):
        # The service writes; the instance is not checked field by field against a half-built event.
        pass

    def skill_groups(self):
        """The checkboxes grouped by domain: [(domain, [subwidget, …], any checked), …]."""
        groups = OrderedDict()
        for checkbox in self["skills"]:
            groups.setdefault(checkbox.data["value"].instance.domain, []).append(checkbox)
        return [(domain, boxes, any(box.data["selected"] for box in boxes)) for domain, boxes in groups.items()]

    @property
    def service_data(self):
        """What ``event_create`` / ``event_update`` take."""
        data = {name: self.cleaned_data[name] for name in EVENT_FIELDS}
        data["skills"] = list(self.cleaned_data["skills"])
        if "structures" in self.fields:
            data["structures"] = list(self.cleaned_data["structures"])
        return data


# The fields the services write (``departement`` is a separate argument of ``event_create``).
EVENT_FIELDS = [
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "mode",
    "lieu",
    "address",
    "commune",
    "online_url",
    "scope",
    "epci",
    "audience",
    "visibility",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "accessibility",
]


class CancelForm(forms.Form):
    message = forms.CharField(
        label="Message aux inscrits et aux animateurs",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Facultatif : la raison, une date de report envisagée… Il est envoyé par courriel avec "
        "l’annonce de l’annulation.",
    )


class PostponeForm(forms.Form):
    """« Reporter » : the new date and times, or nothing while the new date is not known."""

    date = forms.DateField(
        label="Nouvelle date", required=False, widget=DateInput, input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": DATE_ERROR},
    )  # fmt: skip
    start_time = FrenchTimeField(label="Heure de début", required=False)
    end_time = FrenchTimeField(label="Heure de fin", required=False)
    message = forms.CharField(
        label="Message aux inscrits et aux animateurs",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        given = [value is not None for value in (day, start, end)]
        if any(given) and not all(given) and not self.errors:
            for name, value in (("date", day), ("start_time", start), ("end_time", end)):
                if value is None:
                    self.add_error(name, "Indiquez la date et les deux heures, ou aucune si la date n’est pas connue.")
        elif all(given):
            try:
                check_date(day)
            except ValidationError as error:
                self.add_error("date", error)
            else:
                cleaned.update(local_span(self, day, start, end, self.event.tzinfo, fields=("start_time", "end_time")))
        return cleaned


class ReportForm(forms.ModelForm):
    attendance_count = forms.IntegerField(
        label="Nombre de participants",
        required=False,
        min_value=0,
        max_value=MAX_CAPACITY,
        error_messages={
            "invalid": "Indiquez un nombre entier, par exemple 42.",
            "min_value": "Le nombre de participants ne peut pas être négatif.",
            "max_value": "Ce nombre paraît trop grand : vérifiez-le.",
        },
    )

    class Meta:
        model = Event
        fields = ["attendance_count", "report"]
        labels = {"report": "Bilan"}
        help_texts = {
            "report": "Ce qui a marché, ce qui est à refaire, les suites. Mise en forme Markdown possible.",
        }
        widgets = {"report": forms.Textarea(attrs={"rows": 10})}


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Adresse électronique de la personne à inviter",
        help_text="Un membre d’un réseau de Maillage, avec son profil.",
        error_messages={
            "required": "Indiquez l’adresse électronique de la personne à inviter.",
            "invalid": "Adresse électronique non valide (exemple : prenom.nom@exemple.fr).",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class StructureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.commune.name}"


class StructureOrganiserForm(forms.Form):
    structure = StructureChoiceField(
        label="Structure co-organisatrice",
        queryset=Structure.objects.none(),
        empty_label="Choisissez une structure",
        error_messages={
            "required": "Choisissez une structure.",
            "invalid_choice": "Choisissez une structure du département dans la liste.",
        },
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = (
            Structure.objects.in_departement(event.departement_id).select_related("commune").order_by("name")
        )


class NeedForm(forms.ModelForm):
    class Meta:
        model = Need
        fields = ["kind", "description"]
        labels = {"kind": "Type de besoin", "description": "Ce qu’il vous faut"}
        help_texts = {"description": "Par exemple « Un vidéoprojecteur et une rallonge ». 300 caractères au plus."}
        error_messages = {
            "kind": {"required": "Choisissez le type de besoin.", "invalid_choice": "Type de besoin inconnu."},
            "description": {
                "required": "Décrivez le besoin en quelques mots.",
                "max_length": "La description fait %(show_value)d caractères : 300 au plus.",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choisissez un type")] + list(NeedKind.choices)


class NeedOfferForm(forms.ModelForm):
    class Meta:
        model = NeedOffer
        fields = ["message"]
        labels = {"message": "Ce que vous pouvez apporter"}
        help_texts = {"message": "Par exemple « Je peux apporter un vidéoprojecteur ». 300 caractères au plus."}
        error_messages = {
            "message": {
                "required": "Dites en quelques mots ce que vous pouvez apporter.",
                "max_length": "Le message fait %(show_value)d caractères : 300 au plus.",
            },
        }
