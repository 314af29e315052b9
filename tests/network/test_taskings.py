"""Taskings: workflow, recipients, answers, lateness, scoping and notifications."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from relais.core.audit.events import verify_chain
from relais.core.notifications.models import Notification
from relais.core.records import StaleVersion
from relais.core.workflow.engine import TransitionForbidden, TransitionRefused, apply_transition
from relais.network import services
from relais.network.models import Tasking, TaskingKind, TaskingRecipient
from relais.network.workflows import TaskingStatus
from tests.factories import UserFactory
from tests.network.conftest import make_tasking, move_due_date, recipient

pytestmark = pytest.mark.django_db


def test_create_sets_legal_basis_and_recipients(org, users):
    tasking = make_tasking(users.pilotage, [org.madrid], send=False, zones=[org.africa_zone])
    assert tasking.status == TaskingStatus.DRAFT
    assert tasking.legal_basis_codes() == ["b"]
    assert set(tasking.recipients.values_list("post__city", flat=True)) == {"Madrid", "Bamako"}


def test_all_posts_addresses_every_post(org, users):
    tasking = make_tasking(users.pilotage, [], send=False, all_posts=True)
    assert tasking.all_posts
    assert tasking.recipients.count() == 2


def test_only_headquarters_editors_create(org, users):
    for user in (
        users.attache_madrid,
        users.correspondant_dgpn,
        users.lecteur,
        users.admin,
        users.analyste,
    ):
        with pytest.raises(PermissionDenied):
            make_tasking(user, [org.madrid], send=False)


def test_send_notifies_the_attaches_of_the_posts_addressed(
    org, users, django_capture_on_commit_callbacks
):
    other_madrid = UserFactory(username="adjoint.madrid", role="attache", unit=org.madrid.unit)
    with django_capture_on_commit_callbacks(execute=True):
        tasking = make_tasking(users.pilotage, [org.madrid])
    assert tasking.status == TaskingStatus.SENT
    notified = set(
        Notification.objects.filter(url=tasking.get_absolute_url()).values_list(
            "recipient__username", flat=True
        )
    )
    assert notified == {"attache.madrid", other_madrid.username}
    assert verify_chain() is None


def test_send_refused_without_recipients_or_with_a_past_due_date(org, users):
    tasking = make_tasking(users.pilotage, [org.madrid], send=False)
    services.set_recipients(tasking, users.pilotage, [])
    with pytest.raises(TransitionRefused, match="au moins un poste"):
        services.send_tasking(tasking, users.pilotage)
    services.set_recipients(tasking, users.pilotage, [org.madrid])
    move_due_date(tasking, -1)
    with pytest.raises(TransitionRefused, match="passée"):
        services.send_tasking(tasking, users.pilotage)


def test_wrong_roles_cannot_move_a_tasking(net, users):
    with pytest.raises(TransitionForbidden):
        apply_transition(net.both, "close", users.attache_madrid)
    with pytest.raises(TransitionForbidden):
        apply_transition(net.both, "close", users.lecteur)
    with pytest.raises(TransitionRefused, match="n'est pas possible"):
        apply_transition(net.both, "send", users.pilotage)
    services.close_tasking(net.both, users.pilotage)
    with pytest.raises(TransitionRefused):
        apply_transition(net.both, "reopen", users.pilotage)  # comment required
    apply_transition(net.both, "reopen", users.pilotage, "Délai prolongé")
    assert net.both.status == TaskingStatus.SENT


def test_recipients_are_frozen_once_sent(net, org, users):
    with pytest.raises(ValidationError):
        services.set_recipients(net.both, users.pilotage, [org.madrid])


def test_answer_draft_then_submit_notifies_the_author(
    net, org, users, django_capture_on_commit_callbacks
):
    row = recipient(net.both, org.madrid)
    services.save_answer(row, users.attache_madrid, "Premier jet", expected_version=row.version)
    row.refresh_from_db()
    assert row.answer == "Premier jet" and row.answered_on is None
    with django_capture_on_commit_callbacks(execute=True):
        services.save_answer(
            row, users.attache_madrid, "Réponse complète", submit=True, expected_version=row.version
        )
    row.refresh_from_db()
    assert row.answered_on == timezone.localdate()
    assert row.answered_by == users.attache_madrid
    note = Notification.objects.get(recipient=users.pilotage, kind=services.ANSWER_KIND)
    assert "SSI Madrid" in note.title
    assert "Réponse complète" not in note.body  # the content never leaves in a notification


def test_answer_refusals(net, org, users):
    row = recipient(net.both, org.madrid)
    for user in (users.attache_bamako, users.pilotage, users.lecteur):
        with pytest.raises(PermissionDenied):
            services.save_answer(row, user, "x", submit=True)
    with pytest.raises(ValidationError):
        services.save_answer(row, users.attache_madrid, "  ", submit=True)
    services.save_answer(row, users.attache_madrid, "v1", expected_version=row.version)
    with pytest.raises(StaleVersion):
        services.save_answer(row, users.attache_madrid, "v2", expected_version=1)
    services.close_tasking(net.both, users.pilotage)
    row = TaskingRecipient.objects.get(pk=row.pk)
    with pytest.raises(PermissionDenied):
        services.save_answer(row, users.attache_madrid, "trop tard", submit=True)


def test_lateness(net, org, users):
    today = timezone.localdate()
    move_due_date(net.both, -3)
    madrid, bamako = recipient(net.both, org.madrid), recipient(net.both, org.bamako)
    assert madrid.is_late() and bamako.is_late()
    assert set(TaskingRecipient.objects.late(today)) == {madrid, bamako}
    services.save_answer(bamako, users.attache_bamako, "Réponse", submit=True)
    bamako.refresh_from_db()
    assert not bamako.is_late() and bamako.answered_late
    assert list(TaskingRecipient.objects.late(today)) == [madrid]
    # Not late the day it is due, nor once the tasking is closed.
    assert not TaskingRecipient.objects.late(today - datetime.timedelta(days=3)).exists()
    services.close_tasking(net.both, users.pilotage)
    assert not TaskingRecipient.objects.late(today).exists()
    tasking = Tasking.objects.with_progress(users.pilotage).get(pk=net.both.pk)
    assert (tasking.recipient_count, tasking.answered_count, tasking.late_count) == (2, 1, 0)


def test_scoping_a_post_never_sees_another_posts_answer(net, org, users):
    services.save_answer(
        recipient(net.both, org.madrid), users.attache_madrid, "Madrid", submit=True
    )
    madrid_rows = TaskingRecipient.objects.visible_to(users.attache_madrid)
    assert set(madrid_rows.values_list("post__city", flat=True)) == {"Madrid"}
    bamako_rows = TaskingRecipient.objects.visible_to(users.attache_bamako)
    assert set(bamako_rows.values_list("post__city", flat=True)) == {"Bamako"}
    # Bamako is addressed by the draft, which it does not see yet.
    assert set(Tasking.objects.visible_to(users.attache_bamako)) == {net.both}
    assert set(Tasking.objects.visible_to(users.attache_madrid)) == {net.both, net.madrid_only}
    assert Tasking.objects.visible_to(users.pilotage).count() == 3
    assert Tasking.objects.visible_to(users.lecteur).count() == 3
    for user in (users.correspondant_dgpn, users.correspondant_dgef, users.admin):
        assert not Tasking.objects.visible_to(user).exists()
        assert not TaskingRecipient.objects.visible_to(user).exists()
    # An attaché's progress counts only their own post.
    tasking = Tasking.objects.with_progress(users.attache_bamako).get(pk=net.both.pk)
    assert (tasking.recipient_count, tasking.answered_count) == (1, 0)


def test_marking_follows_the_tasking(org, users):
    low = UserFactory(
        username="pilotage.np", role="pilotage", unit=org.cabinet, clearance="non_protege"
    )
    tasking = make_tasking(users.pilotage, [org.madrid], send=False, marking="diffusion_restreinte")
    assert set(tasking.recipients.values_list("marking", flat=True)) == {"diffusion_restreinte"}
    assert not Tasking.objects.visible_to(low).exists()
    assert not TaskingRecipient.objects.visible_to(low).exists()


def test_manual_reminder_once_a_day(net, org, users):
    move_due_date(net.both, -2)
    services.save_answer(recipient(net.both, org.bamako), users.attache_bamako, "ok", submit=True)
    assert services.remind_late_posts(net.both, users.pilotage) == 1
    assert services.remind_late_posts(net.both, users.pilotage) == 0
    assert Notification.objects.filter(recipient=users.attache_madrid, kind="reminder").count() == 1
    assert not Notification.objects.filter(recipient=users.attache_bamako, kind="reminder").exists()
    with pytest.raises(PermissionDenied):
        services.remind_late_posts(net.both, users.attache_madrid)


def test_kinds_have_french_labels():
    assert TaskingKind.INFORMATION_REQUEST.label == "Demande de renseignements"
