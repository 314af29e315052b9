"""Lists, API lists, the overview, a post page and the country panel run the same number of
queries with 10 and with 200 taskings (and their answers)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from relais.legal.models import Mission
from relais.network.models import PostAnnualReport, Tasking, TaskingKind, TaskingRecipient
from relais.network.workflows import ReportStatus, TaskingStatus

pytestmark = pytest.mark.django_db


def add_taskings(org, start, stop):
    """Sent taskings to Madrid and Bamako, half answered, some late (bulk: reading is measured)."""
    today = timezone.localdate()
    rows = Tasking.objects.bulk_create(
        [
            Tasking(
                kind=TaskingKind.SURVEY,
                title=f"Sollicitation {n:03d}",
                body="Demande",
                due_on=today + datetime.timedelta(days=(n % 20) - 10),
                status=TaskingStatus.SENT,
            )
            for n in range(start, stop)
        ]
    )
    mission = Mission.objects.get(code="b")
    Tasking.missions.through.objects.bulk_create(
        [Tasking.missions.through(tasking=t, mission=mission) for t in rows]
    )
    TaskingRecipient.objects.bulk_create(
        [
            TaskingRecipient(
                tasking=t,
                post=post,
                answer="Réponse" if i % 2 else "",
                answered_on=today if i % 2 else None,
            )
            for i, t in enumerate(rows)
            for post in (org.madrid, org.bamako)
        ]
    )
    PostAnnualReport.objects.bulk_create(
        [
            PostAnnualReport(
                post=org.madrid if n < 100 else org.bamako,
                year=2000 + n % 100,
                priorities="Formation\nFrontières",
                status=ReportStatus.ACCEPTED,
            )
            for n in range(start, stop)
        ]
    )


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


URLS = [
    "/reseau/",
    "/reseau/sollicitations/",
    "/reseau/sollicitations/?late=true&post=SSI-MADRID",
    "/reseau/sollicitations/?export=csv",
    "/reseau/postes/SSI-MADRID/",
    "/reseau/rapports/",
    "/api/v1/network/taskings/",
    "/api/v1/network/answers/",
    "/api/v1/network/annual-reports/",
    "/pays/ML/",
]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("persona", ["pilotage", "attache_madrid"])
def test_query_count_does_not_grow(org, users, client_for, url, persona):
    client = client_for(getattr(users, persona))
    add_taskings(org, 0, 10)
    small = count(client, url)
    add_taskings(org, 10, 200)
    large = count(client, url)
    assert small == large, f"{url}: {small} requêtes avec 10 sollicitations, {large} avec 200"


def test_answers_page_budget(org, users, client_for):
    client = client_for(users.pilotage)
    add_taskings(org, 0, 1)
    tasking = Tasking.objects.get()
    url = f"/reseau/sollicitations/{tasking.pk}/reponses/"
    detail = f"/reseau/sollicitations/{tasking.pk}/"
    small, small_detail = count(client, url), count(client, detail)
    # 40 more posts answering the same tasking.
    from tests.factories import PostFactory

    posts = [PostFactory() for _ in range(40)]
    TaskingRecipient.objects.bulk_create(
        [
            TaskingRecipient(tasking=tasking, post=p, answer="ok", answered_on=timezone.localdate())
            for p in posts
        ]
    )
    assert count(client, url) == small
    assert count(client, detail) == small_detail
