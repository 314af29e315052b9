"""Filters of the world overview (shared by the page and its CSV/XLSX export)."""

import django_filters
from django.db.models import Q

from relais.referential.models import Country, Zone


def visible_zones(request):
    user = getattr(request, "user", None)
    return Zone.objects.visible_to(user)


class CountryOverviewFilter(django_filters.FilterSet):
    """Countries by zone and by a text found in their name or code."""

    q = django_filters.CharFilter(label="Pays", method="filter_text")
    zone = django_filters.ModelChoiceFilter(
        label="Zone",
        queryset=visible_zones,
        to_field_name="code",
        empty_label="Toutes les zones",
    )

    class Meta:
        model = Country
        fields = ["q", "zone"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(official_name__icontains=value)
            | Q(code__iexact=value)
            | Q(code3__iexact=value)
        )
