"""Priority 7: retention per theme, `relais purge-expired [--dry-run]`, trace without content."""

import datetime
import io

import time_machine
from django.core.management import call_command
from django.utils import timezone

from relais.core.audit.events import verify_chain
from relais.core.audit.models import Action, AuditEvent
from relais.core.search.models import SearchEntry
from relais.core.workflow.models import TransitionLog
from relais.information import services
from relais.information.models import InformationReport, PurgeRecord, Theme
from relais.information.workflows import ReportStatus

MARKER = "PURGEMARQUEUR4412"


def test_purge_expired_dry_run_then_real(make_report, a_users, a_org):
    with time_machine.travel(datetime.datetime(2019, 1, 10, 12, tzinfo=datetime.UTC)):
        old = make_report(title=f"Ancienne {MARKER}", status=ReportStatus.DISSEMINATED)
        services.apply(old, "close", a_users.analyste, f"Classée : {MARKER}")
        old_terror = make_report(title="Ancienne terrorisme", theme_codes=("terrorism",))
    recent = make_report(title="Récente")
    Theme.objects.filter(code="terrorism").update(retention_years=10)
    out = io.StringIO()
    call_command("purge_expired", "--dry-run", stdout=out)
    assert old.reference in out.getvalue()
    assert old_terror.reference not in out.getvalue()  # ten years for terrorism
    assert "1 fiche(s) à supprimer" in out.getvalue()
    assert InformationReport.objects.filter(pk=old.pk).exists()

    out = io.StringIO()
    call_command("purge_expired", stdout=out)
    assert "1 fiche(s) supprimée(s)" in out.getvalue()
    assert set(InformationReport.objects.values_list("pk", flat=True)) == {old_terror.pk, recent.pk}
    trace = PurgeRecord.objects.get()
    assert trace.report_reference == old.reference
    assert trace.unit_code == "SSI-MADRID"
    assert "5 an(s)" in trace.rule
    assert trace.themes == "drugs"
    event = AuditEvent.objects.get(action=Action.PURGE)
    assert event.extra["reference"] == old.reference
    assert not AuditEvent.objects.filter(changes__icontains=MARKER).exists()
    assert not AuditEvent.objects.filter(extra__icontains=MARKER).exists()
    assert not SearchEntry.objects.filter(text__icontains=MARKER.lower()).exists()
    assert not TransitionLog.objects.filter(comment__icontains=MARKER).exists()
    assert verify_chain() is None
    # Pilotage reads the trace; it carries no content.
    page = __import__("django.test", fromlist=["Client"]).Client()
    page.force_login(a_users.pilotage)
    html = page.get("/information/purges/").content.decode()
    assert old.reference in html and MARKER not in html


def test_purge_date_option_and_default_period(make_report, settings):
    report = make_report()
    out = io.StringIO()
    later = (timezone.localdate() + datetime.timedelta(days=5 * 366 + 2)).isoformat()
    call_command("purge_expired", "--dry-run", "--date", later, stdout=out)
    assert report.reference in out.getvalue()
    settings.RELAIS_INFORMATION_RETENTION_YEARS = 8
    Theme.objects.update(retention_years=8)
    out = io.StringIO()
    call_command("purge_expired", "--dry-run", "--date", later, stdout=out)
    assert report.reference not in out.getvalue()
