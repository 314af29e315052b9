"""Annual reports feeding the programming (`priorities_for`), the country-sheet panel and the
search, each limited to what the viewer may see."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relais.core.search.query import search
from relais.core.workflow.engine import TransitionRefused, apply_transition
from relais.network import services
from relais.network.models import PostAnnualReport
from relais.network.panels import count_taskings
from relais.network.workflows import ReportStatus
from tests.network.conftest import recipient

pytestmark = pytest.mark.django_db


def report(user, post, year=2025, **fields):
    values = {
        "context": "Contexte",
        "cooperation_summary": "Actions",
        "priorities": "- Formation\n\n• Frontières",
    }
    return services.create_report(user, post, year, **{**values, **fields})


def test_report_workflow_and_rules(org, users):
    with pytest.raises(PermissionDenied):
        report(users.attache_madrid, org.bamako)
    draft = report(users.attache_bamako, org.bamako, priorities="")
    assert draft.legal_basis_codes() == ["b"]
    with pytest.raises(ValidationError):
        report(users.attache_bamako, org.bamako)
    with pytest.raises(TransitionRefused, match="priorités"):
        apply_transition(draft, "submit", users.attache_bamako)
    draft.priorities = "Formation"
    from relais.core import records

    records.update(draft, users.attache_bamako)
    apply_transition(draft, "submit", users.attache_bamako)
    assert not draft.can_change(users.attache_bamako)
    with pytest.raises(TransitionRefused):
        apply_transition(draft, "accept", users.attache_bamako)
    apply_transition(draft, "return", users.charge_afrique, "Préciser les financements")
    assert draft.status == ReportStatus.DRAFT
    apply_transition(draft, "submit", users.attache_bamako)
    apply_transition(draft, "accept", users.pilotage)
    assert draft.status == ReportStatus.ACCEPTED


def test_priorities_for_reads_the_previous_years_reports(org, users):
    bamako = report(users.attache_bamako, org.bamako, 2025)
    report(users.attache_madrid, org.madrid, 2025, priorities="Cybercriminalité")
    assert services.priorities_for(org.mali, 2026) == []  # still a draft
    apply_transition(bamako, "submit", users.attache_bamako)
    [line] = services.priorities_for(org.mali, 2026)
    assert line.post_code == "SSI-BAMAKO" and line.report_year == 2025
    assert line.priorities == ("Formation", "Frontières")
    assert services.priorities_for(org.mali, 2026, accepted_only=True) == []
    assert services.priorities_for(org.mali, 2025) == []
    # Scoped when a user is given: Madrid's attaché does not read Bamako's report.
    assert services.priorities_for(org.mali, 2026, users.attache_madrid) == []
    assert len(services.priorities_for(org.mali, 2026, users.charge_afrique)) == 1


def test_report_scope(org, users):
    report(users.attache_bamako, org.bamako)
    assert PostAnnualReport.objects.visible_to(users.pilotage).count() == 1
    assert PostAnnualReport.objects.visible_to(users.lecteur).count() == 1
    for user in (users.attache_madrid, users.correspondant_dgpn, users.admin):
        assert not PostAnnualReport.objects.visible_to(user).exists()


def test_country_sheet_panel(net, org, users, client_for):
    services.save_answer(recipient(net.both, org.bamako), users.attache_bamako, "ok", submit=True)
    submitted = report(
        users.attache_bamako, org.bamako, 2025, priorities="Appui aux écoles régionales"
    )
    apply_transition(submitted, "submit", users.attache_bamako)
    hq = client_for(users.pilotage).get("/pays/ML/").content.decode()
    assert "Réseau : sollicitations et priorités des postes" in hq
    assert "Besoins de formation" in hq and "Appui aux écoles régionales" in hq
    assert "Projet de recensement" not in hq  # a draft tasking is nobody's business on the sheet
    madrid = client_for(users.attache_madrid).get("/pays/ML/").content.decode()
    assert "Appui aux écoles régionales" not in madrid and "Besoins de formation" not in madrid
    api = client_for(users.pilotage).get("/api/v1/countries/ML/sheet/").json()
    panel = next(p for p in api["panels"] if p["key"] == "network")
    assert panel["count"] == 1
    spain = client_for(users.attache_madrid).get("/pays/ES/").content.decode()
    assert "Filières migratoires" in spain


def test_overview_count_is_one_query(net, org, users):
    with CaptureQueriesContext(connection) as ctx:
        counts = count_taskings(users.pilotage)
    assert len(ctx.captured_queries) == 1
    assert counts[org.spain.pk] == 2 and counts[org.mali.pk] == 1  # drafts are not counted
    assert count_taskings(users.attache_bamako) == {org.mali.pk: 1}


def test_search_is_scoped(net, org, users):
    services.save_answer(
        recipient(net.both, org.madrid),
        users.attache_madrid,
        "Réseau de passeurs démantelé",
        submit=True,
    )
    services.save_answer(
        recipient(net.both, org.bamako), users.attache_bamako, "Passeurs en brouillon"
    )

    def found(user, q):
        return {e.title for group in search(user, q) for e in group.entries}

    assert any("Filières migratoires" in t for t in found(users.pilotage, "filieres"))
    assert not found(users.attache_bamako, "filieres")
    assert any("SSI Madrid" in t for t in found(users.pilotage, "passeurs demantele"))
    assert not found(users.attache_bamako, "passeurs demantele")
    assert not found(users.pilotage, "brouillon")  # drafts are not indexed
