"""Priority 6: regrading with a reason, notes, links, analysis files, syntheses, duplicates."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from relais.core.workflow.engine import TransitionRefused
from relais.information import services
from relais.information.models import (
    AnalysisFile,
    AnalystNote,
    InformationReport,
    Regrading,
    ReportKind,
    ReportLink,
)
from relais.information.workflows import ReportStatus

API = "/api/v1/information/reports/"


def test_regrade_needs_a_reason_and_keeps_the_old_grading(client_for, make_report, a_users):
    report = make_report(status=ReportStatus.SUBMITTED)
    client = client_for(a_users.analyste)
    url = f"{API}{report.pk}/regrade/"
    missing = client.post(
        url,
        {"source_reliability": "A", "information_credibility": "1"},
        content_type="application/json",
    )
    assert missing.status_code == 400
    bad = client.post(
        url,
        {"source_reliability": "F", "information_credibility": "1", "reason": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    ok = client.post(
        url,
        {
            "source_reliability": "A",
            "information_credibility": "1",
            "reason": "Source confirmée par l'OFAST.",
        },
        content_type="application/json",
    )
    assert ok.status_code == 200, ok.content
    assert (ok.json()["source_reliability"], ok.json()["information_credibility"]) == ("A", "1")
    regrading = Regrading.objects.get()
    assert (regrading.old_reliability, regrading.old_credibility) == ("B", "2")
    assert regrading.created_by == a_users.analyste
    # Only analysts regrade.
    assert (
        client_for(a_users.attache_madrid)
        .post(
            url,
            {"source_reliability": "C", "information_credibility": "3", "reason": "r"},
            content_type="application/json",
        )
        .status_code
        == 403
    )


def test_notes_and_links_are_for_analysts(make_report, a_users):
    one = make_report(status=ReportStatus.DISSEMINATED)
    two = make_report(status=ReportStatus.SUBMITTED, title="Autre cargaison")
    services.add_note(one, a_users.analyste, "Recoupe la fiche de février.")
    services.link_reports(one, two, a_users.analyste, "same_case")
    with pytest.raises(ValidationError):
        services.link_reports(one, one, a_users.analyste)
    with pytest.raises(PermissionDenied):
        services.add_note(one, a_users.correspondant_ofast, "Note")
    assert AnalystNote.objects.visible_to(a_users.analyste).count() == 1
    assert AnalystNote.objects.visible_to(a_users.correspondant_ofast).count() == 0
    assert ReportLink.objects.visible_to(a_users.attache_madrid).count() == 0
    assert ReportLink.objects.visible_to(a_users.pilotage).count() == 1


def test_web_link_note_and_analysis_file(client_for, make_report, a_users):
    report = make_report(status=ReportStatus.SUBMITTED)
    other = make_report(status=ReportStatus.SUBMITTED, title="Deuxième")
    client = client_for(a_users.analyste)
    client.post(f"/information/{report.pk}/notes/", {"text": "À rapprocher."})
    client.post(f"/information/{report.pk}/liens/", {"target": other.reference, "kind": "related"})
    assert ReportLink.objects.filter(source=report, target=other).exists()
    response = client.post(
        "/information/dossiers/nouveau/",
        {
            "title": "Route de la cocaïne par l'Afrique de l'Ouest",
            "state": "open",
            "marking": "non_protege",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    analysis_file = AnalysisFile.objects.get()
    client.post(f"/information/{report.pk}/dossier/", {"analysis_file": analysis_file.pk})
    assert list(analysis_file.reports.all()) == [report]
    page = client.get(analysis_file.get_absolute_url()).content.decode()
    assert report.reference in page
    detail = client.get(f"/information/{report.pk}/").content.decode()
    assert "À rapprocher." in detail and other.reference in detail
    assert (
        client_for(a_users.attache_madrid).get(analysis_file.get_absolute_url()).status_code == 404
    )


def test_duplicates_same_source_close_content(make_report, a_users, a_org):
    first = make_report(
        source_description="Informateur du port d'Algésiras", status=ReportStatus.SUBMITTED
    )
    second = make_report(
        author=a_users.attache_madrid,
        source_description="informateur du port d’Algesiras ",
        title="Cargaison de résine de cannabis attendue à Algésiras.",
    )
    assert second.possible_duplicate_of == first
    unrelated = make_report(
        source_description="Informateur du port d'Algésiras",
        title="Vol de véhicules",
        summary="Un réseau de voleurs de voitures de luxe.",
    )
    assert unrelated.possible_duplicate_of is None
    other_source = make_report(source_description="Police catalane")
    assert other_source.possible_duplicate_of is None
    services.apply(second, "submit", a_users.attache_madrid)
    assert second in InformationReport.objects.visible_to(a_users.analyste).possible_duplicates()
    services.clear_duplicate(second, a_users.analyste)
    second.refresh_from_db()
    assert second.possible_duplicate_of is None


def test_synthesis_follows_the_circuit_and_can_be_disseminated(
    client_for, make_report, a_users, a_org
):
    one = make_report(status=ReportStatus.VALIDATED, handling_code="H1")
    two = make_report(status=ReportStatus.VALIDATED, countries=[a_org.andorra], handling_code="H2")
    response = client_for(a_users.analyste).post(
        "/information/syntheses/nouvelle/",
        {
            "title": "Synthèse cannabis péninsule Ibérique",
            "summary": "Deux filières.",
            "body": "Analyse.",
            "sources": f"{one.reference}, {two.reference}",
            "source_reliability": "B",
            "information_credibility": "2",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    synthesis = InformationReport.objects.get(kind=ReportKind.SYNTHESIS)
    assert synthesis.reference.startswith("SY-")
    assert set(synthesis.sources.all()) == {one, two}
    assert synthesis.handling_code == "H2"  # the strictest of its sources
    assert {c.code for c in synthesis.countries.all()} == {"ES", "AD"}
    services.apply(synthesis, "submit", a_users.analyste)
    with pytest.raises(TransitionRefused):
        services.apply(synthesis, "validate", a_users.analyste)  # four eyes
    services.apply(synthesis, "validate", a_users.analyste2)
    services.disseminate(synthesis, a_users.analyste, [a_org.ofast])
    synthesis.refresh_from_db()
    assert synthesis.status == ReportStatus.DISSEMINATED
    bad = client_for(a_users.analyste).post(
        "/information/syntheses/nouvelle/",
        {
            "title": "t",
            "summary": "s",
            "body": "b",
            "sources": "RO-2026-999999",
            "source_reliability": "B",
            "information_credibility": "2",
        },
    )
    assert bad.status_code == 200 and "Références inconnues" in bad.content.decode()
