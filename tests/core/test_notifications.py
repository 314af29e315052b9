"""Notifications: notify (inbox rows, idempotent keys, e-mail per preference), deadline reminders
(idempotent send-reminders), the unread count in the header, the inbox and the preferences."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from relais.core.notifications import deadlines
from relais.core.notifications.deadlines import Deadline, DeadlineSource, reminder_step
from relais.core.notifications.kinds import NotificationKind, all_kinds, register_kind
from relais.core.notifications.models import Notification, NotificationPreference
from relais.core.notifications.services import notify
from relais.referential.workflows import AssignmentStatus as S
from tests.factories import AssignmentFactory, PersonFactory, UserFactory

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (e-mails leave after commit) inside the test transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# --- notify --------------------------------------------------------------------------------


def test_notify_creates_inbox_rows_for_active_recipients_only(users, on_commit):
    users.lecteur.is_active = False
    users.lecteur.save()
    with on_commit():
        created = notify(
            [users.pilotage, users.analyste, users.pilotage, users.lecteur],
            NotificationKind.COMMENT,
            "Nouveau commentaire",
            "Un commentaire sur la fiche.",
            "/article-1/",
        )
    assert len(created) == 2
    rows = Notification.objects.order_by("recipient__username")
    assert [n.recipient.username for n in rows] == ["analyste", "pilotage"]
    assert all(n.read_at is None and n.kind == "comment" for n in rows)


def test_notify_with_a_key_is_idempotent_per_recipient(users, on_commit):
    with on_commit():
        first = notify([users.pilotage], NotificationKind.DEADLINE, "Échéance", key="k1")
        second = notify(
            [users.pilotage, users.analyste], NotificationKind.DEADLINE, "Échéance", key="k1"
        )
    assert len(first) == 1
    assert [n.recipient for n in second] == [users.analyste]  # pilotage already had it
    assert Notification.objects.filter(key="k1").count() == 2
    assert len(mail.outbox) == 2  # one e-mail each, never two


def test_notify_refuses_unknown_kinds_and_unsafe_links(users):
    with pytest.raises(LookupError):
        notify([users.pilotage], "inconnue", "Titre")
    with pytest.raises(ValueError):
        notify([users.pilotage], NotificationKind.COMMENT, "Titre", url="javascript:alert(1)")
    assert not Notification.objects.exists()


def test_email_defaults_deadlines_on_others_off(users, on_commit):
    with on_commit():
        notify([users.pilotage], NotificationKind.TRANSITION, "Changement d'état")
    assert mail.outbox == []
    with on_commit():
        notify([users.pilotage], NotificationKind.DEADLINE, "Échéance proche", "Texte", "/x/")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pilotage@interieur.gouv.fr"]
    assert message.subject == "[Relais] Échéance proche"
    assert "Pour consulter : http://127.0.0.1:8000/x/" in message.body
    assert Notification.objects.get(kind="deadline").emailed


def test_email_follows_each_users_preference(users, on_commit):
    NotificationPreference.objects.create(user=users.pilotage, kind="transition", email=True)
    NotificationPreference.objects.create(user=users.analyste, kind="deadline", email=False)
    no_address = UserFactory(username="sans.courriel", email="")
    NotificationPreference.objects.create(user=no_address, kind="transition", email=True)
    with on_commit():
        notify([users.pilotage, users.analyste, no_address], "transition", "Validé")
        notify([users.pilotage, users.analyste], "deadline", "Échéance")
    sent = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert sent == [
        ("pilotage@interieur.gouv.fr", "[Relais] Validé"),
        ("pilotage@interieur.gouv.fr", "[Relais] Échéance"),
    ]
    # everyone still has the inbox rows
    assert Notification.objects.count() == 5


def test_no_email_when_the_transaction_rolls_back(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify([users.pilotage], NotificationKind.DEADLINE, "Échéance")
    assert len(callbacks) == 1  # deferred to the commit
    assert mail.outbox == []


def test_modules_can_register_kinds(users, on_commit):
    register_kind("test_renewal", "Renouvellement (test)", email_default=True)
    try:
        assert "test_renewal" in [k.code for k in all_kinds()]
        with on_commit():
            notify([users.analyste], "test_renewal", "À renouveler")
        assert Notification.objects.get().get_kind_display() == "Renouvellement (test)"
        assert len(mail.outbox) == 1
    finally:
        from relais.core.notifications import kinds

        kinds._kinds.pop("test_renewal")


# --- Deadlines and send-reminders --------------------------------------------------------------


def test_reminder_steps():
    source = DeadlineSource("x", lambda today: [], days_before=(1, 7))
    due = datetime.date(2026, 3, 20)
    assert source.days_before == (7, 1)
    assert reminder_step(due, due - datetime.timedelta(days=8), source) is None
    assert reminder_step(due, due - datetime.timedelta(days=7), source) == "J-7"
    assert reminder_step(due, due - datetime.timedelta(days=3), source) == "J-7"  # caught up
    assert reminder_step(due, due - datetime.timedelta(days=1), source) == "J-1"
    assert reminder_step(due, due, source) == "J-1"
    assert reminder_step(due, due + datetime.timedelta(days=1), source) == "depassee"
    late = DeadlineSource("y", lambda today: [], overdue=False)
    assert reminder_step(due, due + datetime.timedelta(days=1), late) is None


@pytest.fixture
def ending(org, users):
    """An assignment at the Madrid post ending in 5 days, one in Bamako in 40 days, one ended."""
    madrid = PersonFactory(unit=org.madrid.unit, first_name="Paul", last_name="Roche")
    bamako = PersonFactory(unit=org.bamako.unit)
    soon = AssignmentFactory(person=madrid, end_date=TODAY + datetime.timedelta(days=5))
    AssignmentFactory(person=bamako, end_date=TODAY + datetime.timedelta(days=40))
    AssignmentFactory(
        person=bamako, end_date=TODAY + datetime.timedelta(days=3), status=S.CANCELLED
    )
    return soon


def test_referential_source_reminds_post_users_and_administrators(ending, users, on_commit):
    with on_commit():
        report = deadlines.send_reminders(TODAY, ["referential.assignment_end"])
    assert report.created == {"referential.assignment_end": 2}
    rows = Notification.objects.order_by("recipient__username")
    assert [n.recipient.username for n in rows] == ["admin", "attache.madrid"]
    notification = rows[0]
    assert notification.kind == "deadline"
    assert notification.title.startswith(
        "Échéance dans 5 jours : fin de l'affectation de Paul ROCHE"
    )
    assert notification.key == f"referential.assignment_end:assignment:{ending.pk}:2026-03-15:J-7"
    assert "15/03/2026" in notification.body
    assert len(mail.outbox) == 2  # deadlines are e-mailed by default


def test_send_reminders_is_idempotent(ending, users, on_commit):
    out = StringIO()
    with on_commit():
        call_command("send_reminders", "--date", TODAY.isoformat(), stdout=out)
    first = Notification.objects.count()
    assert first == 2
    assert len(mail.outbox) == 2
    with on_commit():
        call_command("send_reminders", "--date", TODAY.isoformat(), stdout=out)
    with on_commit():
        # next day: still the same step (J-7) → nothing new
        call_command("send_reminders", "--date", "2026-03-11", stdout=out)
    assert Notification.objects.count() == first
    assert len(mail.outbox) == 2
    assert "0 rappel(s) envoyé(s)." in out.getvalue()
    # the day before, the J-1 step is new: one more each
    with on_commit():
        call_command("send_reminders", "--date", "2026-03-14", stdout=StringIO())
    assert Notification.objects.count() == 4


def test_send_reminders_rejects_bad_input(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_reminders", "--date", "10/03/2026")
    with pytest.raises(CommandError):
        call_command("send_reminders", "--source", "inconnue")


def test_custom_source_with_overdue(users, on_commit):
    source = DeadlineSource(
        "tests.custom",
        lambda today: [
            Deadline("a", [users.analyste], today - datetime.timedelta(days=2), "Rapport annuel"),
            Deadline("b", [users.analyste], today + datetime.timedelta(days=30), "Trop loin"),
        ],
    )
    deadlines.register(source)
    try:
        with on_commit():
            assert deadlines.send_reminders(TODAY, ["tests.custom"]).total == 1
            assert deadlines.send_reminders(TODAY, ["tests.custom"]).total == 0
        assert Notification.objects.get().title == "Échéance dépassée : Rapport annuel"
    finally:
        deadlines._sources.pop("tests.custom")


# --- Header, inbox, preferences ----------------------------------------------------------------


def _notify(user, title, **kw):
    return notify([user], NotificationKind.COMMENT, title, **kw)


def test_unread_count_in_header_for_the_right_user(users, client_for):
    _notify(users.attache_madrid, "Premier")
    _notify(users.attache_madrid, "Second")
    read = _notify(users.attache_madrid, "Déjà lu")[0]
    Notification.objects.filter(title="Déjà lu").update(read_at=read.created_at)
    _notify(users.pilotage, "Pour pilotage")

    html = client_for(users.attache_madrid).get("/").content.decode()
    assert 'aria-label="2 non lues">2</span>' in html
    html = client_for(users.pilotage).get("/").content.decode()
    assert 'aria-label="1 non lues">1</span>' in html
    html = client_for(users.analyste).get("/").content.decode()
    assert "non lues" not in html


def test_unread_context_processor_costs_one_query(users, rf, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    from relais.core.notifications.context_processors import unread

    _notify(users.pilotage, "Un")
    request = rf.get("/")
    request.user = AnonymousUser()
    assert unread(request) == {}
    request.user = users.pilotage
    with django_assert_num_queries(1):
        assert unread(request) == {"unread_notifications": 1}


def test_inbox_lists_own_notifications_unread_first(users, client, client_for):
    old = _notify(users.attache_madrid, "Ancienne non lue")[0]
    _notify(users.attache_madrid, "Lue", url="/article-1/")
    Notification.objects.filter(title="Lue").update(read_at=old.created_at)
    _notify(users.attache_madrid, "Récente non lue")
    _notify(users.attache_bamako, "Secret de Bamako")

    assert client.get("/notifications/").status_code == 302  # anonymous: login
    response = client_for(users.attache_madrid).get("/notifications/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Secret de Bamako" not in html
    positions = [html.index(t) for t in ("Récente non lue", "Ancienne non lue", "Lue<")]
    assert positions == sorted(positions)
    assert '<a href="/article-1/">Lue</a>' in html
    assert "2 notifications non lues." in html


def test_mark_read_only_own_notifications(users, client_for):
    _notify(users.attache_madrid, "À moi")
    _notify(users.attache_bamako, "À Bamako")
    mine = Notification.objects.get(title="À moi")
    theirs = Notification.objects.get(title="À Bamako")
    client = client_for(users.attache_madrid)

    assert client.get(f"/notifications/{mine.pk}/lue/").status_code == 405
    assert client.post(f"/notifications/{theirs.pk}/lue/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None

    response = client.post(f"/notifications/{mine.pk}/lue/", {"next": "/notifications/"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_mark_all_read_touches_only_own(users, client_for):
    _notify(users.attache_madrid, "Un")
    _notify(users.attache_madrid, "Deux")
    _notify(users.pilotage, "Autre")
    response = client_for(users.attache_madrid).post("/notifications/tout-lire/", follow=True)
    assert "2 notification(s) marquée(s) comme lue(s)." in response.content.decode()
    assert Notification.objects.filter(recipient=users.attache_madrid, read_at=None).count() == 0
    assert Notification.objects.filter(recipient=users.pilotage, read_at=None).count() == 1


def test_preferences_on_account_page_and_saved(users, client, client_for, on_commit):
    page = client_for(users.analyste).get("/compte/")
    html = page.content.decode()
    assert 'id="preferences-notifications"' in html
    assert 'id="preference-deadline" name="email" value="deadline" checked' in html
    assert 'id="preference-transition" name="email" value="transition"' in html
    assert 'value="transition" checked' not in html
    assert '<label class="fr-label" for="preference-transition">' in html

    assert client.post("/notifications/preferences/", {"email": ["transition"]}).status_code == 302
    assert not NotificationPreference.objects.exists()  # anonymous saved nothing

    response = client_for(users.analyste).post(
        "/notifications/preferences/", {"email": ["transition"]}
    )
    assert response.status_code == 302
    assert response["Location"] == "/compte/#preferences-notifications"
    saved = dict(
        NotificationPreference.objects.filter(user=users.analyste).values_list("kind", "email")
    )
    assert saved["transition"] is True
    assert saved["deadline"] is False

    with on_commit():
        notify([users.analyste], "transition", "Changement")
        notify([users.analyste], "deadline", "Échéance")
    assert [m.subject for m in mail.outbox] == ["[Relais] Changement"]
    html = client_for(users.analyste).get("/compte/").content.decode()
    assert 'value="transition" checked' in html
    assert 'value="deadline" checked' not in html
