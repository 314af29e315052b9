"""One workflow endpoint style for every workflow (docs/dev/workflow.md §4):
`GET …/<id>/transitions/` lists what the caller may take now, `POST …/<id>/transitions/` takes one;
the older endpoints keep answering, marked deprecated in the schema."""

import datetime

import pytest

from relais.core.workflow.api import registered_endpoints
from relais.core.workflow.engine import registered_workflows
from relais.referential.workflows import AssignmentStatus as S
from tests.factories import AssignmentFactory, PersonFactory


@pytest.fixture
def proposed(org):
    person = PersonFactory(unit=org.madrid.unit, first_name="Claire", last_name="Dubois")
    return AssignmentFactory(person=person, status=S.PROPOSED)


@pytest.fixture
def active(org):
    person = PersonFactory(unit=org.madrid.unit, first_name="Paul", last_name="Martin")
    return AssignmentFactory(person=person, status=S.ACTIVE, end_date=None)


def url(obj):
    return f"/api/v1/assignments/{obj.pk}/transitions/"


def post(client, obj, body):
    return client.post(url(obj), body, content_type="application/json")


def test_get_lists_the_transitions_the_caller_may_take_with_their_typed_fields(
    active, users, client_for
):
    body = client_for(users.pilotage).get(url(active)).json()
    assert body["status"] == "active" and body["status_label"] == "en poste"
    assert body["allowed_transitions"] == ["end"]
    (end,) = body["transitions"]
    assert end["name"] == "end" and end["label"] and end["target"] == "ended"
    assert end["target_label"] == "terminée" and end["comment_required"] is False
    assert [(f["name"], f["type"], f["required"]) for f in end["fields"]] == [
        ("end_date", "date", True)
    ]
    # Read-only users and other roles see no transition; out of scope is 404.
    assert client_for(users.lecteur).get(url(active)).json()["transitions"] == []
    assert client_for(users.attache_bamako).get(url(active)).status_code == 404


