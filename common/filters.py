"""The project's base FilterSet: every filtered list of Maillage builds on it, so they all
filter the same way (French labels, GET forms that work without JavaScript, the commune
picker for territories)."""

import django_filters
from django import forms
from django.db.models import Q

from territories.forms import CommuneField
from territories.models import EPCI, Departement
from territories.text import normalize


class BaseFilterSet(django_filters.FilterSet):
    """Forms render with the site's field component; empty values never filter."""

    def __init__(self, data=None, **kwargs):
        # An unbound list shows everything: the form is bound but empty.
        super().__init__(data=data if data is not None else {}, **kwargs)
        for field in self.form.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            field.required = False

    def limit_epcis_to_departement(self, epci_field="epci", departement_field="departement"):
        """The EPCI choices follow the département chosen (a dozen, not the 1,255 of France);
        an EPCI asked for by a link stays a valid choice whatever the département."""
        departement = self.data.get(departement_field) or ""
        siren = self.data.get(epci_field) or ""
        condition = Q(siren=siren) if siren else Q(pk__in=[])
        if departement:
            condition |= Q(pk__in=EPCI.objects.in_departement(departement).values("pk"))
        field = self.form.fields[epci_field]
        field.queryset = EPCI.objects.filter(condition).order_by("name")
        if not departement:
            field.help_text = "Choisissez d’abord un département pour voir ses intercommunalités."


class CommunePickerFilter(django_filters.Filter):
    """The site's commune picker (works without JavaScript) as a filter; the filter set's method says
    what it narrows."""

    field_class = CommuneField


class TerritoryFilterSet(BaseFilterSet):
    """A list narrowed to a territory: département, EPCI or commune, the most precise one given wins.

    Subclasses say what serving a territory means for their rows (``serving``) and, in
    ``commune_help``, what the commune picks out. The EPCI choices follow the département chosen."""

    departement = django_filters.ModelChoiceFilter(
        label="Département",
        queryset=Departement.objects.order_by("code"),
        to_field_name="code",
        empty_label="Tous les départements",
        method="filter_territory",
        error_messages={"invalid_choice": "Choisissez un département de la liste."},
    )
    epci = django_filters.ModelChoiceFilter(
        label="Intercommunalité",
        queryset=EPCI.objects.none(),
        to_field_name="siren",
        empty_label="Toutes les intercommunalités",
        method="filter_territory",
        error_messages={"invalid_choice": "Choisissez une intercommunalité de la liste."},
    )
    # A subclass without communes sets ``commune = None``.
    commune = CommunePickerFilter(label="Commune", method="filter_territory")

    commune_help = "Nom ou code postal."

    def __init__(self, data=None, **kwargs):
        super().__init__(data=data, **kwargs)
        self.limit_epcis_to_departement()
        if "commune" in self.form.fields:
            self.form.fields["commune"].help_text = self.commune_help

    def serving(self, queryset, territory):
        """``queryset`` narrowed to the rows of ``territory`` (a ``Departement``, an ``EPCI`` or a ``Commune``)."""
        raise NotImplementedError

    def filter_territory(self, queryset, name, value):
        """Only the most precise of département, EPCI and commune narrows the list."""
        if not value or value != self.territory:
            return queryset
        return self.serving(queryset, value)

    @property
    def territory(self):
        """The territory the list is narrowed to, the most precise one given."""
        self.form.errors  # noqa: B018 — cleans the form once
        data = self.form.cleaned_data
        return data.get("commune") or data.get("epci") or data.get("departement")


class NormalizedSearchFilter(django_filters.CharFilter):
    """Free-text search ignoring accents and case, over a normalised ``search_text`` column."""

    def __init__(self, *args, field_name="search_text", **kwargs):
        kwargs.setdefault("label", "Recherche")
        super().__init__(*args, field_name=field_name, **kwargs)

    def filter(self, queryset, value):
        for word in normalize(value).split()[:8]:
            queryset = queryset.filter(**{f"{self.field_name}__contains": word})
        return queryset
