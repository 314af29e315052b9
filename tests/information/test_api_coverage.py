"""The analysts' records of mission a through the API: analysis files (and their reports),
routing rules, syntheses, analyst notes, links between reports and the duplicate flag — scope,
permissions, services (audit), versions, bad input and query budget."""

from relais.core.audit.models import Action
from relais.information import services
from relais.information.models import AnalysisFile, InformationReport, ReportKind, RoutingRule
from relais.information.workflows import ReportStatus
from tests.api_checks import last_event, queries_for, send
from tests.matrix import Persona, check_matrix

API = "/api/v1/information"


def test_analysis_files(make_report, a_users, client_for):
    users = a_users
    report = make_report(status=ReportStatus.SUBMITTED)
    draft = make_report(title="Brouillon")
    payload = {"title": "Filière de résine Maroc-Espagne", "themes": ["drugs"], "countries": ["es"]}
    responses = check_matrix(
        f"{API}/files/",
        method="post",
        data=payload,
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_madrid, 403),
        read_only=(users.lecteur, 403),
        right_user=(users.analyste, 201),
    )
    data = responses["right_user"].json()
    assert data["countries"] == ["ES"] and data["state"] == "open"
    created = AnalysisFile.objects.get(pk=data["id"])
    assert last_event(created, Action.CREATE).actor == users.analyste
    responses = check_matrix(
        f"{API}/files/{created.pk}/",
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_madrid, 404),
        read_only=(users.lecteur, 404),
        right_user=(users.pilotage, 200),
    )
    assert responses["right_user"].json()["title"] == payload["title"]
    client = client_for(users.analyste)
    url = f"{API}/files/{created.pk}/"
    changed = send(client, "patch", url, {"description": "Suivi depuis 2026.", "version": 1})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    assert send(client, "patch", url, {"description": "x", "version": 1}).status_code == 409
    assert (
        send(
            client_for(users.pilotage), "patch", url, {"state": "closed", "version": 2}
        ).status_code
        == 403
    )
    bad = send(client, "post", f"{API}/files/", {"themes": ["drugs"]})
    assert bad.status_code == 400 and "title" in bad.json()

    added = send(client, "post", f"{url}reports/", {"report": report.reference})
    assert added.status_code == 200, added.content
    assert added.json()["report_count"] == 1
    assert last_event(created, Action.UPDATE).actor == users.analyste
    refused = send(client, "post", f"{url}reports/", {"report": draft.reference})
    assert refused.status_code == 400 and "report" in refused.json()
    assert (
        send(
            client_for(users.pilotage), "post", f"{url}reports/", {"report": report.pk}
        ).status_code
        == 403
    )
    listed = client.get(f"{url}reports/").json()
    assert [r["id"] for r in listed["results"]] == [report.pk]


def test_routing_rules(a_org, a_users, client_for):
    users = a_users
    payload = {"theme": "drugs", "country": "es", "units": ["OFAST", "PJGN"], "note": "Résine"}
    responses = check_matrix(
        f"{API}/rules/",
        method="post",
        data=payload,
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.analyste, 403),
        read_only=(users.lecteur, 403),
        right_user=(users.pilotage, 201),
    )
    data = responses["right_user"].json()
    assert data["country"] == "ES" and sorted(data["units"]) == ["OFAST", "PJGN"]
    rule = RoutingRule.objects.get(pk=data["id"])
    assert last_event(rule, Action.CREATE).actor == users.pilotage
    responses = check_matrix(
        f"{API}/rules/",
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_madrid, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.analyste, 200),
    )
    assert responses["other_unit"].json()["count"] == 0
    assert [r["id"] for r in responses["read_only"].json()["results"]] == [rule.pk]
    client = client_for(users.pilotage)
    again = send(client, "post", f"{API}/rules/", payload)
    assert again.status_code == 400 and "theme" in again.json()
    intelligence = send(
        client, "post", f"{API}/rules/", {**payload, "country": None, "units": ["DGSI"]}
    )
    assert intelligence.status_code == 400 and "units" in intelligence.json()
    url = f"{API}/rules/{rule.pk}/"
    changed = send(client, "patch", url, {"active": False, "version": 1})
    assert changed.status_code == 200 and changed.json()["active"] is False
    assert last_event(rule, Action.UPDATE).changes["active"] == [True, False]
    assert send(client, "patch", url, {"active": True, "version": 1}).status_code == 409
    assert (
        send(client_for(users.analyste), "patch", url, {"active": True, "version": 2}).status_code
        == 403
    )


