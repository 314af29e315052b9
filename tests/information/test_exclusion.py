"""Priority 2: a matter exclusively for the intelligence services is not processed. Relais
keeps a receipt (date, author, unit, redirection) and nothing of the content: not in any table,
not in the search index, not in the audit trail, not in a file."""

import os

import pytest
from django.apps import apps
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models

from relais.core.audit.events import verify_chain
from relais.core.audit.models import AuditEvent
from relais.core.search.query import search
from relais.information import services
from relais.information.models import (
    Attachment,
    InformationReport,
    ReceiptOrigin,
    RedirectionReceipt,
)
from relais.information.workflows import ReportStatus

MARKER = "ZQXMARQUEURUNIQUE7731"

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.FileField)


def tables_holding(marker: str) -> list[str]:
    """Every text column of every model, scanned with raw SQL for `marker`."""
    found = []
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table not in existing:  # an app whose migrations are not written yet
                continue
            for field in model._meta.concrete_fields:
                if not isinstance(field, TEXT_FIELDS):
                    continue
                column = connection.ops.quote_name(field.column)
                cast = "TEXT" if connection.vendor != "postgresql" else "text"
                cursor.execute(
                    f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} "
                    f"WHERE CAST({column} AS {cast}) LIKE %s",
                    [f"%{marker}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{field.column}")
    return found


def files_holding(root, marker: str) -> list[str]:
    found = []
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                if marker.encode() in handle.read():
                    found.append(path)
    return found


def assert_stored_nowhere(user, media_root):
    assert tables_holding(MARKER) == []
    assert all(result.total == 0 for result in search(user, MARKER))
    assert not AuditEvent.objects.filter(changes__icontains=MARKER).exists()
    assert files_holding(media_root, MARKER) == []
    assert all(MARKER not in m.body and MARKER not in m.subject for m in mail.outbox)
    assert verify_chain() is None


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_scan_finds_the_marker_when_it_is_stored(make_report, a_users, media):
    """The scan itself works: a normal report with the marker is found in its table."""
    make_report(title=f"Rapport {MARKER}")
    assert "information_informationreport.title" in tables_holding(MARKER)


