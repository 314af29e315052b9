"""One FilterSet per list, shared by the pages and the API (query parameters are the API's:
`country`, `theme`, `status`, `handling_code`, `unit`, `kind`, `source_reliability`,
`information_credibility`, `created_after`, `created_before`, `q`)."""

import django_filters
from django import forms
from django.db.models import Q

from relais.core.kit import DsfrFilterSet
from relais.core.markings import Marking
from relais.information.grading import all_credibility_codes, all_reliability_codes
from relais.information.models import (
    THEMES,
    Dissemination,
    HandlingCode,
    InformationReport,
    ReportKind,
)
from relais.information.workflows import ReportStatus
from relais.referential.models import Country, Unit


def _upper(value):
    return (value or "").strip().upper()


class ReportFilterSet(DsfrFilterSet):
    code_selects = {
        "country": (Country, "name", "Pays"),
        "unit": (Unit, "name", "Unité d'origine"),
    }

    country = django_filters.CharFilter(label="Pays (code ISO)", method="filter_country")
    theme = django_filters.ChoiceFilter(label="Thème", choices=THEMES, method="filter_theme")
    status = django_filters.ChoiceFilter(label="État", choices=ReportStatus.choices)
    handling_code = django_filters.ChoiceFilter(
        label="Code de traitement", choices=HandlingCode.choices
    )
    kind = django_filters.ChoiceFilter(label="Nature", choices=ReportKind.choices)
    marking = django_filters.ChoiceFilter(label="Mention", choices=Marking.choices)
    unit = django_filters.CharFilter(label="Unité d'origine (code)", method="filter_unit")
    source_reliability = django_filters.ChoiceFilter(
        label="Fiabilité de la source", choices=[(c, c) for c in all_reliability_codes()]
    )
    information_credibility = django_filters.ChoiceFilter(
        label="Crédibilité de l'information", choices=[(c, c) for c in all_credibility_codes()]
    )
    created_after = django_filters.DateFilter(
        label="Rédigée à partir du",
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    created_before = django_filters.DateFilter(
        label="Rédigée jusqu'au",
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    q = django_filters.CharFilter(label="Titre contient", method="filter_q")

    class Meta:
        model = InformationReport
        fields = []

    def filter_country(self, qs, name, value):
        codes = [_upper(v) for v in value.split(",") if v.strip()]
        if not codes:
            return qs
        return qs.filter(
            pk__in=InformationReport.countries.through.objects.filter(
                country__code__in=codes
            ).values("informationreport_id")
        )

    def filter_theme(self, qs, name, value):
        return qs.filter(
            pk__in=InformationReport.themes.through.objects.filter(theme__code=value).values(
                "informationreport_id"
            )
        )

    def filter_unit(self, qs, name, value):
        return qs.filter(unit__code=value.strip())

    def filter_q(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(title__icontains=value)) if value else qs


class InboxFilterSet(DsfrFilterSet):
    """The recipient's inbox: disseminations to the user's unit."""

    state = django_filters.ChoiceFilter(
        label="Accusé de réception",
        choices=[("pending", "À accuser"), ("acknowledged", "Accusées")],
        method="filter_state",
    )
    theme = django_filters.ChoiceFilter(label="Thème", choices=THEMES, method="filter_theme")

    class Meta:
        model = Dissemination
        fields = []

    def filter_state(self, qs, name, value):
        return qs.filter(acknowledged_at__isnull=(value == "pending"))

    def filter_theme(self, qs, name, value):
        return qs.filter(
            report_id__in=InformationReport.themes.through.objects.filter(theme__code=value).values(
                "informationreport_id"
            )
        )
