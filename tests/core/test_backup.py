"""`relais backup` and `relais restore`: a round trip gives back every table's rows, the
attachment files and an audit chain that verifies against its checkpoints; a database in use is
not overwritten without --force; a damaged backup is refused. SQLite through the online backup
API; PostgreSQL through pg_dump / pg_restore (run when the database is PostgreSQL)."""

import shutil
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from relais.core import records
from relais.referential.models import PartnerBody

pytestmark = pytest.mark.skipif(
    connection.vendor == "postgresql" and shutil.which("pg_dump") is None,
    reason="pg_dump absent : installez postgresql-client pour sauvegarder PostgreSQL",
)


def _rows() -> dict[str, list[str]]:
    """Every row of every table, as text, in a stable order."""
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(repr(row) for row in cursor.fetchall())
    return rows


def _files(root) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _refused(*args) -> str:
    with pytest.raises(CommandError) as excinfo:
        _run(*args)
    assert excinfo.value.returncode == 1
    assert "\n" not in str(excinfo.value)
    return str(excinfo.value)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def _partner(user, name):
    return records.create(PartnerBody(name=name, kind="international_organisation"), user)


def test_backup_then_restore_gives_everything_back(transactional_db, users, media, tmp_path):
    europol = _partner(users.admin, "Europol")
    europol.city = "La Haye"
    records.update(europol, users.admin, expected_version=europol.version)
    default_storage.save("information/piece-1", ContentFile(b"%PDF-1.4 compte rendu"))
    default_storage.save("agreements/texte-2", ContentFile(b"PK\x03\x04 accord"))
    assert "Chaîne d'audit intègre" in _run("audit", "verify")
    before, files_before = _rows(), _files(media)

    dest = tmp_path / "sauvegarde"
    output = _run("backup", str(dest))
    assert output.startswith(f"Sauvegarde écrite dans {dest} : base {connection.vendor}")
    assert "2 pièce(s) jointe(s)" in output

    # Life goes on after the backup: records, files, a newer checkpoint.
    _partner(users.admin, "Interpol")
    (media / "information" / "piece-1").unlink()
    default_storage.save("information/piece-3", ContentFile(b"nouveau"))
    _run("audit", "verify")
    assert _rows() != before

    assert "ajoutez --force" in _refused("restore", str(dest))
    assert "Restauration terminée" in _run("restore", str(dest), "--force")
    assert _rows() == before
    assert _files(media) == files_before
    verified = _run("audit", "verify")
    assert "Chaîne d'audit intègre" in verified
    # What was replaced is kept aside, not deleted.
    assert list(tmp_path.glob("files.avant-restauration-*"))


def test_refusals_are_one_line(transactional_db, users, media, tmp_path):
    _partner(users.admin, "Europol")
    default_storage.save("information/piece-1", ContentFile(b"texte"))
    dest = tmp_path / "sauvegarde"
    _run("backup", str(dest))
    assert "n'est pas un dossier vide" in _refused("backup", str(dest))
    assert "n'est pas une sauvegarde de Relais" in _refused("restore", str(tmp_path / "rien"))
    (dest / "files" / "information" / "piece-1").write_bytes(b"altere")
    assert "altérées" in _refused("restore", str(dest), "--force")
    database = next(dest.glob("database.*"))
    database.write_bytes(database.read_bytes() + b"\0")
    assert "altéré" in _refused("restore", str(dest), "--force")
