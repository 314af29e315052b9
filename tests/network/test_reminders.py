"""`relais send-reminders` for the posts' answers: steps, idempotence, who is reminded, when it
stops."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from relais.core.notifications.deadlines import send_reminders
from relais.core.notifications.models import Notification
from relais.core.workflow.engine import apply_transition
from relais.network import services
from relais.network.deadlines import annual_report_due, annual_reports_due
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


# --- Annual reports ----------------------------------------------------------------------------

ANNUAL = ["network.annual_report"]


def annual_report(user, post, year, *, submit=False):
    report = services.create_report(
        user, post, year, context="Contexte", cooperation_summary="Actions", priorities="Former"
    )
    if submit:
        apply_transition(report, "submit", user)
    return report


def test_annual_report_reminders_until_it_is_transmitted(org, users):
    """The report on 2026 is due on 31 January 2027: J-14, J-3, then once late, only to the
    posts that have not transmitted it."""
    assert annual_report_due(2026) == datetime.date(2027, 1, 31)
    assert send_reminders(datetime.date(2027, 1, 10), ANNUAL).total == 0  # 21 days: not yet
    annual_report(users.attache_madrid, org.madrid, 2026, submit=True)
    draft = annual_report(users.attache_bamako, org.bamako, 2026)  # written, not transmitted
    annual_report(users.attache_bamako, org.bamako, 2025, submit=True)  # another year
    assert send_reminders(datetime.date(2027, 1, 17), ANNUAL).total == 1  # J-14, Bamako
    assert send_reminders(datetime.date(2027, 1, 18), ANNUAL).total == 0  # same step
    assert send_reminders(datetime.date(2027, 1, 28), ANNUAL).total == 1  # J-3
    assert send_reminders(datetime.date(2027, 2, 1), ANNUAL).total == 1  # late, once
    assert send_reminders(datetime.date(2027, 2, 20), ANNUAL).total == 0
    # Long after the date (a first run on deployment), no reminder of an old report.
    assert list(annual_reports_due(datetime.date(2027, 3, 5))) == []
    notes = reminders(users.attache_bamako)
    assert notes[0].title.startswith("Échéance dans 14 jours")
    assert "rapport annuel 2026" in notes[0].title
    assert notes[0].url == "/reseau/rapports/"
    assert notes[-1].title.startswith("Échéance dépassée")
    assert not reminders(users.attache_madrid)
    assert not reminders(users.pilotage)
    # Once transmitted, the post no longer has a deadline.
    assert [d.key for d in annual_reports_due(datetime.date(2027, 1, 30))] == [
        f"annual-report:{org.bamako.pk}:2026"
    ]
    apply_transition(draft, "submit", users.attache_bamako)
    assert list(annual_reports_due(datetime.date(2027, 1, 30))) == []


def test_annual_report_due_date_is_a_setting(org, users, settings):
    settings.RELAIS_NETWORK_ANNUAL_REPORT_DUE = "02-15"
    assert annual_report_due(2026) == datetime.date(2027, 2, 15)
    assert send_reminders(datetime.date(2027, 1, 17), ANNUAL).total == 0  # 29 days before
    assert send_reminders(datetime.date(2027, 2, 1), ANNUAL).total == 2  # J-14, both posts
