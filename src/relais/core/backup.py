"""Backup and restore of a Relais instance: `relais backup DEST`, `relais restore SRC`.

A backup is a folder:

- `database.sqlite3` (SQLite's online backup API: consistent while Relais runs) or
  `database.pgdump` (`pg_dump --format=custom`, PostgreSQL);
- `files/`, a copy of the attachments (`MEDIA_ROOT`);
- `audit-checkpoints.log`, a copy of the audit checkpoint file (docs/dev/audit.md) — the key
  that signs it is *not* copied: keep it apart, as in production;
- `manifest.json`: the database kind, the time, the row count of every table, the SHA-256 of
  every file.

`restore` checks the manifest and the files' hashes first, refuses to overwrite a database in use
(accounts or audit events present) unless `force`, then loads the database (SQLite online backup
API; `pg_restore --clean` on PostgreSQL), and puts the attachments and the checkpoint file back —
what was there before is kept aside, renamed `….avant-restauration-<date>`. Every refusal is a
`BackupError` with one French line.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.utils import timezone

from relais.core.audit.checkpoints import checkpoint_file

MANIFEST = "manifest.json"
FILES = "files"
CHECKPOINTS = "audit-checkpoints.log"
DATABASE = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot be done (one French line)."""


def _vendor() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _files_of(root: Path) -> dict[str, str]:
    if not root.is_dir():
        return {}
    return {
        str(path.relative_to(root)): _sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def table_counts() -> dict[str, int]:
    """Rows of every table of the database (the manifest, and the round-trip test)."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


# --- PostgreSQL clients ---------------------------------------------------------------------------


def _pg_command(program: str, *args: str) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} introuvable : installez le client PostgreSQL (paquet postgresql-client)."
        )
    db = connection.settings_dict
    command = [executable, "--no-owner", "--no-privileges", *args, f"--dbname={db['NAME']}"]
    if db.get("HOST"):
        command.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        command.append(f"--port={db['PORT']}")
    if db.get("USER"):
        command.append(f"--username={db['USER']}")
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["erreur inconnue"])[-1]
        raise BackupError(f"{program} a échoué : {detail}")


# --- Backup ---------------------------------------------------------------------------------------


def backup(dest: Path) -> dict:
    """Write a backup of the database, the attachments and the audit checkpoints into `dest`
    (a new or empty folder). Returns the manifest."""
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(
            f"{dest} existe déjà et n'est pas un dossier vide : choisissez-en un autre."
        )
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"Impossible de créer {dest} : {exc.strerror}.") from exc
    vendor = _vendor()
    database = dest / DATABASE[vendor]
    if vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(database)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        _pg_command("pg_dump", "--format=custom", f"--file={database}")
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        shutil.copytree(media, dest / FILES)
    checkpoints = checkpoint_file()
    if checkpoints.exists():
        shutil.copy2(checkpoints, dest / CHECKPOINTS)
    manifest = {
        "format": FORMAT,
        "created": timezone.now().isoformat(),
        "database": vendor,
        "tables": table_counts(),
        "database_sha256": _sha256(database),
        "files": _files_of(dest / FILES),
        "audit_checkpoints": checkpoints.exists(),
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


# --- Restore --------------------------------------------------------------------------------------


def _read_manifest(src: Path) -> dict:
    path = Path(src) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{src} n'est pas une sauvegarde de Relais ({MANIFEST} absent).")
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path} est illisible.") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Format de sauvegarde inconnu ({manifest.get('format')!r}).")
    return manifest


def _check_backup(src: Path, manifest: dict) -> Path:
    vendor = _vendor()
    if manifest.get("database") != vendor:
        raise BackupError(
            f"La sauvegarde est une base {manifest.get('database')}, la base configurée est "
            f"{vendor} : restaurez-la sur le même type de base."
        )
    database = src / DATABASE[vendor]
    if not database.is_file() or _sha256(database) != manifest.get("database_sha256"):
        raise BackupError(f"{database} est absent ou altéré (empreinte différente du manifeste).")
    found = _files_of(src / FILES)
    if found != manifest.get("files", {}):
        missing = sorted(set(manifest.get("files", {})) ^ set(found)) or sorted(
            name for name, digest in found.items() if manifest["files"].get(name) != digest
        )
        raise BackupError(
            f"Pièces jointes de la sauvegarde incomplètes ou altérées ({missing[0]}…)."
        )
    if manifest.get("audit_checkpoints") and not (src / CHECKPOINTS).is_file():
        raise BackupError(f"{src / CHECKPOINTS} manque alors que le manifeste l'annonce.")
    return database


def database_in_use() -> str:
    """What makes the current database worth keeping ('' when there is nothing: a new or only
    migrated database)."""
    from relais.accounts.models import User
    from relais.core.audit.models import AuditEvent

    try:
        users, events = User.objects.count(), AuditEvent.objects.count()
    except DatabaseError:  # not migrated: nothing to lose
        return ""
    if users or events:
        return f"{users} compte(s), {events} événement(s) d'audit"
    return ""


def _set_aside(path: Path, stamp: str) -> Path | None:
    if not path.exists():
        return None
    aside = path.with_name(f"{path.name}.avant-restauration-{stamp}")
    path.rename(aside)
    return aside


def restore(src: Path, *, force: bool = False) -> dict:
    """Restore the backup in `src` over the configured database, attachments and checkpoints."""
    src = Path(src)
    manifest = _read_manifest(src)
    database = _check_backup(src, manifest)
    in_use = database_in_use()
    if in_use and not force:
        raise BackupError(
            f"La base n'est pas vide ({in_use}) : la restauration la remplacerait ; "
            "ajoutez --force pour le faire."
        )
    if manifest["database"] == "sqlite":
        if connection.in_atomic_block:
            raise BackupError("Restauration impossible dans une transaction ouverte.")
        connection.ensure_connection()
        source = sqlite3.connect(database)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        connections.close_all()
        _pg_command("pg_restore", "--clean", "--if-exists", "--single-transaction", str(database))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    media = Path(settings.MEDIA_ROOT)
    _set_aside(media, stamp)
    if (src / FILES).is_dir():
        shutil.copytree(src / FILES, media)
    else:
        media.mkdir(parents=True, exist_ok=True)
    checkpoints = checkpoint_file()
    _set_aside(checkpoints, stamp)
    if manifest.get("audit_checkpoints"):
        checkpoints.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src / CHECKPOINTS, checkpoints)
    return manifest


def describe(manifest: dict) -> str:
    created = datetime.datetime.fromisoformat(manifest["created"])
    rows = sum(manifest["tables"].values())
    return (
        f"base {manifest['database']} ({len(manifest['tables'])} tables, {rows} lignes), "
        f"{len(manifest['files'])} pièce(s) jointe(s), points de contrôle d'audit : "
        f"{'oui' if manifest.get('audit_checkpoints') else 'aucun'} — sauvegarde du "
        f"{timezone.localtime(created):%d/%m/%Y à %H:%M}"
    )
