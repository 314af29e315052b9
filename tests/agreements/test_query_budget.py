"""List page, API list, country panel and calendar run the same number of queries with 10 and
200 agreements."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relais.agreements.models import Agreement, AgreementKind, Domain
from relais.agreements.workflows import AgreementStatus
from relais.legal.models import Mission
from tests.factories import PartnerBodyFactory


def add_agreements(k_org, start, stop):
    """Agreements in force with Mali, each with 2 countries, 2 directorates, 2 domains, a
    partner body and its legal basis (bulk: the budget is about reading, not writing)."""
    rows = Agreement.objects.bulk_create(
        [
            Agreement(
                title=f"Accord {n:03d}",
                kind=AgreementKind.TECHNICAL_ARRANGEMENT,
                status=AgreementStatus.IN_FORCE,
                signed_on=datetime.date(2020, 1, 1),
                in_force_on=datetime.date(2020, 1, 2),
                expires_on=datetime.date(2026, 12, 31),
                notice_months=3,
            )
            for n in range(start, stop)
        ]
    )
    domains = list(Domain.objects.all()[:2])
    mission = Mission.objects.get(code="k")
    body = PartnerBodyFactory()
    through = Agreement.countries.through
    through.objects.bulk_create(
        [through(agreement=a, country=c) for a in rows for c in (k_org.mali, k_org.algeria)]
    )
    through = Agreement.directorates.through
    through.objects.bulk_create(
        [through(agreement=a, unit=u) for a in rows for u in (k_org.dgpn, k_org.dggn)]
    )
    through = Agreement.domains.through
    through.objects.bulk_create([through(agreement=a, domain=d) for a in rows for d in domains])
    Agreement.partner_bodies.through.objects.bulk_create(
        [Agreement.partner_bodies.through(agreement=a, partnerbody=body) for a in rows]
    )
    Agreement.missions.through.objects.bulk_create(
        [Agreement.missions.through(agreement=a, mission=mission) for a in rows]
    )


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/accords/",
        "/accords/?directorate=DGPN&domain=terrorism",
        "/accords/?export=csv",
        "/api/v1/agreements/",
        "/api/v1/agreements/?country=ML&in_force_on=2024-01-01",
        "/accords/par-pays/",
        "/accords/echeances/",
        "/accords/ma-direction/",
        "/pays/ML/",
    ],
)
def test_query_count_does_not_grow(k_org, users, client_for, url):
    user = users.correspondant_dgpn if "ma-direction" in url else users.pilotage
    client = client_for(user)
    add_agreements(k_org, 0, 10)
    small = count(client, url)
    add_agreements(k_org, 10, 200)
    large = count(client, url)
    assert small == large, f"{url}: {small} requêtes avec 10 accords, {large} avec 200"
