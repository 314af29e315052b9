"""The audit trail: hash chain and `relais audit verify`, change history, access log, the "Audit"
page and its API."""

import datetime
import itertools
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from relais.core import records
from relais.core.audit.events import GENESIS, log_event, log_export, log_read, verify_chain
from relais.core.audit.history import history_for
from relais.core.audit.models import Action, AuditEvent, ChainHead
from relais.core.markings import Marking
from relais.referential.models import Assignment, Corps, PartnerBody, Person
from tests.factories import AssignmentFactory, PartnerBodyFactory, PersonFactory, UserFactory
from tests.matrix import Persona, check_matrix

TABLE = AuditEvent._meta.db_table
COLUMNS = [
    "timestamp",
    "actor_id",
    "actor_username",
    "action",
    "model",
    "object_id",
    "object_repr",
    "marking",
    "changes",
    "extra",
    "ip_address",
    "prev_hash",
    "hash",
]


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _chain(users, n=5):
    """n events written through the normal path (records.update on a partner body)."""
    partner = records.create(
        PartnerBody(name="Europol", kind="international_organisation"), users.admin
    )
    for i in range(n - 1):
        partner.city = f"La Haye {i}"
        records.update(partner, users.admin, expected_version=partner.version)
    return list(AuditEvent.objects.order_by("id"))


def _verify_command() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def _broken(event_id=None) -> str:
    with pytest.raises(CommandError) as excinfo:
        _verify_command()
    assert excinfo.value.returncode == 1
    message = str(excinfo.value)
    assert message.startswith("Chaîne d'audit rompue")
    if event_id is not None:
        assert f"n°{event_id}" in message
    return message


def _forge(prev_hash: str, *, event_id=None, copy_from: AuditEvent) -> AuditEvent:
    """A forged event with a well-formed hash, inserted by raw SQL (changes/extra copied)."""
    forged = AuditEvent(
        timestamp=copy_from.timestamp,
        actor_id=copy_from.actor_id,
        actor_username="intrus",
        action=Action.UPDATE,
        model=copy_from.model,
        object_id=copy_from.object_id,
        object_repr=copy_from.object_repr,
        marking=copy_from.marking,
        changes=copy_from.changes,
        extra=copy_from.extra,
        ip_address="10.0.0.66",
        prev_hash=prev_hash,
    )
    forged.hash = forged.compute_hash()
    values = [getattr(forged, c) for c in COLUMNS if c not in {"changes", "extra"}]
    plain = [c for c in COLUMNS if c not in {"changes", "extra"}]
    cols = ([] if event_id is None else ["id"]) + plain + ["changes", "extra"]
    params = ([] if event_id is None else [event_id]) + values + [copy_from.pk]
    placeholders = ", ".join(["%s"] * (len(params) - 1))
    _sql(
        f"INSERT INTO {TABLE} ({', '.join(cols)}) "
        f"SELECT {placeholders}, changes, extra FROM {TABLE} WHERE id = %s",
        params,
    )
    return AuditEvent.objects.get(hash=forged.hash)


# --- The chain and `relais audit verify` ---------------------------------------------------------


def test_intact_chain_verifies_and_command_counts_events(users):
    events = _chain(users, 5)
    assert events[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    assert verify_chain() is None
    total = AuditEvent.objects.count()
    assert _verify_command().splitlines()[0] == (
        f"Chaîne d'audit intègre : {total} événements, dernier n°{events[-1].pk}, "
        f"empreinte {events[-1].hash}"
    )
    head = ChainHead.objects.get(pk=1)
    assert (head.last_id, head.last_hash, head.count) == (events[-1].pk, events[-1].hash, total)


def test_verify_catches_an_altered_event(users):
    events = _chain(users, 5)
    _sql(f"UPDATE {TABLE} SET actor_username = %s WHERE id = %s", ["quelquun", events[2].pk])
    problem = verify_chain()
    assert problem.event_id == events[2].pk
    assert "modifié" in _broken(events[2].pk)


def test_verify_catches_altered_json_changes(users):
    events = _chain(users, 4)
    with pytest.raises(RuntimeError):
        AuditEvent.objects.filter(pk=events[1].pk).update(object_repr="x")
    _sql(f"UPDATE {TABLE} SET changes = extra WHERE id = %s", [events[1].pk])
    assert verify_chain().event_id == events[1].pk


def test_verify_catches_an_event_removed_in_the_middle(users):
    events = _chain(users, 5)
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [events[2].pk])
    problem = verify_chain()
    assert problem.event_id == events[3].pk
    message = _broken(events[3].pk)
    assert "supprimés" in message