def test_api_create_exclusively_intelligence_stores_only_a_receipt(client_for, a_users, media):
    client = client_for(a_users.attache_madrid)
    response = client.post(
        "/api/v1/information/reports/",
        {
            "title": f"Agent étranger {MARKER}",
            "summary": f"Résumé {MARKER}",
            "body": f"Contenu {MARKER}",
            "source_description": f"Source {MARKER}",
            "facts_place": f"Lieu {MARKER}",
            "countries": ["ES"],
            "themes": ["terrorism"],
            "source_reliability": "A",
            "information_credibility": "1",
            "handling_code": "H3",
            "handling_conditions": f"Conditions {MARKER}",
            "marking": "diffusion_restreinte",
            "exclusively_intelligence": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 202, response.content
    data = response.json()
    assert data["status"] == "redirected"
    assert "DGSI" in data["redirection"]
    assert MARKER not in response.content.decode()
    assert not InformationReport.objects.exists()
    receipt = RedirectionReceipt.objects.get()
    assert (receipt.author, receipt.unit, receipt.origin) == (
        a_users.attache_madrid,
        a_users.attache_madrid.unit,
        ReceiptOrigin.INTAKE,
    )
    assert data["reference"] == str(receipt)
    assert_stored_nowhere(a_users.pilotage, media)
    # The author reads the receipt and where to go; another post does not see it.
    page = client.get(receipt.get_absolute_url())
    assert page.status_code == 200
    assert "DGSI" in page.content.decode()
    assert client_for(a_users.attache_bamako).get(receipt.get_absolute_url()).status_code == 404


def test_web_intake_with_the_triage_box_stores_nothing(client_for, a_users, a_org, media):
    client = client_for(a_users.attache_madrid)
    upload = SimpleUploadedFile("note.txt", f"Pièce {MARKER}".encode(), content_type="text/plain")
    response = client.post(
        "/information/nouvelle/",
        {
            "exclusively_intelligence": "on",
            "title": f"Titre {MARKER}",
            "summary": f"Résumé {MARKER}",
            "body": f"Contenu {MARKER}",
            "countries": [a_org.spain.pk],
            "source_reliability": "A",
            "information_credibility": "1",
            "handling_code": "H0",
            "marking": "non_protege",
            "attachment": upload,
            "action": "submit",
        },
    )
    assert response.status_code == 302
    receipt = RedirectionReceipt.objects.get()
    assert response["Location"] == receipt.get_absolute_url()
    assert not InformationReport.objects.exists()
    assert not Attachment.objects.exists()
    assert_stored_nowhere(a_users.pilotage, media)
    page = client.get(response["Location"])
    assert "DGSI / DGSE" in page.content.decode()


def test_analyst_triage_deletes_the_content_and_keeps_a_receipt(
    client_for, make_report, a_users, media, django_capture_on_commit_callbacks
):
    report = make_report(
        title=f"Titre {MARKER}",
        summary=f"Résumé {MARKER}",
        body=f"Contenu {MARKER}",
        source_description=f"Source {MARKER}",
        facts_place=f"Lieu {MARKER}",
    )
    services.add_attachment(
        report,
        a_users.attache_madrid,
        SimpleUploadedFile("note.txt", f"Pièce {MARKER}".encode()),
    )
    services.apply(report, "submit", a_users.attache_madrid)
    services.add_note(report, a_users.analyste, f"Note {MARKER}")
    assert tables_holding(MARKER)  # stored, as any report
    assert files_holding(media, MARKER)
    reference = report.reference
    client = client_for(a_users.analyste)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/information/{report.pk}/ecarter/")
    assert response.status_code == 302
    receipt = RedirectionReceipt.objects.get()
    assert receipt.origin == ReceiptOrigin.TRIAGE
    assert receipt.former_reference == reference
    assert receipt.author == a_users.attache_madrid
    assert not InformationReport.objects.filter(pk=report.pk).exists()
    assert_stored_nowhere(a_users.pilotage, media)
    # The author is told where it must go.
    from relais.core.notifications.models import Notification

    told = Notification.objects.get(
        recipient=a_users.attache_madrid, key__startswith="information-receipt"
    )
    assert "DGSI" in told.body and MARKER not in told.body


def test_transition_comments_go_with_the_report(
    make_report, a_users, media, django_capture_on_commit_callbacks
):
    """A comment quoting the report (sent back, then resubmitted) is kept with the report only:
    not in the audit trail nor in notifications, so the set-aside removes it too."""
    report = make_report(status=ReportStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.apply(report, "send_back", a_users.analyste, f"Précisez {MARKER}")
        services.apply(report, "submit", a_users.attache_madrid, f"Précisé {MARKER}")
    assert tables_holding(MARKER) == ["workflow_transitionlog.comment"]
    with django_capture_on_commit_callbacks(execute=True):
        services.redirect_to_intelligence(report, a_users.analyste)
    assert_stored_nowhere(a_users.pilotage, media)


def test_triage_refused_after_dissemination_and_to_recipients(client_for, make_report, a_users):
    report = make_report(status=ReportStatus.DISSEMINATED)
    response = client_for(a_users.analyste).post(f"/information/{report.pk}/ecarter/")
    assert response.status_code == 302
    assert InformationReport.objects.filter(pk=report.pk).exists()
    api = client_for(a_users.correspondant_ofast).post(
        f"/api/v1/information/reports/{report.pk}/redirect/"
    )
    assert api.status_code == 403  # a recipient may never set a report aside: who before when
    late = client_for(a_users.analyste).post(f"/api/v1/information/reports/{report.pk}/redirect/")
    assert late.status_code == 409  # an analyst may, but no longer once disseminated
    draft = make_report()
    forbidden = client_for(a_users.analyste).post(
        f"/api/v1/information/reports/{draft.pk}/redirect/"
    )
    assert forbidden.status_code == 404  # analysts do not see other units' drafts


def test_author_may_redirect_own_draft_through_the_api(client_for, make_report, a_users):
    draft = make_report()
    response = client_for(a_users.attache_madrid).post(
        f"/api/v1/information/reports/{draft.pk}/redirect/"
    )
    assert response.status_code == 202
    assert response.json()["status"] == "redirected"
    assert not InformationReport.objects.exists()
