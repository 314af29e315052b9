"""Figures of technical cooperation: totals per funder, directorate, country and year, actions
per state, trainees and experts. Each function runs a fixed number of grouped queries over
`CooperationAction.objects.visible_to(user)`, whatever the volume."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from relais.cooperation.models import CooperationAction, Funding, FundingInstrument
from relais.cooperation.workflows import ActionStatus

ZERO = Decimal("0")


@dataclass
class Statistics:
    year: int | None
    years: list[int]
    actions: int = 0
    participants: int = 0
    experts: int = 0
    expert_days: int = 0
    actual_cost: Decimal = ZERO
    by_status: list[tuple[str, int]] = field(default_factory=list)
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    by_year: list[dict] = field(default_factory=list)
    by_funder: list[dict] = field(default_factory=list)
    by_directorate: list[dict] = field(default_factory=list)
    by_country: list[dict] = field(default_factory=list)
    funding_total: Decimal = ZERO
    funding_by_status: dict = field(default_factory=dict)


def _by_directorate(rows) -> dict:
    """Sum `(unit path, value)` rows per directorate of the ministry: the code of the unit just
    below the ministry in the path (« MI/SG/SG-DLPAJ/ » → SG; codes make the paths)."""
    totals: dict = {}
    for path, value in rows:
        parts = [p for p in (path or "").split("/") if p]
        code = parts[1] if len(parts) > 1 else (parts[0] if parts else "")
        totals[code] = totals.get(code, 0) + (value or 0)
    return totals


def _funding_lines(actions):
    return Funding.objects.filter(action__in=actions.values("pk")).order_by()


def compute(user, year: int | None = None, *, top_countries: int = 20) -> Statistics:
    """The statistics of the actions `user` sees (of one `year`, or every year)."""
    from relais.cooperation.models import ActionKind

    visible = CooperationAction.objects.visible_to(user).order_by()
    # Every year (not only the chosen one): actions and funding per year; also the years.
    per_year = {
        row["year"]: row
        for row in visible.values("year").annotate(
            n=Count("pk"),
            done=Count("pk", filter=Q(status__in=[ActionStatus.COMPLETED, ActionStatus.EVALUATED])),
        )
    }
    years = sorted((y for y in per_year if y is not None), reverse=True)
    actions = visible.filter(year=year) if year else visible
    stats = Statistics(year=year, years=years)

    # One pass over the actions for the totals, the states and the kinds.
    aggregates = {
        "n": Count("pk"),
        "participants": Sum("participants"),
        "experts": Sum("experts"),
        "expert_days": Sum("expert_days"),
        "actual_cost": Sum("actual_cost"),
    }
    aggregates.update({f"s_{s.value}": Count("pk", filter=Q(status=s.value)) for s in ActionStatus})
    aggregates.update({f"k_{k.value}": Count("pk", filter=Q(kind=k.value)) for k in ActionKind})
    totals = actions.aggregate(**aggregates)
    stats.actions = totals["n"] or 0
    stats.participants = totals["participants"] or 0
    stats.experts = totals["experts"] or 0
    stats.expert_days = totals["expert_days"] or 0
    stats.actual_cost = totals["actual_cost"] or ZERO
    stats.by_status = [(s.label, totals[f"s_{s.value}"]) for s in ActionStatus]
    stats.by_kind = sorted(
        [(k.label, totals[f"k_{k.value}"]) for k in ActionKind], key=lambda r: -r[1]
    )

    funding_per_year = dict(
        _funding_lines(visible)
        .values("action__year")
        .annotate(t=Sum("amount"))
        .values_list("action__year", "t")
    )
    stats.by_year = [
        {
            "year": y,
            "actions": per_year.get(y, {}).get("n", 0),
            "done": per_year.get(y, {}).get("done", 0),
            "funding": funding_per_year.get(y) or ZERO,
        }
        for y in sorted(y for y in per_year if y is not None)
    ]

    lines = _funding_lines(actions)
    by_status = dict(lines.values("status").annotate(t=Sum("amount")).values_list("status", "t"))
    stats.funding_by_status = {
        k: by_status.get(k) or ZERO for k in ("planned", "committed", "paid")
    }
    stats.funding_total = sum(stats.funding_by_status.values(), ZERO)

    instruments = dict(FundingInstrument.choices)
    funders = (
        lines.values("funder__acronym", "funder__name", "instrument")
        .annotate(total=Sum("amount"), n=Count("action", distinct=True))
        .order_by("-total")
    )
    stats.by_funder = [
        {
            "label": row["funder__acronym"] or row["funder__name"] or "Ministère de l'Intérieur",
            "instrument": str(instruments.get(row["instrument"], row["instrument"])),
            "total": row["total"] or ZERO,
            "actions": row["n"],
        }
        for row in funders
    ]

    # Per directorate of the ministry (its top-level unit: the DLPAJ's actions are the SG's),
    # as the portfolio and the list's `directorate` filter count them.
    directorate_actions = _by_directorate(
        actions.values("directorate__path")
        .annotate(n=Count("pk"))
        .values_list("directorate__path", "n")
    )
    directorate_funding = _by_directorate(
        lines.values("action__directorate__path")
        .annotate(t=Sum("amount"))
        .values_list("action__directorate__path", "t")
    )
    stats.by_directorate = sorted(
        [
            {"label": code, "actions": n, "total": directorate_funding.get(code) or ZERO}
            for code, n in directorate_actions.items()
        ],
        key=lambda r: (-r["actions"], r["label"]),
    )

    country_rows = (
        actions.values("country__code", "country__name")
        .annotate(n=Count("pk"), participants=Sum("participants"))
        .order_by("-n", "country__name")[:top_countries]
    )
    country_funding = dict(
        lines.values("action__country__code")
        .annotate(t=Sum("amount"))
        .values_list("action__country__code", "t")
    )
    stats.by_country = [
        {
            "code": row["country__code"],
            "label": row["country__name"],
            "actions": row["n"],
            "participants": row["participants"] or 0,
            "total": country_funding.get(row["country__code"]) or ZERO,
        }
        for row in country_rows
    ]
    return stats


def euros(value) -> str:
    """« 12 345 € » (French grouping, no decimals)."""
    return f"{(value or 0):,.0f}".replace(",", "\u202f") + "\u00a0€"