def test_post_applies_the_named_transition_and_answers_the_new_state(proposed, users, client_for):
    response = post(
        client_for(users.pilotage),
        proposed,
        {"transition": "approve", "comment": "Par l'API", "version": proposed.version},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "approved" and body["version"] == proposed.version + 1
    assert [t["name"] for t in body["transitions"]] == ["activate", "cancel"]
    assert [(h["transition"], h["comment"]) for h in body["history"]] == [("approve", "Par l'API")]
    proposed.refresh_from_db()
    assert proposed.status == S.APPROVED


def test_post_refusals_name_their_reason(proposed, active, users, client_for):
    pilotage = client_for(users.pilotage)
    unknown = post(pilotage, proposed, {"transition": "fly"})
    assert unknown.status_code == 400 and "transition" in unknown.json()
    missing = post(pilotage, proposed, {})
    assert missing.status_code == 400 and "transition" in missing.json()
    # Role before state: a read-only user gets 403, another role 403, out of scope 404.
    assert post(client_for(users.lecteur), active, {"transition": "approve"}).status_code == 403
    assert (
        post(client_for(users.charge_afrique), proposed, {"transition": "approve"}).status_code
        == 403
    )
    assert (
        post(client_for(users.attache_bamako), proposed, {"transition": "approve"}).status_code
        == 404
    )
    # Illegal from this state: 409 with what the caller may do instead.
    refused = post(pilotage, proposed, {"transition": "end", "end_date": "2026-01-31"})
    assert refused.status_code == 409
    assert refused.json()["code"] == "transition_refused"
    assert refused.json()["allowed_transitions"] == ["approve", "cancel"]
    # Comment required, field required, field of another step, unknown field: 400 naming it.
    no_comment = post(pilotage, proposed, {"transition": "cancel"})
    assert no_comment.status_code == 400 and "comment" in no_comment.json()
    no_date = post(pilotage, active, {"transition": "end"})
    assert no_date.status_code == 400 and set(no_date.json()) >= {"end_date"}
    other_step = post(pilotage, proposed, {"transition": "approve", "end_date": "2026-01-31"})
    assert other_step.status_code == 400 and "end_date" in other_step.json()
    typo = post(pilotage, proposed, {"transition": "approve", "coment": "oups"})
    assert typo.status_code == 400 and "coment" in typo.json()
    bad_date = post(pilotage, active, {"transition": "end", "end_date": "31/01/2026"})
    assert bad_date.status_code == 400 and "end_date" in bad_date.json()
    stale = post(pilotage, proposed, {"transition": "approve", "version": proposed.version + 1})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    proposed.refresh_from_db()
    active.refresh_from_db()
    assert (proposed.status, active.status) == (S.PROPOSED, S.ACTIVE)
    ended = post(pilotage, active, {"transition": "end", "end_date": "2026-01-31"})
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    active.refresh_from_db()
    assert active.end_date == datetime.date(2026, 1, 31)


def test_every_workflow_has_the_endpoint_generated_from_its_declaration(users, client_for):
    schema = client_for(users.lecteur).get("/api/v1/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    mounted = {endpoint.workflow.label for endpoint in registered_endpoints()}
    # Every declared workflow of the four modules and the referential is in the API.
    declared = {w.label for w in registered_workflows()}
    missing = declared - mounted - {"cooperation.programme"}  # pages only, see api coverage
    assert not missing, f"Workflows sans endpoint « …/transitions/ » : {sorted(missing)}"
    for endpoint in registered_endpoints():
        prefix = endpoint.prefix
        request = components[f"{prefix}TransitionRequest"]
        assert request["properties"]["transition"]["allOf"] == [
            {"$ref": f"#/components/schemas/{prefix}TransitionEnum"}
        ]
        assert "transition" in request["required"]
        enum = components[f"{prefix}TransitionEnum"]
        assert enum["enum"] == [t.name for t in endpoint.workflow.transitions]
        for transition in endpoint.workflow.transitions:  # French labels, not the codes
            assert f"`{transition.name}` - {transition.label}" in enum["description"]
        for field in endpoint.all_step_fields():
            assert field in request["properties"], (prefix, field)
        state = components[f"{prefix}Workflow"]["properties"]
        assert state["transitions"]["items"]["$ref"].endswith(f"{prefix}AvailableTransition")
    paths = [p for p in schema["paths"] if p.endswith("/{id}/transitions/")]
    assert len(paths) == len(registered_endpoints())
    for path in paths:
        operations = schema["paths"][path]
        assert set(operations) >= {"get", "post"}
        assert {"400", "403", "404", "409"} <= set(operations["post"]["responses"])
        assert not operations["post"].get("deprecated")


def test_older_endpoints_answer_and_are_marked_deprecated(proposed, users, client_for):
    schema = client_for(users.lecteur).get("/api/v1/schema/", {"format": "json"}).json()
    deprecated = {
        (path, method)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if operation.get("deprecated")
    }
    for path in (
        "/api/v1/agreements/{id}/transition/",
        "/api/v1/cooperation/actions/{id}/transition/",
        "/api/v1/assignments/{id}/{transition}/",
        "/api/v1/network/taskings/{id}/{transition}/",
        "/api/v1/network/annual-reports/{id}/{transition}/",
        "/api/v1/information/reports/{id}/submit/",
        "/api/v1/information/reports/{id}/validate/",
        "/api/v1/information/reports/{id}/send_back/",
        "/api/v1/information/reports/{id}/close/",
        "/api/v1/information/reports/{id}/disseminate/",
    ):
        assert (path, "post") in deprecated, path
    # A deprecated alias still answers (and is strict about unknown fields).
    alias = f"/api/v1/assignments/{proposed.pk}/approve/"
    pilotage = client_for(users.pilotage)
    typo = pilotage.post(alias, {"coment": "x"}, content_type="application/json")
    assert typo.status_code == 400 and "coment" in typo.json()
    ok = pilotage.post(alias, {"comment": "ok"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
