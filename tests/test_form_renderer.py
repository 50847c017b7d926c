"""The form renderer writes the common widgets in Python: its HTML must be Django's, byte for byte."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from common.renderers import FormRenderer

CHOICES = [("", "—"), ("a", "Ça & là"), (1, "Un <b>"), ("x", gettext_lazy("Lazy"))]
GROUPED = [("", "Choisissez"), ("Saint-Étienne", [(3, "Médiathèque « Tarentaize »"), (4, "Le <Lieu>")]), (5, "Seul")]


class EveryWidget(forms.Form):
    text = forms.CharField(label="Texte", max_length=20, widget=forms.TextInput(attrs={"placeholder": 'Dit "ça"'}))
    search = forms.CharField(widget=forms.TextInput(attrs={"type": "search", "autofocus": True, "hidden": False}))
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False)
    number = forms.IntegerField(min_value=0)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(widget=forms.TimeInput(format="%H:%M"))
    hidden = forms.CharField(widget=forms.HiddenInput)
    checkbox = forms.BooleanField(required=False)
    select = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.TypedChoiceField(choices=GROUPED, coerce=int, required=False)
    multiple = forms.MultipleChoiceField(choices=CHOICES[1:], required=False)
    radios = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, required=False)
    checkboxes = forms.MultipleChoiceField(choices=GROUPED[1:], widget=forms.CheckboxSelectMultiple, required=False)


DATA = [
    None,
    {
        "text": "<script>",
        "search": "a&b",
        "number": "12",
        "date": "2026-11-30",
        "time": "14:30",
        "hidden": mark_safe("<i>"),
    },
    {"select": "a", "grouped": "4", "multiple": ["a", "x"], "radios": "1", "checkboxes": ["3", "5"], "checkbox": "on"},
    {"number": "-3", "email": "pas un courriel", "radios": "zzz", "grouped": "99"},
]


@pytest.mark.parametrize("data", DATA)
def test_widgets_render_as_django_templates_do(data):
    fast, templates = EveryWidget(data, renderer=FormRenderer()), EveryWidget(data, renderer=TemplatesSetting())
    for name in EveryWidget.base_fields:
        assert str(fast[name]) == str(templates[name]), name
        for fast_option, template_option in zip(fast[name].subwidgets, templates[name].subwidgets, strict=True):
            assert fast_option.tag() == template_option.tag(), name
            assert fast_option.tag(wrap_label=True) == template_option.tag(wrap_label=True), name
    assert fast.as_div() == templates.as_div()
    assert fast.as_p() == templates.as_p()


def test_the_fast_path_is_taken_for_the_common_widgets():
    renderer = FormRenderer()
    assert {"django/forms/widgets/select.html", "django/forms/widgets/input.html"} <= set(renderer.fast())