def test_verify_catches_the_first_event_removed(users):
    events = _chain(users, 3)
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [events[0].pk])
    assert verify_chain().event_id == events[1].pk


def test_verify_catches_events_removed_at_the_tail(users):
    events = _chain(users, 5)
    _sql(f"DELETE FROM {TABLE} WHERE id >= %s", [events[3].pk])
    problem = verify_chain()
    assert "fin de chaîne" in problem.message
    message = _broken(events[-1].pk)
    assert f"s'arrête à l'événement n°{events[2].pk}" in message


def test_verify_catches_the_chain_head_removed_with_the_events(users):
    _chain(users, 3)
    _sql(f"DELETE FROM {ChainHead._meta.db_table}")
    assert "tête de chaîne" in verify_chain().message


def test_verify_catches_an_event_inserted_at_the_tail_with_a_plausible_hash(users):
    events = _chain(users, 4)
    forged = _forge(events[-1].hash, copy_from=events[-1])
    assert forged.compute_hash() == forged.hash  # on its own, the forged event looks right
    problem = verify_chain()
    assert problem.event_id == forged.pk
    assert "inséré" in _broken(forged.pk)


def test_verify_catches_an_event_inserted_in_the_middle_with_a_plausible_hash(users):
    events = _chain(users, 5)
    # Make room after the second event (renumbering alone is harmless: the chain still holds)…
    _sql(f"UPDATE {TABLE} SET id = id + 1000 WHERE id > %s", [events[1].pk])
    assert verify_chain() is None
    # … then slip a well-formed event in, linked to the second one.
    forged = _forge(events[1].hash, event_id=events[1].pk + 1, copy_from=events[1])
    problem = verify_chain()
    assert problem.event_id == forged.pk
    message = _broken(forged.pk)
    assert "inséré" in message


def test_verify_catches_a_swap_of_two_events(users):
    events = _chain(users, 4)
    a, b = events[1].pk, events[2].pk
    _sql(f"UPDATE {TABLE} SET id = %s WHERE id = %s", [a + 5000, a])
    _sql(f"UPDATE {TABLE} SET id = %s WHERE id = %s", [a, b])
    _sql(f"UPDATE {TABLE} SET id = %s WHERE id = %s", [b, a + 5000])
    assert verify_chain() is not None


def test_events_cannot_be_changed_or_deleted_through_the_orm(users):
    event = _chain(users, 1)[0]
    event.object_repr = "autre"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    with pytest.raises(RuntimeError):
        AuditEvent.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_sequential_transactions_keep_the_chain_linear(org):
    user = UserFactory(username="auteur")
    ChainHead.objects.all().delete()  # also exercises the creation of the head
    with transaction.atomic():
        first = log_event(Action.LOGIN, user)
        second = log_event(Action.LOGOUT, user)
    with transaction.atomic():
        third = log_event(Action.LOGIN, user)
    assert (first.prev_hash, second.prev_hash, third.prev_hash) == (
        GENESIS,
        first.hash,
        second.hash,
    )
    # A rolled-back transaction leaves neither an event nor a moved head behind.
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        log_event(Action.LOGIN, user)
        1 / 0  # noqa: B018
    fourth = log_event(Action.LOGOUT, user)
    assert fourth.prev_hash == third.hash
    assert ChainHead.objects.get(pk=1).count == 4
    assert verify_chain() is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_the_chain_linear():
    if connection.vendor != "postgresql":
        pytest.skip("concurrence réelle : PostgreSQL (SQLite sérialise les écritures)")
    user = UserFactory(username="concurrent")
    log_event(Action.LOGIN, user)  # the head row exists
    errors = []
    barrier = threading.Barrier(4)

    def writer():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            for _ in range(10):
                with transaction.atomic():
                    log_event(Action.LOGIN, user)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.count() == 41
    assert verify_chain() is None


