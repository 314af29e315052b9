"""Attachments through the API, the import files and the report page: upload (type and size
checked on the content), listing in the report's JSON, access-checked download, removal from a
draft; a refused file stores nothing."""

import base64
import json
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from relais.core.audit.models import Action, AuditEvent
from relais.information import services
from relais.information.import_files import import_reports, read_file
from relais.information.models import Attachment, InformationReport, Theme
from relais.information.workflows import ReportStatus

URL = "/api/v1/information/reports/"
PDF = b"%PDF-1.4 compte rendu"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.RELAIS_INFORMATION_MAX_ATTACHMENT_BYTES = 1000
    return tmp_path


def stored_files(root) -> list[str]:
    return [os.path.join(d, n) for d, _dirs, names in os.walk(root) for n in names]


def test_upload_list_download_and_remove_through_the_api(
    client_for, make_report, a_users, media, django_capture_on_commit_callbacks
):
    report = make_report()
    author = client_for(a_users.attache_madrid)
    response = author.post(
        f"{URL}{report.pk}/attachments/", {"file": SimpleUploadedFile("cr.pdf", PDF)}
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["name"], data["content_type"], data["size"]) == ("cr.pdf", "application/pdf", 21)
    assert len(data["sha256"]) == 64
    download = data["download"]
    assert download == f"{URL}{report.pk}/attachments/{data['id']}/"

    # The report's JSON and the listing show it.
    detail = author.get(f"{URL}{report.pk}/").json()
    assert [a["name"] for a in detail["attachments"]] == ["cr.pdf"]
    assert [a["id"] for a in author.get(f"{URL}{report.pk}/attachments/").json()] == [data["id"]]

    # Download: the bytes, as an attachment, the read in the access log.
    served = author.get(download)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF
    assert served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(
        action=Action.EXPORT, object_id=str(report.pk), extra__format="attachment"
    ).exists()
    # Another post does not see the report, hence not its files.
    assert client_for(a_users.attache_bamako).get(download).status_code == 404

    # Removal from the draft: the row and, once committed, the file.
    assert len(stored_files(media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert author.delete(download).status_code == 204
    assert not Attachment.objects.exists()
    assert stored_files(media) == []
    assert AuditEvent.objects.filter(action=Action.DELETE, model="information.attachment").exists()
    assert author.get(download).status_code == 404


def test_api_upload_refusals(client_for, make_report, a_users, media):
    report = make_report()
    author = client_for(a_users.attache_madrid)
    url = f"{URL}{report.pk}/attachments/"
    fake = author.post(url, {"file": SimpleUploadedFile("photo.png", b"not a png")})
    assert fake.status_code == 400
    assert "ne correspond pas" in fake.json()["file"][0]
    big = author.post(url, {"file": SimpleUploadedFile("gros.txt", b"a" * 1001)})
    assert big.status_code == 400
    assert "trop volumineux" in big.json()["file"][0]
    missing = author.post(url, {})
    assert missing.status_code == 400
    assert "file" in missing.json()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []

    # Not the author's unit: the report is not visible (404); an analyst sees but may not add.
    other = client_for(a_users.attache_bamako).post(
        url, {"file": SimpleUploadedFile("a.txt", b"x")}
    )
    assert other.status_code == 404
    services.apply(report, "submit", a_users.attache_madrid)
    analyst = client_for(a_users.analyste).post(url, {"file": SimpleUploadedFile("a.txt", b"x")})
    assert analyst.status_code == 403
    # Once submitted, the author can neither add nor remove.
    late = author.post(url, {"file": SimpleUploadedFile("a.txt", b"x")})
    assert late.status_code == 403
    assert "brouillon" in late.json()["detail"]
    assert not Attachment.objects.exists()


def test_removal_refused_once_submitted(client_for, make_report, a_users, media):
    report = make_report()
    attachment = services.add_attachment(
        report, a_users.attache_madrid, SimpleUploadedFile("a.txt", b"texte")
    )
    services.apply(report, "submit", a_users.attache_madrid)
    url = f"{URL}{report.pk}/attachments/{attachment.pk}/"
    assert client_for(a_users.attache_madrid).delete(url).status_code == 403
    assert client_for(a_users.analyste).delete(url).status_code == 403
    assert Attachment.objects.count() == 1


def test_multipart_create_carries_the_files_or_stores_nothing(client_for, a_users, media):
    client = client_for(a_users.attache_madrid)
    fields = {
        "title": "Atelier de faux documents",
        "summary": "Des passeports contrefaits sont proposés.",
        "countries": ["ES"],
        "themes": ["document_fraud"],
        "source_reliability": "B",
        "information_credibility": "2",
    }
    refused = client.post(
        URL,
        {
            **fields,
            "attachments": [
                SimpleUploadedFile("ok.txt", b"texte"),
                SimpleUploadedFile("photo.jpg", b"pas une image"),
            ],
        },
    )
    assert refused.status_code == 400
    assert "photo.jpg" in refused.json()["attachments"][0]
    assert not InformationReport.objects.exists()
    assert stored_files(media) == []

    created = client.post(
        URL,
        {
            **fields,
            "attachments": [
                SimpleUploadedFile("ok.txt", b"texte"),
                SimpleUploadedFile("cr.pdf", PDF),
            ],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["countries"] == ["ES"] and body["themes"] == ["document_fraud"]
    assert sorted(a["name"] for a in body["attachments"]) == ["cr.pdf", "ok.txt"]
    assert len(stored_files(media)) == 2


def _import_file(rows) -> list:
    return read_file(json.dumps(rows, indent=2).encode(), "fiches.json")


def _row(**extra):
    return {
        "title": "Filière de passeurs",
        "summary": "Départs groupés.",
        "countries": ["ES"],
        "themes": ["irregular_immigration"],
        "source_reliability": "B",
        "information_credibility": "2",
        **extra,
    }


def test_json_import_carries_attachments_in_base64(a_users, media):
    encoded = base64.b64encode(PDF).decode()
    result = import_reports(
        a_users.attache_madrid,
        _import_file([_row(attachments=[{"name": "cr.pdf", "content_base64": encoded}])]),
    )
    assert result.ok, result.errors
    report = result.created[0]
    attachment = report.attachments.get()
    assert (attachment.name, attachment.content_type, attachment.size) == (
        "cr.pdf",
        "application/pdf",
        len(PDF),
    )
    with attachment.file.open("rb") as handle:
        assert handle.read() == PDF


def test_json_import_refuses_bad_attachments_and_stores_nothing(a_users, media):
    rows = [
        _row(attachments=[{"name": "cr.pdf", "content_base64": "%%% pas du base64"}]),
        _row(attachments=[{"name": "x.exe", "content_base64": base64.b64encode(b"MZ").decode()}]),
        _row(attachments="cr.pdf"),
        _row(attachments=[{"name": "a.txt"}]),
    ]
    result = import_reports(a_users.attache_madrid, _import_file(rows))
    assert not result.ok
    messages = [str(e) for e in result.errors]
    assert any("attachments[1]" in m and "base64 illisible" in m for m in messages)
    assert any("x.exe" in m and "Type de fichier refusé" in m for m in messages)
    assert any("fichier JSON uniquement" in m for m in messages)
    assert len(result.error_lines) == 4  # one error per report, each at its own line
    assert not InformationReport.objects.exists()
    assert stored_files(media) == []


def test_report_page_removes_an_attachment_of_a_draft(
    client_for, make_report, a_users, media, django_capture_on_commit_callbacks
):
    report = make_report()
    attachment = services.add_attachment(
        report, a_users.attache_madrid, SimpleUploadedFile("a.txt", b"texte")
    )
    page = client_for(a_users.attache_madrid).get(report.get_absolute_url()).content.decode()
    remove = f"/information/{report.pk}/pieces/{attachment.pk}/retirer/"
    assert remove in page
    assert client_for(a_users.attache_bamako).post(remove).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(a_users.attache_madrid).post(remove, follow=True)
    assert "Pièce jointe « a.txt » retirée." in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []
    # No remove button once the report has left the draft state.
    other = make_report(status=ReportStatus.SUBMITTED)
    services_page = client_for(a_users.attache_madrid).get(other.get_absolute_url())
    assert "retirer/" not in services_page.content.decode()


def test_a_failure_after_the_files_are_stored_keeps_no_file(a_users, a_org, media, monkeypatch):
    """The rows roll back with the transaction; the files stored before the failure go too."""
    from relais.core.workflow.engine import TransitionRefused

    def refuse(*args, **kwargs):
        raise TransitionRefused("Refus simulé.")

    monkeypatch.setattr(services, "apply", refuse)
    files = [SimpleUploadedFile("a.txt", b"texte"), SimpleUploadedFile("cr.pdf", PDF)]
    with pytest.raises(TransitionRefused):
        services.create_report(
            a_users.attache_madrid,
            countries=[a_org.spain],
            themes=list(Theme.objects.filter(code="drugs")),
            title="Fiche",
            summary="Résumé",
            source_reliability="B",
            information_credibility="2",
            attachments=files,
            submit=True,
        )
    assert not InformationReport.objects.exists()
    assert stored_files(media) == []


def test_an_import_rolled_back_after_storing_files_keeps_none(a_users, media, monkeypatch):
    encoded = base64.b64encode(PDF).decode()
    rows = [
        _row(title=f"Fiche {n}", attachments=[{"name": "cr.pdf", "content_base64": encoded}])
        for n in range(3)
    ]
    real = services.find_possible_duplicate
    calls = []

    def fail_on_the_third(report):
        calls.append(report)
        if len(calls) == 3:
            raise services.ValidationError({"title": "Échec simulé à l'écriture."})
        return real(report)

    monkeypatch.setattr(services, "find_possible_duplicate", fail_on_the_third)
    result = import_reports(a_users.attache_madrid, _import_file(rows))
    assert not result.ok
    assert any("Échec simulé" in str(e) for e in result.errors)
    assert len(calls) == 3  # two reports (and their files) were written before the failure
    assert not InformationReport.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_a_very_long_file_name_is_shortened_not_refused(client_for, make_report, a_users, media):
    report = make_report()
    long_name = "compte-rendu-" + "x" * 300 + ".pdf"
    response = client_for(a_users.attache_madrid).post(
        f"{URL}{report.pk}/attachments/", {"file": SimpleUploadedFile(long_name, PDF)}
    )
    assert response.status_code == 201, response.content
    name = response.json()["name"]
    assert len(name) == 200 and name.startswith("compte-rendu-xxx") and name.endswith(".pdf")
    encoded = base64.b64encode(PDF).decode()
    result = import_reports(
        a_users.attache_madrid,
        _import_file([_row(attachments=[{"name": "y" * 600 + ".PDF", "content_base64": encoded}])]),
    )
    assert result.ok, result.errors
    stored = result.created[0].attachments.get().name
    assert len(stored) == 200 and stored.lower().endswith(".pdf")
