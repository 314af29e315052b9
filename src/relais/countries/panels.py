"""The two registries of the country sheet: panels (the *fiche pays*) and counts (the world page).

An app contributes to the country sheet without `countries` knowing it: it writes a module
`<app>/panels.py`, which `CountriesConfig.ready()` imports for every installed app, and registers
there.

    from relais.countries.panels import CountryCount, Panel, register, register_count

    def build_agreements(country, user):
        agreements = Agreement.objects.visible_to(user).filter(country=country)
        if not agreements:
            return None                    # nothing to show: the panel is hidden
        return {"count": len(agreements), "items": [{"label": str(a), "url": ...} ...]}

    register(Panel("agreements", "Accords", 40, build_agreements))
    register_count(CountryCount("agreements", "Accords", lambda user: dict(
        Agreement.objects.visible_to(user).values_list("country").annotate(n=Count("pk"))
    )))

Rules a panel follows (the sheet's query budget and visibility depend on them):
- every query in `build` starts from `Model.objects.visible_to(user)`;
- `build` runs a fixed number of queries whatever the data volume (select/prefetch related);
- `build` returns a dict (the panel's template context, under `data`) or None to hide the panel;
- the dict may carry `count` (an int: what the panel counts, drawn in the sheet's chart) and
  `marking` (the highest protection marking among the records shown);
- the API returns `serialize(data)` when the panel gives one, else `data` itself, which must then
  be JSON-serialisable (strings, numbers, booleans, lists and dicts).

A count (`CountryCount`) answers, in ONE grouped query, `{country_id: number}` for the rows the
user may see; the world overview adds one column per registered count.
"""

from collections.abc import Callable
from dataclasses import dataclass

from relais.core.markings import MARKING_LEVEL, Marking

#: The template a panel uses when it names none: a list of `items` ({label, url, detail}).
DEFAULT_TEMPLATE = "countries/panels/generic.html"


@dataclass(frozen=True)
class Panel:
    """A section of the country sheet, contributed by an app."""

    key: str
    title: str
    order: int
    #: build(country, user) -> dict | None (None hides the panel).
    build: Callable
    template: str = DEFAULT_TEMPLATE
    #: serialize(data) -> JSON-serialisable dict for the API; None: `data` is returned as is.
    serialize: Callable | None = None
    #: Article 1 letters the panel serves (shown as a hint).
    letters: str = ""

    def to_json(self, data: dict) -> dict:
        return self.serialize(data) if self.serialize else data


@dataclass(frozen=True)
class CountryCount:
    """A column of the world overview: `count_by_country(user) -> {country_id: int}`."""

    key: str
    label: str
    #: count_by_country(user) -> dict[country_id, int], in ONE grouped query.
    count_by_country: Callable
    order: int = 100


@dataclass(frozen=True)
class BuiltPanel:
    """A panel with the data it built for one country and one user."""

    panel: Panel
    data: dict

    @property
    def key(self) -> str:
        return self.panel.key

    @property
    def title(self) -> str:
        return self.panel.title

    @property
    def count(self) -> int | None:
        value = self.data.get("count")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def marking(self) -> str:
        return self.data.get("marking") or Marking.NON_PROTEGE

    def to_json(self) -> dict:
        return {
            "key": self.panel.key,
            "title": self.panel.title,
            "order": self.panel.order,
            "count": self.count,
            "data": self.panel.to_json(self.data),
        }


_panels: dict[str, Panel] = {}
_counts: dict[str, CountryCount] = {}


def register(panel: Panel) -> Panel:
    """Add (or replace, by key) a panel of the country sheet."""
    _panels[panel.key] = panel
    return panel


def unregister(key: str) -> None:
    _panels.pop(key, None)


def register_count(count: CountryCount) -> CountryCount:
    """Add (or replace, by key) a count column of the world overview."""
    _counts[count.key] = count
    return count


def unregister_count(key: str) -> None:
    _counts.pop(key, None)


def registered_panels() -> list[Panel]:
    return sorted(_panels.values(), key=lambda p: (p.order, p.key))


def registered_counts() -> list[CountryCount]:
    return sorted(_counts.values(), key=lambda c: (c.order, c.key))


def build_panels(country, user) -> list[BuiltPanel]:
    """The panels of `country` for `user`, in order; panels that return None are left out."""
    built = []
    for panel in registered_panels():
        data = panel.build(country, user)
        if data is not None:
            built.append(BuiltPanel(panel, data))
    return built


def count_all(user) -> dict[str, dict]:
    """Every registered count for `user`: {count key: {country_id: int}} (one query each)."""
    return {count.key: count.count_by_country(user) for count in registered_counts()}


def highest_marking(markings) -> str:
    """The most sensitive of `markings` (non protégé when empty)."""
    return max(
        (m for m in markings if m in MARKING_LEVEL),
        key=lambda m: MARKING_LEVEL[m],
        default=Marking.NON_PROTEGE,
    )
