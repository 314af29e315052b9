"""Checkpoints of the audit chain, kept outside the database (docs/dev/audit.md).

`relais audit verify` and `relais audit checkpoint` append the chain head — count, last id, last
hash, time — to an append-only file (`settings.AUDIT_CHECKPOINT_FILE`), one JSON line each,
signed with HMAC-SHA256 under a key that is not in the database (`RELAIS_AUDIT_KEY` or the key
file `settings.AUDIT_KEY_FILE`). Each line also carries the signature of the line before it, so
removing or moving a line in the middle of the file is detected. Someone who can only write to
the database can therefore no longer cut the chain short and roll its head back: the events a
checkpoint saw must still be there, with the same hash and the same count.
"""

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from relais.core.audit.models import GENESIS, ChainHead

MIN_KEY_LENGTH = 32


class CheckpointError(Exception):
    """A checkpoint file or key that cannot be trusted or used (one French line)."""


@dataclass(frozen=True)
class Head:
    count: int
    last_id: int
    last_hash: str

    def __str__(self):
        return (
            f"{self.count} événements, dernier n°{self.last_id or '—'}, empreinte {self.last_hash}"
        )


@dataclass(frozen=True)
class Checkpoint:
    line: int
    time: str
    head: Head
    mac: str

    def describe(self) -> str:
        return (
            f"le point de contrôle du {self.time} (ligne {self.line} : {self.head.count} "
            f"événements, dernier n°{self.head.last_id or '—'}, empreinte "
            f"{self.head.last_hash[:16]}…)"
        )


def checkpoint_file() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def audit_key() -> bytes:
    """The HMAC key: `RELAIS_AUDIT_KEY`, else the key file (created outside production)."""
    if settings.AUDIT_KEY:
        return settings.AUDIT_KEY.encode()
    path = Path(settings.AUDIT_KEY_FILE)
    if not path.exists():
        if settings.PRODUCTION:
            raise CheckpointError(
                f"Clé des points de contrôle d'audit introuvable ({path}) : définissez "
                "RELAIS_AUDIT_KEY ou RELAIS_AUDIT_KEY_FILE."
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32) + "\n")
    try:
        key = path.read_bytes().strip()
    except OSError as exc:
        raise CheckpointError(
            f"Clé des points de contrôle d'audit illisible ({path}) : {exc.strerror}."
        ) from exc
    if len(key) < MIN_KEY_LENGTH:
        raise CheckpointError(
            f"Clé des points de contrôle d'audit trop courte ({path}) : "
            f"{MIN_KEY_LENGTH} caractères au moins."
        )
    return key


def _signed_part(time: str, head: Head, prev: str) -> bytes:
    data = {
        "time": time,
        "count": head.count,
        "last_id": head.last_id,
        "last_hash": head.last_hash,
        "prev": prev,
    }
    return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()


def _sign(key: bytes, time: str, head: Head, prev: str) -> str:
    return hmac.new(key, _signed_part(time, head, prev), hashlib.sha256).hexdigest()


def _parse(path: Path, text: str, key: bytes) -> list[Checkpoint]:
    checkpoints = []
    prev = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        where = f"ligne {number} de {path}"
        try:
            data = json.loads(raw)
            head = Head(int(data["count"]), int(data["last_id"]), str(data["last_hash"]))
            time, mac, line_prev = str(data["time"]), str(data["mac"]), str(data["prev"])
        except (ValueError, TypeError, KeyError) as exc:
            raise CheckpointError(f"Point de contrôle d'audit illisible ({where}).") from exc
        if not hmac.compare_digest(mac, _sign(key, time, head, line_prev)):
            raise CheckpointError(
                f"Point de contrôle d'audit altéré ({where}) : sa signature ne correspond pas."
            )
        if line_prev != prev:
            raise CheckpointError(
                f"Point de contrôle d'audit altéré ({where}) : il ne suit pas la ligne "
                "précédente (ligne supprimée, déplacée ou ajoutée)."
            )
        checkpoints.append(Checkpoint(number, time, head, mac))
        prev = mac
    return checkpoints


@contextlib.contextmanager
def _locked(path: Path):
    """The checkpoint file opened for reading and appending, under an exclusive lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise CheckpointError(
            f"Fichier des points de contrôle d'audit inaccessible ({path}) : {exc.strerror}."
        ) from exc
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        yield handle


def read_checkpoints() -> list[Checkpoint]:
    """Every checkpoint of the file, each signature checked (`CheckpointError` otherwise)."""
    path = checkpoint_file()
    if not path.exists():
        return []
    key = audit_key()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CheckpointError(
            f"Fichier des points de contrôle d'audit illisible ({path})."
        ) from exc
    return _parse(path, text, key)


def append_checkpoint(head: Head) -> Checkpoint:
    """Append `head`, signed and linked to the last line (the file's own lines checked first)."""
    path = checkpoint_file()
    key = audit_key()
    with _locked(path) as handle:
        existing = _parse(path, handle.read(), key)
        prev = existing[-1].mac if existing else ""
        time = timezone.localtime().strftime("%d/%m/%Y %H:%M:%S")
        mac = _sign(key, time, head, prev)
        line = {
            "time": time,
            "count": head.count,
            "last_id": head.last_id,
            "last_hash": head.last_hash,
            "prev": prev,
            "mac": mac,
        }
        handle.write(json.dumps(line, sort_keys=True, separators=(",", ":")) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return Checkpoint(len(existing) + 1, time, head, mac)


def current_head() -> Head:
    head = ChainHead.objects.filter(pk=1).first()
    if head is None:
        return Head(0, 0, GENESIS)
    return Head(head.count, head.last_id, head.last_hash)
