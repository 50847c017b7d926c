from datetime import timedelta

from django import forms

from common.widgets import DateInput
from events.dates import date_label
from events.queries.series import WEEKDAY_CODES, WEEKDAYS

FREQUENCIES = [
    ("weekly", "chaque semaine, ce jour-là"),
    ("biweekly", "toutes les deux semaines, ce jour-là"),
    ("monthly", "chaque mois, ce jour-là de la semaine choisie (le 2e mardi du mois…)"),
]
POSITIONS = [("1", "1er"), ("2", "2e"), ("3", "3e"), ("4", "4e"), ("-1", "dernier")]
# A series is planned for a few years at most; beyond, a new series.
LONGEST = timedelta(days=5 * 366)


class SeriesForm(forms.Form):
    """« Chaque semaine le mardi », « toutes les deux semaines », « le 2e mardi du mois », turned into
    the RRULE the series stores (``cleaned_data["rule"]``)."""

    frequency = forms.ChoiceField(
        label="Répéter",
        choices=FREQUENCIES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez à quel rythme l’événement se répète."},
    )
    weekday = forms.ChoiceField(
        label="Jour de la semaine",
        choices=list(WEEKDAYS.items()),
        error_messages={"required": "Choisissez le jour de la semaine."},
    )
    position = forms.ChoiceField(
        label="Semaine du mois",
        choices=[("", "—"), *POSITIONS],
        required=False,
        help_text="Pour une répétition chaque mois seulement : le 1er, 2e, 3e, 4e ou dernier jour choisi du mois.",
    )
    until = forms.DateField(
        label="Jusqu’au (facultatif)",
        required=False,
        widget=DateInput,
        help_text="Vide : sans date de fin. Les dates sont créées six mois à l’avance, puis au fil du temps.",
        error_messages={"invalid": "Indiquez une date valide, par exemple 30/06/2027."},
    )

    def __init__(self, *args, event, **kwargs):
        self.first_day = event.starts_at.astimezone(event.tzinfo).date()
        position = (self.first_day.day - 1) // 7 + 1
        kwargs.setdefault(
            "initial",
            {
                "frequency": "monthly",
                "weekday": WEEKDAY_CODES[self.first_day.weekday()],
                "position": str(position if position <= 4 else -1),
            },
        )
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        frequency, weekday, position = cleaned.get("frequency"), cleaned.get("weekday"), cleaned.get("position")
        until = cleaned.get("until")
        if until is not None and until < self.first_day:
            self.add_error("until", f"La série commence le {date_label(self.first_day)} : choisissez une date après.")
        elif until is not None and until > self.first_day + LONGEST:
            self.add_error("until", "Une série dure cinq ans au plus : choisissez une date plus proche.")
        if frequency == "monthly" and not position:
            self.add_error("position", "Choisissez la semaine du mois (1er, 2e, 3e, 4e ou dernier).")
        if frequency and weekday and not self.errors:
            cleaned["rule"] = {
                "weekly": f"FREQ=WEEKLY;BYDAY={weekday}",
                "biweekly": f"FREQ=WEEKLY;INTERVAL=2;BYDAY={weekday}",
                "monthly": f"FREQ=MONTHLY;BYDAY={int(position or 1):+d}{weekday}",
            }[frequency]
        return cleaned
