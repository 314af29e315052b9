"""Benchmark of technical cooperation pages at volume (issue 4: 100,000 actions).

    RELAIS_ENV=demo .venv/bin/python bench/cooperation.py                    # 100,000 actions, SQLite
    RELAIS_ENV=demo .venv/bin/python bench/cooperation.py --actions 20000
    RELAIS_ENV=demo DATABASE_URL=postgres://postgres@127.0.0.1:5432/relais_bench \\
        .venv/bin/python bench/cooperation.py --keep

It builds a fresh database (a temporary SQLite file unless DATABASE_URL is set: that database
is emptied first, so never point it at real data), runs `setup-demo` (reference data, posts,
accounts, and the 3,000 demo actions), measures each page, then generates actions in bulk up to
`--actions` (the demo generator, spread over the years) and measures again. For each page and
user it prints the median time over `--repeat` requests and the number of SQL queries, at both
volumes, with the ratios: a page within its query budget keeps the same number of queries, and
its time should grow far less than the volume.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

PAGES = [
    ("Liste des actions", "/cooperation/"),
    (
        "Liste filtrée (pays, direction, année)",
        "/cooperation/?country=ML&directorate=DGPN&year={year}",
    ),
    ("Liste, dernière page", "/cooperation/?page=999999"),
    ("API : liste des actions", "/api/v1/cooperation/actions/"),
    ("API : liste filtrée", "/api/v1/cooperation/actions/?status=programmed"),
    ("Programmes", "/cooperation/programmes/"),
    ("Page d'un programme", "/cooperation/programmes/{programme}/"),
    ("Statistiques de l'année", "/cooperation/statistiques/?annee={year}"),
    ("Statistiques, toutes années", "/cooperation/statistiques/?annee=tout"),
    ("Portefeuille DGPN", "/cooperation/portefeuille/?direction=DGPN"),
    ("Calendrier du mois", "/cooperation/calendrier/?mois={year}-05"),
    ("Fiche pays (Mali)", "/pays/ML/"),
]
USERS = ["pilotage", "charge.afrique", "attache.bamako", "correspondant.dgpn"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--actions", type=int, default=100_000, help="Volume visé (défaut 100 000)."
    )
    parser.add_argument("--repeat", type=int, default=3, help="Requêtes par mesure (médiane).")
    parser.add_argument("--keep", action="store_true", help="Garder la base SQLite temporaire.")
    parser.add_argument(
        "--users", default=",".join(USERS), help="Comptes mesurés (séparés par des virgules)."
    )
    return parser.parse_args()


def setup_environment(args):
    os.environ.setdefault("RELAIS_ENV", "demo")
    if not os.environ.get("DATABASE_URL"):
        folder = Path(tempfile.mkdtemp(prefix="relais-bench-"))
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
        os.environ.setdefault("RELAIS_DATA_DIR", str(folder))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")
    import django

    django.setup()


def measure(client, url, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, status, empty = [], 0, 0, False
    for _ in range(repeat):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
        status = response.status_code
        if response.get("Content-Type", "").startswith("application/json"):
            empty = response.json().get("count") == 0
    return statistics.median(times), queries, status, empty


def run_pages(users, repeat, context):
    from django.test import Client

    from relais.accounts.models import User

    results = {}
    for username in users:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for label, template in PAGES:
            url = template.format(**context)
            results[(username, label)] = measure(client, url, repeat)
    return results


def main():
    args = parse_args()
    setup_environment(args)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from relais.cooperation.demo import generate
    from relais.cooperation.models import CooperationAction, Programme

    users = [u for u in args.users.split(",") if u]
    print(f"Base : {connection.vendor} ({connection.settings_dict['NAME']})")
    start = time.perf_counter()
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("setup_demo", stdout=quiet)
    print(f"Démonstration installée en {time.perf_counter() - start:.1f} s.")
    year = timezone.localdate().year - 1
    programme = Programme.objects.filter(country__code="ML", year=year).first()
    context = {"year": year, "programme": programme.pk if programme else 1}

    small_count = CooperationAction.objects.count()
    small = run_pages(users, args.repeat, context)

    missing = max(0, args.actions - small_count)
    if missing:
        this_year = timezone.localdate().year
        years = list(range(this_year - 9, this_year + 1))
        per_year = -(-missing // len(years))
        start = time.perf_counter()
        generate(per_year=per_year, years=years, seed=4, batch_size=5000, with_programmes=False)
        print(
            f"{CooperationAction.objects.count() - small_count} actions générées en {time.perf_counter() - start:.1f} s."
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    large_count = CooperationAction.objects.count()
    large = run_pages(users, args.repeat, context)

    ratio_volume = large_count / max(small_count, 1)
    print()
    print(f"Volumes : {small_count} puis {large_count} actions (×{ratio_volume:.1f}).")
    print(f"Médiane de {args.repeat} requêtes, en millisecondes ; requêtes SQL par page.")
    print()
    header = f"{'utilisateur':<20} {'page':<40} {'ms petit':>9} {'ms grand':>9} {'ratio':>6} {'SQL petit':>9} {'SQL grand':>9}"
    print(header)
    print("-" * len(header))
    worst = 0.0
    budget_ok = True
    for key in small:
        (t1, q1, s1, e1), (t2, q2, s2, e2) = small[key], large[key]
        ratio = t2 / t1 if t1 else 0
        worst = max(worst, t2)
        if q1 == q2:
            flag = ""
        elif e1 or e2:
            # An empty page skips its prefetch queries: not a budget overrun.
            flag = "  (liste vide à l'un des volumes)"
        else:
            flag = "  ← requêtes différentes"
            budget_ok = False
        if s1 != 200 or s2 != 200:
            flag += f"  (HTTP {s1}/{s2})"
        print(
            f"{key[0]:<20} {key[1]:<40} {t1:>9.0f} {t2:>9.0f} {ratio:>6.1f} {q1:>9} {q2:>9}{flag}"
        )
    print()
    print(f"Page la plus lente au grand volume : {worst:.0f} ms.")
    print(
        "Budget de requêtes : "
        + ("tenu sur toutes les pages." if budget_ok else "DÉPASSÉ (voir ←).")
    )
    if not args.keep and connection.vendor == "sqlite":
        Path(connection.settings_dict["NAME"]).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
