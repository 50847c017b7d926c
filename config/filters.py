"""The project's base FilterSet: every filtered list of Maillage builds on it, so they all
filter the same way (French labels, GET forms that work without JavaScript, the commune
picker for territories)."""

import django_filters
from django import forms

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

    @property
    def query_without_page(self):
        """The GET parameters of the current filters, for pagination links."""
        data = self.data.copy()
        data.pop("page", None)
        return data.urlencode()


class NormalizedSearchFilter(django_filters.CharFilter):
    """Free-text search ignoring accents and case, over a normalised ``search_text`` column."""

    def __init__(self, *args, field_name="search_text", **kwargs):
        kwargs.setdefault("label", "Recherche")
        super().__init__(*args, field_name=field_name, **kwargs)

    def filter(self, queryset, value):
        for word in normalize(value).split()[:8]:
            queryset = queryset.filter(**{f"{self.field_name}__contains": word})
        return queryset
