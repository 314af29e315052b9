"""STIX 2.1 export, attachments (type, size, storage, access-checked download), the country
sheet panel, « L'article 1 » counts, navigation and home sections."""

import json

import pytest
import stix2
from django.core.files.uploadedfile import SimpleUploadedFile

from relais.core.audit.models import Action, AuditEvent
from relais.information import services
from relais.information.models import Attachment
from relais.information.workflows import ReportStatus
from tests.matrix import check_matrix


def test_stix_export_is_a_valid_report_with_markings(client_for, make_report, a_users, a_org):
    report = make_report(
        status=ReportStatus.VALIDATED,
        marking="diffusion_restreinte",
        handling_code="H3",
        handling_conditions="Pas d'usage judiciaire.",
        countries=[a_org.spain, a_org.andorra],
    )
    response = client_for(a_users.analyste).get(f"/information/{report.pk}/stix/")
    assert response.status_code == 200
    bundle = stix2.parse(response.content.decode(), allow_custom=True)
    reports = [o for o in bundle.objects if o.type == "report"]
    assert len(reports) == 1
    stix_report = reports[0]
    assert stix_report.spec_version == "2.1"
    assert stix_report.name == report.title
    assert "drugs" in stix_report.labels
    assert stix2.TLP_AMBER.id in stix_report.object_marking_refs
    statements = [o for o in bundle.objects if o.type == "marking-definition"]
    assert "Diffusion restreinte" in statements[0].definition.statement
    assert "H3" in statements[0].definition.statement
    assert {o.country for o in bundle.objects if o.type == "location"} == {"ES", "AD"}
    assert stix_report.x_relais_source_reliability == "B"
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(report.pk)).exists()
    api = client_for(a_users.analyste).get(f"/api/v1/information/reports/{report.pk}/stix/")
    assert stix2.parse(api.content.decode(), allow_custom=True).type == "bundle"
    check_matrix(
        f"/information/{report.pk}/stix/",
        other_unit=(a_users.attache_bamako, 404),
        read_only=(a_users.lecteur, 404),
    )


def test_h2_maps_to_tlp_red(client_for, make_report, a_users):
    report = make_report(handling_code="H2")
    bundle = json.loads(
        client_for(a_users.attache_madrid).get(f"/information/{report.pk}/stix/").content
    )
    stix_report = next(o for o in bundle["objects"] if o["type"] == "report")
    assert stix2.TLP_RED.id in stix_report["object_marking_refs"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.RELAIS_INFORMATION_MAX_ATTACHMENT_BYTES = 1000
    return tmp_path


def test_attachment_upload_checks_type_and_size(client_for, make_report, a_users, media):
    report = make_report()
    client = client_for(a_users.attache_madrid)
    client.post(
        f"/information/{report.pk}/pieces/", {"file": SimpleUploadedFile("photo.png", b"not a png")}
    )
    client.post(
        f"/information/{report.pk}/pieces/",
        {"file": SimpleUploadedFile("script.exe", b"MZ\x90\x00")},
    )
    client.post(
        f"/information/{report.pk}/pieces/", {"file": SimpleUploadedFile("gros.txt", b"a" * 1001)}
    )
    assert not Attachment.objects.exists()
    client.post(
        f"/information/{report.pk}/pieces/",
        {"file": SimpleUploadedFile("../../note.txt", b"Compte rendu.")},
    )
    attachment = Attachment.objects.get()
    assert attachment.name == "note.txt"
    assert attachment.content_type == "text/plain"
    path = media / attachment.file.name
    assert path.exists() and str(path).startswith(str(media))
    assert "note" not in attachment.file.name  # stored under a random name


def test_attachment_download_is_access_checked_and_logged(client_for, make_report, a_users, media):
    report = make_report()
    services.add_attachment(
        report, a_users.attache_madrid, SimpleUploadedFile("piece.pdf", b"%PDF-1.4 contenu")
    )
    attachment = Attachment.objects.get()
    url = f"/information/{report.pk}/pieces/{attachment.pk}/"
    responses = check_matrix(
        url,
        other_unit=(a_users.attache_bamako, 404),
        read_only=(a_users.lecteur, 404),
        right_user=(a_users.attache_madrid, 200),
    )
    response = responses["right_user"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 contenu"
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(
        action=Action.READ, actor=a_users.attache_madrid, object_id=str(report.pk)
    ).exists()
    # An attachment id of another report is not reachable through a visible report.
    other = make_report()
    assert (
        client_for(a_users.attache_madrid)
        .get(f"/information/{other.pk}/pieces/{attachment.pk}/")
        .status_code
        == 404
    )
    # Attachments are added to drafts only.
    services.apply(report, "submit", a_users.attache_madrid)
    client_for(a_users.attache_madrid).post(
        f"/information/{report.pk}/pieces/", {"file": SimpleUploadedFile("b.txt", b"x")}
    )
    assert Attachment.objects.count() == 1


def test_country_sheet_panel_shows_only_what_the_viewer_sees(
    client_for, make_report, a_users, a_org
):
    make_report(status=ReportStatus.DISSEMINATED, title="Titre jamais montré sur la fiche pays")
    analyst = client_for(a_users.analyste).get("/pays/ES/")
    assert analyst.status_code == 200
    html = analyst.content.decode()
    assert "Renseignement opérationnel" in html
    assert "Trafic de stupéfiants" in html
    assert "Titre jamais montré" not in html
    api = client_for(a_users.analyste).get("/api/v1/countries/ES/sheet/").json()
    assert "information" in json.dumps(api)
    other = client_for(a_users.attache_bamako).get("/pays/ES/").content.decode()
    assert "Trafic de stupéfiants" not in other


def test_country_overview_count_and_article_counts(client_for, make_report, a_users):
    from relais.information.panels import count_information
    from relais.legal import counts

    make_report(status=ReportStatus.SUBMITTED)
    spain = make_report().countries.first()
    assert count_information(a_users.analyste) == {spain.pk: 1}
    assert count_information(a_users.attache_madrid) == {spain.pk: 2}
    lines = counts.counts_for(a_users.attache_madrid)["a"]
    assert any(line.count == 2 and "Fiches" in line.label for line in lines)
    assert all(
        line.count == 0
        for line in counts.counts_for(a_users.lecteur)["a"]
        if "Fiches" in line.label
    )


def test_navigation_and_home(client_for, make_report, a_users):
    make_report(status=ReportStatus.SUBMITTED)
    home = client_for(a_users.analyste).get("/").content.decode()
    assert "Renseignement opérationnel" in home
    assert "Fiches à valider" in home
    correspondent = client_for(a_users.correspondant_ofast).get("/").content.decode()
    assert "Fiches reçues à accuser" in correspondent
