"""Records per letter: what each module adds to the « L'article 1 » page.

A module registers, in its `AppConfig.ready()`, one count per part of the article it serves:

    from relais.legal import counts
    counts.register(
        "k",
        "Accords de sécurité intérieure",
        lambda user: Agreement.objects.visible_to(user).count(),
        "agreements:list",          # a URL name, or a path ("/accords/?statut=en_vigueur")
    )

`count(user)` must start from `Model.objects.visible_to(user)` (the article page shows each user
what they may see) and run a fixed number of queries. A URL name that does not resolve (the
module's pages are not there yet) shows the count without a link.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from relais.legal.article import load_article


@dataclass(frozen=True)
class LetterCount:
    """One line of the article page: how many records a module holds for a letter."""

    letter: str
    label: str
    count: Callable[[object], int]
    url: str = ""
    order: int = 100

    def href(self) -> str:
        """The link to the records: the path itself, the reversed URL name, or ""."""
        if not self.url or self.url.startswith(("/", "http://", "https://")):
            return self.url
        try:
            return reverse(self.url)
        except NoReverseMatch:
            return ""


@dataclass(frozen=True)
class CountLine:
    """A registered count evaluated for one user (what templates and the API show)."""

    label: str
    count: int
    url: str


_counts: list[LetterCount] = []


def register(letter: str, label: str, count: Callable[[object], int], url: str = "", *, order=100):
    """Add a count to `letter` ("b", "preamble-2"…). Registering the same label twice for the
    same letter keeps the first (AppConfig.ready() may run more than once in tests)."""
    if letter not in load_article().mission_codes:
        raise ValueError(f"Partie de l'article inconnue : {letter!r}")
    entry = LetterCount(letter, label, count, url, order)
    if all((c.letter, c.label) != (letter, label) for c in _counts):
        _counts.append(entry)
        _counts.sort(key=lambda c: (c.order, c.label))
    return entry


def unregister(letter: str, label: str) -> None:
    """Remove a count (for tests)."""
    _counts[:] = [c for c in _counts if (c.letter, c.label) != (letter, label)]


def registered(letter: str | None = None) -> list[LetterCount]:
    return [c for c in _counts if letter is None or c.letter == letter]


def counts_for(user) -> dict[str, list[CountLine]]:
    """Every registered count evaluated for `user`, by letter (letters without counts absent)."""
    result: dict[str, list[CountLine]] = {}
    for entry in _counts:
        result.setdefault(entry.letter, []).append(
            CountLine(entry.label, int(entry.count(user)), entry.href())
        )
    return result