# --- Change history ----------------------------------------------------------------------------


def test_history_shows_who_when_and_each_field_before_after(org, users):
    person = records.create(
        Person(first_name="Jeanne", last_name="Martin", corps=Corps.POLICE, unit=org.dcpj),
        users.admin,
    )
    person.grade = "Commissaire"
    person.corps = Corps.GENDARMERIE
    person.unit = org.dgef
    records.update(person, users.admin, expected_version=1)
    history = history_for(person, users.admin)
    assert [e.action for e in history] == [Action.UPDATE, Action.CREATE]
    update = history[0]
    assert update.actor == "admin"
    changes = {c.label: (c.before, c.after) for c in update.changes}
    assert changes == {
        "Grade": ("—", "Commissaire"),
        "Corps": ("Police nationale", "Gendarmerie nationale"),
        "Unité": (str(org.dcpj), str(org.dgef)),
    }
    html = render_to_string("audit/_history.html", {"history": history, "object": person})
    assert "Historique des modifications" in html
    assert "Modification le" in html and "par admin" in html
    assert "Police nationale" in html and "Gendarmerie nationale" in html
    assert "<caption>" in html


def test_history_costs_a_fixed_number_of_queries(org, users, django_assert_num_queries):
    person = PersonFactory(unit=org.dcpj)
    for unit in [org.dgef, org.dgpn, org.dci, org.dcpj] * 5:
        person.unit = unit
        records.update(person, users.admin)
    with django_assert_num_queries(2):  # the events, then the unit labels
        history = history_for(person, users.admin)
    assert len(history) == 20


def test_history_hides_labels_of_records_the_reader_may_not_see(org, users):
    madrid_person = PersonFactory(unit=org.madrid.unit, first_name="Luis", last_name="Garcia")
    other = PersonFactory(unit=org.madrid.unit, first_name="Ana", last_name="Lopez")
    assignment = AssignmentFactory(person=madrid_person, unit=org.madrid.unit)
    assignment.person = other
    records.update(assignment, users.admin)
    seen_by_madrid = history_for(assignment, users.attache_madrid)[0].changes
    assert {c.label: (c.before, c.after) for c in seen_by_madrid}["Agent"] == (
        str(madrid_person),
        str(other),
    )
    seen_by_bamako = history_for(assignment, users.attache_bamako)[0].changes
    agent = {c.label: (c.before, c.after) for c in seen_by_bamako}["Agent"]
    assert agent == (f"n°{madrid_person.pk}", f"n°{other.pk}")
    assert Assignment.objects.count() == 1


def test_history_excludes_reads_and_other_records(org, users, monkeypatch):
    a = PartnerBodyFactory()
    b = PartnerBodyFactory()
    records.update(a, users.admin)  # no change: no event
    a.city = "Lyon"
    records.update(a, users.admin)
    b.city = "Paris"
    records.update(b, users.admin)
    monkeypatch.setattr(PartnerBody, "audit_reads", True)
    log_read(users.admin, a)
    history = history_for(a, users.admin)
    assert len(history) == 1
    assert history[0].changes[0].after == "Lyon"


# --- Access log --------------------------------------------------------------------------------


def test_reads_are_logged_only_for_sensitive_models(org, users, monkeypatch):
    person = PersonFactory(unit=org.dcpj)
    assert log_read(users.pilotage, person) is None
    assert not AuditEvent.objects.filter(action=Action.READ).exists()
    monkeypatch.setattr(Person, "audit_reads", True)
    event = log_read(users.pilotage, person)
    assert (event.action, event.actor_username, event.object_id) == (
        Action.READ,
        "pilotage",
        str(person.pk),
    )


def test_exports_are_logged_with_format_count_and_filters(users):
    event = log_export(users.pilotage, PartnerBody, fmt="csv", count=3, filters={"kind": "funder"})
    assert event.action == Action.EXPORT
    assert event.model == "referential.partnerbody"
    assert event.extra == {"format": "csv", "count": 3, "filters": {"kind": "funder"}}
    assert event.object_repr == "Export CSV de 3 organismes partenaires"


# --- The "Audit" page ----------------------------------------------------------------------------


