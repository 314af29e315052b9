"""Filters of the missions list (API: /api/v1/legal/missions/?matter=crisis)."""

import django_filters

from relais.legal.article import load_article
from relais.legal.models import Mission


def _kind_choices():
    return [(k.code, k.label) for k in load_article().cooperation_kinds]


def _beneficiary_choices():
    return [(b.code, b.label) for b in load_article().beneficiaries]


def _matter_choices():
    from relais.legal import matters

    return matters.choices()


class MissionFilterSet(django_filters.FilterSet):
    """Missions covering a matter (or a kind of cooperation), or naming a beneficiary."""

    matter = django_filters.ChoiceFilter(
        label="Matière", choices=_matter_choices, method="filter_matter"
    )

    cooperation_kind = django_filters.ChoiceFilter(
        label="Nature de coopération", choices=_kind_choices, method="filter_listed"
    )
    beneficiary = django_filters.ChoiceFilter(
        label="Direction bénéficiaire", choices=_beneficiary_choices, method="filter_listed"
    )

    class Meta:
        model = Mission
        fields = ["matter", "cooperation_kind", "beneficiary"]

    def filter_matter(self, queryset, name: str, value: str):
        from relais.legal import matters

        return queryset.filter(code__in=matters.get(value).letters)

    def filter_listed(self, queryset, name: str, value: str):
        # The codes are stored as JSON lists; a quoted code matches one whole element on every
        # database (JSON `contains` is not available on SQLite).
        field = {"cooperation_kind": "cooperation_kinds", "beneficiary": "beneficiaries"}[name]
        return queryset.filter(**{f"{field}__icontains": f'"{value}"'})
