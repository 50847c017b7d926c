"""The monthly letter's forms: the month to compose, and a draft's subject, editorial and kept items."""

from django import forms

from advisors.queries.territory import months_before
from animation.queries.letters import SECTION_TITLES, SECTIONS, letter_choices, month_label, period_from

# The months a coordinator may compose: last month (a letter forgotten) to two months ahead.
MONTHS_BACK = 1
MONTHS_AHEAD = 2


def month_choices(today):
    first = today.replace(day=1)
    months = [months_before(first, offset) for offset in range(MONTHS_BACK, -MONTHS_AHEAD - 1, -1)]
    return [(f"{month:%Y-%m}", month_label(month).capitalize()) for month in months]


class LetterPeriodForm(forms.Form):
    period = forms.ChoiceField(
        label="Mois de la lettre",
        error_messages={
            "required": "Choisissez le mois de la lettre.",
            "invalid_choice": "Choisissez un des mois de la liste.",
        },
    )

    def __init__(self, *args, today, **kwargs):
        """``today``: the day in the département's time zone (``departement_today``)."""
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = month_choices(today)
        self.fields["period"].initial = f"{today:%Y-%m}"

    def clean_period(self):
        return period_from(self.cleaned_data["period"])


class LetterEditForm(forms.Form):
    """A draft's subject and editorial, and one group of checkboxes per composed section: what stays."""

    subject = forms.CharField(
        label="Objet du courriel",
        max_length=200,
        error_messages={
            "required": "Donnez un objet à la lettre.",
            "max_length": "L’objet tient en 200 caractères au plus (il en a %(show_value)d).",
        },
    )
    editorial = forms.CharField(
        label="Le mot de la coordination",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Mise en forme Markdown possible\u00a0: **gras**, *italique*, listes avec «\u00a0-\u00a0», liens [texte](https://…).",
        error_messages={"max_length": "Le mot de la coordination tient en 5 000 caractères au plus."},
    )

    def __init__(self, *args, letter, **kwargs):
        content = letter.content or {}
        left_out = set(content.get("left_out", []))
        choices = letter_choices(letter)
        kwargs.setdefault(
            "initial",
            {
                "subject": letter.subject,
                "editorial": letter.editorial,
                **{slug: [key for key, _ in choices[slug] if key not in left_out] for slug in SECTIONS},
            },
        )
        super().__init__(*args, **kwargs)
        for slug in SECTIONS:
            self.fields[slug] = forms.MultipleChoiceField(
                label=SECTION_TITLES[slug],
                choices=choices[slug],
                required=False,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": "Cet élément n’est plus dans la lettre\u00a0: rechargez la page."},
            )

    def section_fields(self):
        """The bound checkbox groups that have items, in the letter's order."""
        return [self[slug] for slug in SECTIONS if self.fields[slug].choices]

    def kept(self):
        return [key for slug in SECTIONS for key in self.cleaned_data.get(slug, [])]
