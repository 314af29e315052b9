"""The home page of each role: sections that apps register (links and counts for now).

    from relais.core.home import HomeSection, register
    register(HomeSection("Accords en vigueur", lambda user: [...], roles={"pilotage"}, order=10))

A section's `items(user)` returns a list of `HomeItem` (label, url, count or None, description).
"""

from dataclasses import dataclass, field


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
