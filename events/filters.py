"""Filters of the calendar (``/evenements/``, its month view and its past events)."""

import datetime
import zoneinfo

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone

from common.filters import TerritoryFilterSet
from common.widgets import DateInput
from events.enums import Audience, EventKind
from events.models import Event
from skills.models import Skill

# A date input outside these years is a typing slip; beyond them, time zone arithmetic would overflow.
FIRST_YEAR, LAST_YEAR = 1900, 2200


class EventFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        since, until = data.get("du"), data.get("au")
        if since and until and until < since:
            self.add_error("au", "Cette date précède la date «\u00a0du\u00a0»\u00a0: choisissez une date postérieure.")
        return data


class DayFilter(django_filters.DateFilter):
    """A day typed in the browser's date picker (or as 28/11/2026), within sensible years."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", DateInput())
        kwargs.setdefault("validators", [_sensible_year])
        super().__init__(*args, **kwargs)


def _sensible_year(value):
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise forms.ValidationError(f"Choisissez une date entre {FIRST_YEAR} et {LAST_YEAR}.")


def _start_of(day, tzinfo):
    """Midnight of ``day`` in ``tzinfo``."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=tzinfo)


class EventFilterSet(TerritoryFilterSet):
    """Territory (the most precise of département, EPCI and commune wins), kind, audience, dates,
    skill and, for people logged in, their own events.

    Meant for ``Event.objects.visible_to(user)``: it only ever narrows that queryset.
    """

    commune_help = "Les événements qui s’y tiennent. Nom ou code postal."

    type = django_filters.ChoiceFilter(
        label="Type d’événement", field_name="kind", choices=EventKind.choices, empty_label="Tous les types"
    )
    public = django_filters.ChoiceFilter(
        label="Public visé", field_name="audience", choices=Audience.choices, empty_label="Tous les publics"
    )
    du = DayFilter(label="Du", method="filter_since")
    au = DayFilter(label="Au", method="filter_until")
    competence = django_filters.ModelChoiceFilter(
        label="Thématique",
        queryset=Skill.objects.validated().select_related("domain").order_by("domain__position", "name"),
        to_field_name="slug",
        empty_label="Toutes les thématiques",
        method="filter_skill",
    )
    mes_evenements = django_filters.BooleanFilter(
        label="Mes événements (j’organise, j’anime ou je suis inscrit·e)",
        widget=forms.CheckboxInput,
        method="filter_mine",
    )

    class Meta:
        model = Event
        fields = []
        form = EventFilterForm

    def __init__(self, data=None, *, dates=True, **kwargs):
        super().__init__(data=data, **kwargs)
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            del self.filters["mes_evenements"]
            del self.form.fields["mes_evenements"]
        if not dates:  # the month view picks its dates itself
            for name in ("du", "au"):
                del self.filters[name]
                del self.form.fields[name]

    def serving(self, queryset, territory):
        return queryset.serving(territory)

    def filter_since(self, queryset, name, value):
        return queryset.filter(ends_at__gt=_start_of(value, self.day_zone)) if value else queryset

    def filter_until(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(starts_at__lt=_start_of(value + datetime.timedelta(days=1), self.day_zone))

    @property
    def day_zone(self):
        """Where « du » and « au » days begin: in the département chosen (an evening event in Guadeloupe is
        on its own day, not the next one), else in the site's zone (Paris)."""
        departement = self.form.cleaned_data.get("departement")
        return zoneinfo.ZoneInfo(departement.timezone) if departement else timezone.get_default_timezone()

    def filter_skill(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(Event.skills.through.objects.filter(event=OuterRef("pk"), skill=value)))

    def filter_mine(self, queryset, name, value):
        return queryset.involving(self.request.user) if value else queryset
