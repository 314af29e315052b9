"""iCalendar feeds: per-user secret address, events scoped by visible_to, reset from « Mon compte »."""

import datetime

import pytest
import time_machine
from django.test import Client
from icalendar import Calendar

from relais.accounts.services import reset_calendar_token
from relais.core.audit.models import Action, AuditEvent
from relais.core.exports import calendar as registry
from relais.core.exports.calendar import CalendarEvent, events_for
from relais.core.markings import Marking
from relais.referential.calendars import current_assignments
from relais.referential.models import Function
from tests.factories import AssignmentFactory, PersonFactory

TODAY = datetime.date(2026, 3, 15)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def assignments(org):
    garcon = PersonFactory(first_name="Inès", last_name="Garçon", unit=org.madrid.unit)
    keita = PersonFactory(first_name="Moussa", last_name="Keïta", unit=org.bamako.unit)
    return {
        "madrid": AssignmentFactory(
            person=garcon,
            function=Function.ASI,
            start_date=datetime.date(2024, 9, 1),
            end_date=datetime.date(2027, 8, 31),
        ),
        "bamako": AssignmentFactory(
            person=keita, function=Function.DEPUTY, start_date=datetime.date(2025, 1, 6)
        ),
        "ended": AssignmentFactory(
            person=keita,
            function=Function.LIAISON_OFFICER,
            start_date=datetime.date(2020, 1, 1),
            end_date=datetime.date(2024, 12, 31),
        ),
    }


def feed(client, user):
    token = user.calendar_token or reset_calendar_token(user)
    response = client.get(f"/calendrier/{token}.ics")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def summaries(calendar) -> list[str]:
    return [str(e["summary"]) for e in calendar.walk("VEVENT")]


# --- The feed --------------------------------------------------------------------------------


def test_feed_lists_current_assignments_visible_to_the_user(users, assignments):
    cal = feed(Client(), users.attache_madrid)
    assert str(cal["prodid"]).endswith("//Relais//FR")
    assert summaries(cal) == [
        "Prise de fonctions : Inès GARÇON (Attaché de sécurité intérieure, SSI Madrid)",
        "Fin d'affectation : Inès GARÇON (Attaché de sécurité intérieure, SSI Madrid)",
    ]
    start, end = cal.walk("VEVENT")
    assert start["dtstart"].dt == datetime.date(2024, 9, 1)
    assert start["dtend"].dt == datetime.date(2024, 9, 2)  # all day: DTEND is exclusive
    assert end["dtstart"].dt == datetime.date(2027, 8, 31)
    assert str(start["uid"]) == f"referential-assignment-{assignments['madrid'].pk}-start@relais"
    assert str(start["url"]).endswith(f"/organisation/agents/{assignments['madrid'].person.pk}/")


def test_feed_of_another_post_has_none_of_madrid(users, assignments):
    texts = summaries(feed(Client(), users.attache_bamako))
    assert texts == ["Prise de fonctions : Moussa KEÏTA (Attaché adjoint, SSI Bamako)"]
    # Headquarters sees both posts; the ended assignment is in neither feed.
    texts = summaries(feed(Client(), users.pilotage))
    assert len(texts) == 3
    assert not any("Officier de liaison" in t for t in texts)


def test_restricted_assignments_stay_out_of_the_feed(users, assignments):
    assignments["bamako"].marking = Marking.DIFFUSION_RESTREINTE
    assignments["bamako"].save()
    assert summaries(feed(Client(), users.attache_bamako)) == []
    # …and so do assignments of a restricted person.
    assignments["madrid"].person.marking = Marking.DIFFUSION_RESTREINTE
    assignments["madrid"].person.save()
    assert summaries(feed(Client(), users.attache_madrid)) == []


