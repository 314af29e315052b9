"""The one FilterSet of the audit trail, shared by the "Audit" page and `GET /api/v1/audit/events/`."""

import datetime

import django_filters
from django import forms
from django.apps import apps
from django.utils import timezone
from django.utils.text import capfirst

from relais.core.audit.models import Action, AuditEvent


def model_choices() -> list[tuple[str, str]]:
    """Kinds of record that can appear in the trail: business records and user accounts."""
    from relais.core.models import Record

    choices = {
        m._meta.label_lower: capfirst(str(m._meta.verbose_name))
        for m in apps.get_models()
        if issubclass(m, Record) or m._meta.app_label == "accounts"
    }
    return sorted(choices.items(), key=lambda item: item[1])


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class AuditEventFilterSet(django_filters.FilterSet):
    """Filters by user, record (kind and number, or text), date range and action."""

    actor = django_filters.CharFilter(
        field_name="actor_username",
        lookup_expr="icontains",
        label="Utilisateur",
        help_text="Identifiant, ou une partie.",
    )
    model = django_filters.ChoiceFilter(
        choices=model_choices, label="Type d'enregistrement", empty_label="Tous"
    )
    object_id = django_filters.CharFilter(
        field_name="object_id", label="Numéro de l'enregistrement"
    )
    q = django_filters.CharFilter(
        field_name="object_repr",
        lookup_expr="icontains",
        label="Enregistrement",
        help_text="Une partie de son nom.",
    )
    start = django_filters.DateFilter(
        method="filter_start",
        label="Du",
        help_text="Format : jj/mm/aaaa.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = django_filters.DateFilter(
        method="filter_end",
        label="Au",
        help_text="Format : jj/mm/aaaa.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    action = django_filters.ChoiceFilter(
        choices=Action.choices, label="Action", empty_label="Toutes"
    )

    class Meta:
        model = AuditEvent
        fields = ["actor", "model", "object_id", "q", "start", "end", "action"]

    def filter_start(self, queryset, name, value):
        return queryset.filter(timestamp__gte=_day_start(value))

    def filter_end(self, queryset, name, value):
        return queryset.filter(timestamp__lt=_day_start(value + datetime.timedelta(days=1)))