def test_audit_page_is_for_pilotage_and_lecteur_only(users):
    check_matrix(
        "/audit/",
        anonymous=Persona.LOGIN,
        other_unit=(users.charge_afrique, 403),
        read_only=(users.lecteur, 200),
        right_user=(users.pilotage, 200),
    )
    for user in [users.admin, users.attache_madrid, users.correspondant_dgpn, users.analyste]:
        check_matrix("/audit/", other_unit=(user, 403))


def test_audit_nav_entry_only_for_those_who_may_consult(users, client_for):
    assert 'href="/audit/"' in client_for(users.pilotage).get("/").content.decode()
    assert 'href="/audit/"' in client_for(users.lecteur).get("/").content.decode()
    assert 'href="/audit/"' not in client_for(users.charge_afrique).get("/").content.decode()


def _events_on_days(users, org):
    # 00:30 in Paris on 11 March is still 10 March in UTC: the date filters follow Paris time.
    with_time = timezone.make_aware(datetime.datetime(2026, 3, 11, 0, 30))
    import time_machine

    with time_machine.travel(with_time, tick=False):
        europol = records.create(
            PartnerBody(name="Europol", kind="international_organisation"), users.admin
        )
    with time_machine.travel(with_time + datetime.timedelta(days=2), tick=False):
        person = records.create(
            Person(first_name="Paul", last_name="Durand", corps=Corps.POLICE, unit=org.dcpj),
            users.pilotage,
        )
        log_event(Action.LOGIN, users.lecteur)
    return europol, person


def test_audit_page_filters_by_user_record_date_and_action(org, users, client_for):
    europol, person = _events_on_days(users, org)
    client = client_for(users.pilotage)

    def shown(query):
        response = client.get("/audit/", query)
        assert response.status_code == 200
        return {row["event"].pk for row in response.context["rows"]}

    all_ids = set(AuditEvent.objects.values_list("pk", flat=True))
    assert shown({}) == all_ids
    assert shown({"actor": "pilot"}) == {
        e.pk for e in AuditEvent.objects.filter(actor_username="pilotage")
    }
    assert shown({"action": "login"}) == {e.pk for e in AuditEvent.objects.filter(action="login")}
    assert shown({"model": "referential.partnerbody"}) == {
        e.pk for e in AuditEvent.objects.filter(model="referential.partnerbody")
    }
    assert shown({"model": "referential.person", "object_id": str(person.pk)}) == {
        e.pk for e in AuditEvent.objects.for_object(person)
    }
    assert shown({"q": "europ"}) == {e.pk for e in AuditEvent.objects.for_object(europol)}
    europol_events = {e.pk for e in AuditEvent.objects.for_object(europol)}
    assert shown({"start": "2026-03-11", "end": "2026-03-11"}) == europol_events
    assert shown({"end": "2026-03-10"}) == set()
    assert shown({"start": "2026-03-12"}) == all_ids - europol_events
    assert shown({"start": "2026-03-12", "end": "2026-03-13", "actor": "lecteur"}) == {
        AuditEvent.objects.get(
            action="login", timestamp__lt=timezone.now() - datetime.timedelta(days=1)
        ).pk
    }
    html = client.get("/audit/", {"action": "create"}).content.decode()
    assert "Europol" in html and "Organisme partenaire" in html
    assert html.count("<h1") == 1


def test_audit_page_rejects_bad_filters_without_crashing(users, client_for):
    response = client_for(users.pilotage).get("/audit/", {"start": "pas-une-date", "action": "x"})
    assert response.status_code == 200
    assert "fr-error-text" in response.content.decode()


def test_audit_page_hides_events_of_records_above_the_clearance(org, users, client_for):
    secret_person = records.create(
        Person(
            first_name="Restreint",
            last_name="Agent",
            corps=Corps.POLICE,
            unit=org.dcpj,
            marking=Marking.DIFFUSION_RESTREINTE,
        ),
        users.pilotage,
    )
    plain_lecteur = UserFactory(
        username="lecteur.np", role="lecteur", unit=org.audit, clearance=Marking.NON_PROTEGE
    )
    hidden = AuditEvent.objects.for_object(secret_person)
    assert hidden.exists() and all(e.marking == "diffusion_restreinte" for e in hidden)
    assert not AuditEvent.objects.visible_to(plain_lecteur).filter(pk__in=hidden).exists()
    assert (
        AuditEvent.objects.visible_to(users.lecteur).filter(pk__in=hidden).count() == hidden.count()
    )
    html = client_for(plain_lecteur).get("/audit/").content.decode()
    assert "Restreint" not in html


