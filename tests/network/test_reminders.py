"""`relais send-reminders` for the posts' answers: steps, idempotence, who is reminded, when it
stops."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from relais.core.notifications.deadlines import send_reminders
from relais.core.notifications.models import Notification
from relais.network import services
from tests.network.conftest import move_due_date, recipient

pytestmark = pytest.mark.django_db
SOURCE = ["network.tasking_answer"]


def reminders(user):
    return list(Notification.objects.filter(recipient=user, kind="deadline").order_by("pk"))


def test_steps_and_idempotence(net, org, users):
    today = timezone.localdate()
    move_due_date(net.both, 20)
    move_due_date(net.madrid_only, 20)
    assert send_reminders(today, SOURCE).total == 0  # not yet
    move_due_date(net.both, 6)
    first = send_reminders(today, SOURCE).total
    assert first == 2  # Madrid and Bamako, J-7
    assert send_reminders(today, SOURCE).total == 0  # same day: nothing twice
    assert send_reminders(today + datetime.timedelta(days=1), SOURCE).total == 0  # same step
    assert send_reminders(today + datetime.timedelta(days=4), SOURCE).total == 2  # J-2
    assert send_reminders(today + datetime.timedelta(days=7), SOURCE).total == 2  # overdue
    assert send_reminders(today + datetime.timedelta(days=8), SOURCE).total == 0
    titles = [n.title for n in reminders(users.attache_madrid)]
    assert titles[0].startswith("Échéance dans 6 jours")
    assert titles[-1].startswith("Échéance dépassée")
    assert not reminders(users.pilotage)


def test_answer_or_close_stops_reminders(net, org, users):
    today = timezone.localdate()
    move_due_date(net.both, 1)
    move_due_date(net.madrid_only, 1)
    services.save_answer(recipient(net.both, org.madrid), users.attache_madrid, "Fait", submit=True)
    services.close_tasking(net.madrid_only, users.pilotage)
    send_reminders(today, SOURCE)
    assert not reminders(users.attache_madrid)
    assert len(reminders(users.attache_bamako)) == 1


def test_postponed_due_date_gets_fresh_reminders(net, users):
    today = timezone.localdate()
    move_due_date(net.madrid_only, 1)
    assert send_reminders(today, SOURCE).total == 1
    move_due_date(net.madrid_only, 2)  # postponed: the key carries the date
    assert send_reminders(today, SOURCE).total == 1


def test_command_runs_twice_with_the_same_result(net, capsys):
    move_due_date(net.both, 3)
    call_command("send_reminders", "--source", "network.tasking_answer")
    call_command("send_reminders", "--source", "network.tasking_answer")
    out = capsys.readouterr().out
    assert "network.tasking_answer" in out
    assert Notification.objects.filter(kind="deadline").count() == 2
