"""The lists of missions b to g, shared by the pages, their exports and the API: what they hold
(a queryset that starts from `visible_to(user)`) and one FilterSet per list.

Query parameters are the same in the browser and the API: `year`, `country` (ISO alpha-2),
`zone` (code), `directorate` (beneficiary code: DGPN, DGGN…; the directorate and its services),
`kind`, `domain` (code), `status`, `funder` (id of the funding body), `letter` (`preamble-1`,
`preamble-2`, `b`…`g`), `programme` (id), `post` (unit code, e.g. SSI-BAMAKO) and `q` (title,
objectives).
"""

import django_filters
from django.db.models import Q

from relais.cooperation.models import (
    ActionKind,
    CooperationAction,
    Domain,
    Funding,
    FundingInstrument,
    FundingStatus,
    OtherDonorActivity,
    Programme,
)
from relais.cooperation.workflows import ActionStatus, ProgrammeStatus
from relais.core.kit import DsfrFilterSet
from relais.referential.models import (
    Beneficiary,
    Country,
    PartnerBody,
    PartnerKind,
    Unit,
    UnitKind,
    Zone,
)


def actions_for(user):
    """The actions `user` may see, with what lists show (fixed number of queries)."""
    return CooperationAction.objects.visible_to(user).with_related()


def programmes_for(user):
    return Programme.objects.visible_to(user).with_related()


def _countries(request):
    return Country.objects.visible_to(getattr(request, "user", None))


def _zones(request):
    return Zone.objects.visible_to(getattr(request, "user", None))


def _domains(request):
    return Domain.objects.visible_to(getattr(request, "user", None))


def _funders(request):
    return PartnerBody.objects.visible_to(getattr(request, "user", None)).filter(
        kind__in=[PartnerKind.FUNDER, PartnerKind.OPERATOR]
    )


def _uppercase(data, keys):
    if data is not None and any(data.get(k) for k in keys):
        data = data.copy()
        for key in keys:
            if data.get(key):
                data[key] = data[key].strip().upper()
    return data


def _year_filter(field_name="year"):
    return django_filters.NumberFilter(field_name=field_name, label="Année")


#: The parts of the article an action may rest on, as the filter offers them.
LETTER_CHOICES = [
    ("preamble-1", "article 1, premier alinéa"),
    ("preamble-2", "article 1, deuxième alinéa"),
    *((c, f"article 1, {c})") for c in ("b", "c", "d", "e", "f", "g")),
]


class ActionFilterSet(DsfrFilterSet):
    year = _year_filter()
    q = django_filters.CharFilter(method="search", label="Recherche")
    country = django_filters.ModelChoiceFilter(
        queryset=_countries, to_field_name="code", label="Pays partenaire", empty_label="Tous"
    )
    zone = django_filters.ModelChoiceFilter(
        queryset=_zones,
        to_field_name="code",
        field_name="country__zone",
        label="Zone",
        empty_label="Toutes",
    )
    directorate = django_filters.ChoiceFilter(
        choices=Beneficiary.choices,
        method="filter_directorate",
        label="Direction bénéficiaire",
        empty_label="Toutes",
    )
    kind = django_filters.ChoiceFilter(
        choices=ActionKind.choices, label="Nature", empty_label="Toutes"
    )
    domain = django_filters.ModelChoiceFilter(
        queryset=_domains, to_field_name="code", label="Domaine", empty_label="Tous"
    )
    status = django_filters.ChoiceFilter(
        choices=ActionStatus.choices, label="État", empty_label="Tous"
    )
    funder = django_filters.ModelChoiceFilter(
        queryset=_funders,
        field_name="fundings__funder",
        method="filter_funder",
        label="Financeur",
        empty_label="Tous",
    )
    letter = django_filters.ChoiceFilter(
        choices=LETTER_CHOICES,
        method="filter_letter",
        label="Fondement",
        empty_label="Tous",
    )
    programme = django_filters.NumberFilter(field_name="programme_id", label="Programme (n°)")
    post = django_filters.CharFilter(field_name="post__unit__code", label="Poste (code)")

    class Meta:
        model = CooperationAction
        fields = [
            "q",
            "year",
            "country",
            "zone",
            "directorate",
            "kind",
            "domain",
            "status",
            "funder",
            "letter",
            "programme",
            "post",
        ]

    def __init__(self, data=None, *args, **kwargs):
        # ISO and beneficiary codes are accepted in any case (`?country=ml&directorate=dgpn`).
        super().__init__(_uppercase(data, ("country", "directorate", "post")), *args, **kwargs)

    def filter_funder(self, queryset, name, funder):
        # A subquery of primary keys: no duplicated rows, no DISTINCT on the list.
        lines = Funding.objects.filter(funder=funder, action__isnull=False)
        return queryset.filter(pk__in=lines.values("action_id"))

    def filter_directorate(self, queryset, name, code):
        """The actions of the directorate named by the article and of its services (an action
        for the DLPAJ is listed under the SG)."""
        directorate = Unit.objects.filter(kind=UnitKind.DIRECTORATE, beneficiary=code).first()
        return queryset.for_directorate(directorate) if directorate else queryset.none()

    def filter_letter(self, queryset, name, letter):
        through = CooperationAction.missions.through.objects.filter(mission__code=letter)
        return queryset.filter(pk__in=through.values("cooperationaction_id"))

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(objectives__icontains=value))


