"""The workflow engine, proven on referential assignments: legality, roles, guards, comments, the
transition log, the audit event and chain, notifications, the panel and the generic view, the API.

This module is also the URL configuration of its tests: the root URLs plus the assignment
workflow pages and API, until the lead mounts them in relais/urls.py.
"""

import datetime

import pytest
from django.http import Http404
from django.urls import include, path

from relais.core.audit.events import verify_chain
from relais.core.audit.models import Action, AuditEvent
from relais.core.notifications.models import Notification
from relais.core.records import StaleVersion
from relais.core.workflow.engine import (
    CommentRequired,
    TransitionForbidden,
    TransitionRefused,
    allowed_transitions,
    apply_transition,
    history,
    workflow_for,
)
from relais.core.workflow.models import TransitionLog
from relais.referential.models import Assignment
from relais.referential.workflows import AssignmentStatus as S
from relais.urls import api_v1
from relais.urls import urlpatterns as root_urlpatterns
from tests.factories import AssignmentFactory, PersonFactory

urlpatterns = [
    path(
        "api/v1/",
        include(([*api_v1, path("", include("relais.referential.workflow_api_urls"))], "api")),
    ),
    path("organisation/", include("relais.referential.workflow_urls")),
    *[p for p in root_urlpatterns if str(p.pattern) != "api/v1/"],
]

pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def assignment(org, users):
    person = PersonFactory(unit=org.madrid.unit, first_name="Claire", last_name="Dubois")
    return AssignmentFactory(person=person, status=S.PROPOSED)


def page_url(obj):
    return f"/organisation/affectations/{obj.pk}/circuit/"


def transition_url(obj, name):
    return f"/organisation/affectations/{obj.pk}/circuit/{name}/"


def api_url(obj, name):
    return f"/api/v1/assignments/{obj.pk}/{name}/"


# --- Declaration -----------------------------------------------------------------------------


def test_states_are_textchoices_with_french_labels_and_existing_rows_are_active(db):
    field = Assignment._meta.get_field("status")
    assert dict(field.choices) == {
        "proposed": "proposée",
        "approved": "validée",
        "active": "en poste",
        "ended": "terminée",
        "cancelled": "annulée",
    }
    assert field.default == S.ACTIVE
    assert not field.editable  # only the workflow changes it
    workflow = workflow_for(Assignment)
    assert workflow is workflow_for("referential.Assignment")
    assert [t.name for t in workflow.transitions] == ["approve", "activate", "end", "cancel"]


def test_allowed_transitions_depend_on_state_role_and_scope(assignment, users):
    names = lambda user: [t.name for t in allowed_transitions(assignment, user)]  # noqa: E731
    assert names(users.pilotage) == ["approve", "cancel"]
    assert names(users.admin) == ["approve", "cancel"]
    assert names(users.charge_afrique) == []  # sees it, role may not decide
    assert names(users.attache_madrid) == []
    assert names(users.lecteur) == []  # read-only


# --- apply_transition --------------------------------------------------------------------------


def test_transition_sets_state_bumps_version_and_writes_log_and_audit(assignment, users):
    version = assignment.version
    log = apply_transition(assignment, "approve", users.pilotage, comment="Profil conforme.")

    assert assignment.status == S.APPROVED  # the caller's instance follows
    assignment.refresh_from_db()
    assert assignment.status == S.APPROVED
    assert assignment.version == version + 1
    assert assignment.updated_by == users.pilotage

    assert log == TransitionLog.objects.get()
    assert (log.model, log.object_id) == ("referential.assignment", str(assignment.pk))
    assert (log.transition, log.from_state, log.to_state) == ("approve", "proposed", "approved")
    assert log.actor == users.pilotage
    assert log.comment == "Profil conforme."

    event = AuditEvent.objects.get(action=Action.TRANSITION)
    assert event.actor_id == users.pilotage.pk
    assert (event.model, event.object_id) == ("referential.assignment", str(assignment.pk))
    assert event.extra == {
        "transition": "approve",
        "from": "proposed",
        "to": "approved",
        "comment": "Profil conforme.",
    }
    assert event.changes == {"status": ["proposed", "approved"]}
    assert verify_chain() is None


def test_illegal_transition_is_refused_with_message_and_allowed_list(assignment, users):
    with pytest.raises(TransitionRefused) as refused:
        apply_transition(assignment, "activate", users.pilotage)
    exc = refused.value
    assert exc.status == 409
    assert "« Constater la prise de poste » n'est pas possible" in exc.message
    assert "« proposée »" in exc.message
    assert exc.allowed == ["approve", "cancel"]
    assignment.refresh_from_db()
    assert assignment.status == S.PROPOSED
    assert not TransitionLog.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.TRANSITION).exists()


