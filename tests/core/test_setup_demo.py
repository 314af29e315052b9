"""`relais setup-demo`, `relais load-reference`, `relais load-demo` and the registry of the
modules' demo loaders."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from relais.accounts.models import User
from relais.accounts.roles import Role
from relais.core import demo
from relais.core.management.commands import setup_demo
from relais.referential.loaders import demo_accounts, demo_password, demo_posts
from relais.referential.models import (
    Assignment,
    Country,
    PartnerBody,
    PartnerKind,
    Person,
    Post,
    Unit,
    Zone,
)

MODELS = [Unit, Zone, Country, PartnerBody, Post, Person, Assignment, User]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS} | {
        "post countries": Post.countries.through.objects.count()
    }


def run(command: str, *args) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    """Argon2 costs about a second per hash on a busy machine; these tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def registry():
    """Keep the registry as it was around a test that registers loaders."""
    saved = dict(demo._loaders)
    yield demo
    demo._loaders.clear()
    demo._loaders.update(saved)


# --- The registry -------------------------------------------------------------------------


def test_registry_runs_loaders_in_order_once_each(db, registry):
    calls = []

    def second():
        calls.append("second")
        return {"actions": 2}

    def first():
        calls.append("first")

    registry.register(second, order=20)
    registry.register(first, order=10)
    registry.register(second, order=20)  # registering again keeps one entry

    mine = [r for r in registry.run_all() if r.loader.func in (first, second)]

    assert calls == ["first", "second"]
    assert [r.created for r in mine] == [{}, {"actions": 2}]
    registry.unregister(first)
    assert first not in [d.func for d in registry.registered()]


# --- setup-demo ---------------------------------------------------------------------------


def test_setup_demo_loads_everything_and_prints_the_accounts(db, registry):
    output = run("setup_demo")

    assert Post.objects.count() >= 70
    assert Country.objects.count() == 249
    assert User.objects.count() == len(demo_accounts())
    assert "Migrations : base à jour." in output
    assert "249 pays" in output
    lines = output.splitlines()
    header = lines.index("Comptes de démonstration :")
    table = lines[header + 1 : header + 3 + len(demo_accounts())]
    assert table[0].split() == ["Identifiant", "Rôle", "Unité", "Mot", "de", "passe"]
    rows = {row.split()[0]: row for row in table[2:]}
    assert list(rows) == [a.username for a in demo_accounts()]
    assert all(row.endswith(demo_password()) for row in rows.values())
    assert "Chargé de mission" in rows["charge.afrique"]
    assert "Division Afrique" in rows["charge.afrique"]
    assert "SSI Madrid" in rows["attache.madrid"]
    assert output.rstrip().endswith(settings.SITE_URL.rstrip("/") + "/")
    # The demo anchors its audit chain outside the database, with a generated key file.
    assert (
        f"Journal d'audit : point de contrôle n°1 dans {settings.AUDIT_CHECKPOINT_FILE}" in output
    )
    assert settings.AUDIT_KEY_FILE.exists()
    assert "Chaîne d'audit intègre" in run("audit", "verify")


