"""Forms of the programme: a slot (typed in the département's wall-clock time), the choice of an animator."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from common.widgets import TIME_INPUT_FORMATS, TimeInput
from events.forms.events import MAX_CAPACITY
from events.forms.fields import local_span
from events.models import AnimatorSignup
from events.queries.programme import event_days

TIME_ERROR = "Saisissez une heure valide, par exemple 14:30."
MAX_ANIMATORS = 50


class SlotForm(forms.Form):
    """A slot of ``event``: its day among the event's days, its start and end in local time.

    ``cleaned_data`` then holds ``starts_at`` and ``ends_at`` as aware datetimes; ``service_data``
    is what ``slot_create`` and ``slot_update`` take."""

    title = forms.CharField(
        label="Titre",
        max_length=200,
        help_text="Par exemple : Atelier smartphone, Stand France Services.",
        error_messages={"required": "Donnez un titre au créneau.", "max_length": "200 caractères au plus."},
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "2 000 caractères au plus."},
    )
    day = forms.ChoiceField(
        label="Jour",
        error_messages={"required": "Choisissez le jour.", "invalid_choice": "Choisissez un jour de l’événement."},
    )
    starts = forms.TimeField(
        label="Début",
        widget=TimeInput,
        input_formats=TIME_INPUT_FORMATS,
        error_messages={"required": "Indiquez l’heure de début.", "invalid": TIME_ERROR},
    )
    ends = forms.TimeField(
        label="Fin",
        widget=TimeInput,
        input_formats=TIME_INPUT_FORMATS,
        error_messages={"required": "Indiquez l’heure de fin.", "invalid": TIME_ERROR},
    )
    room = forms.CharField(
        label="Salle ou stand",
        required=False,
        max_length=100,
        help_text="Les créneaux d’une même salle forment une colonne de la grille du programme.",
        error_messages={"max_length": "100 caractères au plus."},
    )
    capacity = forms.IntegerField(
        label="Nombre de places",
        required=False,
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text="Laissez vide pour un créneau sans inscription limitée.",
        error_messages={
            "invalid": "Saisissez un nombre entier.",
            "min_value": "Au moins 1 place, ou laissez vide.",
            "max_value": f"{MAX_CAPACITY:,} places au plus.".replace(",", "\u202f"),
        },
    )
    animators_wanted = forms.IntegerField(
        label="Animateurs recherchés",
        min_value=0,
        max_value=MAX_ANIMATORS,
        initial=1,
        help_text="0 si le créneau n’a pas besoin d’animateur.",
        error_messages={
            "required": "Indiquez combien d’animateurs sont recherchés (0 si aucun).",
            "invalid": "Saisissez un nombre entier.",
            "min_value": "Saisissez 0 ou plus.",
            "max_value": f"{MAX_ANIMATORS} animateurs au plus.",
        },
    )

    def __init__(self, *args, event, slot=None, **kwargs):
        self.event = event
        self.tzinfo = event.tzinfo
        days = event_days(event)
        if slot is not None:
            start = timezone.localtime(slot.starts_at, self.tzinfo)
            kwargs.setdefault(
                "initial",
                {
                    "title": slot.title,
                    "description": slot.description,
                    "day": start.date().isoformat(),
                    "starts": start.time(),
                    "ends": timezone.localtime(slot.ends_at, self.tzinfo).time(),
                    "room": slot.room,
                    "capacity": slot.capacity,
                    "animators_wanted": slot.animators_wanted,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [(day.isoformat(), date_format(day, "l j F Y")) for day in days]
        if len(days) == 1:
            self.fields["day"].initial = days[0].isoformat()
            self.fields["day"].widget = forms.HiddenInput()
        for name in ("capacity", "animators_wanted"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric"})
        self.fields["room"].widget.attrs["list"] = "salles"

    def clean(self):
        cleaned = super().clean()
        day, starts, ends = cleaned.get("day"), cleaned.get("starts"), cleaned.get("ends")
        if not (day and starts and ends):
            return cleaned
        day = datetime.date.fromisoformat(day)
        cleaned.update(local_span(self, day, starts, ends, self.tzinfo, fields=("starts", "ends")))
        return cleaned

    @property
    def service_data(self):
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "description": data["description"].strip(),
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "room": " ".join(data["room"].split()),
            "capacity": data["capacity"],
            "animators_wanted": data["animators_wanted"],
        }


class AnimatorChoiceForm(forms.Form):
    """Which animator of ``slot`` the organisers confirm or remove."""

    signup = forms.ModelChoiceField(
        queryset=AnimatorSignup.objects.none(),
        error_messages={"required": "Choisissez un animateur.", "invalid_choice": "Cet animateur n’est plus inscrit."},
    )

    def __init__(self, *args, slot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signup"].queryset = slot.animators.select_related("advisor__user")
