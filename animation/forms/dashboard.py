"""The dashboard's reminder form: one person (``conseiller``) or every stale profile of a list."""

from django import forms

from animation.queries.dashboard import STALE_MONTHS


class ReminderForm(forms.Form):
    conseiller = forms.IntegerField(label="Personne à relancer", required=False, min_value=1, max_value=2**62)
    mois = forms.TypedChoiceField(
        label="Profils non mis à jour depuis",
        choices=[(str(months), f"{months} mois") for months in STALE_MONTHS],
        coerce=int,
        required=False,
        empty_value=min(STALE_MONTHS),
    )

    def clean(self):
        data = super().clean()
        data["advisor"] = data.get("conseiller")
        data["months"] = data.get("mois") or min(STALE_MONTHS)
        if not data["advisor"] and not self.data.get("tous"):
            raise forms.ValidationError("Choisissez une personne, ou toute la liste.")
        return data
