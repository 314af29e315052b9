"""`relais setup-demo`: everything the demo needs, except serving it.

Creates the data folder, applies the migrations (SQLite in WAL mode by default, see settings),
loads the reference data, the organisation's demo and every module's demo loader (registered
with `relais.core.demo.register`), then prints the demo accounts and the address. Run again, it
reuses what exists: missing rows are created, nothing a user entered is changed.
"""

import os
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from relais.referential.loaders import demo_accounts, demo_password
from relais.referential.management.commands.load_demo import run_demo_loaders


def sqlite_journal_mode(alias: str = DEFAULT_DB_ALIAS) -> str | None:
    """The journal mode of a SQLite database (`wal` expected), None on other databases."""
    connection = connections[alias]
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        return str(cursor.fetchone()[0]).lower()


def _sqlite_file(alias: str = DEFAULT_DB_ALIAS) -> Path | None:
    connection = connections[alias]
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return None
    return Path(str(connection.settings_dict["NAME"]))


class Command(BaseCommand):
    help = (
        "Prépare une instance de démonstration : dossier de données, migrations, référentiel, "
        "données de démonstration ; affiche les comptes de démonstration. Relancée, elle "
        "réutilise l'existant et ne modifie rien de ce qu'un utilisateur a saisi."
    )

    def handle(self, *args, **options):
        start = time.perf_counter()
        self._prepare_data_folder()
        self._migrate(verbosity=options["verbosity"])
        self._report_database()
        run_demo_loaders(self.stdout, progress=self.stdout.isatty())
        self._checkpoint_audit()
        self._print_accounts()
        url = (
            f"http://127.0.0.1:{os.environ['PORT']}/"
            if os.environ.get("PORT")
            else settings.SITE_URL.rstrip("/") + "/"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Relais est prêt ({time.perf_counter() - start:.1f} s). Adresse : {url}"
            )
        )

    def _prepare_data_folder(self) -> None:
        data_dir = Path(settings.DATA_DIR)
        data_dir.mkdir(parents=True, exist_ok=True)
        sqlite_file = _sqlite_file()
        if sqlite_file is not None:
            sqlite_file.parent.mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"Dossier de données : {data_dir}")

    def _migrate(self, verbosity: int) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1))
        self.stdout.write(
            f"Migrations : {len(plan)} appliquée(s)." if plan else "Migrations : base à jour."
        )

    def _report_database(self) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        mode = sqlite_journal_mode()
        if mode is None:
            self.stdout.write(f"Base de données : {connection.vendor}.")
            return
        sqlite_file = _sqlite_file()
        if sqlite_file is None:
            self.stdout.write(f"Base de données : SQLite en mémoire (journal_mode={mode}).")
            return
        if mode != "wal":
            raise CommandError(
                f"La base SQLite {sqlite_file} n'est pas en mode WAL (journal_mode={mode}) : "
                "vérifiez l'option init_command des réglages."
            )
        self.stdout.write(f"Base de données : SQLite, {sqlite_file} (journal_mode={mode}).")

    def _checkpoint_audit(self) -> None:
        """The demo's audit chain anchored outside the database (key file generated)."""
        from relais.core.audit.checkpoints import append_checkpoint, checkpoint_file, current_head

        recorded = append_checkpoint(current_head())
        self.stdout.write(
            f"Journal d'audit : point de contrôle n°{recorded.line} dans {checkpoint_file()} "
            f"(clé : {settings.AUDIT_KEY_FILE})."
        )

    def _print_accounts(self) -> None:
        User = get_user_model()
        accounts = demo_accounts()
        users = User.objects.select_related("unit").in_bulk(
            [a.username for a in accounts], field_name="username"
        )
        password = demo_password()
        checked: dict[str, bool] = {}  # demo accounts share one hash: check each hash once
        rows = []
        for account in accounts:
            user = users.get(account.username)
            unit = user.unit.label if user and user.unit_id else account.unit_code
            role = user.get_role_display() if user else account.role_label
            if user and user.password not in checked:
                checked[user.password] = check_password(password, user.password)
            shown = password if user and checked[user.password] else "(modifié)"
            rows.append((account.username, role, unit, shown))
        header = ("Identifiant", "Rôle", "Unité", "Mot de passe")
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

        def line(values):
            cells = (str(v).ljust(w) for v, w in zip(values, widths, strict=True))
            return "  ".join(cells).rstrip()

        self.stdout.write("")
        self.stdout.write("Comptes de démonstration :")
        self.stdout.write(line(header))
        self.stdout.write(line("-" * w for w in widths))
        for row in rows:
            self.stdout.write(line(row))
        self.stdout.write("")
