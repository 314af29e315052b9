"""The country sheet and the world overview, assembled from the registries of `panels.py`.

Views, the API and the PDF export call these two functions; neither knows which apps contribute.
"""

import json
import re
from dataclasses import dataclass, field
from functools import cached_property

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.http import Http404
from django.urls import reverse

from relais.core.access import get_visible_or_404
from relais.countries import charts
from relais.countries.filters import CountryOverviewFilter
from relais.countries.panels import (
    BuiltPanel,
    CountryCount,
    build_panels,
    count_all,
    highest_marking,
    registered_counts,
)
from relais.referential.models import Country, Post

_ISO = re.compile(r"[A-Za-z]{2}")


def sheet_url(country) -> str:
    return reverse("countries:sheet", args=[country.code])


def get_country_or_404(user, iso: str) -> Country:
    """The country of ISO alpha-2 code `iso` (any case) if the user may see it, else 404."""
    if not _ISO.fullmatch(iso or ""):
        raise Http404("Code pays inconnu.")
    return get_visible_or_404(Country.objects.with_zone(), user, code=iso.upper())


def _jsonable(value):
    """Dates, decimals and lazy strings become JSON types; a model instance fails loudly."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def country_identity(country) -> dict:
    zone = country.zone
    return {
        "code": country.code,
        "code3": country.code3,
        "numeric": country.numeric,
        "name": country.name,
        "official_name": country.official_name,
        "zone": {"code": zone.code, "name": zone.name} if zone else None,
        "url": sheet_url(country),
    }


@dataclass
class CountrySheet:
    """The *fiche pays* of one country for one user: the registered panels, in order."""

    country: Country
    panels: list[BuiltPanel]

    @property
    def marking(self) -> str:
        """The highest marking among what the panels show (the sheet's banner and PDF)."""
        return highest_marking(p.marking for p in self.panels)

    @property
    def counted_panels(self) -> list[BuiltPanel]:
        return [p for p in self.panels if p.count is not None]

    @cached_property
    def chart(self) -> str:
        return charts.counts_bar(
            f"Nombre d'éléments par rubrique de la fiche {self.country.name}",
            [(p.title, p.count) for p in self.counted_panels],
        )

    def to_json(self) -> dict:
        return {
            "country": country_identity(self.country),
            "marking": self.marking,
            "panels": [_jsonable(p.to_json()) for p in self.panels],
        }


def country_sheet(country, user) -> CountrySheet:
    return CountrySheet(country=country, panels=build_panels(country, user))


# --- World overview --------------------------------------------------------------------------

NO_ZONE = "Sans zone"


@dataclass
class OverviewRow:
    country: Country
    posts: list
    counts: dict[str, int]

    @property
    def zone_name(self) -> str:
        return self.country.zone.name if self.country.zone_id else NO_ZONE

    def counts_in(self, columns: list[CountryCount]) -> list[int]:
        return [self.counts.get(c.key, 0) for c in columns]


@dataclass
class Sort:
    """The order of the overview: `nom` (default), `zone`, or a count key; `-` for descending."""

    key: str = "nom"
    descending: bool = False

    @classmethod
    def parse(cls, value: str, columns: list[CountryCount]) -> "Sort":
        value = (value or "").strip()
        descending = value.startswith("-")
        key = value.lstrip("-")
        allowed = {"nom", "zone"} | {c.key for c in columns}
        if key not in allowed:
            return cls()
        return cls(key=key, descending=descending)

    @property
    def param(self) -> str:
        return f"-{self.key}" if self.descending else self.key


@dataclass
class WorldOverview:
    filterset: CountryOverviewFilter
    columns: list[CountryCount]
    rows: list[OverviewRow]
    sort: Sort
    queryset: object = field(repr=False)

    @property
    def totals(self) -> list[int]:
        return [sum(r.counts.get(c.key, 0) for r in self.rows) for c in self.columns]

    def by_zone(self) -> list[tuple[str, int, int]]:
        """(zone, countries, countries covered by a post) for the rows shown."""
        zones: dict[str, list[int]] = {}
        order: dict[str, tuple] = {}
        for row in self.rows:
            name = row.zone_name
            entry = zones.setdefault(name, [0, 0])
            entry[0] += 1
            entry[1] += 1 if row.posts else 0
            zone = row.country.zone
            order[name] = (zone.order, zone.name) if zone else (10_000, name)
        return [(name, *zones[name]) for name in sorted(zones, key=order.__getitem__)]

    @cached_property
    def chart(self) -> str:
        zones = self.by_zone()
        return charts.grouped_bar(
            "Pays par zone et pays couverts par un poste",
            [name for name, _, _ in zones],
            [
                ("Pays", [n for _, n, _ in zones]),
                ("Pays couverts par un poste", [c for _, _, c in zones]),
            ],
        )

    def ordered_queryset(self):
        """The filtered countries in the order of the rows (what an export must show)."""
        whens = [When(pk=row.country.pk, then=Value(i)) for i, row in enumerate(self.rows)]
        if not whens:
            return self.queryset.none()
        return self.queryset.order_by(Case(*whens, output_field=IntegerField()))


def overview_queryset(user):
    """Countries the user may see, with their zone and the posts (visible to the user) covering
    them: two queries whatever the number of countries."""
    posts = Post.objects.visible_to(user).select_related("unit").order_by("city")
    return (
        Country.objects.visible_to(user)
        .with_zone()
        .prefetch_related(Prefetch("posts", queryset=posts, to_attr="visible_posts"))
        .order_by("name")
    )


def world_overview(user, params, request=None) -> WorldOverview:
    """The overview for `user`, filtered by `params` (zone, q) and sorted by `params["tri"]`."""
    columns = registered_counts()
    filterset = CountryOverviewFilter(params, queryset=overview_queryset(user), request=request)
    queryset = filterset.qs if filterset.is_valid() else overview_queryset(user).none()
    counts = count_all(user)
    rows = [
        OverviewRow(
            country=country,
            posts=country.visible_posts,
            counts={c.key: counts[c.key].get(country.pk, 0) for c in columns},
        )
        for country in queryset
    ]
    sort = Sort.parse(params.get("tri", ""), columns)
    if sort.key == "zone":
        rows.sort(key=lambda r: (r.zone_name, r.country.name), reverse=sort.descending)
    elif sort.key != "nom":
        rows.sort(key=lambda r: r.country.name)
        rows.sort(key=lambda r: r.counts.get(sort.key, 0), reverse=sort.descending)
    elif sort.descending:
        rows.reverse()
    return WorldOverview(
        filterset=filterset, columns=columns, rows=rows, sort=sort, queryset=queryset
    )