def test_unknown_or_short_token_is_404(users, db):
    reset_calendar_token(users.pilotage)
    client = Client()
    assert client.get("/calendrier/nimportequoi.ics").status_code == 404
    assert client.get(f"/calendrier/{'x' * 43}.ics").status_code == 404
    assert client.get(f"/calendrier/{users.pilotage.calendar_token[:-1]}.ics").status_code == 404


def test_inactive_user_feed_is_404(users, assignments):
    token = reset_calendar_token(users.attache_madrid)
    users.attache_madrid.is_active = False
    users.attache_madrid.save()
    assert Client().get(f"/calendrier/{token}.ics").status_code == 404


def test_registered_sources_are_merged_and_sorted(users, assignments):
    def meetings(user):
        yield CalendarEvent(
            uid="essai-reunion",
            summary="Comité mixte",
            start=datetime.datetime(2026, 4, 2, 9, 30, tzinfo=datetime.UTC),
            end=datetime.datetime(2026, 4, 2, 11, 0, tzinfo=datetime.UTC),
            description="Salle Beauvau",
        )

    registry.register(meetings)
    try:
        assert current_assignments in registry.sources()
        events = events_for(users.attache_madrid)
        assert [e.summary for e in events][1] == "Comité mixte"
        cal = feed(Client(), users.attache_madrid)
        meeting = next(e for e in cal.walk("VEVENT") if str(e["summary"]) == "Comité mixte")
        assert meeting["dtend"].dt - meeting["dtstart"].dt == datetime.timedelta(minutes=90)
        assert str(meeting["description"]) == "Salle Beauvau"
    finally:
        registry.unregister(meetings)


# --- The token: shown in « Mon compte », reset by POST -----------------------------------------


def test_account_page_shows_the_link_and_the_button(users, client_for):
    token = reset_calendar_token(users.lecteur)
    html = client_for(users.lecteur).get("/compte/").content.decode()
    assert f"http://testserver/calendrier/{token}.ics" in html
    assert "Générer un nouveau lien" in html
    assert 'action="/calendrier/nouveau-lien/"' in html


def test_account_page_without_a_token(users, client_for):
    html = client_for(users.lecteur).get("/compte/").content.decode()
    assert ".ics" not in html
    assert "Générer un nouveau lien" in html


def test_reset_invalidates_the_old_link(users, assignments, client_for):
    old = reset_calendar_token(users.attache_madrid)
    client = client_for(users.attache_madrid)
    response = client.post("/calendrier/nouveau-lien/")
    assert response.status_code == 302
    assert response["Location"] == "/compte/"
    users.attache_madrid.refresh_from_db()
    new = users.attache_madrid.calendar_token
    assert new and new != old
    assert Client().get(f"/calendrier/{old}.ics").status_code == 404
    assert Client().get(f"/calendrier/{new}.ics").status_code == 200
    assert (
        AuditEvent.objects.filter(action=Action.TOKEN, actor_username="attache.madrid").count() == 2
    )
    assert "ancien ne fonctionne plus" in client.get("/compte/").content.decode()


def test_reset_refusals(users, client_for, db):
    anonymous = Client().post("/calendrier/nouveau-lien/")
    assert anonymous.status_code == 302
    assert "/compte/connexion/" in anonymous["Location"]
    assert client_for(users.lecteur).get("/calendrier/nouveau-lien/").status_code == 405
    users.lecteur.refresh_from_db()
    assert users.lecteur.calendar_token == ""
    # CSRF is enforced on the reset form.
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(users.lecteur)
    assert csrf_client.post("/calendrier/nouveau-lien/").status_code == 403


def test_feed_links_use_the_host_and_port_it_was_asked_on(users, assignments, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.ALLOWED_HOSTS = ["relais.example"]
    token = users.attache_madrid.calendar_token or reset_calendar_token(users.attache_madrid)
    response = Client().get(
        f"/calendrier/{token}.ics", HTTP_HOST="relais.example:8443", secure=True
    )
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["url"]).startswith("https://relais.example:8443/organisation/agents/")
