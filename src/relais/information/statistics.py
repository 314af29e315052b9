"""Statistics of mission a: reports per theme, country, unit of origin and month, delays to
validation and to acknowledgement — over what the user may see.

`for_user(user)` returns the figures, computed by the database (no per-row Python: delays are
averaged on epoch seconds, months are counted with range conditions) and kept in the cache for
`CACHE_SECONDS`, shared by the users who see the same reports (same unit, same headquarters
role group, same clearance). At a million reports the computation takes seconds on SQLite
(`bench/information-results.md`); the page says when its figures were computed.
"""

import datetime
from itertools import pairwise

from django.core.cache import cache
from django.db.models import Avg, Count, F, FloatField, Func, Q
from django.utils import timezone

from relais.information.models import (
    Dissemination,
    InformationReport,
    Theme,
    is_analyst_or_pilotage,
)

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


def average_days(queryset, start: str, end: str) -> float | None:
    """Mean of `end - start` in days (one decimal) over the rows having both dates."""
    value = queryset.filter(**{f"{start}__isnull": False, f"{end}__isnull": False}).aggregate(
        avg=Avg(EpochSeconds(F(end)) - EpochSeconds(F(start)))
    )["avg"]
    return round(value / 86400, 1) if value is not None else None


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


def _per_month(reports, today) -> list[tuple[str, int]]:
    bounds = month_starts(today)
    counts = reports.filter(created_at__gte=bounds[0], created_at__lt=bounds[-1]).aggregate(
        **{
            f"m{i}": Count("pk", filter=Q(created_at__gte=start, created_at__lt=end))
            for i, (start, end) in enumerate(pairwise(bounds))
        }
    )
    return [(start.strftime("%m/%Y"), counts[f"m{i}"]) for i, start in enumerate(bounds[:-1])]


def compute(user) -> dict:
    """The figures for `user` (what `visible_to` lets them see), without the cache."""
    reports = InformationReport.objects.visible_to(user)
    ids = reports.values("pk")
    themes = list(
        Theme.objects.filter(reports__in=ids)
        .annotate(n=Count("reports"))
        .order_by("-n", "order")
        .values_list("label", "n")
    )
    countries = list(
        InformationReport.countries.through.objects.filter(informationreport_id__in=ids)
        .values("country__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "country__name")
        .values_list("country__name", "n")[:TOP]
    )
    units = list(
        reports.order_by()
        .values("unit__short_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit__short_name")
        .values_list("unit__short_name", "n")[:TOP]
    )
    return {
        "total": reports.count(),
        "themes": themes,
        "countries": countries,
        "units": units,
        "months": _per_month(reports, timezone.localdate()),
        "validation_delay": average_days(reports, "submitted_at", "validated_at"),
        "ack_delay": average_days(
            Dissemination.objects.visible_to(user), "disseminated_at", "acknowledged_at"
        ),
        "computed_at": timezone.now(),
    }


def scope_key(user) -> str:
    """Users with the same key see the same reports (`InformationReportQuerySet.scope_for`)."""
    if user.is_administrator or user.unit_id is None:
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