def test_synthesis(make_report, a_users, client_for):
    users = a_users
    first = make_report(status=ReportStatus.SUBMITTED)
    second = make_report(status=ReportStatus.SUBMITTED, title="Deuxième go-fast")
    payload = {
        "title": "Synthèse : go-fast en Andalousie",
        "summary": "Deux livraisons attendues.",
        "body": "Les deux fiches décrivent la même filière.",
        "sources": [first.reference, str(second.pk)],
        "source_reliability": "B",
        "information_credibility": "2",
    }
    responses = check_matrix(
        f"{API}/syntheses/",
        method="post",
        data=payload,
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_madrid, 403),
        read_only=(users.lecteur, 403),
        right_user=(users.analyste, 201),
    )
    data = responses["right_user"].json()
    assert data["kind"] == ReportKind.SYNTHESIS and data["status"] == ReportStatus.DRAFT
    synthesis = InformationReport.objects.get(pk=data["id"])
    assert set(synthesis.sources.all()) == {first, second}
    assert last_event(synthesis, Action.CREATE).actor == users.analyste
    client = client_for(users.analyste)
    unknown = send(client, "post", f"{API}/syntheses/", {**payload, "sources": ["RO-2026-999999"]})
    assert unknown.status_code == 400 and "sources" in unknown.json()
    grading = send(client, "post", f"{API}/syntheses/", {**payload, "source_reliability": "Z"})
    assert grading.status_code == 400 and "source_reliability" in grading.json()
    assert send(client, "post", f"{API}/syntheses/", {**payload, "title": ""}).json().keys() >= {
        "title"
    }


def test_notes_links_and_duplicate_flag(make_report, a_users, client_for):
    users = a_users
    report = make_report(status=ReportStatus.SUBMITTED)
    other = make_report(status=ReportStatus.SUBMITTED, title="Même filière")
    notes = f"{API}/reports/{report.pk}/notes/"
    responses = check_matrix(
        notes,
        method="post",
        data={"text": "Recouper avec la fiche de mars."},
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_bamako, 404),
        read_only=(users.lecteur, 404),
        right_user=(users.analyste, 201),
    )
    assert responses["right_user"].json()["author"] == users.analyste.username
    # Pilotage reads the report and the notes but does not write them.
    assert send(client_for(users.pilotage), "post", notes, {"text": "x"}).status_code == 403
    last_event(report.notes.get(), Action.CREATE)
    # The author's post reads the report, not the analysts' notes.
    assert client_for(users.attache_madrid).get(notes).json()["count"] == 0
    assert client_for(users.pilotage).get(notes).json()["count"] == 1
    typo = send(client_for(users.analyste), "post", notes, {"txt": "Note"})
    assert typo.status_code == 400 and "txt" in typo.json()
    empty = send(client_for(users.analyste), "post", notes, {"text": ""})
    assert empty.status_code == 400 and "text" in empty.json()

    links = f"{API}/reports/{report.pk}/links/"
    client = client_for(users.analyste)
    linked = send(client, "post", links, {"target": other.reference, "kind": "same_case"})
    assert linked.status_code == 201, linked.content
    assert linked.json()["target"] == other.pk
    last_event(report.links_from.get(), Action.CREATE)
    again = send(client, "post", links, {"target": other.reference, "kind": "same_case"})
    assert again.status_code == 400 and "target" in again.json()
    unknown = send(client, "post", links, {"target": "RO-2026-999999", "kind": "related"})
    assert unknown.status_code == 400 and "target" in unknown.json()
    assert (
        send(
            client_for(users.attache_madrid), "post", links, {"target": other.pk, "kind": "related"}
        ).status_code
        == 403
    )

    InformationReport.objects.filter(pk=other.pk).update(possible_duplicate_of=report)
    other.refresh_from_db()
    url = f"{API}/reports/{other.pk}/clear-duplicate/"
    assert send(client_for(users.attache_madrid), "post", url, {}).status_code == 403
    stale = send(client, "post", url, {"version": other.version + 1})
    assert stale.status_code == 409
    cleared = send(client, "post", url, {"version": other.version})
    assert cleared.status_code == 200, cleared.content
    other.refresh_from_db()
    assert other.possible_duplicate_of_id is None
    event = last_event(other, Action.UPDATE)
    assert event.actor == users.analyste and "possible_duplicate_of" in event.changes


