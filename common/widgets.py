"""The browser's own pickers for a date and a time: ``<input type="date">`` and ``<input type="time">``,
with the value written as they read it (ISO), whatever the language of the page."""

from django import forms

# What people type when the browser shows a plain text field (old browsers, no JavaScript needed):
# ISO, 22/12/2026, 22/12/26; 9:30, 9h30, 9 h 30, 9 h.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%Hh%M", "%H h %M", "%Hh", "%H h", "%H"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")
