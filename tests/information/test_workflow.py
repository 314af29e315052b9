"""Priority 3 and 5: the circuit (four-eyes), dissemination with routing rules,
acknowledgement, feedback, reminders, H2."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from relais.core.notifications.models import Notification
from relais.information import services
from relais.information.models import Dissemination, Feedback, InformationReport, RoutingRule
from relais.information.workflows import ReportStatus

API = "/api/v1/information/reports/"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_submit_then_validate_by_another_analyst(client_for, make_report, a_users):
    report = make_report()
    author = client_for(a_users.attache_madrid)
    assert post(author, f"{API}{report.pk}/validate/").status_code == 403  # role
    response = post(author, f"{API}{report.pk}/submit/")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    # The author's unit can no longer edit it.
    assert (
        author.patch(
            f"{API}{report.pk}/", {"title": "x", "version": 3}, content_type="application/json"
        ).status_code
        == 403
    )
    analyst = client_for(a_users.analyste)
    response = post(analyst, f"{API}{report.pk}/validate/", {"comment": "Recoupée."})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "validated"
    report.refresh_from_db()
    assert report.validated_by == a_users.analyste
    assert report.validated_at is not None


def test_four_eyes_an_analyst_does_not_validate_own_report(client_for, make_report, a_users):
    report = make_report(author=a_users.analyste, status=ReportStatus.SUBMITTED)
    response = post(client_for(a_users.analyste), f"{API}{report.pk}/validate/")
    assert response.status_code == 409
    assert "quatre yeux" in response.json()["detail"]
    assert InformationReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    ok = post(client_for(a_users.analyste2), f"{API}{report.pk}/validate/")
    assert ok.status_code == 200


def test_illegal_transitions(client_for, make_report, a_users):
    draft = make_report()
    analyst = client_for(a_users.analyste)
    assert post(analyst, f"{API}{draft.pk}/validate/").status_code == 404  # drafts are private
    submitted = make_report(status=ReportStatus.SUBMITTED)
    response = post(analyst, f"{API}{submitted.pk}/disseminate/", {"units": ["OFAST"]})
    assert response.status_code == 409
    send_back = post(analyst, f"{API}{submitted.pk}/send_back/")
    assert send_back.status_code == 400 and "comment" in send_back.json()
    assert (
        post(analyst, f"{API}{submitted.pk}/send_back/", {"comment": "Préciser la source."}).json()[
            "status"
        ]
        == "draft"
    )
    assert post(client_for(a_users.lecteur), f"{API}{submitted.pk}/validate/").status_code == 404


def test_disseminate_records_unit_code_deadline_and_notifies(
    client_for, make_report, a_users, a_org
):
    report = make_report(
        status=ReportStatus.VALIDATED, handling_code="H3", handling_conditions="Usage interne."
    )
    deadline = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    response = post(
        client_for(a_users.analyste),
        f"{API}{report.pk}/disseminate/",
        {"units": ["OFAST", "PJGN"], "deadline": deadline},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "disseminated"
    sent = {d["unit"]: d for d in data["disseminations"]}
    assert set(sent) == {"OFAST", "PJGN"}
    assert sent["OFAST"]["handling_code"] == "H3"
    assert sent["OFAST"]["handling_conditions"] == "Usage interne."
    assert sent["OFAST"]["deadline"] == deadline
    assert sent["OFAST"]["acknowledged"] is False
    assert Notification.objects.filter(
        recipient=a_users.correspondant_ofast, kind="dissemination"
    ).exists()
    # The recipients now see it; units it was not sent to still do not.
    assert client_for(a_users.correspondant_ofast).get(f"{API}{report.pk}/").status_code == 200
    assert client_for(a_users.correspondant_dgpn).get(f"{API}{report.pk}/").status_code == 404


@pytest.mark.parametrize(
    "body, field",
    [
        ({"units": []}, "units"),
        ({"units": ["NOPE"]}, "units"),
        ({"units": ["DGSI"]}, "units"),
        ({"units": ["OFAST"], "deadline": "2001-01-01"}, "deadline"),
        ({"units": ["OFAST"], "deadline": "demain"}, "deadline"),
    ],
)
def test_disseminate_bad_input(client_for, make_report, a_users, body, field):
    report = make_report(status=ReportStatus.VALIDATED)
    response = post(client_for(a_users.analyste), f"{API}{report.pk}/disseminate/", body)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Dissemination.objects.exists()
    assert InformationReport.objects.get(pk=report.pk).status == ReportStatus.VALIDATED


def test_acknowledge_and_feedback_come_back_to_the_author(client_for, make_report, a_users):
    report = make_report(status=ReportStatus.DISSEMINATED)
    recipient = client_for(a_users.correspondant_ofast)
    assert (
        post(client_for(a_users.correspondant_dgpn), f"{API}{report.pk}/acknowledge/").status_code
        == 404
    )
    response = post(recipient, f"{API}{report.pk}/acknowledge/")
    assert response.status_code == 200
    assert response.json()["disseminations"][0]["acknowledged"] is True
    assert post(recipient, f"{API}{report.pk}/acknowledge/").status_code == 409
    assert (
        post(recipient, f"{API}{report.pk}/feedback/", {"usefulness": "useful"}).status_code == 400
    )
    response = post(
        recipient,
        f"{API}{report.pk}/feedback/",
        {"usefulness": "very_useful", "follow_up": "investigation", "comment": "Enquête ouverte."},
    )
    assert response.status_code == 201, response.content
    feedback = Feedback.objects.get()
    assert feedback.dissemination.unit.code == "OFAST"
    note = Notification.objects.get(recipient=a_users.attache_madrid, kind="information_feedback")
    assert "OFAST" in note.title and report.reference in note.title
    # The author sees the feedback on the report.
    data = client_for(a_users.attache_madrid).get(f"{API}{report.pk}/").json()
    assert data["disseminations"][0]["feedbacks"][0]["usefulness"] == "very_useful"
    # The analyst may not acknowledge for a recipient.
    assert post(client_for(a_users.analyste), f"{API}{report.pk}/acknowledge/").status_code == 403


def test_h2_cannot_be_redisseminated_by_recipients(client_for, make_report, a_users):
    h2 = make_report(status=ReportStatus.DISSEMINATED, handling_code="H2")
    response = post(
        client_for(a_users.correspondant_ofast), f"{API}{h2.pk}/disseminate/", {"units": ["PJGN"]}
    )
    assert response.status_code == 409
    assert "H2" in response.json()["detail"]
    assert Dissemination.objects.filter(report=h2).count() == 1
    h1 = make_report(status=ReportStatus.DISSEMINATED, handling_code="H1")
    response = post(
        client_for(a_users.correspondant_ofast), f"{API}{h1.pk}/disseminate/", {"units": ["PJGN"]}
    )
    assert response.status_code == 200, response.content
    again = Dissemination.objects.get(report=h1, unit__code="PJGN")
    assert again.parent.unit.code == "OFAST"
    # Web page: the H2 report shows the notice and no re-dissemination form.
    page = client_for(a_users.correspondant_ofast).get(f"/information/{h2.pk}/").content.decode()
    assert "ne peut pas être rediffusée" in page
    assert "Rediffuser à une autre unité" not in page


def test_routing_rules_propose_units(make_report, a_users, a_org):
    assert services.seed_routing_rules() >= 1
    assert services.seed_routing_rules() == 0  # idempotent
    rule = RoutingRule.objects.get(theme__code="drugs", country__isnull=True)
    assert {u.code for u in rule.units.all()} == {"OFAST", "PJGN"}
    immigration = RoutingRule.objects.get(theme__code="irregular_immigration")
    assert {u.code for u in immigration.units.all()} == {"DCPAF"}
    report = make_report(
        status=ReportStatus.VALIDATED, theme_codes=("drugs", "irregular_immigration")
    )
    assert {u.code for u in services.propose_units(report)} == {"OFAST", "PJGN", "DCPAF"}


def test_overdue_acknowledgements_are_reminded_and_on_the_board(client_for, make_report, a_users):
    report = make_report(status=ReportStatus.DISSEMINATED)
    dissemination = Dissemination.objects.get(report=report)
    later = dissemination.acknowledgement_due + datetime.timedelta(days=2)
    call_command("send_reminders", date=later.isoformat(), source=["information.acknowledgement"])
    reminder = Notification.objects.get(recipient=a_users.correspondant_ofast, kind="deadline")
    assert report.reference in reminder.title
    call_command("send_reminders", date=later.isoformat(), source=["information.acknowledgement"])
    assert (
        Notification.objects.filter(recipient=a_users.correspondant_ofast, kind="deadline").count()
        == 1
    )
    Dissemination.objects.filter(pk=dissemination.pk).update(
        acknowledgement_due=timezone.localdate() - datetime.timedelta(days=3)
    )
    board = client_for(a_users.analyste).get("/information/suivi/").content.decode()
    assert report.reference in board
    author_board = client_for(a_users.attache_madrid).get("/information/suivi/").content.decode()
    assert report.reference in author_board
    other = client_for(a_users.attache_bamako).get("/information/suivi/").content.decode()
    assert report.reference not in other


def test_web_flow_validate_disseminate_acknowledge(client_for, make_report, a_users, a_org):
    report = make_report(status=ReportStatus.SUBMITTED)
    analyst = client_for(a_users.analyste)
    page = analyst.get(f"/information/{report.pk}/").content.decode()
    assert "Valider" in page
    analyst.post(f"/information/{report.pk}/action/validate/", {"version": report.version})
    report.refresh_from_db()
    assert report.status == ReportStatus.VALIDATED
    analyst.post(f"/information/{report.pk}/diffuser/", {"units": [a_org.ofast.pk]})
    assert Dissemination.objects.filter(report=report, unit=a_org.ofast).exists()
    recipient = client_for(a_users.correspondant_ofast)
    inbox = recipient.get("/information/reception/").content.decode()
    assert report.reference in inbox
    recipient.post(f"/information/{report.pk}/accuser-reception/")
    assert Dissemination.objects.get(report=report).acknowledged_by == a_users.correspondant_ofast
    recipient.post(
        f"/information/{report.pk}/retour/", {"usefulness": "useful", "follow_up": "none"}
    )
    assert Feedback.objects.count() == 1


def test_the_workflow_endpoint_drives_the_circuit(client_for, make_report, a_users):
    """`GET/POST …/transitions/` (docs/dev/workflow.md §4), dissemination with its units."""
    report = make_report()
    url = f"{API}{report.pk}/transitions/"
    author = client_for(a_users.attache_madrid)
    assert [t["name"] for t in author.get(url).json()["transitions"]] == ["submit"]
    assert post(author, url, {"transition": "validate"}).status_code == 403  # role
    submitted = post(author, url, {"transition": "submit"})
    assert submitted.json()["status"] == "submitted", submitted.content
    analyst = client_for(a_users.analyste)
    assert post(analyst, url, {"transition": "validate"}).json()["status"] == "validated"
    listed = {t["name"]: t for t in analyst.get(url).json()["transitions"]}
    assert [(f["name"], f["type"], f["required"]) for f in listed["disseminate"]["fields"]] == [
        ("units", "list", True),
        ("deadline", "date", False),
    ]
    no_units = post(analyst, url, {"transition": "disseminate"})
    assert no_units.status_code == 400 and "units" in no_units.json()
    wrong_step = post(analyst, url, {"transition": "close", "units": ["OFAST"]})
    assert wrong_step.status_code == 400 and "units" in wrong_step.json()
    done = post(analyst, url, {"transition": "disseminate", "units": ["OFAST"]})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "disseminated"
    assert list(report.disseminations.values_list("unit__code", flat=True)) == ["OFAST"]
