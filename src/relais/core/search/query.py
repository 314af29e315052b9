"""Searching: `search(user, q)` returns results grouped by kind, filtered by `visible_to(user)`.

Cost: one query counts raw matches per model, then one query per kind that has matches. That
query keeps, of the full-text matches, those for which `Model.objects.visible_to(user)` holds
the object (a correlated EXISTS: one primary-key probe per match, instead of listing every
visible row — an analyst sees a million reports), so only rows the user may see are counted and
returned, whatever their number.
"""

from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models.expressions import RawSQL

from relais.core.search.index import normalise
from relais.core.search.models import SearchEntry
from relais.core.search.registry import by_label

#: A query needs at least this many letters or digits.
MIN_QUERY_LENGTH = 2
#: Words beyond this number are ignored.
MAX_TERMS = 8

TOO_SHORT_MESSAGE = f"Saisissez au moins {MIN_QUERY_LENGTH} lettres ou chiffres pour rechercher."


class QueryTooShort(ValueError):
    """The query has fewer than MIN_QUERY_LENGTH letters or digits."""

    def __init__(self):
        super().__init__(TOO_SHORT_MESSAGE)


def terms_of(q: str) -> list[str]:
    """The normalised words of a query (letters and digits only), at most MAX_TERMS."""
    terms = normalise(q).split()[:MAX_TERMS]
    if len("".join(terms)) < MIN_QUERY_LENGTH:
        raise QueryTooShort()
    return terms


@dataclass
class KindResults:
    """The results of one kind: the total the user may see and the first `limit` entries."""

    kind: str
    key: str
    total: int
    entries: list = field(default_factory=list)

    @property
    def truncated(self) -> bool:
        return self.total > len(self.entries)


# --- The two engines ------------------------------------------------------------------------


class SQLiteEngine:
    """FTS5: phrases are ANDed; the last word is a prefix (« madri » finds « Madrid »)."""

    def match(self, terms):
        expression = " ".join(f'"{t}"' for t in terms[:-1]) + f' "{terms[-1]}"*'
        # CROSS JOIN keeps the full-text index as the outer loop (SQLite would otherwise probe
        # it once per entry of the model: seconds at 20,000 entries).
        return (
            "FROM search_searchentry_fts CROSS JOIN search_searchentry e "
            "ON e.id = search_searchentry_fts.rowid "
            "WHERE search_searchentry_fts MATCH %s",
            [expression.strip()],
        )

    #: Lower is better, as FTS5's bm25 rank.
    score = "search_searchentry_fts.rank"


class PostgreSQLEngine:
    """tsvector with the French configuration (stemming) or-ed with `simple` (exact words)."""

    def match(self, terms):
        parts, params = [], []
        for i, term in enumerate(terms):
            lexeme = f"{term}:*" if i == len(terms) - 1 else term
            parts.append("(to_tsquery('french', %s) || to_tsquery('simple', %s))")
            params += [lexeme, lexeme]
        return (
            f"FROM search_searchentry e, (SELECT {' && '.join(parts)} AS query) AS q "
            "WHERE e.search_vector @@ q.query",
            params,
        )

    #: Lower is better: the opposite of ts_rank.
    score = "-ts_rank(e.search_vector, q.query)"


def engine():
    return SQLiteEngine() if connection.vendor == "sqlite" else PostgreSQLEngine()


# --- The search itself -----------------------------------------------------------------------


def _visible_sql(model, user):
    """SQL and params of the condition « `visible_to(user)` holds the matched entry `m`'s
    object », or None if it holds nothing."""
    qs = (
        model._default_manager.visible_to(user)
        .filter(pk=RawSQL("m.object_id", ()))
        .order_by()
        .values("pk")
    )
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:
        return None
    return f"EXISTS ({sql})", params


def search(user, q: str, *, limit_per_kind: int = 10, kinds=None) -> list[KindResults]:
    """Results for `q`, grouped by kind (registration order), only what `user` may see.

    `kinds` restricts to some model labels (e.g. ["referential.post"]). Raises QueryTooShort.
    """
    terms = terms_of(q)
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    eng = engine()
    from_where, params = eng.match(terms)
    registered = by_label()

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT e.model, COUNT(*) {from_where} GROUP BY e.model", params)
        candidates = {label for label, _count in cursor.fetchall()}

    results: dict[str, KindResults] = {}
    order = sorted(registered.values(), key=lambda r: (r.order, r.kind, r.label))
    for registration in order:
        label = registration.label
        if label not in candidates or (kinds and label not in kinds):
            continue
        visible = _visible_sql(registration.model, user)
        if visible is None:
            continue
        visible_sql, visible_params = visible
        # The full-text match runs once, materialised, before the visibility check: otherwise
        # SQLite may probe the FTS index once per visible row (seconds at 20,000 rows). Only the
        # page's rows are then read in full (a million-report index: no join of every match).
        sql = (
            "WITH m AS MATERIALIZED (SELECT e.id AS id, e.object_id AS object_id, "
            f"e.title AS title, {eng.score} AS score {from_where} AND e.model = %s), "
            "v AS (SELECT m.id AS id, m.title AS title, m.score AS score, "
            f"COUNT(*) OVER () AS total FROM m WHERE {visible_sql} "
            "ORDER BY m.score, m.title LIMIT %s) "
            "SELECT e.id, e.model, e.object_id, e.kind, e.title, e.body, e.url, e.text, "
            "e.updated_at, v.total AS total FROM v JOIN search_searchentry e ON e.id = v.id "
            "ORDER BY v.score, v.title"
        )
        entries = list(
            SearchEntry.objects.raw(
                sql, [*params, label, *visible_params, max(int(limit_per_kind), 1)]
            )
        )
        if not entries:
            continue
        group = results.setdefault(
            registration.kind, KindResults(kind=registration.kind, key=label, total=0)
        )
        group.total += entries[0].total
        group.entries.extend(entries)
    return list(results.values())
