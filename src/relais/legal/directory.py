"""Who a request is for: names and unit codes resolved to the directorate the article names.

The competence assessment is a pure function; what it knows of the organisation comes in a
`Directory`, a small immutable snapshot of the organisation tree (referential `Unit`), of the
partner bodies, and of the names the article file adds (aliases, former names, bodies outside
the ministry). Callers that have a database build it with `current_directory()` (cached, rebuilt
when the tree or the partner bodies change); without one, `article_directory()` knows what the
article file alone says.

    directory = current_directory()
    place = directory.resolve("Office anti-stupéfiants")
    place.code, place.directorate, place.scope     # ('OFAST', 'DGPN', Scope.NAMED)
    directory.suggest("DGPNN")                     # ('Direction générale de la police nationale (DGPN)', …)

Names are compared without case, accents or a leading article (« la », « le », « l' »).
"""

import difflib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from types import MappingProxyType

from relais.legal.article import Article, load_article, normalize


class Scope(StrEnum):
    """Where the beneficiary stands with respect to the article."""

    NAMED = "named"  # a directorate the article names (DGPN, DGGN, SG…), or one of its units
    MINISTRY = "ministry"  # another unit of the ministry of the interior, or the ministry itself
    OUTSIDE = "outside"  # a body outside the ministry
    UNKNOWN = "unknown"  # not recognised, and the caller did not say


@dataclass(frozen=True)
class Place:
    """A unit or body a name resolves to."""

    code: str
    name: str
    short_name: str = ""
    scope: Scope = Scope.UNKNOWN
    #: The directorate the article names that this unit belongs to (itself, or an ancestor).
    directorate: str = ""
    #: Short names from this unit up to its directorate (or to the root): ("OFAST", "DCPJ", "DGPN").
    chain: tuple[str, ...] = ()
    intelligence: bool = False
    #: The ministry of the interior itself (not one of its directorates).
    is_ministry: bool = False

    @property
    def label(self) -> str:
        if self.short_name and normalize(self.short_name) != normalize(self.name):
            return f"{self.name} ({self.short_name})"
        return self.name

    @property
    def is_directorate(self) -> bool:
        """The directorate the article names itself, not one of its services."""
        return bool(self.directorate) and self.code == self.directorate


@dataclass(frozen=True)
class UnitRow:
    """One unit of the organisation tree, as the builder reads it."""

    code: str
    name: str
    short_name: str = ""
    parent: str = ""
    beneficiary: str = ""
    intelligence: bool = False


_ARTICLES = ("la ", "le ", "les ", "l'", "l ")


def _key(text: str) -> str:
    key = normalize(text)
    for article in _ARTICLES:
        if key.startswith(article):
            return key[len(article) :].strip()
    return key


@dataclass(frozen=True)
class Directory:
    """An immutable name → place index (build it with `directory_from`)."""

    places: tuple[Place, ...]
    index: MappingProxyType

    def resolve(self, text: str) -> Place | None:
        """The place `text` names (a unit code, short name, name or alias), or None."""
        found = self.index.get(_key(text))
        return self.places[found] if found is not None else None

    def suggest(self, text: str, limit: int = 5) -> tuple[str, ...]:
        """The labels of the places whose names are closest to `text` (for « undetermined »)."""
        wanted = _key(text)
        if not wanted:
            return ()
        keys = list(self.index)
        close = difflib.get_close_matches(wanted, keys, n=limit * 3, cutoff=0.6)
        containing = [k for k in keys if len(wanted) >= 3 and (wanted in k or k in wanted)]
        containing.sort(key=lambda k: abs(len(k) - len(wanted)))
        labels = [self.places[self.index[k]].label for k in (*close, *containing)]
        return tuple(dict.fromkeys(labels))[:limit]

    def names(self) -> tuple[str, ...]:
        """Every place's label, in the directory's order (for a datalist)."""
        return tuple(p.label for p in self.places)


def _add(index: dict, places: list, place: Place, names) -> None:
    position = len(places)
    places.append(place)
    for name in names:
        key = _key(name)
        if key and key not in index:
            index[key] = position


