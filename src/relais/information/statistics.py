"""Statistics of mission a: reports per theme, country, unit of origin and month, delays to
validation and to acknowledgement — over what the user may see.

`for_user(user)` returns the figures, computed by the database (no per-row Python: delays are
averaged on epoch seconds, months are counted with range conditions; what an analyst sees is
counted as « all minus what is hidden from them », see `_Counter`) and kept in the cache for
`CACHE_SECONDS`, shared by the users who see the same reports (same unit, same headquarters
role group, same clearance). At a million reports the computation takes seconds on SQLite
(`bench/information-results.md`); the page says when its figures were computed.
"""

import datetime
from collections import Counter
from itertools import pairwise

from django.core.cache import cache
from django.db.models import Count, F, FloatField, Func, Q, Sum
from django.utils import timezone

from relais.information.models import (
    Dissemination,
    InformationReport,
    Theme,
    has_unit_scope,
    is_analyst_or_pilotage,
)
from relais.referential.models import Country, Unit

#: How long computed figures are reused.
CACHE_SECONDS = 10 * 60
MONTHS = 12
TOP = 15


class EpochSeconds(Func):
    """Seconds since 1970 of a datetime column, computed by the database."""

    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(EXTRACT(EPOCH FROM %(expressions)s) AS double precision)",
            **extra,
        )


class _Counter:
    """Counts over the reports a user sees: directly when they see at most half of them,
    otherwise as « every report minus those hidden from them » (an analyst sees nearly every
    report: counting the few hidden ones reads far fewer rows than listing the visible ones).
    `rows(reports)` turns a set of reports (None: all) into the rows to count."""

    def __init__(self, user):
        self.visible = InformationReport.objects.visible_to(user)
        self.total = self.visible.count()
        everything = InformationReport.objects.count()
        self.hidden = (
            InformationReport.objects.hidden_from(user) if self.total * 2 > everything else None
        )

    def _sides(self, rows):
        if self.hidden is None:
            return rows(self.visible), None
        return rows(None), rows(self.hidden)

    def by(self, rows, field: str) -> Counter:
        """Rows per value of `field`."""

        def count(qs):
            grouped = qs.order_by().values_list(field).annotate(n=Count("pk"))
            return Counter(dict(grouped.values_list(field, "n")))

        plus, minus = self._sides(rows)
        return count(plus) - count(minus) if minus is not None else count(plus)

    def aggregate(self, rows, **aggregates) -> dict:
        """Additive aggregates (counts, sums) over the rows."""
        plus, minus = self._sides(rows)
        values = {k: v or 0 for k, v in plus.aggregate(**aggregates).items()}
        if minus is not None:
            for key, value in minus.aggregate(**aggregates).items():
                values[key] -= value or 0
        return values


def _reports(reports):
    return InformationReport.objects.all() if reports is None else reports


def _links(through):
    def rows(reports):
        if reports is None:
            return through.objects.all()
        return through.objects.filter(informationreport_id__in=reports.values("pk"))

    return rows


def _average_days(values: dict) -> float | None:
    if not values["n"]:
        return None
    return round(values["seconds"] / values["n"] / 86400, 1)


def _delay(start: str, end: str) -> dict:
    """Aggregates of `end - start` (seconds, rows) over the rows having both dates."""
    both = Q(**{f"{start}__isnull": False, f"{end}__isnull": False})
    return {
        "seconds": Sum(EpochSeconds(F(end)) - EpochSeconds(F(start)), filter=both),
        "n": Count("pk", filter=both),
    }


def month_starts(today: datetime.date, count: int = MONTHS) -> list[datetime.datetime]:
    """The first instants (local time) of the last `count` months, this one included, and of
    the next month (the end of the last range)."""
    year, month = today.year, today.month
    firsts = []
    for _ in range(count):
        firsts.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    firsts.reverse()
    year, month = firsts[-1]
    firsts.append((year + (month == 12), month % 12 + 1))
    zone = timezone.get_current_timezone()
    return [datetime.datetime(y, m, 1, tzinfo=zone) for y, m in firsts]


def _per_month(counter: _Counter, today) -> list[tuple[str, int]]:
    bounds = month_starts(today)

    def rows(reports):
        return _reports(reports).filter(created_at__gte=bounds[0], created_at__lt=bounds[-1])

    counts = counter.aggregate(
        rows,
        **{
            f"m{i}": Count("pk", filter=Q(created_at__gte=start, created_at__lt=end))
            for i, (start, end) in enumerate(pairwise(bounds))
        },
    )
    return [(start.strftime("%m/%Y"), counts[f"m{i}"]) for i, start in enumerate(bounds[:-1])]


def _ranked(counts: Counter, labels: dict, order=None, top=None) -> list[tuple[str, int]]:
    rows = [(labels[key], n, (order or {}).get(key, 0)) for key, n in counts.items() if n > 0]
    rows.sort(key=lambda row: (-row[1], row[2], row[0]))
    return [(label, n) for label, n, _order in rows[:top]]


def compute(user) -> dict:
    """The figures for `user` (what `visible_to` lets them see), without the cache."""
    counter = _Counter(user)
    theme_counts = counter.by(_links(InformationReport.themes.through), "theme_id")
    themes = {t.pk: t for t in Theme.objects.filter(pk__in=list(theme_counts))}
    country_counts = counter.by(_links(InformationReport.countries.through), "country_id")
    unit_counts = counter.by(_reports, "unit_id")
    delays = counter.aggregate(_reports, **_delay("submitted_at", "validated_at"))
    acknowledgements = Dissemination.objects.visible_to(user).aggregate(
        **_delay("disseminated_at", "acknowledged_at")
    )
    return {
        "total": counter.total,
        "themes": _ranked(
            theme_counts,
            {pk: t.label for pk, t in themes.items()},
            {pk: t.order for pk, t in themes.items()},
        ),
        "countries": _ranked(
            country_counts,
            dict(Country.objects.filter(pk__in=list(country_counts)).values_list("pk", "name")),
            top=TOP,
        ),
        "units": _ranked(
            unit_counts,
            dict(Unit.objects.filter(pk__in=list(unit_counts)).values_list("pk", "short_name")),
            top=TOP,
        ),
        "months": _per_month(counter, timezone.localdate()),
        "validation_delay": _average_days(delays),
        "ack_delay": _average_days({k: v or 0 for k, v in acknowledgements.items()}),
        "computed_at": timezone.now(),
    }


def scope_key(user) -> str:
    """Users with the same key see the same reports (`InformationReportQuerySet.scope_for`)."""
    if not has_unit_scope(user):
        group = "none"
    elif is_analyst_or_pilotage(user):
        group = "hq"
    else:
        group = "unit"
    return f"information:statistics:{group}:{user.unit_id}:{user.clearance}"


def for_user(user) -> dict:
    """The figures for `user`, from the cache when they were computed less than
    `CACHE_SECONDS` ago for the same scope."""
    return cache.get_or_set(scope_key(user), lambda: compute(user), CACHE_SECONDS)
