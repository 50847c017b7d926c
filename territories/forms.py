import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from territories.models import Commune

# The picker's suggestions end with "— 42218": the INSEE code resolves the choice exactly.
_TRAILING_CODE = re.compile(r"[—-]\s*(?P<code>\d[\dAB]\d{3})\s*$")
MAX_CHOICES = 20


class DepartementChoiceField(forms.ModelChoiceField):
    """A département in a select, shown as "42 — Loire"."""

    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.name}"


class CommuneWidget(forms.TextInput):
    """A text box for a commune name or postal code.

    Without JavaScript the server does the search: when the text matches several
    communes, the form comes back with a list of radio buttons to pick one (the field
    ``<name>_choice``). With JavaScript, ``commune-picker.js`` suggests communes as one
    types, through a ``<datalist>``.
    """

    template_name = "components/commune_widget.html"

    def __init__(self, attrs=None):
        base = {"autocomplete": "off", "spellcheck": "false", "data-commune-picker": ""}
        super().__init__({**base, **(attrs or {})})
        self.candidates = []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-suggest-url"] = reverse("territories:commune_suggestions")
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs'].get('id', name)}-suggestions"
        context["candidates"] = self.candidates
        context["choice_name"] = f"{name}_choice"
        return context

    def format_value(self, value):
        if isinstance(value, Commune):
            return value.label
        if isinstance(value, str) and len(value) == 5 and value[:2].isalnum():
            commune = Commune.objects.filter(code=value).select_related("departement").first()
            if commune:
                return commune.label
        return super().format_value(value)

    def value_from_datadict(self, data, files, name):
        choice = data.get(f"{name}_choice")
        if choice:
            return f"— {choice}"
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_choice" not in data


class CommuneField(forms.Field):
    """Resolves what a person typed into exactly one commune, or says why it cannot."""

    widget = CommuneWidget
    default_error_messages = {
        "required": "Indiquez une commune.",
        "not_found": "Aucune commune ne correspond à « %(query)s ». Vérifiez l’orthographe ou tapez le code postal.",
        "ambiguous": "%(count)s communes correspondent à « %(query)s » : choisissez la vôtre dans la liste.",
        "too_many": "Plus de %(count)s communes correspondent à « %(query)s » : choisissez dans la liste "
        "ou précisez (code postal, nom complet).",
    }

    def __init__(self, *, queryset=None, **kwargs):
        self.queryset = queryset if queryset is not None else Commune.objects.all()
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value

    def to_python(self, value):
        if isinstance(value, Commune):
            return value
        value = (value or "").strip()
        if not value:
            return None
        match = _TRAILING_CODE.search(value)
        if match:
            commune = self.queryset.with_territory().filter(code=match["code"]).first()
            if commune:
                return commune
            value = value[: match.start()].strip() or value
        candidates = list(self.queryset.with_territory().search(value)[: MAX_CHOICES + 1])
        if not candidates:
            raise ValidationError(self.error_messages["not_found"], code="not_found", params={"query": value})
        exact = [commune for commune in candidates if commune.search_name == candidates[0].search_name]
        if len(candidates) == 1 or (len(exact) == 1 and candidates[0].exact == 0):
            return candidates[0]
        self.widget.candidates = candidates[:MAX_CHOICES]
        count = f"{MAX_CHOICES}+" if len(candidates) > MAX_CHOICES else str(len(candidates))
        raise ValidationError(
            self.error_messages["ambiguous"], code="ambiguous", params={"query": value, "count": count}
        )


class CommuneLookupForm(forms.Form):
    """The "Qui fait quoi près de chez moi ?" picker: leads to one commune's page."""

    commune = CommuneField(label="Votre commune ou votre code postal")
