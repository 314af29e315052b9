"""Priority 10: lists, queue, inbox, board, statistics, the country sheet and the API list run
the same number of queries with 10 and with 200 reports."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from relais.information.models import Dissemination, InformationReport, Theme
from relais.information.workflows import ReportStatus


def bulk_reports(a_org, a_users, n, status):
    """`n` reports from Madrid in `status`, disseminated (overdue) to OFAST when disseminated."""
    now = timezone.now()
    theme = Theme.objects.get(code="drugs")
    reports = InformationReport.objects.bulk_create(
        [
            InformationReport(
                title=f"Fiche de volume {i}",
                summary="Résumé",
                source_reliability="B",
                information_credibility="2",
                unit=a_org.madrid.unit,
                status=status,
                created_by=a_users.attache_madrid,
                submitted_at=now,
            )
            for i in range(n)
        ]
    )
    InformationReport.countries.through.objects.bulk_create(
        [
            InformationReport.countries.through(
                informationreport_id=r.pk, country_id=a_org.spain.pk
            )
            for r in reports
        ]
    )
    InformationReport.themes.through.objects.bulk_create(
        [
            InformationReport.themes.through(informationreport_id=r.pk, theme_id=theme.pk)
            for r in reports
        ]
    )
    if status == ReportStatus.DISSEMINATED:
        Dissemination.objects.bulk_create(
            [
                Dissemination(
                    report=r,
                    unit=a_org.ofast,
                    handling_code="H0",
                    disseminated_at=now,
                    acknowledgement_due=timezone.localdate() - datetime.timedelta(days=2),
                )
                for r in reports
            ]
        )


def count_queries(client, url):
    cache.clear()  # the statistics are cached: count the queries that compute them
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


CASES = [
    ("/information/", "attache_madrid", ReportStatus.SUBMITTED),
    ("/information/", "analyste", ReportStatus.SUBMITTED),
    ("/information/?country=ES&theme=drugs", "correspondant_ofast", ReportStatus.DISSEMINATED),
    ("/api/v1/information/reports/", "analyste", ReportStatus.DISSEMINATED),
    ("/api/v1/information/reports/?country=ES", "correspondant_ofast", ReportStatus.DISSEMINATED),
    ("/information/file-analyste/", "analyste", ReportStatus.SUBMITTED),
    ("/information/file-analyste/", "analyste", ReportStatus.VALIDATED),
    ("/information/reception/", "correspondant_ofast", ReportStatus.DISSEMINATED),
    ("/information/suivi/", "analyste", ReportStatus.DISSEMINATED),
    ("/information/statistiques/", "analyste", ReportStatus.DISSEMINATED),
    ("/pays/ES/", "analyste", ReportStatus.DISSEMINATED),
]


@pytest.mark.parametrize("url, who, status", CASES)
def test_query_count_does_not_grow(client_for, a_org, a_users, url, who, status):
    client = client_for(getattr(a_users, who))
    bulk_reports(a_org, a_users, 10, status)
    client.get(url)  # warm-up
    small = count_queries(client, url)
    bulk_reports(a_org, a_users, 190, status)
    large = count_queries(client, url)
    assert small == large, f"{url} ({who}): {small} requêtes avec 10 fiches, {large} avec 200"
    assert small <= 25
    body = client.get(url).content.decode()
    if "statistiques" not in url and "/pays/" not in url:
        assert "Fiche de volume 199" in body or "RO-" in body