def _tree_places(article: Article, units) -> list[tuple[Place, tuple[str, ...]]]:
    by_code = {u.code: u for u in units}
    named = set(article.beneficiary_codes)
    result = []
    for unit in units:
        line, seen, current = [], set(), unit
        while current is not None and current.code not in seen:
            seen.add(current.code)
            line.append(current)
            current = by_code.get(current.parent)
        directorate = next((u.beneficiary for u in line if u.beneficiary in named), "")
        root = line[-1].code
        if directorate:
            scope = Scope.NAMED
            upto = next(i for i, u in enumerate(line) if u.beneficiary == directorate)
            chain = line[: upto + 1]
        else:
            scope = Scope.MINISTRY if root == article.ministry_code else Scope.OUTSIDE
            chain = line
        place = Place(
            code=unit.code,
            name=unit.name,
            short_name=unit.short_name,
            scope=scope,
            directorate=directorate,
            chain=tuple(u.short_name or u.code for u in chain),
            intelligence=any(u.intelligence for u in line),
            is_ministry=unit.code == article.ministry_code,
        )
        aliases = dict(article.unit_aliases).get(unit.code, ())
        if unit.beneficiary in named and unit.code == unit.beneficiary:
            aliases = (*aliases, *article.beneficiary(unit.code).aliases)
        if place.is_ministry:
            aliases = (*aliases, article.ministry_label, *article.ministry_aliases)
        names = (unit.code, unit.short_name, unit.name, place.label, *aliases)
        result.append((place, names))
    return result


def directory_from(article: Article, units=(), partners=()) -> Directory:
    """Build a directory: the tree's units first (`UnitRow`s, parents before or after their
    children), then what the article file names, then partner bodies ((name, acronym) pairs).
    A name already taken keeps its first place."""
    index: dict[str, int] = {}
    places: list[Place] = []
    for place, names in _tree_places(article, list(units)):
        _add(index, places, place, names)
    for item in article.beneficiaries:
        place = Place(item.code, item.label, item.code, Scope.NAMED, item.code, (item.code,))
        _add(index, places, place, (item.code, item.label, place.label, *item.aliases))
    ministry = Place(
        article.ministry_code, article.ministry_label, scope=Scope.MINISTRY, is_ministry=True
    )
    _add(index, places, ministry, (article.ministry_label, *article.ministry_aliases))
    for scope, items in (
        (Scope.MINISTRY, article.ministry_units),
        (Scope.OUTSIDE, article.outside_units),
    ):
        for item in items:
            in_named = scope == Scope.MINISTRY and item.directorate
            place = Place(
                code=item.code,
                name=item.label,
                short_name=item.code,
                scope=Scope.NAMED if in_named else scope,
                directorate=item.directorate,
                chain=(item.code, item.directorate) if in_named else (item.code,),
                intelligence=item.intelligence,
            )
            _add(index, places, place, (item.code, item.label, place.label, *item.aliases))
    for name, acronym in partners:
        place = Place(acronym or name, name, acronym, Scope.OUTSIDE, chain=(acronym or name,))
        _add(index, places, place, (name, acronym, place.label))
    # Only the places some name reaches (a duplicate that lost all its names is dropped).
    reached = sorted(set(index.values()))
    renumber = {old: new for new, old in enumerate(reached)}
    return Directory(
        places=tuple(places[i] for i in reached),
        index=MappingProxyType({k: renumber[v] for k, v in index.items()}),
    )


def article_directory(article: Article | None = None) -> Directory:
    """What the article file alone knows (no database): the named directorates, the ministry,
    the units and bodies it lists (cached for the article file itself)."""
    if article is None or article is load_article():
        return _file_directory()
    return directory_from(article)


@cache
def _file_directory() -> Directory:
    return directory_from(load_article())


def _stamp() -> tuple:
    from django.db.models import Count, Max

    from relais.referential.models import PartnerBody, Unit

    aggregates = {"n": Count("id"), "last": Max("id"), "changed": Max("updated_at")}
    return (
        tuple(Unit.objects.aggregate(**aggregates).values()),
        tuple(PartnerBody.objects.aggregate(**aggregates).values()),
    )


@lru_cache(maxsize=1)
def _directory_at(stamp: tuple, version: str) -> Directory:
    from relais.referential.models import PartnerBody, Unit

    units = [
        UnitRow(code, name, short_name, parent or "", beneficiary, intelligence)
        for code, name, short_name, parent, beneficiary, intelligence in Unit.objects.values_list(
            "code", "name", "short_name", "parent__code", "beneficiary", "is_intelligence"
        ).order_by("path")
    ]
    partners = list(PartnerBody.objects.values_list("name", "acronym").order_by("name"))
    return directory_from(load_article(), units, partners)


def current_directory() -> Directory:
    """The directory of the organisation as the database holds it (two small queries to see
    whether it changed; rebuilt only when it did)."""
    return _directory_at(_stamp(), load_article().version)
