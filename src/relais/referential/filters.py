"""The lists of the referential, shared by the pages and the API: what each list holds (a
queryset that starts from `visible_to(user)` and loads its relations in a fixed number of
queries) and one FilterSet per list.

Filters only narrow a queryset that is already scoped.
Choices that point at other records (zones, countries, units) are given by code, so that the same
query string works in the browser (`?zone=europe`) and in the API (`/api/v1/posts/?zone=europe`).
"""

import django_filters
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from relais.core.kit import DsfrFilterSet
from relais.referential.models import (
    Assignment,
    Corps,
    Country,
    Function,
    PartnerBody,
    PartnerKind,
    Person,
    Post,
    Unit,
    UnitKind,
    Zone,
)

# --- What each list holds -------------------------------------------------------------------


def headcount():
    """Annotation: how many people currently hold an assignment in the post's unit.

    The headcount of a post is an attribute of the post, shown to every user; who the people are
    (names, contacts) stays behind `Person.objects.visible_to(user)`.
    """
    staff = (
        Assignment.objects.current()
        .filter(unit=OuterRef("unit"))
        .order_by()
        .values("unit")
        .annotate(n=Count("person", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(staff, output_field=IntegerField()), 0)


def units_for(user):
    return Unit.objects.visible_to(user).select_related("parent", "post")


def posts_for(user):
    return Post.objects.visible_to(user).with_related().annotate(headcount=headcount())


def countries_for(user):
    covering = Post.objects.visible_to(user).select_related("unit").order_by("city")
    return (
        Country.objects.visible_to(user)
        .with_zone()
        .prefetch_related(Prefetch("posts", queryset=covering, to_attr="covering_posts"))
    )


def partners_for(user):
    return PartnerBody.objects.visible_to(user).select_related("country")


def people_for(user):
    current = Assignment.objects.visible_to(user).current().select_related("unit")
    return (
        Person.objects.visible_to(user)
        .with_related()
        .prefetch_related(Prefetch("assignments", queryset=current, to_attr="current_assignments"))
    )


# --- Filters ----------------------------------------------------------------------------------


def _user(request):
    return getattr(request, "user", None)


def _zones(request):
    return Zone.objects.visible_to(_user(request))


def _countries(request):
    return Country.objects.visible_to(_user(request))


def _units(request):
    return Unit.objects.visible_to(_user(request))


def _search_field():
    return django_filters.CharFilter(method="search", label="Recherche")


class UnitFilterSet(DsfrFilterSet):
    q = _search_field()
    kind = django_filters.ChoiceFilter(
        choices=UnitKind.choices, label="Nature", empty_label="Toutes"
    )

    class Meta:
        model = Unit
        fields = ["q", "kind"]

    def search(self, queryset, name, value):
        """Name, short name or code."""
        return queryset.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(code__icontains=value)
        )


class PostFilterSet(DsfrFilterSet):
    q = _search_field()
    zone = django_filters.ModelChoiceFilter(
        queryset=_zones,
        to_field_name="code",
        method="filter_zone",
        label="Zone",
        empty_label="Toutes",
        help_text="Code de la zone, ex. europe.",
    )
    country = django_filters.ModelChoiceFilter(
        queryset=_countries,
        to_field_name="code",
        field_name="countries",
        label="Pays couvert",
        empty_label="Tous",
        help_text="Code ISO alpha-2 d'un pays couvert par le poste, ex. ES.",
    )

    class Meta:
        model = Post
        fields = ["q", "zone", "country"]

    def filter_zone(self, queryset, name, value: Zone):
        """Posts residing in the zone or covering one of its countries."""
        covering = Post.objects.filter(countries__zone=value).values("pk")
        return queryset.filter(Q(host_country__zone=value) | Q(pk__in=covering))

    def search(self, queryset, name, value):
        """City, embassy, unit name or code, or the name of a covered country."""
        covering = Post.objects.filter(countries__name__icontains=value).values("pk")
        return queryset.filter(
            Q(city__icontains=value)
            | Q(embassy__icontains=value)
            | Q(unit__name__icontains=value)
            | Q(unit__code__icontains=value)
            | Q(pk__in=covering)
        )


class CountryFilterSet(DsfrFilterSet):
    q = _search_field()
    covered = django_filters.ChoiceFilter(
        choices=(("true", "Oui"), ("false", "Non")),
        method="filter_covered",
        label="Couvert par un poste",
        empty_label="Peu importe",
    )
    zone = django_filters.ModelChoiceFilter(
        queryset=_zones,
        to_field_name="code",
        label="Zone",
        empty_label="Toutes",
        help_text="Code de la zone, ex. europe.",
    )

    class Meta:
        model = Country
        fields = ["q", "zone", "covered"]

    def filter_covered(self, queryset, name, value):
        covered = Q(pk__in=Post.objects.visible_to(self._user()).values("countries"))
        return queryset.filter(covered) if value == "true" else queryset.exclude(covered)

    def _user(self):
        return getattr(self.request, "user", None)

    def search(self, queryset, name, value):
        """French name, official name or ISO code (alpha-2 or alpha-3)."""
        return queryset.filter(
            Q(name__icontains=value)
            | Q(official_name__icontains=value)
            | Q(code__iexact=value)
            | Q(code3__iexact=value)
        )


class PartnerBodyFilterSet(DsfrFilterSet):
    q = _search_field()
    kind = django_filters.ChoiceFilter(
        choices=PartnerKind.choices, label="Nature", empty_label="Toutes"
    )
    country = django_filters.ModelChoiceFilter(
        queryset=_countries,
        to_field_name="code",
        label="Pays du siège",
        empty_label="Tous",
        help_text="Code ISO alpha-2 du pays du siège, ex. ES.",
    )

    class Meta:
        model = PartnerBody
        fields = ["q", "kind", "country"]

    def search(self, queryset, name, value):
        """Name, acronym or city."""
        return queryset.filter(
            Q(name__icontains=value) | Q(acronym__icontains=value) | Q(city__icontains=value)
        )


class PersonFilterSet(DsfrFilterSet):
    q = _search_field()
    corps = django_filters.ChoiceFilter(choices=Corps.choices, label="Corps", empty_label="Tous")
    unit = django_filters.ModelChoiceFilter(
        queryset=_units,
        to_field_name="code",
        method="filter_unit",
        label="Unité (et unités rattachées)",
        empty_label="Toutes",
        help_text="Code de l'unité, ex. SSI-MADRID ; inclut les unités rattachées.",
    )
    function = django_filters.ChoiceFilter(
        choices=Function.choices,
        method="filter_function",
        label="Fonction actuelle",
        empty_label="Toutes",
    )

    class Meta:
        model = Person
        fields = ["q", "corps", "unit", "function"]

    def filter_unit(self, queryset, name, value: Unit):
        """People of the unit and of every unit under it."""
        return queryset.filter(unit__path__startswith=value.path)

    def filter_function(self, queryset, name, value: str):
        """People holding a current assignment in that function."""
        holders = Assignment.objects.current().filter(function=value).values("person_id")
        return queryset.filter(pk__in=holders)

    def search(self, queryset, name, value):
        """First name, last name, grade or free-text function."""
        return queryset.filter(
            Q(last_name__icontains=value)
            | Q(first_name__icontains=value)
            | Q(grade__icontains=value)
            | Q(function__icontains=value)
        )
