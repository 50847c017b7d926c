"""Filters of the library (``/ressources/``)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from common.filters import TerritoryFilterSet
from resources.enums import Licence, ResourceKind
from resources.models import Resource
from skills.models import Public, Skill

MAX_ID = 2**31 - 1


class IdFilter(django_filters.Filter):
    """A row id given by a link (« les ressources de cette autrice »), kept in a hidden field."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class ResourceFilterSet(TerritoryFilterSet):
    """Search, territory, kind, skill, public, licence, author, structure, event and, for people logged
    in, their own resources. Meant for ``Resource.objects.published().visible_to(user)``."""

    commune_help = "Les ressources de cette commune. Nom ou code postal."

    q = django_filters.CharFilter(label="Rechercher", method="filter_search", max_length=200)
    type = django_filters.ChoiceFilter(
        label="Type de ressource", field_name="kind", choices=ResourceKind.choices, empty_label="Tous les types"
    )
    competence = django_filters.ModelChoiceFilter(
        label="Thématique",
        queryset=Skill.objects.validated().select_related("domain").order_by("domain__position", "name"),
        to_field_name="slug",
        empty_label="Toutes les thématiques",
        method="filter_skill",
    )
    public = django_filters.ModelChoiceFilter(
        label="Public",
        queryset=Public.objects.order_by("position", "name"),
        to_field_name="slug",
        empty_label="Tous les publics",
        method="filter_public",
    )
    licence = django_filters.ChoiceFilter(
        label="Licence", field_name="licence", choices=Licence.choices, empty_label="Toutes les licences"
    )
    auteur = IdFilter(method="filter_author")
    structure = IdFilter(field_name="structure_id")
    evenement = IdFilter(field_name="event_id")
    mes_ressources = django_filters.BooleanFilter(
        label="Mes ressources (dont je suis autrice ou auteur)", widget=forms.CheckboxInput, method="filter_mine"
    )

    class Meta:
        model = Resource
        fields = []

    def __init__(self, data=None, **kwargs):
        super().__init__(data=data, **kwargs)
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            del self.filters["mes_ressources"]
            del self.form.fields["mes_ressources"]

    def filter_queryset(self, queryset):
        """Published resources only, except in « mes ressources », which also lists one's drafts."""
        if not self.form.cleaned_data.get("mes_ressources"):
            queryset = queryset.published()
        return super().filter_queryset(queryset)

    def serving(self, queryset, territory):
        return queryset.serving(territory)

    def filter_search(self, queryset, name, value):
        return queryset.search(value) if value else queryset

    def filter_skill(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(Resource.skills.through.objects.filter(resource=OuterRef("pk"), skill=value)))

    def filter_public(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(Resource.publics.through.objects.filter(resource=OuterRef("pk"), public=value)))

    def filter_author(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(Resource.authors.through.objects.filter(resource=OuterRef("pk"), advisor=value)))

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Exists(Resource.authors.through.objects.filter(resource=OuterRef("pk"), advisor__user=self.request.user))
        )
