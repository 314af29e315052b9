"""The information panel of the country sheet and the count of the world overview
(docs/dev/country-sheet.md): counts and themes of the reports the viewer may see, never a
title or a content."""

from django.db.models import Count
from django.urls import reverse

from relais.countries.panels import CountryCount, Panel, highest_marking, register, register_count
from relais.information.models import InformationReport, Theme


def _country_reports(country, user):
    return InformationReport.objects.visible_to(user).filter(
        pk__in=InformationReport.countries.through.objects.filter(country_id=country.pk).values(
            "informationreport_id"
        )
    )


def build_information(country, user):
    reports = _country_reports(country, user)
    summary = {
        row["marking"]: row["n"]
        for row in reports.order_by().values("marking").annotate(n=Count("pk"))
    }
    total = sum(summary.values())
    if not total:
        return None
    themes = list(
        Theme.objects.filter(reports__in=reports.values("pk"))
        .annotate(n=Count("reports"))
        .order_by("-n", "order")
        .values_list("code", "label", "n")
    )
    base = reverse("information:list")
    return {
        "count": total,
        "marking": highest_marking(summary),
        "items": [
            {
                "label": label,
                "url": f"{base}?country={country.code}&theme={code}",
                "detail": f"{n} fiche{'s' if n > 1 else ''}",
            }
            for code, label, n in themes
        ],
        "empty": "Aucune fiche visible.",
    }


def count_information(user):
    rows = (
        InformationReport.countries.through.objects.filter(
            informationreport_id__in=InformationReport.objects.visible_to(user).values("pk")
        )
        .values("country_id")
        .annotate(n=Count("pk"))
        .values_list("country_id", "n")
    )
    return dict(rows)


register(
    Panel(
        "information",
        "Renseignement opérationnel : fiches d'information par thème",
        15,
        build_information,
        letters="a",
    )
)
register_count(CountryCount("information", "Fiches d'information", count_information, order=15))
