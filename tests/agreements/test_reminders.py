"""Deadline reminders: notice and renewal deadlines, committee meetings, comments due — to the
lead and the directorates concerned, idempotent; and the iCalendar source."""

import datetime

import pytest

from relais.agreements import services
from relais.agreements.models import Addressee
from relais.core.exports.calendar import events_for
from relais.core.notifications.deadlines import send_reminders
from relais.core.notifications.models import Notification
from tests.agreements.conftest import to_in_force

D = datetime.date
SOURCES = ["agreements.notice", "agreements.renewal", "agreements.committee", "agreements.comments"]


@pytest.fixture
def followed(make_agreement, users, k_org):
    agreement = make_agreement(
        title="Accord suivi",
        lead=users.charge_afrique,
        tacit_renewal=True,
        renewal_years=5,
        notice_months=6,
    )
    return to_in_force(agreement, users.pilotage, in_force=D(2021, 1, 1), expires=D(2027, 6, 30))


def recipients(key_part):
    return set(
        Notification.objects.filter(key__contains=key_part).values_list(
            "recipient__username", flat=True
        )
    )


def test_notice_deadline_reminds_lead_and_directorate(followed, users):
    # Notice deadline: 30/12/2026; J-30 step on 30/11/2026.
    report = send_reminders(D(2026, 11, 30), names=SOURCES)
    assert report.created["agreements.notice"] == 2
    assert recipients("agreements.notice") == {"charge.afrique", "correspondant.dgpn"}
    note = Notification.objects.filter(key__contains="agreements.notice").first()
    assert "préavis" in note.title and "30/12/2026" in note.body
    assert send_reminders(D(2026, 11, 30), names=SOURCES).total == 0
    assert send_reminders(D(2026, 12, 1), names=SOURCES).total == 0  # same step
    assert send_reminders(D(2026, 12, 24), names=SOURCES).created["agreements.notice"] == 2  # J-7
    assert "correspondant.dgef" not in recipients("agreements")


def test_renewal_reminder_and_moved_deadline(followed, users):
    assert send_reminders(D(2027, 6, 1), names=["agreements.renewal"]).total == 2
    services.record_renewal(followed, users.pilotage, kind="tacit", renewed_on=D(2027, 7, 1))
    followed.refresh_from_db()
    assert followed.expires_on == D(2032, 6, 30)
    assert send_reminders(D(2027, 6, 2), names=["agreements.renewal"]).total == 0


def test_committee_meeting_and_comments_due(followed, users, k_org):
    committee = services.add_committee(followed, users.pilotage, name="Comité mixte")
    services.add_meeting(committee, users.pilotage, held_on=D(2026, 12, 10), place="Alger")
    services.request_comments(
        followed,
        users.pilotage,
        addressee=Addressee.DIRECTORATE,
        directorate=k_org.dgpn,
        subject="Avis",
        requested_on=D(2026, 11, 1),
        due_on=D(2026, 12, 3),
    )
    report = send_reminders(D(2026, 11, 30), names=["agreements.committee", "agreements.comments"])
    assert report.created == {"agreements.committee": 2, "agreements.comments": 2}
    assert recipients("agreements.comments") == {"charge.afrique", "correspondant.dgpn"}
    request = followed.comment_requests.get()
    services.answer_comment_request(request, users.correspondant_dgpn, answer="Vu.")
    assert send_reminders(D(2026, 12, 2), names=["agreements.comments"]).total == 0


def test_reminders_use_the_agreement_notification_kind(followed):
    send_reminders(D(2026, 11, 30), names=SOURCES)
    assert set(Notification.objects.values_list("kind", flat=True)) == {"agreement_deadline"}


def test_calendar_source_is_scoped(followed, users, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC))
    summaries = [
        e.summary for e in events_for(users.correspondant_dgpn) if "Accord suivi" in e.summary
    ]
    assert any(s.startswith("Date limite de préavis") for s in summaries)
    assert any(s.startswith("Reconduction tacite") for s in summaries)
    assert not [e for e in events_for(users.correspondant_dgef) if "Accord suivi" in e.summary]
    assert not [e for e in events_for(users.attache_madrid) if "Accord suivi" in e.summary]
