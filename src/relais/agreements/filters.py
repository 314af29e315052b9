"""The list of agreements, shared by the page, its exports and the API: what it holds (a
queryset that starts from `visible_to(user)`) and one FilterSet.

Query parameters are the same in the browser and the API: `kind`, `status`, `phase`
(`negotiating`: initiative to stabilised text; `pending`: signed, not yet in force), `country` (ISO
alpha-2), `directorate` (beneficiary code: DGPN, DGGN…), `domain` (code), `in_force_on`
(AAAA-MM-JJ) and `q` (title, reference).
"""

import django_filters
from django import forms
from django.db.models import Q

from relais.agreements.models import Agreement, AgreementKind, Domain
from relais.agreements.workflows import BEFORE_SIGNATURE, AgreementStatus
from relais.core.kit import DsfrFilterSet
from relais.referential.models import Beneficiary, Country


def agreements_for(user):
    """The agreements `user` may see, with what lists show (fixed number of queries)."""
    return Agreement.objects.visible_to(user).with_related()


def _countries(request):
    return Country.objects.visible_to(getattr(request, "user", None))


def _domains(request):
    return Domain.objects.visible_to(getattr(request, "user", None))


#: Groups of states the home page counts (« en négociation », « signés, en attente… »).
PHASES = [
    ("negotiating", "En négociation (de l'initiative au texte stabilisé)"),
    ("pending", "Signés, en attente d'entrée en vigueur"),
]
PHASE_STATES = {
    "negotiating": BEFORE_SIGNATURE,
    "pending": (AgreementStatus.SIGNED, AgreementStatus.APPROVAL),
}


class AgreementFilterSet(DsfrFilterSet):
    q = django_filters.CharFilter(method="search", label="Recherche")
    kind = django_filters.ChoiceFilter(
        choices=AgreementKind.choices, label="Nature", empty_label="Toutes"
    )
    status = django_filters.ChoiceFilter(
        choices=AgreementStatus.choices, label="État", empty_label="Tous"
    )
    phase = django_filters.ChoiceFilter(
        choices=PHASES, method="filter_phase", label="Étape", empty_label="Toutes"
    )
    # One value of a many-to-many: one join, no duplicated rows (no DISTINCT needed).
    country = django_filters.ModelChoiceFilter(
        queryset=_countries,
        to_field_name="code",
        field_name="countries",
        label="Pays partenaire",
        empty_label="Tous",
    )
    # A plain string for the API schema; the form field checks the code (see __init__).
    directorate = django_filters.CharFilter(
        method="filter_directorate", label="Direction bénéficiaire"
    )
    domain = django_filters.ModelChoiceFilter(
        queryset=_domains,
        to_field_name="code",
        field_name="domains",
        label="Domaine",
        empty_label="Tous",
    )
    in_force_on = django_filters.DateFilter(
        method="filter_in_force_on",
        label="En vigueur le",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Agreement
        fields = ["q", "kind", "status", "phase", "country", "directorate", "domain", "in_force_on"]

    def filter_phase(self, queryset, name, value):
        return queryset.filter(status__in=PHASE_STATES[value])

    def __init__(self, data=None, *args, **kwargs):
        # ISO and beneficiary codes are accepted in any case (`?country=dz&directorate=dgpn`).
        if data is not None and any(data.get(k) for k in ("country", "directorate")):
            data = data.copy()
            for key in ("country", "directorate"):
                if data.get(key):
                    data[key] = data[key].strip().upper()
        super().__init__(data, *args, **kwargs)
        self.form.fields["directorate"] = forms.ChoiceField(
            choices=[("", "Toutes"), *Beneficiary.choices],
            required=False,
            label="Direction bénéficiaire",
            widget=forms.Select(attrs={"class": "fr-select"}),
        )

    def filter_directorate(self, queryset, name, code: str):
        """Negotiated for the directorate whose article 1 code is `code` (DGPN, DGGN…)."""
        units = Agreement.objects.filter(directorates__beneficiary=code).values("pk")
        return queryset.filter(pk__in=units)

    def filter_in_force_on(self, queryset, name, day):
        return queryset.in_force_on(day)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(reference__icontains=value)
            | Q(signed_place__icontains=value)
        )
