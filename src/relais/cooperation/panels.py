"""The country sheet's cooperation panels (actions by year and state, funding, evaluations;
other donors' activities) and the world overview's count (docs/dev/country-sheet.md)."""

from decimal import Decimal

from django.db.models import Count, Sum
from django.urls import reverse

from relais.cooperation.models import CooperationAction, Evaluation, Funding, OtherDonorActivity
from relais.cooperation.workflows import ActionStatus
from relais.countries.panels import CountryCount, Panel, highest_marking, register, register_count

RECENT_EVALUATIONS = 5


def build_cooperation(country, user):
    """Four grouped queries whatever the number of actions."""
    actions = CooperationAction.objects.visible_to(user).filter(country=country).order_by()
    rows = list(
        actions.values("year", "status", "marking").annotate(n=Count("pk")).order_by("-year")
    )
    if not rows:
        return None
    labels = dict(ActionStatus.choices)
    years: dict[int, dict[str, int]] = {}
    for row in rows:
        years.setdefault(row["year"], {}).setdefault(row["status"], 0)
        years[row["year"]][row["status"]] += row["n"]
    by_year = [
        {
            "year": year,
            "total": sum(states.values()),
            "states": [
                {"status": s, "label": str(labels[s]), "count": states[s]}
                for s in ActionStatus.values
                if states.get(s)
            ],
        }
        for year, states in sorted(years.items(), reverse=True)
    ]
    funding = {
        row["status"]: row["total"] or Decimal("0")
        for row in Funding.objects.filter(action__in=actions.values("pk"))
        .order_by()
        .values("status")
        .annotate(total=Sum("amount"))
    }
    evaluations = list(
        Evaluation.objects.visible_to(user)
        .filter(action__country=country)
        .select_related("action")
        .order_by("-evaluated_on", "-pk")[:RECENT_EVALUATIONS]
    )
    total = sum(r["n"] for r in rows)
    base = reverse("cooperation:actions")
    return {
        "count": total,
        "marking": highest_marking(r["marking"] for r in rows),
        "by_year": by_year,
        "funding": {k: str(v) for k, v in funding.items()},
        "funding_total": str(sum(funding.values(), Decimal("0"))),
        "evaluations": [
            {
                "label": str(e.action),
                "url": e.action.get_absolute_url(),
                "rating": e.get_rating_display(),
                "objectives": e.get_objectives_reached_display(),
                "lessons": e.lessons[:300],
            }
            for e in evaluations
        ],
        "list_url": f"{base}?country={country.code}",
    }


def build_other_donors(country, user):
    activities = list(
        OtherDonorActivity.objects.visible_to(user)
        .filter(pk__in=OtherDonorActivity.objects.filter(countries=country).values("pk"))
        .order_by("-start_date", "title")[:50]
    )
    if not activities:
        return None
    return {
        "count": len(activities),
        "marking": highest_marking(a.marking for a in activities),
        "items": [
            {
                "label": a.title,
                "url": f"{reverse('cooperation:other-donors')}?country={country.code}",
                "detail": ", ".join(
                    p
                    for p in (
                        a.reporting_org,
                        a.status_label,
                        f"{a.start_date:%Y}–{a.end_date:%Y}" if a.start_date and a.end_date else "",
                        f"{a.budget:,.0f} {a.currency}".replace(",", " ") if a.budget else "",
                    )
                    if p
                ),
            }
            for a in activities
        ],
    }


def count_actions(user):
    rows = (
        CooperationAction.objects.visible_to(user)
        .order_by()
        .values("country")
        .annotate(n=Count("pk"))
        .values_list("country", "n")
    )
    return dict(rows)


register(
    Panel(
        "cooperation",
        "Coopération technique",
        25,
        build_cooperation,
        template="cooperation/panels/cooperation.html",
        letters="b–g",
    )
)
register(
    Panel(
        "other_donors",
        "Activités des autres bailleurs (IATI)",
        26,
        build_other_donors,
        letters="b",
    )
)
register_count(CountryCount("cooperation", "Actions de coopération", count_actions, order=25))
