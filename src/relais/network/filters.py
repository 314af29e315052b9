"""The lists of the network, shared by the pages, their exports and the API: what each list
holds (a queryset that starts from `visible_to(user)` with what it shows, in a fixed number of
queries) and one FilterSet per list.

Query parameters are the same in the browser and the API:
- taskings: `q`, `kind`, `status`, `post` (unit code, e.g. SSI-MADRID), `zone` (code), `year`
  (of the due date), `late` (true: at least one answer late);
- answers: `tasking` (id), `post`, `answered` (true/false), `late` (true);
- annual reports: `q`, `year`, `status`, `post`, `zone`.
"""

import django_filters
from django.db.models import F, Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from relais.core.kit import DsfrFilterSet
from relais.network.models import PostAnnualReport, Tasking, TaskingKind, TaskingRecipient
from relais.network.workflows import ReportStatus, TaskingStatus
from relais.referential.models import Post, Zone

BOOLEAN_CHOICES = (("true", "Oui"), ("false", "Non"))


def taskings_for(user, today=None):
    """The taskings `user` may see, with their progress over the answers they may see."""
    return Tasking.objects.visible_to(user).with_related().with_progress(user, today)


def answers_for(user):
    return TaskingRecipient.objects.visible_to(user).with_related()


def reports_for(user):
    return PostAnnualReport.objects.visible_to(user).with_related()


def _zones(request):
    return Zone.objects.visible_to(getattr(request, "user", None))


def post_choices():
    """(unit code, « SSI <city> ») of every post: the codes the API and the page accept."""
    return [
        (code, f"SSI {city}")
        for code, city in Post.objects.order_by("city").values_list("unit__code", "city")
    ]


@extend_schema_field(OpenApiTypes.STR)
class PostCodeFilter(django_filters.ChoiceFilter):
    """A post by its unit code (SSI-MADRID)."""


@extend_schema_field(OpenApiTypes.STR)
class ZoneCodeFilter(django_filters.ModelChoiceFilter):
    """A zone by its code (europe)."""


def _post_filter(**kwargs):
    kwargs.setdefault("field_name", "post__unit__code")
    return PostCodeFilter(
        choices=post_choices,
        label="Poste",
        empty_label="Tous",
        help_text="Code du poste, ex. SSI-MADRID.",
        **kwargs,
    )


def _zone_filter(**kwargs):
    return ZoneCodeFilter(
        queryset=_zones,
        to_field_name="code",
        label="Zone",
        empty_label="Toutes",
        **kwargs,
    )


class UpperCodesMixin:
    """Post codes are accepted in any case (`?post=ssi-madrid`)."""

    upper_fields = ("post",)

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and any(data.get(k) for k in self.upper_fields):
            data = data.copy()
            for key in self.upper_fields:
                if data.get(key):
                    data[key] = data[key].strip().upper()
        super().__init__(data, *args, **kwargs)


class TaskingFilterSet(UpperCodesMixin, DsfrFilterSet):
    q = django_filters.CharFilter(method="search", label="Recherche")
    kind = django_filters.ChoiceFilter(
        choices=TaskingKind.choices, label="Nature", empty_label="Toutes"
    )
    status = django_filters.ChoiceFilter(
        choices=TaskingStatus.choices, label="État", empty_label="Tous"
    )
    post = _post_filter(method="filter_post")
    zone = _zone_filter(method="filter_zone")
    year = django_filters.NumberFilter(
        field_name="due_on", lookup_expr="year", label="Année de l'échéance", min_value=2000
    )
    late = django_filters.ChoiceFilter(
        choices=BOOLEAN_CHOICES,
        method="filter_late",
        label="Réponses en retard",
        empty_label="Peu importe",
    )
    awaiting = django_filters.ChoiceFilter(
        choices=BOOLEAN_CHOICES,
        method="filter_awaiting",
        label="Réponses attendues",
        empty_label="Peu importe",
    )

    class Meta:
        model = Tasking
        fields = ["q", "kind", "status", "post", "zone", "year", "late", "awaiting"]

    def filter_awaiting(self, queryset, name, value):
        # Sent and not answered by every post the user sees (an attaché: their own post).
        awaiting = Q(status=TaskingStatus.SENT, recipient_count__gt=F("answered_count"))
        return queryset.filter(awaiting) if value == "true" else queryset.exclude(awaiting)

    def filter_post(self, queryset, name, code: str):
        return queryset.filter(
            pk__in=TaskingRecipient.objects.filter(post__unit__code=code).values("tasking_id")
        )

    def filter_zone(self, queryset, name, zone: Zone):
        return queryset.filter(
            pk__in=TaskingRecipient.objects.filter(post__host_country__zone=zone).values(
                "tasking_id"
            )
        )

    def filter_late(self, queryset, name, value):
        # `late_count` only counts the answers the user may see (with_progress).
        if value == "true":
            return queryset.filter(late_count__gt=0)
        return queryset.filter(late_count=0)

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value))


class AnswerFilterSet(UpperCodesMixin, DsfrFilterSet):
    tasking = django_filters.NumberFilter(field_name="tasking_id", label="Sollicitation")
    post = _post_filter()
    answered = django_filters.ChoiceFilter(
        choices=BOOLEAN_CHOICES, method="filter_answered", label="Réponse transmise"
    )
    late = django_filters.ChoiceFilter(
        choices=BOOLEAN_CHOICES, method="filter_late", label="En retard"
    )

    class Meta:
        model = TaskingRecipient
        fields = ["tasking", "post", "answered", "late"]

    def filter_answered(self, queryset, name, value):
        return queryset.filter(answered_on__isnull=value != "true")

    def filter_late(self, queryset, name, value):
        late = TaskingRecipient.objects.late(timezone.localdate()).values("pk")
        if value == "true":
            return queryset.filter(pk__in=late)
        return queryset.exclude(pk__in=late)


class ReportFilterSet(UpperCodesMixin, DsfrFilterSet):
    q = django_filters.CharFilter(method="search", label="Recherche")
    year = django_filters.NumberFilter(label="Année", min_value=2000)
    status = django_filters.ChoiceFilter(
        choices=ReportStatus.choices, label="État", empty_label="Tous"
    )
    post = _post_filter()
    zone = _zone_filter(field_name="post__host_country__zone")

    class Meta:
        model = PostAnnualReport
        fields = ["q", "year", "status", "post", "zone"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(context__icontains=value)
            | Q(cooperation_summary__icontains=value)
            | Q(priorities__icontains=value)
            | Q(post__city__icontains=value)
        )