def test_unknown_transition_is_refused(assignment, users):
    with pytest.raises(TransitionRefused) as refused:
        apply_transition(assignment, "teleport", users.pilotage)
    assert "n'existe pas" in refused.value.message
    assert refused.value.allowed == ["approve", "cancel"]


def test_wrong_role_is_refused(assignment, users):
    with pytest.raises(TransitionForbidden) as refused:
        apply_transition(assignment, "approve", users.charge_afrique)
    assert refused.value.status == 403
    assert "Chargé de mission" in refused.value.message
    assert "« Valider »" in refused.value.message
    assignment.refresh_from_db()
    assert assignment.status == S.PROPOSED
    assert not TransitionLog.objects.exists()


def test_read_only_user_is_refused(assignment, users):
    with pytest.raises(TransitionForbidden, match="consulter"):
        apply_transition(assignment, "approve", users.lecteur)


def test_out_of_scope_user_gets_404(assignment, users):
    with pytest.raises(Http404):
        apply_transition(assignment, "approve", users.attache_bamako)


def test_guard_message_refuses_and_declared_field_satisfies_it(assignment, users):
    apply_transition(assignment, "approve", users.admin)
    apply_transition(assignment, "activate", users.admin)
    with pytest.raises(TransitionRefused) as refused:
        apply_transition(assignment, "end", users.admin)
    # A required field of the transition, refused per field (the API answers 400 on it).
    assert refused.value.message == "À renseigner pour cette étape : fin."
    assert refused.value.field == "end_date"
    assert refused.value.allowed == ["end"]
    assignment.refresh_from_db()
    assert assignment.status == S.ACTIVE

    apply_transition(assignment, "end", users.admin, end_date=datetime.date(2026, 8, 31))
    assignment.refresh_from_db()
    assert assignment.status == S.ENDED
    assert assignment.end_date == datetime.date(2026, 8, 31)
    assert [e.to_state for e in history(assignment)] == ["approved", "active", "ended"]


def test_undeclared_extra_field_is_a_programming_error(assignment, users):
    with pytest.raises(ValueError, match="unit"):
        apply_transition(assignment, "approve", users.admin, unit=None)


def test_comment_required(assignment, users):
    with pytest.raises(CommentRequired) as refused:
        apply_transition(assignment, "cancel", users.pilotage, comment="   ")
    assert refused.value.status == 400
    assert refused.value.field == "comment"
    apply_transition(assignment, "cancel", users.pilotage, comment="Poste supprimé.")
    assignment.refresh_from_db()
    assert assignment.status == S.CANCELLED
    assert allowed_transitions(assignment, users.pilotage) == []


def test_stale_version_is_refused(assignment, users):
    with pytest.raises(StaleVersion):
        apply_transition(
            assignment, "approve", users.pilotage, expected_version=assignment.version + 5
        )
    assignment.refresh_from_db()
    assert assignment.status == S.PROPOSED


def test_state_is_read_from_the_database_not_the_callers_copy(assignment, users):
    stale_copy = Assignment.objects.get(pk=assignment.pk)
    apply_transition(assignment, "approve", users.pilotage)
    with pytest.raises(TransitionRefused):
        apply_transition(stale_copy, "approve", users.admin)  # already approved meanwhile
    assert TransitionLog.objects.count() == 1


def test_history_is_one_query_with_actor_and_labels(assignment, users, django_assert_num_queries):
    apply_transition(assignment, "approve", users.pilotage)
    apply_transition(assignment, "cancel", users.admin, comment="Renoncement de l'agent.")
    with django_assert_num_queries(1):
        entries = history(assignment)
        names = [e.actor.username for e in entries]
    assert names == ["pilotage", "admin"]
    assert [(e.from_label, e.to_label) for e in entries] == [
        ("proposée", "validée"),
        ("validée", "annulée"),
    ]
    assert entries[1].transition_label == "Annuler l'affectation"


def test_audit_chain_still_verifies_after_many_transitions(assignment, users):
    apply_transition(assignment, "approve", users.pilotage)
    apply_transition(assignment, "activate", users.pilotage)
    apply_transition(assignment, "end", users.pilotage, end_date=datetime.date(2027, 1, 1))
    assert AuditEvent.objects.filter(action=Action.TRANSITION).count() == 3
    assert verify_chain() is None


