"""The project's base FilterSet: every filtered list of Maillage builds on it, so they all
filter the same way (French labels, GET forms that work without JavaScript, the commune
picker for territories)."""

import django_filters
from django import forms
from django.db.models import Q

from territories.models import EPCI
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


class NormalizedSearchFilter(django_filters.CharFilter):
    """Free-text search ignoring accents and case, over a normalised ``search_text`` column."""

    def __init__(self, *args, field_name="search_text", **kwargs):
        kwargs.setdefault("label", "Recherche")
        super().__init__(*args, field_name=field_name, **kwargs)

    def filter(self, queryset, value):
        for word in normalize(value).split()[:8]:
            queryset = queryset.filter(**{f"{self.field_name}__contains": word})
        return queryset
