"""`relais import-actions FILE.xlsx`: all or nothing, errors per line, dry run."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from relais.cooperation.imports import TEMPLATE_HEADERS
from relais.cooperation.models import CooperationAction

pytestmark = pytest.mark.django_db


def workbook(tmp_path, rows, headers=TEMPLATE_HEADERS):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h, "") for h in headers])
    path = tmp_path / "actions.xlsx"
    wb.save(path)
    return str(path)


GOOD = {
    "Intitulé": "Stage d'officiers de police judiciaire",
    "Nature": "Stage de formation en France",
    "Pays": "ML",
    "Direction": "DGPN",
    "Domaine": "judicial_police",
    "Début prévu": "02/06/2025",
    "Fin prévue": "20/06/2025",
    "Poste": "SSI-BAMAKO",
    "Stagiaires": 12,
    "Financeur": "DCSD",
    "Instrument": "meae_dcsd",
    "Montant": "18000",
    "Statut du financement": "engagé",
}


def test_good_file(coop, tmp_path):
    second = {
        **GOOD,
        "Intitulé": "Séminaire migrations",
        "Nature": "seminar",
        "Direction": "DGEF",
        "Domaine": "Immigration irrégulière",
        "Financeur": "",
        "Instrument": "",
        "Montant": "",
    }
    out = io.StringIO()
    call_command("import_actions", workbook(tmp_path, [GOOD, second]), stdout=out)
    assert "2 action(s) créée(s)" in out.getvalue()
    first = CooperationAction.objects.get(title=GOOD["Intitulé"])
    assert first.kind == "training_france" and first.post == coop.bamako
    assert first.fundings.get().status == "committed"
    assert CooperationAction.objects.get(title="Séminaire migrations").legal_basis_codes() == [
        "preamble-2",
        "f",
    ]


def test_dry_run(coop, tmp_path):
    out = io.StringIO()
    call_command("import_actions", workbook(tmp_path, [GOOD]), "--dry-run", stdout=out)
    assert "rien n'a été enregistré" in out.getvalue()
    assert not CooperationAction.objects.exists()


def test_errors_per_line_and_nothing_written(coop, tmp_path):
    rows = [
        GOOD,
        {**GOOD, "Pays": "XX", "Nature": "pique-nique"},
        {**GOOD, "Début prévu": "demain"},
        {**GOOD, "Direction": "DGPN", "Nature de la coopération": "administrative_governance"},
    ]
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_actions", workbook(tmp_path, rows), stdout=out)
    report = out.getvalue()
    assert "Ligne 3 : nature inconnue « pique-nique »" in report
    assert "Ligne 3 : pays inconnu « XX »" in report
    assert "Ligne 4 : date illisible « demain »" in report
    assert "Ligne 5 : directorate" in report
    assert "3 ligne(s) en erreur sur 4" in str(exc.value)
    assert not CooperationAction.objects.exists()


def test_scope_of_the_author(coop, users, tmp_path):
    rows = [{**GOOD, "Pays": "ES", "Poste": "SSI-MADRID"}]
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_actions",
            workbook(tmp_path, rows),
            "--user",
            users.attache_bamako.username,
            stdout=out,
        )
    assert "pas couvert par votre poste" in out.getvalue()


def test_bad_files(coop, tmp_path):
    path = tmp_path / "faux.xlsx"
    path.write_text("pas un classeur")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_actions", str(path), stdout=out)
    assert "pas un classeur XLSX lisible" in out.getvalue()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_actions",
            workbook(tmp_path, [GOOD], headers=["Intitulé", "Couleur"]),
            stdout=out,
        )
    assert "Colonnes obligatoires absentes" in out.getvalue()
    assert "Colonnes inconnues : Couleur" in out.getvalue()
