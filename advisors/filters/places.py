"""The filters of the structures list (``/structures/``)."""

import django_filters
from django.db.models import Exists, OuterRef, Q

from advisors.enums import StructureKind
from advisors.models import Structure
from common.filters import BaseFilterSet, NormalizedSearchFilter
from skills.enums import DomainKind
from skills.models import Domain, Public
from territories.forms import CommuneField, DepartementChoiceField
from territories.models import EPCI, Commune, Departement


class ServedCommuneFilter(django_filters.Filter):
    """Structures located in the commune, or whose perimeter covers it."""

    field_class = CommuneField

    def filter(self, queryset, value):
        if value is None:
            return queryset
        covers = Structure.perimeter.through.objects.filter(structure=OuterRef("pk"), commune=value)
        return queryset.filter(Exists(covers) | Q(commune=value))


class EPCIFilter(django_filters.ModelChoiceFilter):
    """Structures located in one of the EPCI's communes, or covering one of them."""

    def filter(self, queryset, value):
        if value is None:
            return queryset
        covers = Structure.perimeter.through.objects.filter(structure=OuterRef("pk"), commune__epci=value)
        located = Commune.objects.filter(code=OuterRef("commune"), epci=value)
        return queryset.filter(Exists(covers) | Exists(located))


class DepartementFilter(django_filters.ModelChoiceFilter):
    field_class = DepartementChoiceField


class StructureFilterSet(BaseFilterSet):
    q = NormalizedSearchFilter(label="Nom de la structure")
    departement = DepartementFilter(
        label="Département", queryset=Departement.objects.order_by("code"), empty_label="Tous les départements"
    )
    commune = ServedCommuneFilter(label="Commune servie")
    epci = EPCIFilter(label="Intercommunalité servie", queryset=EPCI.objects.none(), empty_label="Toutes")
    # The directory's name for the same filter: one query parameter name for one concept across lists.
    type_structure = django_filters.ChoiceFilter(
        label="Type de structure", field_name="kind", choices=StructureKind.choices, empty_label="Tous"
    )
    service = django_filters.ModelChoiceFilter(
        label="Service proposé",
        field_name="services",
        queryset=Domain.objects.filter(kind=DomainKind.SERVICE),
        empty_label="Tous",
        distinct=False,  # one service: a structure matches once
    )
    public = django_filters.ModelChoiceFilter(
        label="Public accueilli",
        field_name="publics",
        queryset=Public.objects.all(),
        empty_label="Tous",
        distinct=False,
    )

    class Meta:
        model = Structure
        fields = []

    def __init__(self, *args, departement=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departement is not None:
            epcis = EPCI.objects.in_departement(departement).order_by("name")
            self.filters["epci"].queryset = epcis
            self.form.fields["epci"].queryset = epcis
        else:
            # All of France's EPCI in one select would weigh more than the page: pick a département first.
            self.form.fields["epci"].help_text = "Choisissez d’abord un département."
