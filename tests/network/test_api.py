"""API of the network: matrix, scope, and the 400 / 403 / 404 / 409 answers."""

import datetime

import pytest
from django.utils import timezone

from relais.network import services
from relais.network.models import PostAnnualReport, Tasking
from relais.network.workflows import ReportStatus, TaskingStatus
from tests.matrix import Persona, check_matrix
from tests.network.conftest import move_due_date, recipient

pytestmark = pytest.mark.django_db


def future(days=10) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_tasking_list_matrix_and_scope(net, org, users):
    services.save_answer(
        recipient(net.both, org.madrid), users.attache_madrid, "Réponse", submit=True
    )
    responses = check_matrix(
        "/api/v1/network/taskings/",
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_bamako, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.pilotage, 200),
    )
    hq = responses["right_user"].json()
    assert hq["count"] == 3
    both = next(t for t in hq["results"] if t["id"] == net.both.pk)
    assert both["legal_basis"] == ["b"] and both["answered_count"] == 1
    assert {r["post"] for r in both["recipients"]} == {"SSI-MADRID", "SSI-BAMAKO"}
    bamako = responses["other_unit"].json()
    assert [t["id"] for t in bamako["results"]] == [net.both.pk]
    assert [r["post"] for r in bamako["results"][0]["recipients"]] == ["SSI-BAMAKO"]
    assert bamako["results"][0]["answered_count"] == 0  # Madrid's answer is not counted for Bamako
    dgpn = check_matrix(
        "/api/v1/network/taskings/",
        anonymous=Persona.UNAUTHORIZED,
        right_user=(users.correspondant_dgpn, 200),
    )
    assert dgpn["right_user"].json()["count"] == 0


def test_tasking_filters_are_the_pages(net, users, client_for):
    move_due_date(net.madrid_only, -1)
    client = client_for(users.pilotage)
    late = client.get("/api/v1/network/taskings/?late=true").json()
    assert [t["id"] for t in late["results"]] == [net.madrid_only.pk]
    assert client.get("/api/v1/network/taskings/?post=SSI-BAMAKO").json()["count"] == 2
    bad = client.get("/api/v1/network/taskings/?status=perdu&post=SSI-NULLE")
    assert bad.status_code == 400 and {"status", "post"} <= set(bad.json())


def test_tasking_detail_matrix(net, users):
    url = f"/api/v1/network/taskings/{net.madrid_only.pk}/"
    responses = check_matrix(
        url,
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_bamako, 404),
        read_only=(users.lecteur, 200),
        right_user=(users.attache_madrid, 200),
    )
    assert responses["right_user"].json()["title"] == "Filières migratoires"


