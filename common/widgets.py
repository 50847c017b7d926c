"""The browser's own pickers for a date and a time: ``<input type="date">`` and ``<input type="time">``,
with the value written as they read it (ISO), whatever the language of the page."""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")
