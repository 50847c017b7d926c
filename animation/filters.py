"""Filters of the network life's lists."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from animation.enums import PartnerKind, PartnerScope, PartnerStatus
from animation.models import Partner, PartnerAcquaintance
from common.filters import BaseFilterSet, CommunePickerFilter, NormalizedSearchFilter
from territories.models import EPCI, Commune

# Partners that act on the whole département, or wider: they serve every commune of it.
WIDE_SCOPES = (PartnerScope.DEPARTEMENT, PartnerScope.REGION, PartnerScope.NATIONAL)


class PartnerFilterSet(BaseFilterSet):
    """Search, kind, how far it acts, where (an EPCI or a commune of the département: the partners that
    act there, départemental ones included), « que je connais » and, for the coordination, the status
    (members: their own suggestions waiting). Meant for ``queries.partners.partners_for``; without a
    status asked for, only published partners are listed."""

    q = NormalizedSearchFilter(label="Rechercher", max_length=200, help_text="Nom, personne à contacter, mots-clés.")
    type = django_filters.ChoiceFilter(
        label="Type de partenaire", field_name="kind", choices=PartnerKind.choices, empty_label="Tous les types"
    )
    portee = django_filters.ChoiceFilter(
        label="Territoire d’action",
        field_name="scope",
        choices=PartnerScope.choices,
        empty_label="Toutes les échelles",
    )
    epci = django_filters.ModelChoiceFilter(
        label="Intercommunalité",
        queryset=EPCI.objects.none(),
        to_field_name="siren",
        empty_label="Toutes les intercommunalités",
        method="filter_epci",
        error_messages={"invalid_choice": "Choisissez une intercommunalité de la liste."},
    )
    commune = CommunePickerFilter(
        label="Commune", method="filter_commune", help_text="Les partenaires qui y agissent. Nom ou code postal."
    )
    je_connais = django_filters.BooleanFilter(
        label="Seulement ceux que je connais", widget=forms.CheckboxInput, method="filter_known"
    )
    statut = django_filters.ChoiceFilter(
        label="Statut",
        choices=PartnerStatus.choices,
        empty_label=None,
        method="filter_status",
        error_messages={"invalid_choice": "Choisissez un statut de la liste."},
    )

    class Meta:
        model = Partner
        fields = []

    def __init__(self, data=None, *, departement, manager=False, **kwargs):
        super().__init__(data=data, **kwargs)
        self.departement = departement
        self.form.fields["epci"].queryset = EPCI.objects.in_departement(departement).order_by("name")
        self.form.fields["commune"].queryset = Commune.objects.filter(departement=departement)
        status = self.form.fields["statut"]
        if manager:
            status.choices = [
                (PartnerStatus.PUBLISHED, "publiés"),
                (PartnerStatus.SUGGESTED, "proposés, en attente de votre décision"),
                (PartnerStatus.REFUSED, "refusés"),
            ]
        else:
            status.label = "Afficher"
            status.choices = [
                (PartnerStatus.PUBLISHED, "les partenaires du réseau"),
                (PartnerStatus.SUGGESTED, "mes propositions en attente"),
            ]
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            del self.filters["je_connais"]
            del self.form.fields["je_connais"]

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("statut"):
            queryset = queryset.published()
        return super().filter_queryset(queryset)

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=value) if value else queryset

    def filter_epci(self, queryset, name, epci):
        if not epci:
            return queryset
        return queryset.filter(Q(scope__in=WIDE_SCOPES) | Q(epci=epci) | Q(commune__epci=epci))

    def filter_commune(self, queryset, name, commune):
        if not commune:
            return queryset
        here = Q(scope__in=WIDE_SCOPES) | Q(commune=commune)
        if commune.epci_id:
            here |= Q(epci_id=commune.epci_id)
        return queryset.filter(here)

    def filter_known(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Exists(PartnerAcquaintance.objects.filter(partner=OuterRef("pk"), advisor__user=self.request.user))
        )

    @property
    def territory(self):
        self.form.errors  # noqa: B018 — cleans the form once
        data = self.form.cleaned_data
        return data.get("commune") or data.get("epci")