def test_create_tasking(org, users, client_for):
    payload = {
        "kind": "survey",
        "title": "Enquête cyber",
        "body": "Questions",
        "due_on": future(),
        "posts": ["ssi-madrid"],
    }
    check_matrix(
        "/api/v1/network/taskings/",
        method="post",
        data=payload,
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_madrid, 403),
        read_only=(users.lecteur, 403),
        right_user=(users.pilotage, 201),
    )
    tasking = Tasking.objects.get(title="Enquête cyber")
    assert tasking.status == TaskingStatus.DRAFT and tasking.legal_basis_codes() == ["b"]
    client = client_for(users.pilotage)
    bad = client.post(
        "/api/v1/network/taskings/",
        {
            "kind": "poll",
            "title": "SECRET DÉFENSE",
            "body": "x",
            "due_on": "2001-01-01",
            "posts": ["SSI-NULLE"],
        },
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert {"kind", "title", "due_on", "posts"} <= set(bad.json())
    none = client.post(
        "/api/v1/network/taskings/",
        {"kind": "survey", "title": "t", "body": "b", "due_on": future()},
        content_type="application/json",
    )
    assert none.status_code == 400 and "posts" in none.json()


def test_update_send_and_refusals(net, org, users, client_for):
    client = client_for(users.pilotage)
    url = f"/api/v1/network/taskings/{net.draft.pk}/"
    assert (
        client.patch(url, {"title": "Sans version"}, content_type="application/json").status_code
        == 400
    )
    ok = client.patch(
        url,
        {"title": "Recensement", "posts": ["SSI-MADRID"], "version": net.draft.version},
        content_type="application/json",
    )
    assert ok.status_code == 200, ok.json()
    assert [r["post"] for r in ok.json()["recipients"]] == ["SSI-MADRID"]
    stale = client.patch(
        url, {"title": "Encore", "version": net.draft.version}, content_type="application/json"
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    sent = client.post(f"{url}send/", {}, content_type="application/json")
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    again = client.post(f"{url}send/", {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "transition_refused"
    assert "close" in again.json()["allowed_transitions"]
    frozen = client.patch(
        url,
        {"posts": ["SSI-BAMAKO"], "version": ok.json()["version"] + 1},
        content_type="application/json",
    )
    assert frozen.status_code == 400 and "posts" in frozen.json()
    attache = client_for(users.attache_madrid)
    assert attache.post(f"{url}close/", {}, content_type="application/json").status_code == 403
    assert (
        attache.patch(
            url, {"title": "x", "version": 9}, content_type="application/json"
        ).status_code
        == 403
    )
    assert (
        client_for(users.attache_bamako)
        .post(f"{url}close/", {}, content_type="application/json")
        .status_code
        == 404
    )
    history = client.get(f"{url}transitions/").json()
    assert [h["transition"] for h in history["history"]] == ["send"]


def test_answers_endpoints(net, org, users, client_for):
    madrid = recipient(net.both, org.madrid)
    services.save_answer(recipient(net.both, org.bamako), users.attache_bamako, "Brouillon Bamako")
    url = f"/api/v1/network/answers/{madrid.pk}/"
    check_matrix(
        url,
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_bamako, 404),
        read_only=(users.lecteur, 200),
        right_user=(users.attache_madrid, 200),
    )
    client = client_for(users.attache_madrid)
    answered = client.patch(
        url,
        {"answer": "Éléments de Madrid", "submit": True, "version": madrid.version},
        content_type="application/json",
    )
    assert answered.status_code == 200, answered.json()
    assert answered.json()["answered_on"] == timezone.localdate().isoformat()
    assert (
        client.patch(
            url, {"answer": "x", "version": 1}, content_type="application/json"
        ).status_code
        == 409
    )
    assert (
        client_for(users.pilotage)
        .patch(url, {"answer": "x", "version": 2}, content_type="application/json")
        .status_code
        == 403
    )
    bad = client.patch(
        url, {"answer": "TRÈS SECRET", "version": 2}, content_type="application/json"
    )
    assert bad.status_code == 400 and "answer" in bad.json()
    rows = client_for(users.pilotage).get(f"/api/v1/network/taskings/{net.both.pk}/answers/").json()
    by_post = {r["post"]: r for r in rows}
    assert by_post["SSI-MADRID"]["answer"] == "Éléments de Madrid"
    assert by_post["SSI-BAMAKO"]["answer"] == ""  # a draft is not shown to headquarters
    mine = (
        client_for(users.attache_bamako)
        .get(f"/api/v1/network/taskings/{net.both.pk}/answers/")
        .json()
    )
    assert [r["post"] for r in mine] == ["SSI-BAMAKO"] and mine[0]["answer"] == "Brouillon Bamako"
    filtered = (
        client_for(users.pilotage)
        .get(f"/api/v1/network/answers/?answered=false&tasking={net.both.pk}")
        .json()
    )
    assert {r["post"] for r in filtered["results"]} == {"SSI-BAMAKO"}


def test_annual_report_api(org, users, client_for):
    year = timezone.localdate().year - 1
    payload = {
        "year": year,
        "context": "c",
        "cooperation_summary": "s",
        "priorities": "Formation\nFrontières",
    }
    check_matrix(
        "/api/v1/network/annual-reports/",
        method="post",
        data=payload,
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.correspondant_dgpn, 403),
        read_only=(users.lecteur, 403),
        right_user=(users.attache_bamako, 201),
    )
    report = PostAnnualReport.objects.get(post=org.bamako, year=year)
    client = client_for(users.attache_bamako)
    duplicate = client.post(
        "/api/v1/network/annual-reports/", payload, content_type="application/json"
    )
    assert duplicate.status_code == 400 and "year" in duplicate.json()
    other_post = client.post(
        "/api/v1/network/annual-reports/",
        {**payload, "post": "SSI-MADRID"},
        content_type="application/json",
    )
    assert other_post.status_code == 403
    url = f"/api/v1/network/annual-reports/{report.pk}/"
    data = check_matrix(
        url,
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_madrid, 404),
        read_only=(users.lecteur, 200),
        right_user=(users.pilotage, 200),
    )["right_user"].json()
    assert data["priority_list"] == ["Formation", "Frontières"] and data["legal_basis"] == ["b"]
    assert client.post(f"{url}accept/", {}, content_type="application/json").status_code == 403
    assert (
        client.post(f"{url}submit/", {}, content_type="application/json").json()["status"]
        == "submitted"
    )
    assert (
        client.patch(
            url, {"context": "x", "version": 2}, content_type="application/json"
        ).status_code
        == 403
    )
    hq = client_for(users.charge_afrique)
    refused = hq.post(f"{url}return/", {}, content_type="application/json")
    assert refused.status_code == 400 and "comment" in refused.json()
    assert (
        hq.post(f"{url}accept/", {}, content_type="application/json").json()["status"]
        == ReportStatus.ACCEPTED
    )
    listing = (
        client_for(users.pilotage)
        .get(f"/api/v1/network/annual-reports/?year={year}&status=accepted")
        .json()
    )
    assert [r["id"] for r in listing["results"]] == [report.pk]
    assert (
        client_for(users.attache_madrid).get("/api/v1/network/annual-reports/").json()["count"] == 0
    )
