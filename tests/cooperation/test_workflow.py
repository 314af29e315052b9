"""The action's lifecycle: the MEAE's opinion nobody can skip, postponement with a reason and a
new date, evaluation before closing, the correspondent notified and commenting."""

import pytest
from django.core.exceptions import PermissionDenied

from relais.cooperation import services
from relais.cooperation.models import Evaluation
from relais.cooperation.workflows import ACTION_WORKFLOW, ActionStatus
from relais.core.audit.events import verify_chain
from relais.core.notifications.models import Notification
from relais.core.workflow.engine import (
    CommentRequired,
    TransitionForbidden,
    TransitionRefused,
    history,
)
from tests.cooperation.conftest import D, domain, to_programmed, walk

pytestmark = pytest.mark.django_db


def test_full_lifecycle_with_log_and_audit(make_action, users):
    action = make_action()
    to_programmed(action, users.pilotage)
    walk(
        action,
        users.attache_bamako,
        ("start", {"actual_start": D(2025, 3, 10)}),
        ("complete", {"actual_end": D(2025, 3, 14)}),
    )
    services.save_evaluation(
        Evaluation(action=action, objectives_reached="fully", rating=4, lessons="Très bon groupe."),
        users.attache_bamako,
    )
    services.move(action, "evaluate", users.attache_bamako)
    action.refresh_from_db()
    assert action.status == ActionStatus.EVALUATED
    steps = [(e.transition, e.to_state) for e in history(action)]
    assert steps == [
        ("review", "under_review"),
        ("request_opinion", "meae_opinion"),
        ("record_opinion", "meae_opinion"),
        ("program", "programmed"),
        ("start", "in_progress"),
        ("complete", "completed"),
        ("evaluate", "evaluated"),
    ]
    opinion = history(action)[2]
    assert opinion.comment == "Avis favorable du poste diplomatique."
    assert action.meae_opinion == "favorable"
    assert verify_chain() is None or not verify_chain()


def test_opinion_cannot_be_skipped(make_action, users):
    action = make_action()
    walk(action, users.pilotage, "review")
    # No transition leads from « instruite » to « programmée ».
    with pytest.raises(TransitionRefused) as exc:
        services.move(action, "program", users.pilotage)
    assert "request_opinion" in exc.value.allowed
    walk(action, users.pilotage, "request_opinion")
    with pytest.raises(TransitionRefused) as exc:
        services.move(action, "program", users.pilotage)
    assert "avis du MEAE doit être enregistré" in exc.value.message
    action.refresh_from_db()
    assert action.status == ActionStatus.MEAE_OPINION


def test_police_action_cannot_be_programmed_directly(make_action, users):
    """b requires the MEAE: « Programmer sans avis du MEAE » is neither offered nor accepted."""
    action = walk(make_action(), users.pilotage, "review")
    offered = {t.name for t in ACTION_WORKFLOW.allowed(action, users.pilotage)}
    assert "program_directly" not in offered and "request_opinion" in offered
    with pytest.raises(TransitionRefused) as exc:
        services.move(action, "program_directly", users.pilotage)
    assert "en liaison avec le ministère des affaires étrangères" in exc.value.message
    action.refresh_from_db()
    assert action.status == ActionStatus.UNDER_REVIEW


def governance_action(make_action, coop):
    return make_action(
        directorate=coop.sg,
        cooperation_kind="administrative_governance",
        domain=domain("governance"),
    )


def test_opinion_is_optional_outside_b(make_action, coop, users):
    """c names no liaison with the MEAE: an SG action is programmed without its opinion, and
    the step stays offered for whoever wants it."""
    action = walk(governance_action(make_action, coop), users.pilotage, "review")
    offered = {t.name for t in ACTION_WORKFLOW.allowed(action, users.pilotage)}
    assert {"program_directly", "request_opinion"} <= offered
    services.move(action, "program_directly", users.pilotage)
    action.refresh_from_db()
    assert (action.status, action.meae_opinion) == (ActionStatus.PROGRAMMED, "")


def test_optional_opinion_asked_for_is_not_awaited_but_an_unfavourable_one_stops(
    make_action, coop, users
):
    action = walk(governance_action(make_action, coop), users.pilotage, "review", "request_opinion")
    services.move(action, "program", users.pilotage)  # no opinion needed outside b
    action.refresh_from_db()
    assert action.status == ActionStatus.PROGRAMMED
    other = walk(
        governance_action(make_action, coop),
        users.pilotage,
        "review",
        "request_opinion",
        ("record_opinion", {"meae_opinion": "defavorable"}, "Contexte défavorable."),
    )
    with pytest.raises(TransitionRefused) as exc:
        services.move(other, "program", users.pilotage)
    assert "défavorable" in exc.value.message


