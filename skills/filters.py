"""Every FilterSet of the skills app: who holds a skill in a territory, the project cards board."""

import django_filters
from django.db.models import Q

from advisors.queries.territory import advisors_serving
from common.filters import BaseFilterSet, TerritoryFilterSet
from skills.models import ProjectCard, Skill
from skills.queries.maps import EPCI_PREFIX
from territories.models import EPCI


class SkillHoldersFilterSet(TerritoryFilterSet):
    """Narrow a skill's page to a département or an intercommunalité (the more precise wins)."""

    commune = None

    class Meta:
        model = Skill
        fields = []

    def __init__(self, data=None, **kwargs):
        super().__init__(data=_from_territoire(data), **kwargs)

    def serving(self, queryset, territory):
        # Applied to advisors by the view through ``territory``; the skill queryset is left alone.
        return queryset

    def advisors_condition(self):
        territory = self.territory
        return advisors_serving(territory) if territory else Q()


def _from_territoire(data):
    """The skills map links here with ``territoire=42`` or ``territoire=epci-<SIREN>``: read them as
    ``departement=42`` or ``epci=<SIREN>``, so the page opens on the map's territory."""
    if not data or not data.get("territoire") or data.get("departement") or data.get("epci"):
        return data
    data = data.copy()
    value = data.pop("territoire")[-1].strip()
    if value.lower().startswith(EPCI_PREFIX):
        data["epci"] = value[len(EPCI_PREFIX) :]
    else:
        data["departement"] = value.upper()
    return data


class CardFilterSet(BaseFilterSet):
    """Skill and EPCI of the author's commune, within one département's board."""

    competence = django_filters.ModelChoiceFilter(
        label="Compétence",
        queryset=Skill.objects.validated().select_related("domain"),
        to_field_name="slug",
        empty_label="Toutes les compétences",
        method="filter_skill",
    )
    epci = django_filters.ModelChoiceFilter(
        label="Intercommunalité de l’auteur",
        queryset=EPCI.objects.none(),
        to_field_name="siren",
        empty_label="Toutes les intercommunalités",
        method="filter_epci",
    )

    class Meta:
        model = ProjectCard
        fields = []

    def __init__(self, data=None, *, departement, **kwargs):
        super().__init__(data=data, **kwargs)
        self.form.fields["epci"].queryset = EPCI.objects.in_departement(departement).order_by("name")

    def filter_skill(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=ProjectCard.skills.through.objects.filter(skill=value).values("projectcard"))

    def filter_epci(self, queryset, name, value):
        if not value:
            return queryset
        # The author's commune, or their structure's when they gave none.
        return queryset.filter(
            Q(author__commune__epci=value) | Q(author__commune__isnull=True, author__structure__commune__epci=value)
        )