def test_setup_demo_twice_changes_nothing_a_user_entered(db, registry):
    run("setup_demo")
    before = counts()
    # A user's edits: a unit renamed, a post edited (embassy and countries), a person's grade,
    # an account's role and password.
    Unit.objects.filter(code="DCI-SDCS-EUR").update(name="Division Europe et Balkans")
    madrid = Post.objects.get(unit__code="SSI-MADRID")
    madrid.embassy = "Ambassade de France à Madrid"
    madrid.save(update_fields=["embassy"])
    madrid.countries.remove(Country.objects.get(code="AD"))
    asi = Person.objects.get(unit__code="SSI-BAMAKO", assignments__function="asi")
    asi.grade = "Général de brigade"
    asi.save(update_fields=["grade"])
    analyst = User.objects.get(username="analyste")
    analyst.role = Role.LECTEUR
    analyst.set_password("un-autre-mot-de-passe-2026")
    analyst.save()

    output = run("setup_demo")

    after = counts()
    assert after == before | {"post countries": before["post countries"] - 1}
    assert "Référentiel : rien à créer, tout existe déjà." in output
    assert Unit.objects.get(code="DCI-SDCS-EUR").name == "Division Europe et Balkans"
    madrid.refresh_from_db()
    assert madrid.embassy == "Ambassade de France à Madrid"
    assert {c.code for c in madrid.countries.all()} == {"ES"}
    asi.refresh_from_db()
    assert asi.grade == "Général de brigade"
    analyst.refresh_from_db()
    assert analyst.role == Role.LECTEUR
    assert analyst.check_password("un-autre-mot-de-passe-2026")
    # The table says the password is no longer the demo one.
    row = next(line for line in output.splitlines() if line.startswith("analyste "))
    assert row.endswith("(modifié)") and "Lecteur" in row


def test_setup_demo_runs_the_registered_module_loaders(db, registry):
    def load_demo_partner():
        _, created = PartnerBody.objects.get_or_create(
            name="Organisme de démonstration d'un module",
            country=None,
            defaults={"kind": PartnerKind.INTERNATIONAL_ORGANISATION},
        )
        return {"organismes": int(created)}

    registry.register(load_demo_partner, order=50, name="module-de-test")

    first = run("setup_demo")
    second = run("setup_demo")

    assert "Démonstration (module-de-test) : créés : 1 organismes" in first
    assert "Démonstration (module-de-test) : rien à créer" in second
    assert PartnerBody.objects.filter(name="Organisme de démonstration d'un module").count() == 1


def test_load_reference_and_load_demo_commands(db, registry):
    output = run("load_reference")
    assert "249 pays" in output and "3 zones" in output
    assert "rien à créer" in run("load_reference")

    output = run("load_demo")
    assert f"{len(demo_posts())} postes" in output
    assert "Données de démonstration chargées" in output
    assert "Démonstration (organisation) : rien à créer" in run("load_demo")


def test_search_index_follows_the_bulk_loads(db, registry):
    from relais.core.search.models import SearchEntry

    run("setup_demo")
    assert SearchEntry.objects.exists()


# --- SQLite in WAL mode -------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite seulement")
def test_sqlite_files_are_opened_in_wal_mode(tmp_path, django_db_blocker):
    """The settings' connection options put every SQLite database file in WAL mode."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    options = dict(settings.DATABASES["default"])
    options["NAME"] = str(tmp_path / "relais.sqlite3")
    wrapper = DatabaseWrapper(options, alias="wal_check")
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0].lower() == "wal"
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
    finally:
        wrapper.close()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite seulement")
def test_setup_demo_refuses_a_sqlite_file_not_in_wal_mode(db, monkeypatch, tmp_path):
    monkeypatch.setattr(setup_demo, "sqlite_journal_mode", lambda alias="default": "delete")
    monkeypatch.setattr(setup_demo, "_sqlite_file", lambda alias="default": tmp_path / "x.db")
    with pytest.raises(CommandError, match="WAL"):
        run("setup_demo")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite seulement")
def test_setup_demo_prints_the_journal_mode(db, monkeypatch, tmp_path):
    monkeypatch.setattr(setup_demo, "sqlite_journal_mode", lambda alias="default": "wal")
    monkeypatch.setattr(setup_demo, "_sqlite_file", lambda alias="default": tmp_path / "x.db")
    output = run("setup_demo")
    assert f"Base de données : SQLite, {tmp_path / 'x.db'} (journal_mode=wal)." in output


@pytest.mark.skipif(connection.vendor == "sqlite", reason="PostgreSQL seulement")
def test_setup_demo_on_postgresql_names_the_database(db):
    assert setup_demo.sqlite_journal_mode() is None
    assert "Base de données : postgresql." in run("setup_demo")