class ProgrammeFilterSet(DsfrFilterSet):
    year = _year_filter()
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Recherche")
    country = django_filters.ModelChoiceFilter(
        queryset=_countries, to_field_name="code", label="Pays", empty_label="Tous"
    )
    zone = django_filters.ModelChoiceFilter(
        queryset=_zones,
        to_field_name="code",
        method="filter_zone",
        label="Zone",
        empty_label="Toutes",
    )
    theme = django_filters.ModelChoiceFilter(
        queryset=_domains, to_field_name="code", label="Thème", empty_label="Tous"
    )
    status = django_filters.ChoiceFilter(
        choices=ProgrammeStatus.choices, label="État", empty_label="Tous"
    )

    class Meta:
        model = Programme
        fields = ["q", "year", "country", "zone", "theme", "status"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(_uppercase(data, ("country",)), *args, **kwargs)

    def filter_zone(self, queryset, name, zone):
        return queryset.filter(Q(zone=zone) | Q(country__zone=zone))


# --- Other donors and funding lines (API lists) -------------------------------------------------


class OtherDonorFilterSet(DsfrFilterSet):
    """The page « Autres bailleurs » filters by `country` (ISO alpha-2); `q` searches titles."""

    country = django_filters.CharFilter(method="filter_country", label="Pays bénéficiaire")
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Recherche")

    class Meta:
        model = OtherDonorActivity
        fields = ["country", "q"]

    def filter_country(self, queryset, name, value):
        matches = OtherDonorActivity.objects.filter(countries__code=value.strip().upper())
        return queryset.filter(pk__in=matches.values("pk"))


class FundingFilterSet(DsfrFilterSet):
    """Funding lines of the actions and programmes the user sees."""

    funder = django_filters.ModelChoiceFilter(queryset=_funders, label="Financeur")
    instrument = django_filters.ChoiceFilter(choices=FundingInstrument.choices, label="Instrument")
    status = django_filters.ChoiceFilter(choices=FundingStatus.choices, label="Statut")
    year = django_filters.NumberFilter(method="filter_year", label="Année")
    country = django_filters.CharFilter(method="filter_country", label="Pays (code ISO)")

    class Meta:
        model = Funding
        fields = ["funder", "instrument", "status", "year", "country"]

    def filter_year(self, queryset, name, year):
        return queryset.filter(Q(action__planned_start__year=year) | Q(programme__year=year))

    def filter_country(self, queryset, name, value):
        code = value.strip().upper()
        return queryset.filter(Q(action__country__code=code) | Q(programme__country__code=code))