def test_lowering_a_marking_keeps_the_update_event_restricted(org, users):
    person = PersonFactory(unit=org.dcpj, marking=Marking.DIFFUSION_RESTREINTE)
    person.marking = Marking.NON_PROTEGE
    records.update(person, users.admin)
    assert AuditEvent.objects.for_object(person).get().marking == Marking.DIFFUSION_RESTREINTE


def test_audit_page_is_paginated_with_a_fixed_query_count(users, client_for):
    client = client_for(users.pilotage)

    def queries_for(n):
        while AuditEvent.objects.count() < n:  # the client's login is one of them
            log_event(Action.LOGIN, users.lecteur)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/audit/")
        assert response.status_code == 200
        assert response.context["page_obj"].paginator.count == n
        return len(ctx.captured_queries), response

    small, _ = queries_for(10)
    large, response = queries_for(200)
    assert small == large
    assert len(response.context["rows"]) == 50
    assert "1 / 4" in response.content.decode()
    page4 = client.get("/audit/", {"page": 4, "action": "login"})
    assert len(page4.context["rows"]) == 50
    assert "action=login" in page4.content.decode()  # pagination keeps the filters


# --- The API -------------------------------------------------------------------------------------


def test_audit_api_permissions_and_filters(org, users, client_for):
    _events_on_days(users, org)
    check_matrix(
        "/api/v1/audit/events/",
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.charge_afrique, 403),
        read_only=(users.lecteur, 200),
        right_user=(users.pilotage, 200),
    )
    client = client_for(users.lecteur)
    body = client.get("/api/v1/audit/events/", {"action": "create"}).json()
    assert body["count"] == AuditEvent.objects.filter(action="create").count() == 2
    assert {r["object_repr"] for r in body["results"]} == {"Europol", "Paul DURAND"}
    body = client.get("/api/v1/audit/events/", {"end": "2026-03-31", "actor": "lecteur"}).json()
    assert [r["action"] for r in body["results"]] == ["login"]
    assert body["results"][0]["hash"] == (
        AuditEvent.objects.filter(action="login", actor_username="lecteur")
        .order_by("id")
        .first()
        .hash
    )
    assert client.get("/api/v1/audit/events/", {"start": "hier"}).status_code == 400


@pytest.mark.urls("tests.core.test_locking")
def test_audited_retrieve_mixin_logs_reads_of_sensitive_records(users, client_for, monkeypatch):
    partner = PartnerBodyFactory()
    client = client_for(users.pilotage)
    assert client.get(f"/test-api/partners/{partner.pk}/").status_code == 200
    assert not AuditEvent.objects.filter(action=Action.READ).exists()
    monkeypatch.setattr(PartnerBody, "audit_reads", True)
    assert client.get(f"/test-api/partners/{partner.pk}/").json()["id"] == partner.pk
    read = AuditEvent.objects.get(action=Action.READ)
    assert (read.actor_username, read.object_id) == ("pilotage", str(partner.pk))
    # A record out of scope is a 404 and logs nothing.
    assert client.get("/test-api/partners/999999/").status_code == 404
    assert AuditEvent.objects.filter(action=Action.READ).count() == 1


def test_snapshot_of_a_file_field_keeps_the_file_name(tmp_path, settings):
    from django.core.files.base import ContentFile
    from django.db import models
    from django.test.utils import isolate_apps

    from relais.core.audit.events import snapshot

    with isolate_apps("relais.core.audit"):

        class Upload(models.Model):
            document = models.FileField(upload_to="essai/")
            title = models.CharField(max_length=20)

            class Meta:
                app_label = "audit"

            def __str__(self):
                return self.title

        settings.MEDIA_ROOT = tmp_path
        upload = Upload(title="Texte")
        upload.document.save("accord.txt", ContentFile(b"contenu"), save=False)
        data = snapshot(upload)
    assert data["title"] == "Texte"
    assert data["document"].startswith("essai/accord") and data["document"].endswith(".txt")
    assert "contenu" not in str(data)
