"""The sheet, its API and the world overview run a fixed number of queries whatever the volume."""

import datetime
import itertools
import string

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relais.countries.panels import registered_counts, registered_panels
from relais.referential.models import Function, PartnerKind
from tests.factories import (
    AssignmentFactory,
    CountryFactory,
    PartnerBodyFactory,
    PersonFactory,
    PostFactory,
)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def add_spain_records(org, start: int, stop: int):
    """Partner bodies in Spain and staff at Madrid, numbered start..stop-1."""
    for n in range(start, stop):
        PartnerBodyFactory(
            name=f"Partenaire espagnol {n:03d}",
            kind=PartnerKind.FOREIGN_INSTITUTION,
            country=org.spain,
        )
        person = PersonFactory(last_name=f"Agent{n:03d}", unit=org.madrid.unit)
        AssignmentFactory(
            person=person, function=Function.LIAISON_OFFICER, start_date=datetime.date(2024, 1, 1)
        )


@pytest.mark.parametrize("url", ["/pays/ES/", "/api/v1/countries/ES/sheet/"])
def test_sheet_query_count_does_not_grow(users, client_for, org, url):
    client = client_for(users.attache_madrid)
    add_spain_records(org, 0, 10)
    client.get(url)  # warm-up: same session and caches for both measures
    small = queries(client, url)
    add_spain_records(org, 10, 200)
    large = queries(client, url)
    assert small == large, f"{url}: {small} queries with 10 records, {large} with 200"
    body = client.get(url).content.decode()
    assert "Partenaire espagnol 199" in body and "AGENT199" in body
    # The budget grows with the panels apps register (at most 3 queries each), never with data.
    assert small <= 8 + 3 * len(registered_panels())


def _codes():
    for first, second in itertools.product("JKQUVWXY", string.ascii_uppercase):
        yield first + second


def add_countries(org, count: int, codes):
    for i, code in zip(range(count), codes, strict=False):
        country = CountryFactory(
            code=code, code3=f"{code}Z", name=f"Pays {code}", zone=org.europe if i % 2 else None
        )
        PartnerBodyFactory(name=f"Organisme {code}", country=country)
        if i % 10 == 0:
            PostFactory(host_country=country, countries=[country, org.spain])


def test_overview_query_count_does_not_grow(users, client_for, org):
    client = client_for(users.pilotage)
    codes = _codes()
    add_countries(org, 10, codes)
    client.get("/pays/")
    small = queries(client, "/pays/")
    add_countries(org, 190, codes)
    large = queries(client, "/pays/")
    assert small == large, f"overview: {small} queries with 10 countries, {large} with 200"
    html = client.get("/pays/").content.decode()
    assert html.count('<a href="/pays/') >= 203
    # Filtered and sorted views keep the budget too.
    assert queries(client, "/pays/?zone=europe&tri=-partners") <= large + 1
    # One grouped query per registered count, plus the page's own.
    assert small <= 8 + len(registered_counts())
