"""The audit chain anchored outside the database: `relais audit verify` and `relais audit
checkpoint` append the signed head to the checkpoint file; verify fails on a chain cut short with
its head rolled back, on a chain emptied with its head, and on a tampered checkpoint line."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from relais.core.audit.checkpoints import CheckpointError, audit_key, read_checkpoints
from relais.core.audit.events import verify_chain
from relais.core.audit.models import AuditEvent, ChainHead
from tests.core.test_audit import TABLE, _chain, _sql

HEAD_TABLE = ChainHead._meta.db_table


def _run(subcommand="verify") -> str:
    out = StringIO()
    call_command("audit", subcommand, stdout=out)
    return out.getvalue()


def _refused(subcommand="verify") -> str:
    with pytest.raises(CommandError) as excinfo:
        _run(subcommand)
    assert excinfo.value.returncode == 1
    message = str(excinfo.value)
    assert "\n" not in message
    return message


def _roll_back_to(event):
    """What a database writer does to hide the last events: delete them, rewind the head."""
    _sql(f"DELETE FROM {TABLE} WHERE id > %s", [event.pk])
    count = AuditEvent.objects.count()
    _sql(
        f"UPDATE {HEAD_TABLE} SET last_id = %s, last_hash = %s, count = %s",
        [event.pk, event.hash, count],
    )


def _lines(settings) -> list[dict]:
    return [json.loads(line) for line in settings.AUDIT_CHECKPOINT_FILE.read_text().splitlines()]


def test_verify_prints_the_head_hash_and_appends_a_signed_checkpoint(users, settings):
    events = _chain(users, 4)
    total = AuditEvent.objects.count()
    output = _run()
    assert output.splitlines()[0] == (
        f"Chaîne d'audit intègre : {total} événements, dernier n°{events[-1].pk}, "
        f"empreinte {events[-1].hash}"
    )
    assert f"point n°1 inscrit dans {settings.AUDIT_CHECKPOINT_FILE}" in output
    (line,) = _lines(settings)
    assert (line["count"], line["last_id"], line["last_hash"]) == (
        total,
        events[-1].pk,
        events[-1].hash,
    )
    assert re.fullmatch(r"[0-9a-f]{64}", line["mac"]) and line["prev"] == ""
    # The checkpoint file is outside the database's folder, the key file was generated.
    assert settings.AUDIT_KEY_FILE.stat().st_mode & 0o077 == 0
    assert len(audit_key()) >= 32

    _chain(users, 2)
    assert "Point de contrôle d'audit n°2 : " in _run("checkpoint")
    assert "Points de contrôle concordants : 2 ; point n°3" in _run()
    first, second, third = _lines(settings)
    assert second["prev"] == first["mac"] and third["prev"] == second["mac"]


def test_default_checkpoint_file_is_outside_the_data_folder():
    from relais import settings as relais_settings

    data = relais_settings.DATA_DIR
    assert data not in relais_settings.AUDIT_CHECKPOINT_FILE.parents
    assert data not in relais_settings.AUDIT_KEY_FILE.parents


def test_verify_fails_when_the_last_events_are_deleted_and_the_head_rolled_back(users):
    events = _chain(users, 6)
    _run()
    _roll_back_to(events[2])
    assert verify_chain() is None  # the chain alone cannot tell…
    message = _refused()  # … the checkpoint can
    assert message.startswith("Chaîne d'audit rompue")
    assert "tronquée" in message and f"dernier n°{events[-1].pk}" in message


def test_verify_fails_when_every_event_and_the_head_are_deleted(users):
    _chain(users, 3)
    _run()
    _sql(f"DELETE FROM {TABLE}")
    _sql(f"DELETE FROM {HEAD_TABLE}")
    assert verify_chain() is None
    assert "tronquée" in _refused()
    assert "elle compte 0 événements" in _refused()


def test_verify_fails_when_the_chain_is_rolled_back_then_written_again(users):
    events = _chain(users, 5)
    _run()
    _roll_back_to(events[1])
    _chain(users, 4)  # new events written after the rollback
    assert verify_chain() is None
    message = _refused()
    assert "tronquée" in message or "n'a plus l'empreinte" in message or "comptait" in message


def test_checkpoint_command_refuses_to_record_a_rolled_back_head(users, settings):
    events = _chain(users, 4)
    _run("checkpoint")
    _roll_back_to(events[1])
    assert "lancez « relais audit verify »" in _refused("checkpoint")
    assert len(_lines(settings)) == 1  # nothing recorded


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda lines: lines[0].update(count=lines[0]["count"] - 1), id="count"),
        pytest.param(lambda lines: lines[1].update(last_hash="0" * 64), id="hash"),
        pytest.param(lambda lines: lines.pop(1), id="line-removed"),
        pytest.param(lambda lines: lines.insert(1, lines[0]), id="line-repeated"),
    ],
)
def test_verify_fails_on_a_tampered_checkpoint_file(users, settings, tamper):
    _chain(users, 3)
    _run()
    _chain(users, 2)
    _run()
    _run("checkpoint")
    lines = _lines(settings)
    tamper(lines)
    settings.AUDIT_CHECKPOINT_FILE.write_text("".join(json.dumps(x) + "\n" for x in lines))
    message = _refused()
    assert message.startswith("Point de contrôle d'audit altéré (ligne 2 de ") or (
        message.startswith("Point de contrôle d'audit altéré (ligne 1 de ")
    )


def test_verify_fails_on_an_unreadable_line_and_on_another_key(users, settings):
    _chain(users, 2)
    _run()
    with settings.AUDIT_CHECKPOINT_FILE.open("a") as handle:
        handle.write("pas du JSON\n")
    assert _refused().startswith("Point de contrôle d'audit illisible (ligne 2 de ")
    settings.AUDIT_CHECKPOINT_FILE.write_text(
        settings.AUDIT_CHECKPOINT_FILE.read_text().splitlines()[0] + "\n"
    )
    assert "Chaîne d'audit intègre" in _run()
    settings.AUDIT_KEY = "une-autre-cle-de-32-caracteres-au-moins"
    assert "sa signature ne correspond pas" in _refused()


def test_production_needs_a_configured_key(settings, tmp_path):
    settings.PRODUCTION = True
    settings.AUDIT_KEY_FILE = tmp_path / "absente.key"
    with pytest.raises(CheckpointError, match="définissez RELAIS_AUDIT_KEY"):
        audit_key()
    settings.AUDIT_KEY_FILE.write_text("courte\n")
    with pytest.raises(CheckpointError, match="trop courte"):
        audit_key()
    assert read_checkpoints() == []  # no file yet: nothing to compare