# --- Notifications -----------------------------------------------------------------------------


def test_transition_notifies_unit_users_and_administrators_only(
    assignment, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        log = apply_transition(assignment, "approve", users.pilotage, comment="Feu vert.")
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    # the post's attaché and the administrator; not the actor, not other posts or bureaux
    assert recipients == {"attache.madrid", "admin"}
    notification = Notification.objects.get(recipient=users.attache_madrid)
    assert notification.kind == "transition"
    assert "validée" in notification.title
    assert "Claire DUBOIS" in notification.title
    assert "Feu vert." in notification.body
    assert notification.url == page_url(assignment)
    assert notification.key == f"transition:{log.pk}"


def test_comments_with_record_only_stay_in_the_transition_log(
    assignment, users, monkeypatch, django_capture_on_commit_callbacks
):
    """`Workflow(comments_with_record_only=True)`: the comment is not copied into the audit
    trail nor the notification (they outlive the record); only the transition log keeps it."""
    monkeypatch.setattr(workflow_for(assignment), "comments_with_record_only", True)
    with django_capture_on_commit_callbacks(execute=True):
        log = apply_transition(assignment, "approve", users.pilotage, comment="Détail sensible.")
    assert log.comment == "Détail sensible."
    event = AuditEvent.objects.get(action=Action.TRANSITION)
    assert event.extra == {
        "transition": "approve",
        "from": "proposed",
        "to": "approved",
        "commented": True,
    }
    notification = Notification.objects.get(recipient=users.attache_madrid)
    assert "Détail sensible." not in notification.body
    assert "Un commentaire accompagne cette action" in notification.body
    assert not AuditEvent.objects.filter(extra__icontains="sensible").exists()


def test_no_notification_when_the_transaction_rolls_back(
    assignment, users, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(TransitionRefused),
    ):
        apply_transition(assignment, "activate", users.pilotage)
    assert callbacks == []
    assert not Notification.objects.exists()


# --- UI: panel and generic view ----------------------------------------------------------------


def test_panel_shows_state_history_and_only_the_users_transitions(assignment, users, client_for):
    apply_transition(assignment, "approve", users.admin, comment="Dossier complet.")
    response = client_for(users.pilotage).get(page_url(assignment))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'id="etat-actuel">validée</span>' in html
    assert "Dossier complet." in html
    assert "proposée → validée" in html
    assert f'action="{transition_url(assignment, "activate")}"' in html
    assert f'action="{transition_url(assignment, "cancel")}"' in html
    assert "Commentaire (obligatoire)" in html  # cancel requires one
    assert "required" in html
    assert f'action="{transition_url(assignment, "approve")}"' not in html  # not from this state
    assert f'action="{transition_url(assignment, "end")}"' not in html


@pytest.mark.parametrize("who", ["attache_madrid", "lecteur", "charge_afrique"])
def test_panel_shows_no_action_to_users_who_may_not_decide(assignment, users, client_for, who):
    response = client_for(getattr(users, who)).get(page_url(assignment))
    assert response.status_code == 200
    html = response.content.decode()
    assert "proposée" in html
    assert "/circuit/approve/" not in html
    assert "Aucune action ne vous est ouverte" in html


def test_workflow_page_permissions(assignment, users, client, client_for):
    assert client.get(page_url(assignment)).status_code == 302  # anonymous: login
    assert client_for(users.attache_bamako).get(page_url(assignment)).status_code == 404


def test_transition_view_applies_and_reports_success(assignment, users, client_for):
    response = client_for(users.pilotage).post(
        transition_url(assignment, "approve"),
        {"approve-comment": "Validé en comité.", "next": page_url(assignment)},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == page_url(assignment)
    html = response.content.decode()
    assert "fr-alert--success" in html
    assert "« Valider » effectuée" in html
    assignment.refresh_from_db()
    assert assignment.status == S.APPROVED
    assert TransitionLog.objects.get().comment == "Validé en comité."


def test_transition_view_refusal_shows_a_dsfr_error(assignment, users, client_for):
    response = client_for(users.pilotage).post(
        transition_url(assignment, "activate"), {"next": page_url(assignment)}, follow=True
    )
    html = response.content.decode()
    assert "fr-alert--error" in html
    assert "n&#x27;est pas possible" in html or "n'est pas possible" in html
    assignment.refresh_from_db()
    assert assignment.status == S.PROPOSED


def test_transition_view_comment_required_message(assignment, users, client_for):
    response = client_for(users.pilotage).post(
        transition_url(assignment, "cancel"), {"cancel-comment": ""}, follow=True
    )
    html = response.content.decode()
    assert "fr-alert--error" in html
    assert "Un commentaire est obligatoire" in html
    assignment.refresh_from_db()
    assert assignment.status == S.PROPOSED


def test_transition_view_stale_version_message(assignment, users, client_for):
    response = client_for(users.pilotage).post(
        transition_url(assignment, "approve"), {"version": assignment.version + 1}, follow=True
    )
    assert "modifié par quelqu" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == S.PROPOSED


def test_transition_view_ignores_foreign_next(assignment, users, client_for):
    response = client_for(users.pilotage).post(
        transition_url(assignment, "approve"), {"next": "https://ailleurs.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == page_url(assignment)


def test_transition_view_permission_matrix(assignment, users, client, client_for):
    url = transition_url(assignment, "approve")
    assert client.post(url).status_code == 302  # anonymous: login
    assert client_for(users.attache_bamako).post(url).status_code == 404  # other unit
    assert client_for(users.lecteur).post(url).status_code == 403  # read-only
    assert client_for(users.attache_madrid).post(url).status_code == 403  # sees, may not decide
    assert client_for(users.pilotage).get(url).status_code == 405  # POST only
    assert client_for(users.pilotage).post(transition_url(assignment, "nope")).status_code == 404
    assignment.refresh_from_db()
    assert assignment.status == S.PROPOSED
    assert client_for(users.pilotage).post(url).status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == S.APPROVED


# --- API ---------------------------------------------------------------------------------------


def test_api_illegal_transition_answers_409_with_allowed_transitions(assignment, users, client_for):
    response = client_for(users.pilotage).post(
        api_url(assignment, "activate"), {}, content_type="application/json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["allowed_transitions"] == ["approve", "cancel"]
    assert "n'est pas possible" in body["detail"]


def test_api_applies_a_transition(assignment, users, client_for):
    response = client_for(users.pilotage).post(
        api_url(assignment, "approve"),
        {"comment": "Par l'API", "version": assignment.version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "approved"
    assert body["status_label"] == "validée"
    assert body["version"] == assignment.version + 1
    assert body["allowed_transitions"] == ["activate", "cancel"]

    state = client_for(users.attache_madrid).get(
        f"/api/v1/assignments/{assignment.pk}/transitions/"
    )
    assert state.status_code == 200
    data = state.json()
    assert data["allowed_transitions"] == []
    assert [(h["from"], h["to"], h["comment"]) for h in data["history"]] == [
        ("proposed", "approved", "Par l'API")
    ]


def test_api_refusals(assignment, users, client, client_for):
    url = api_url(assignment, "approve")
    assert client.post(url).status_code in (401, 403)  # anonymous
    assert client_for(users.attache_bamako).post(url).status_code == 404
    forbidden = client_for(users.charge_afrique).post(url)
    assert forbidden.status_code == 403
    assert forbidden.json()["allowed_transitions"] == []
    assert client_for(users.lecteur).post(url).status_code == 403
    no_comment = client_for(users.pilotage).post(
        api_url(assignment, "cancel"), {}, content_type="application/json"
    )
    assert no_comment.status_code == 400
    assert "comment" in no_comment.json()
    stale = client_for(users.pilotage).post(
        url, {"version": assignment.version + 1}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    bad_version = client_for(users.pilotage).post(
        url, {"version": "abc"}, content_type="application/json"
    )
    assert bad_version.status_code == 400
    assignment.refresh_from_db()
    assert assignment.status == S.PROPOSED


def test_api_guard_and_declared_field(assignment, users, client_for):
    api = client_for(users.admin)
    api.post(api_url(assignment, "approve"), {}, content_type="application/json")
    api.post(api_url(assignment, "activate"), {}, content_type="application/json")
    refused = api.post(api_url(assignment, "end"), {}, content_type="application/json")
    assert refused.status_code == 400
    assert "end_date" in refused.json()
    bad_date = api.post(
        api_url(assignment, "end"), {"end_date": "bientôt"}, content_type="application/json"
    )
    assert bad_date.status_code == 400
    assert "end_date" in bad_date.json()
    ended = api.post(
        api_url(assignment, "end"), {"end_date": "2026-12-31"}, content_type="application/json"
    )
    assert ended.status_code == 200
    assert ended.json()["status"] == "ended"
