"""Import of reports from a JSON or CSV file: same rules as the API, all or nothing, errors per
line and field, the intelligence triage, the `import-reports` command and the upload page."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from relais.core.audit.models import Action, AuditEvent
from relais.information.import_files import (
    BadFile,
    ImportRow,
    import_reports,
    read_file,
)
from relais.information.models import InformationReport, RedirectionReceipt
from relais.information.workflows import ReportStatus
from tests.information.test_exclusion import MARKER, files_holding, tables_holding
from tests.matrix import Persona, check_matrix

URL = "/information/importer/"


def report(**overrides):
    data = {
        "title": "Filière de faux passeports à Madrid",
        "summary": "Un atelier fabrique des passeports contrefaits.",
        "body": "Détails de l'atelier et des commanditaires.",
        "facts_date": "2026-03-02",
        "facts_place": "Madrid",
        "countries": ["ES"],
        "themes": ["document_fraud", "irregular_immigration"],
        "source_description": "Informateur de la police espagnole",
        "source_reliability": "B",
        "information_credibility": "2",
        "handling_code": "H1",
        "marking": "diffusion_restreinte",
    }
    data.update(overrides)
    return data


def json_file(*reports) -> bytes:
    """One report per line: the first is on line 2, the second on line 3…"""
    lines = ",\n".join(json.dumps(r, ensure_ascii=False) for r in reports)
    return f"[\n{lines}\n]\n".encode()


CSV_HEADER = (
    "title;summary;body;facts_date;facts_place;countries;themes;source_description;"
    "source_reliability;information_credibility;handling_code;handling_conditions;marking;"
    "submit;exclusively_intelligence"
)
CSV_OK = "\n".join(
    [
        CSV_HEADER,
        "Go-fast attendu à Algésiras;Cargaison de résine prévue;Détails;2026-03-10;Algésiras;"
        "ES|AD;drugs;Douanes espagnoles;A;2;H0;;non_protege;non;non",
        '"Passeurs; réseau malien";Réseau de passage vers l\'Europe;;;;ML;irregular_immigration|'
        "human_trafficking;Police malienne;B;3;H3;Pas d'usage judiciaire;diffusion_restreinte;"
        "oui;",
    ]
)


def test_json_file_creates_every_report_with_author_unit_and_audit(a_users):
    user = a_users.attache_madrid
    rows = read_file(json_file(report(), report(title="Deuxième fiche", submit=True)), "f.json")
    assert [r.line for r in rows] == [2, 3]

    result = import_reports(user, rows)

    assert result.ok, result.errors
    assert len(result.created) == 2
    first, second = InformationReport.objects.order_by("pk")
    assert first.title == "Filière de faux passeports à Madrid"
    assert first.created_by == user and first.unit == user.unit
    assert sorted(c.code for c in first.countries.all()) == ["ES"]
    assert sorted(t.code for t in first.themes.all()) == [
        "document_fraud",
        "irregular_immigration",
    ]
    assert (first.source_reliability, first.information_credibility) == ("B", "2")
    assert first.handling_code == "H1" and first.marking == "diffusion_restreinte"
    assert str(first.facts_date) == "2026-03-02"
    assert first.status == ReportStatus.DRAFT
    assert second.status == ReportStatus.SUBMITTED
    assert first.legal_basis_codes() == ["preamble-1", "a"]
    for created in (first, second):
        event = AuditEvent.objects.for_object(created).get(action=Action.CREATE)
        assert event.actor_username == user.username
    assert result.summary() == "2 fiche(s) importée(s)."


def test_csv_file_splits_multi_values_and_reads_french_booleans(a_users):
    user = a_users.analyste
    rows = read_file(("\ufeff" + CSV_OK).encode(), "fiches.csv")  # Excel's BOM is accepted
    assert [r.line for r in rows] == [2, 3]

    result = import_reports(user, rows)

    assert result.ok, result.errors
    drugs, smugglers = result.created
    assert sorted(c.code for c in drugs.countries.all()) == ["AD", "ES"]
    assert drugs.status == ReportStatus.DRAFT and drugs.marking == "non_protege"
    assert smugglers.title == "Passeurs; réseau malien"  # quoted « ; »
    assert sorted(t.code for t in smugglers.themes.all()) == [
        "human_trafficking",
        "irregular_immigration",
    ]
    assert smugglers.handling_conditions == "Pas d'usage judiciaire"
    assert smugglers.status == ReportStatus.SUBMITTED
    assert smugglers.facts_date is None and smugglers.body == ""
    assert {r.unit for r in result.created} == {user.unit}
    assert (
        AuditEvent.objects.filter(
            action=Action.CREATE,
            model="information.informationreport",
            actor_username=user.username,
        ).count()
        == 2
    )


def test_one_invalid_row_imports_nothing_and_names_line_and_field(a_users):
    content = json_file(
        report(),
        report(countries=["ZZ"]),
        report(handling_code="H3", handling_conditions=""),
    )
    result = import_reports(a_users.attache_madrid, read_file(content, "f.json"))

    assert not result.ok
    assert InformationReport.objects.count() == 0
    assert not AuditEvent.objects.filter(model="information.informationreport").exists()
    by_field = {e.field: e for e in result.errors}
    assert set(by_field) == {"countries", "handling_conditions"}
    assert (by_field["countries"].line, by_field["handling_conditions"].line) == (3, 4)
    assert str(by_field["handling_conditions"]).startswith(
        "Ligne 4, champ « handling_conditions » : Le code H3 exige les conditions"
    )
    assert "ZZ" in by_field["countries"].message
    assert result.summary() == "2 fiche(s) en erreur sur 3 : rien n'a été importé."


def test_json_lines_are_where_each_object_starts(a_users):
    content = json.dumps([report(), report(marking="secret")], indent=2).encode()
    second = content.decode().splitlines().index("  {", 2) + 1
    result = import_reports(a_users.attache_madrid, read_file(content, "f.json"))
    assert [(e.line, e.field) for e in result.errors] == [(second, "marking")]
    assert second > 10


def test_csv_errors_name_the_file_line(a_users):
    content = "\n".join(
        [CSV_HEADER, CSV_OK.splitlines()[1], CSV_OK.splitlines()[1].replace(";A;2;", ";A;9;")]
    ).encode()
    result = import_reports(a_users.attache_madrid, read_file(content, "f.csv"))
    assert [str(e) for e in result.errors] == [
        "Ligne 3, champ « information_credibility » : Valeur inconnue pour la grille "
        "Europol 4x4 : 1, 2, 3, 4."
    ]
    assert InformationReport.objects.count() == 0


def test_unknown_key_and_wrong_types_are_row_errors(a_users):
    rows = [
        ImportRow(2, report(reference="RO-2026-000001")),
        ImportRow(5, ["pas", "un", "objet"]),
        ImportRow(8, report(submit="peut-être")),
    ]
    result = import_reports(a_users.attache_madrid, rows)
    assert {(e.line, e.field) for e in result.errors} == {
        (2, "reference"),
        (5, ""),
        (8, "submit"),
    }
    assert InformationReport.objects.count() == 0


def test_dry_run_checks_everything_and_creates_nothing(a_users):
    content = json_file(report(), report(exclusively_intelligence=True))
    result = import_reports(a_users.attache_madrid, read_file(content, "f.json"), dry_run=True)
    assert result.ok
    assert (result.report_rows, result.receipt_rows) == (1, 1)
    assert result.created == [] and result.receipts == []
    assert InformationReport.objects.count() == 0
    assert RedirectionReceipt.objects.count() == 0
    assert "Rien n'a été enregistré" in result.summary()


@pytest.mark.parametrize("marking", ["secret", "Très secret", "confidentiel"])
def test_a_classified_marking_is_refused(a_users, marking):
    result = import_reports(a_users.attache_madrid, [report(marking=marking)])
    assert [(e.line, e.field) for e in result.errors] == [(1, "marking")]
    assert InformationReport.objects.count() == 0


def test_a_classified_header_in_the_text_is_refused(a_users):
    result = import_reports(a_users.attache_madrid, [report(title="SECRET DÉFENSE — filière")])
    assert [e.field for e in result.errors] == ["title"]


def test_intelligence_only_row_keeps_a_receipt_and_no_content(a_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = a_users.attache_madrid
    content = json_file(
        report(title="Fiche ordinaire"),
        report(
            title=f"Agent d'un service étranger {MARKER}",
            summary=MARKER,
            body=MARKER,
            countries=["XX"],  # not even checked: the triage comes first
            exclusively_intelligence=True,
        ),
    )
    result = import_reports(user, read_file(content, "f.json"))

    assert result.ok, result.errors
    assert [r.title for r in result.created] == ["Fiche ordinaire"]
    (receipt,) = result.receipts
    assert RedirectionReceipt.objects.get() == receipt
    assert receipt.author == user and receipt.unit == user.unit
    assert receipt.redirect_to
    assert InformationReport.objects.count() == 1
    assert tables_holding(MARKER) == []
    assert not AuditEvent.objects.filter(changes__icontains=MARKER).exists()
    assert files_holding(tmp_path, MARKER) == []
    assert "1 récépissé(s)" in result.summary()


def test_who_may_import(a_users):
    from django.core.exceptions import PermissionDenied

    for user in (a_users.lecteur, a_users.correspondant_dgpn):
        with pytest.raises(PermissionDenied):
            import_reports(user, [report()])
    assert InformationReport.objects.count() == 0


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"", "f.json", "Le fichier est vide."),
        (b"[]", "f.json", "Le fichier ne contient aucune fiche."),
        (b'{"title": "x"}', "f.json", "doit contenir une liste de fiches"),
        (b'[{"title": "x"},\n{"title" "y"}]', "f.json", "JSON mal formé ligne 2"),
        ("titre;résumé".encode("latin-1"), "f.csv", "pas encodé en UTF-8"),
        (b"title,summary\nx,y", "f.csv", "Séparateur attendu « ; »"),
        (b"title;summary\nx;y", "f.csv", "Colonne(s) obligatoire(s) absente(s) : countries"),
        (b"title;summary;couleur\nx;y;z", "f.csv", "Colonne(s) inconnue(s) : couleur"),
        (b"%PDF-1.4", "f.pdf", "Type de fichier refusé (.pdf)"),
    ],
)
def test_bad_files_give_one_french_sentence(content, name, message):
    with pytest.raises(BadFile) as caught:
        read_file(content, name)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


# --- The command -----------------------------------------------------------------------------


def run(*args):
    import io

    out, err = io.StringIO(), io.StringIO()
    call_command("import_reports", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_and_prints_what_it_created(a_users, tmp_path):
    path = tmp_path / "fiches.json"
    path.write_bytes(json_file(report(), report(exclusively_intelligence=True)))
    out, _ = run(str(path), "--user", a_users.attache_madrid.username)
    created = InformationReport.objects.get()
    assert f"{created.reference} : Filière de faux passeports à Madrid (brouillon)" in out
    assert "non enregistrée, à adresser à" in out
    assert "1 fiche(s) importée(s) et 1 récépissé(s)" in out


def test_command_dry_run(a_users, tmp_path):
    path = tmp_path / "fiches.csv"
    path.write_text(CSV_OK, encoding="utf-8")
    out, _ = run(str(path), "--user", a_users.attache_madrid.username, "--dry-run")
    assert "Fichier valide : 2 fiche(s) à créer" in out
    assert InformationReport.objects.count() == 0


def test_command_fails_with_one_line_per_problem(a_users, tmp_path):
    path = tmp_path / "fiches.json"
    path.write_bytes(json_file(report(marking="secret"), report(themes=[])))
    with pytest.raises(CommandError) as caught:
        run(str(path), "--user", a_users.attache_madrid.username)
    assert str(caught.value) == "2 fiche(s) en erreur sur 2 : rien n'a été importé."
    assert InformationReport.objects.count() == 0


def test_command_error_lines_go_to_stderr(a_users, tmp_path, capsys):
    import io

    path = tmp_path / "fiches.json"
    path.write_bytes(json_file(report(marking="secret"), report(themes=[])))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_reports", str(path), "--user", a_users.attache_madrid.username, stderr=err
        )
    lines = err.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("Ligne 2, champ « marking » : ")
    assert lines[1] == "Ligne 3, champ « themes » : Indiquez au moins un thème."


@pytest.mark.parametrize(
    "args, message",
    [
        ((), "Indiquez l'auteur des fiches : --user IDENTIFIANT."),
        (("--user", "personne"), "Utilisateur inconnu ou inactif : « personne »."),
        (("--user", "lecteur"), "lecteur : Votre rôle ne permet pas"),
    ],
)
def test_command_refuses_missing_or_unfit_user(a_users, tmp_path, args, message):
    path = tmp_path / "fiches.json"
    path.write_bytes(json_file(report()))
    with pytest.raises(CommandError) as caught:
        run(str(path), *args)
    assert str(caught.value).startswith(message)
    assert InformationReport.objects.count() == 0


def test_command_bad_file_is_one_line(a_users, tmp_path):
    user = ("--user", a_users.attache_madrid.username)
    with pytest.raises(CommandError, match=r"^Fichier introuvable : .*absent\.json\.$"):
        run(str(tmp_path / "absent.json"), *user)
    with pytest.raises(CommandError, match=r"^Fichier illisible|est un dossier"):
        run(str(tmp_path), *user)
    latin = tmp_path / "fiches.csv"
    latin.write_bytes((CSV_HEADER + "\nPassé;é").encode("latin-1"))
    with pytest.raises(CommandError, match="pas encodé en UTF-8"):
        run(str(latin), *user)


def test_command_exit_status_through_the_console(a_users, tmp_path, monkeypatch, capsys):
    """`relais import-reports` exits 1 with a one-line message, never a traceback."""
    from relais import cli

    # run_from_argv closes the connections at the end: keep the test's transaction open.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    path = tmp_path / "fiches.json"
    path.write_bytes(b"[{")
    monkeypatch.setattr(
        "sys.argv",
        ["relais", "import-reports", str(path), "--user", a_users.attache_madrid.username],
    )
    with pytest.raises(SystemExit) as caught:
        cli.main()
    assert caught.value.code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("CommandError: JSON mal formé ligne 1")

    path.write_bytes(json_file(report()))
    cli.main()  # returns normally: exit status 0
    assert "1 fiche(s) importée(s)." in capsys.readouterr().out
    assert InformationReport.objects.count() == 1


# --- The page --------------------------------------------------------------------------------


def upload(content: bytes, name: str = "fiches.json", **data):
    return {"file": SimpleUploadedFile(name, content), **data}


def test_page_permission_matrix(a_users):
    responses = check_matrix(
        URL,
        anonymous=Persona.LOGIN,
        other_unit=(a_users.correspondant_dgpn, 403),
        read_only=(a_users.lecteur, 403),
        right_user=(a_users.attache_madrid, 200),
    )
    page = responses["right_user"].content.decode()
    assert page.count("<h1") == 1 and "Importer des fiches" in page
    assert 'name="file"' in page and 'name="dry_run"' in page
    assert "Vérifier seulement (ne rien enregistrer)" in page


def test_page_post_permission_matrix(a_users):
    def data():
        return upload(json_file(report()))

    for user in (a_users.correspondant_dgpn, a_users.lecteur):
        from django.test import Client

        client = Client()
        client.force_login(user)
        assert client.post(URL, data()).status_code == 403, user.username
    assert Client().post(URL, data()).status_code == 302
    assert InformationReport.objects.count() == 0


def test_intake_page_and_list_link_to_the_import(a_users, client_for):
    client = client_for(a_users.attache_madrid)
    assert URL in client.get("/information/nouvelle/").content.decode()
    assert URL in client.get("/information/").content.decode()
    assert URL not in client_for(a_users.lecteur).get("/information/").content.decode()


def test_page_imports_and_says_how_many(a_users, client_for):
    client = client_for(a_users.attache_madrid)
    response = client.post(URL, upload(json_file(report(), report(title="Autre"))), follow=True)
    assert response.redirect_chain[-1][0] == "/information/"
    assert "2 fiche(s) importée(s)." in response.content.decode()
    assert InformationReport.objects.filter(created_by=a_users.attache_madrid).count() == 2


def test_page_dry_run_creates_nothing(a_users, client_for):
    client = client_for(a_users.attache_madrid)
    response = client.post(URL, upload(CSV_OK.encode(), "f.csv", dry_run="on"))
    assert response.status_code == 200
    assert "Fichier valide : 2 fiche(s) à créer" in response.content.decode()
    assert InformationReport.objects.count() == 0


def test_page_lists_errors_per_line_and_field(a_users, client_for):
    client = client_for(a_users.attache_madrid)
    response = client.post(URL, upload(json_file(report(), report(marking="secret"))))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Aucune fiche importée" in page
    assert "<caption>Erreurs par ligne du fichier</caption>" in page
    assert "<td>3</td>" in page and "<code>marking</code>" in page
    assert InformationReport.objects.count() == 0


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"%PDF-1.4", "fiches.pdf", "seuls les fichiers JSON (.json) et CSV (.csv)"),
        (b"title,summary\nx,y", "fiches.csv", "Séparateur attendu"),
    ],
)
def test_page_refuses_bad_files_on_the_field(a_users, client_for, content, name, message):
    response = client_for(a_users.attache_madrid).post(URL, upload(content, name))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "fr-upload-group--error" in page
    assert InformationReport.objects.count() == 0


def test_page_refuses_too_large_files(a_users, client_for, monkeypatch):
    monkeypatch.setattr("relais.information.forms.IMPORT_MAX_BYTES", 10)
    response = client_for(a_users.attache_madrid).post(URL, upload(json_file(report())))
    assert "Le fichier dépasse" in response.content.decode()
    assert InformationReport.objects.count() == 0


def test_the_documented_examples_are_valid(a_users):
    """The JSON and CSV examples of docs/user/information-attaches.md pass the checks."""
    import re
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "user" / "information-attaches.md"
    section = doc.read_text(encoding="utf-8").split("## Importer plusieurs fiches")[1]
    examples = {
        "exemple.json": re.search(r"```json\n(.*?)```", section, re.S).group(1),
        "exemple.csv": re.search(r"```text\n(.*?)```", section, re.S).group(1),
    }
    for name, text in examples.items():
        rows = read_file(text.encode(), name)
        result = import_reports(a_users.attache_madrid, rows, dry_run=True)
        assert result.ok, (name, [str(e) for e in result.errors])
        assert result.report_rows == 2


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_import_page_is_accessible_and_reports_errors(page, a_users, tmp_path):
    """In Chromium: the page, then an upload with a wrong row, pass axe-core."""
    from tests.browser.support import assert_accessible, login, screenshot
    from tests.factories import PASSWORD

    login(page, a_users.attache_madrid.username, PASSWORD)
    page.goto("/information/nouvelle/")
    page.get_by_role("link", name="Importer des fiches depuis un fichier JSON ou CSV").click()
    page.wait_for_url(f"**{URL}")
    assert_accessible(page, "import des fiches")
    path = tmp_path / "fiches.json"
    path.write_bytes(json_file(report(), report(marking="secret")))
    page.get_by_label("Fichier de fiches (JSON ou CSV)").set_input_files(str(path))
    page.get_by_role("button", name="Envoyer le fichier").click()
    page.wait_for_load_state()
    table = page.get_by_role("table", name="Erreurs par ligne du fichier")
    assert "marking" in table.inner_text() and "3" in table.inner_text()
    assert_accessible(page, "import des fiches (erreurs)")
    screenshot(page, "information-import-erreurs")
    assert InformationReport.objects.count() == 0