def test_lists_query_budget(make_report, a_users, a_org, client_for):
    users = a_users
    report = make_report(status=ReportStatus.SUBMITTED)
    analysis_file = AnalysisFile.objects.create(title="Dossier")
    from relais.core import records
    from relais.information.models import Theme

    def add(start, stop):
        for n in range(start, stop):
            services.add_note(report, users.analyste, f"Note {n}")
            target = make_report(status=ReportStatus.SUBMITTED, title=f"Fiche {n}")
            services.link_reports(report, target, users.analyste)
            records.update(
                analysis_file,
                users.analyste,
                m2m={"reports": [*analysis_file.reports.all(), target]},
            )
            records.create(
                AnalysisFile(title=f"Dossier {n}"),
                users.analyste,
                m2m={"themes": list(Theme.objects.all()[:2])},
            )
            rule = RoutingRule(theme=Theme.objects.all()[n % 5], note=f"Règle {n}")
            records.create(rule, users.pilotage, m2m={"units": [a_org.ofast, a_org.pjgn]})

    urls = [
        f"{API}/reports/{report.pk}/notes/",
        f"{API}/reports/{report.pk}/links/",
        f"{API}/files/",
        f"{API}/files/{analysis_file.pk}/reports/",
        f"{API}/rules/",
    ]
    client = client_for(users.analyste)
    add(0, 10)
    small = [queries_for(client, f"{u}?limit=100") for u in urls]
    add(10, 50)
    assert [queries_for(client, f"{u}?limit=100") for u in urls] == small


def test_receipts_and_purge_traces(a_users, a_org, client_for):
    users = a_users
    receipt = services.record_receipt(users.attache_madrid)
    responses = check_matrix(
        f"{API}/receipts/",
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_bamako, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.attache_madrid, 200),
    )
    assert responses["other_unit"].json()["count"] == 0
    assert [r["id"] for r in responses["right_user"].json()["results"]] == [receipt.pk]
    assert client_for(users.analyste).get(f"{API}/receipts/{receipt.pk}/").status_code == 200
    assert client_for(users.attache_bamako).get(f"{API}/receipts/{receipt.pk}/").status_code == 404
    from django.utils import timezone

    from relais.information.models import PurgeRecord

    PurgeRecord.objects.create(
        report_reference="RO-2015-000001",
        report_id=1,
        unit_code="SSI-MADRID",
        themes="drugs",
        rule="10 ans",
        last_updated_at=timezone.now(),
        purged_at=timezone.now(),
    )
    responses = check_matrix(
        f"{API}/purges/",
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_madrid, 403),
        read_only=(users.lecteur, 200),
        right_user=(users.analyste, 200),
    )
    assert [p["report_reference"] for p in responses["read_only"].json()["results"]] == [
        "RO-2015-000001"
    ]