def test_optional_opinion_postponed_action_resumes_without_it(make_action, coop, users):
    action = walk(governance_action(make_action, coop), users.pilotage, "review")
    services.move(action, "program_directly", users.pilotage)
    services.move(action, "postpone", users.pilotage, "Report", postponed_to=D(2025, 10, 1))
    services.move(action, "resume", users.pilotage)
    action.refresh_from_db()
    assert action.status == ActionStatus.PROGRAMMED


def test_opinion_needs_a_comment_and_a_value(make_action, users):
    action = walk(make_action(), users.pilotage, "review", "request_opinion")
    with pytest.raises(CommentRequired):
        services.move(action, "record_opinion", users.pilotage, "", meae_opinion="favorable")
    with pytest.raises(TransitionRefused):
        services.move(action, "record_opinion", users.pilotage, "Sans avis", meae_opinion="")


def test_unfavourable_opinion_blocks_programming(make_action, users):
    action = walk(
        make_action(),
        users.pilotage,
        "review",
        "request_opinion",
        ("record_opinion", {"meae_opinion": "defavorable"}, "Contexte politique défavorable."),
    )
    with pytest.raises(TransitionRefused) as exc:
        services.move(action, "program", users.pilotage)
    assert "défavorable" in exc.value.message
    services.move(action, "cancel", users.pilotage, "Avis défavorable du MEAE.")
    action.refresh_from_db()
    assert action.status == ActionStatus.CANCELLED


def test_postponement_needs_reason_and_date(make_action, users):
    action = to_programmed(make_action(), users.pilotage)
    with pytest.raises(CommentRequired):
        services.move(action, "postpone", users.attache_bamako, "", postponed_to=D(2025, 9, 1))
    with pytest.raises(TransitionRefused) as exc:
        services.move(action, "postpone", users.attache_bamako, "Élections", postponed_to=None)
    assert exc.value.field == "postponed_to"
    assert exc.value.message.startswith("À renseigner pour cette étape : ")
    services.move(action, "postpone", users.attache_bamako, "Élections", postponed_to=D(2025, 9, 1))
    action.refresh_from_db()
    assert (action.status, action.postponed_to) == (ActionStatus.POSTPONED, D(2025, 9, 1))
    # The opinion is recorded: it comes back to « programmée » with its new dates.
    services.move(
        action, "resume", users.pilotage, planned_start=D(2025, 9, 1), planned_end=D(2025, 9, 5)
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.PROGRAMMED
    assert action.planned_start == D(2025, 9, 1)


def test_postponed_before_opinion_goes_back_to_review_only(make_action, users):
    action = walk(make_action(), users.pilotage, "review")
    services.move(action, "postpone", users.pilotage, "Report", postponed_to=D(2025, 10, 1))
    with pytest.raises(TransitionRefused):
        services.move(action, "resume", users.pilotage)
    services.move(action, "resume_review", users.pilotage)
    action.refresh_from_db()
    assert action.status == ActionStatus.UNDER_REVIEW


def test_evaluation_required_before_closing(make_action, users):
    action = to_programmed(make_action(), users.pilotage)
    walk(
        action,
        users.pilotage,
        ("start", {"actual_start": D(2025, 3, 10)}),
        ("complete", {"actual_end": D(2025, 3, 12)}),
    )
    with pytest.raises(TransitionRefused) as exc:
        services.move(action, "evaluate", users.pilotage)
    assert "évaluation" in exc.value.message


def test_evaluation_only_after_completion(make_action, users):
    action = make_action()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.save_evaluation(
            Evaluation(action=action, objectives_reached="fully", rating=4), users.pilotage
        )


def test_roles(make_action, users):
    action = make_action()
    with pytest.raises(TransitionForbidden):
        services.move(action, "review", users.attache_bamako)  # headquarters instructs
    with pytest.raises(TransitionForbidden):
        services.move(action, "review", users.correspondant_dgpn)  # reads and comments
    with pytest.raises(TransitionForbidden):
        services.move(action, "review", users.lecteur)


def test_correspondent_is_notified_and_comments(
    make_action, users, django_capture_on_commit_callbacks
):
    action = make_action()
    with django_capture_on_commit_callbacks(execute=True):
        services.move(action, "review", users.pilotage)
    notes = Notification.objects.filter(recipient=users.correspondant_dgpn)
    assert notes.count() == 1
    assert "instruite" in notes.get().title
    # Not the DGEF correspondent: the action is not theirs.
    assert not Notification.objects.filter(recipient=users.correspondant_dgef).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(
            action, users.correspondant_dgpn, "La DCPJ peut fournir deux formateurs."
        )
    assert action.comments.get().author == users.correspondant_dgpn
    assert Notification.objects.filter(recipient=users.attache_bamako, kind="comment").exists()
    with pytest.raises(PermissionDenied):
        services.add_comment(action, users.lecteur, "Lecture seule")
