"""The home page of each role: sections that apps register (links and counts for now).

    from relais.core.home import HomeSection, register
    register(HomeSection("Accords en vigueur", lambda user: [...], roles={"pilotage"}, order=10))

A section's `items(user)` returns a list of `HomeItem` (label, url, count or None, description).

A tile that counts the rows of a list is built with `list_tile`: it declares the list (URL name),
the list's FilterSet, the list's base queryset for the user and the filter parameters; the count
is the FilterSet's result on those parameters and the link carries the same parameters, so the
number on the tile is the total the list shows (tested for every tile of every demo role).
"""

from dataclasses import dataclass, field

from django.http import QueryDict
from django.urls import reverse


@dataclass(frozen=True)
class HomeItem:
    label: str
    url: str
    count: int | None = None
    description: str = ""


@dataclass(frozen=True)
class HomeSection:
    title: str
    items: object  # callable(user) -> list[HomeItem]
    roles: frozenset = field(default_factory=frozenset)  # empty: every role
    order: int = 100


_sections: list[HomeSection] = []


def register(section: HomeSection) -> None:
    if all(s.title != section.title for s in _sections):
        _sections.append(section)
        _sections.sort(key=lambda s: (s.order, s.title))


def sections_for(user) -> list[tuple[HomeSection, list[HomeItem]]]:
    result = []
    for section in _sections:
        if section.roles and user.role not in section.roles:
            continue
        items = section.items(user)
        if items:
            result.append((section, items))
    return result


def list_tile(
    label: str,
    url_name: str,
    *,
    filterset,
    queryset,
    params: dict | None = None,
    description: str = "",
    **filterset_kwargs,
) -> HomeItem:
    """A tile counting what the list `url_name` shows with `params` (same FilterSet, same base
    queryset as the list view): the count and the link cannot diverge."""
    data = QueryDict(mutable=True)
    for key, value in (params or {}).items():
        data.setlist(key, value if isinstance(value, list | tuple) else [str(value)])
    bound = filterset(data or None, queryset=queryset, **filterset_kwargs)
    if bound.is_bound and not bound.is_valid():
        raise ValueError(f"Tuile « {label} » : filtres invalides {dict(bound.errors)}")
    url = reverse(url_name) + (f"?{data.urlencode()}" if data else "")
    return HomeItem(label, url, bound.qs.count(), description)
