"""The main navigation, by mission. Apps register their entries in `AppConfig.ready()`.

from relais.core.navigation import NavEntry, register
register(NavEntry("Accords", "agreements:list", letters="k", order=60))
"""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    letters: str = ""
    order: int = 100
    #: Predicate on the user; None shows the entry to every signed-in user.
    visible: object = None
    children: tuple = field(default_factory=tuple)

    def url(self) -> str:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return "#"


_entries: list[NavEntry] = []


def register(entry: NavEntry) -> None:
    if all(e.url_name != entry.url_name for e in _entries):
        _entries.append(entry)
        _entries.sort(key=lambda e: (e.order, e.label))


def entries_for(user) -> list[NavEntry]:
    return [e for e in _entries if e.visible is None or e.visible(user)]
