"""Query budget: the action list, the API list, the programme page, the statistics, the portfolio
and the country sheet run the same number of queries with 10 and 200 actions. And the demo."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relais.cooperation.models import CooperationAction
from relais.core import demo

pytestmark = pytest.mark.django_db


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/cooperation/",
        "/cooperation/?country=ML&directorate=DGPN&funder={funder}",
        "/api/v1/cooperation/actions/",
        "/cooperation/programmes/{programme}/",
        "/cooperation/programmes/",
        "/cooperation/statistiques/?annee=tout",
        "/cooperation/statistiques/?annee=2025",
        "/cooperation/portefeuille/?direction=DGPN",
        "/cooperation/calendrier/?mois=2025-05",
        "/pays/ML/",
        "/pays/",
        "/api/v1/cooperation/iati/",
        "/cooperation/iati/",
    ],
)
@pytest.mark.parametrize("username", ["pilotage", "attache_bamako", "charge_afrique"])
def test_fixed_number_of_queries(bulk_actions, programme, users, client_for, coop, url, username):
    url = url.format(programme=programme.pk, funder=coop.dcsd.pk)
    client = client_for(getattr(users, username))
    bulk_actions(10, programme=programme)
    small = count(client, url)
    bulk_actions(190, programme=programme)
    assert CooperationAction.objects.count() == 200
    assert count(client, url) == small, url


def test_demo_generator_is_consistent(coop, users):
    from relais.cooperation.demo import generate

    created = generate(per_year=60, years=[2024, 2025])
    assert created["actions"] == 120
    # One per post and year, but none for Mali: no cooperation with the junta since 2022.
    assert created["programmes"] == 2
    assert not CooperationAction.objects.filter(country__code="ML").exists()
    for action in CooperationAction.objects.prefetch_related("missions"):
        assert action.post.countries.filter(pk=action.country_id).exists()
        codes = {m.code for m in action.missions.all()}
        if action.directorate.beneficiary in ("DGPN", "DGGN"):
            assert codes == {"preamble-1", "b"}
        if action.directorate.beneficiary == "DGEF":
            assert codes == {"preamble-2", "f"}
        if action.status in ("programmed", "in_progress", "completed", "evaluated"):
            # The MEAE's opinion is never skipped where b requires it.
            assert "b" not in codes or action.meae_opinion in ("favorable", "reserve")
        if action.status == "evaluated":
            assert hasattr(action, "evaluation")
        assert action.year == action.planned_start.year
        assert action.planned_end >= action.planned_start


def test_demo_loader_is_registered_and_idempotent(coop, users):
    from relais.cooperation.demo import load_demo

    assert any(loader.name == "cooperation" for loader in demo.registered())
    first = load_demo()
    assert first["actions de coopération"] == 3000
    assert load_demo() == {}
    assert CooperationAction.objects.count() == 3000
