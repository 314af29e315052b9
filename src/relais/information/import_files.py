"""Import of information reports from a structured file (JSON or CSV), all or nothing.

The third way in after the intake form and the API (issue 5, « Intake »). The rules are the
API's: each row is checked by `ReportSerializer` (same fields, codes and refusals) and written by
`services.create_report` (same triage, audit events, duplicates).

Formats (the user documentation, docs/user/information-attaches.md, shows an example of each)
    JSON  a list of objects whose keys are the API's create fields (`title`, `summary`, `body`,
          `facts_date`, `facts_place`, `countries`, `themes`, `source_description`,
          `grading_scheme`, `source_reliability`, `information_credibility`, `handling_code`,
          `handling_conditions`, `marking`, `submit`) plus `exclusively_intelligence` and
          `attachments`: a list of `{"name": "note.pdf", "content_base64": "…"}`, each file
          checked as on the page (type judged on the content, size).
    CSV   UTF-8, `;` separator, a header line of those same names, one report per line;
          `countries` and `themes` hold several codes separated by `|`; an empty cell is an
          absent field; booleans are `oui`/`non` (or `true`/`false`, `1`/`0`). No attachments.

Interface
    `read_file(content: bytes, name: str) -> list[ImportRow]` parses a file or raises `BadFile`
    (one French line, never a traceback). `import_reports(user, rows, *, dry_run=False,
    progress=None) -> ImportResult` checks every row first, then creates every report in one
    transaction; any error and nothing is stored (`result.errors` name the line and the field).
    A row with `exclusively_intelligence` true is not validated nor stored: it leaves only a
    redirection receipt, as with the form.
"""

import base64
import binascii
import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from rest_framework import serializers

from relais.information import services
from relais.information.attachments import check_upload
from relais.information.models import InformationReport
from relais.information.serializers import ReportSerializer

#: Rows in one file at most (one transaction, kept short).
MAX_ROWS = 1000
#: Upload size limit of the import page.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
CSV_DELIMITER = ";"
MULTI_SEPARATOR = "|"
INTELLIGENCE_FIELD = "exclusively_intelligence"
#: JSON only: the report's files, `[{"name": …, "content_base64": …}]`.
ATTACHMENTS_FIELD = "attachments"
EXTENSIONS = (".json", ".csv")
ACCEPT = ".json,.csv,application/json,text/csv"

TRUE_WORDS = {"true", "1", "oui", "vrai", "yes", "on", "o"}
FALSE_WORDS = {"false", "0", "non", "faux", "no", "off", "n", ""}


class BadFile(Exception):
    """The file cannot be read as an import file; the message is one French sentence."""


@dataclass(frozen=True)
class ImportRow:
    """One report of a file: `line` is where it starts in the file (CSV and JSON alike)."""

    line: int
    data: object


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"Ligne {self.line}"
        if self.field:
            where += f", champ « {self.field} »"
        return f"{where} : {self.message}"


@dataclass
class ImportResult:
    """What an import did (or, with `dry_run`, would do)."""

    rows: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    #: Rows that are valid reports / intelligence-only rows (counted even in a dry run).
    report_rows: int = 0
    receipt_rows: int = 0
    created: list = field(default_factory=list)
    receipts: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors})

    def summary(self) -> str:
        """One French sentence on the outcome."""
        if self.errors:
            return (
                f"{len(self.error_lines)} fiche(s) en erreur sur {self.rows} : "
                "rien n'a été importé."
            )
        receipts = (
            f" et {self.receipt_rows} récépissé(s) (fiches relevant exclusivement du "
            "renseignement, non enregistrées)"
            if self.receipt_rows
            else ""
        )
        if self.dry_run:
            return (
                f"Fichier valide : {self.report_rows} fiche(s) à créer{receipts}. "
                "Rien n'a été enregistré (vérification seulement)."
            )
        return f"{len(self.created)} fiche(s) importée(s){receipts}."


# --- Fields ------------------------------------------------------------------------------------


def _serializer_fields() -> dict:
    return ReportSerializer().fields


def import_fields() -> list[str]:
    """The accepted keys / columns: the API's create fields, plus `exclusively_intelligence`."""
    names = [
        name for name, f in _serializer_fields().items() if not f.read_only and name != "version"
    ]
    return list(dict.fromkeys([*names, INTELLIGENCE_FIELD, ATTACHMENTS_FIELD]))


def required_fields() -> list[str]:
    return [name for name, f in _serializer_fields().items() if f.required and not f.read_only]


def _multi_fields() -> set[str]:
    return {
        name
        for name, f in _serializer_fields().items()
        if isinstance(f, serializers.ManyRelatedField)
    }


def _boolean_fields() -> set[str]:
    names = {
        name
        for name, f in _serializer_fields().items()
        if isinstance(f, serializers.BooleanField) and not f.read_only
    }
    return names | {INTELLIGENCE_FIELD}


def parse_bool(value) -> bool:
    """`true`/`false` in JSON, or `oui`/`non`, `vrai`/`faux`, `1`/`0`… (ValueError otherwise)."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    word = str(value).strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError("Valeur attendue : oui ou non.")


# --- Reading files -----------------------------------------------------------------------------


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadFile(
            f"Le fichier n'est pas encodé en UTF-8 (octet invalide en position {exc.start}) : "
            "enregistrez-le en « CSV UTF-8 » ou en JSON UTF-8."
        ) from None


def file_kind(content: bytes, name: str = "") -> str:
    """`json` or `csv`, from the name's extension, else from the first character."""
    suffix = Path(name or "").suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix == ".csv":
        return "csv"
    if suffix:
        raise BadFile(f"Type de fichier refusé ({suffix}) : seuls JSON (.json) et CSV (.csv).")
    start = content.lstrip()[:1]
    return "json" if start in (b"[", b"{") else "csv"


_SPACE = re.compile(r"\s*")


def parse_json(text: str) -> list[ImportRow]:
    """A JSON list of objects; each row keeps the line where its object starts."""
    decoder = json.JSONDecoder()
    line, counted = 1, 0

    def line_at(position: int) -> int:
        nonlocal line, counted
        line += text.count("\n", counted, position)
        counted = position
        return line

    def bad_json(exc: json.JSONDecodeError) -> BadFile:
        return BadFile(
            f"JSON mal formé ligne {exc.lineno}, colonne {exc.colno} : vérifiez les virgules, "
            "guillemets et crochets."
        )

    pos = _SPACE.match(text, 0).end()
    if pos == len(text):
        raise BadFile("Le fichier est vide.")
    if text[pos] != "[":
        raise BadFile("Le fichier JSON doit contenir une liste de fiches : [ {…}, {…} ].")
    rows = []
    pos = _SPACE.match(text, pos + 1).end()
    if text[pos : pos + 1] == "]":
        pos += 1
    else:
        while True:
            start = line_at(pos)
            try:
                value, pos = decoder.raw_decode(text, pos)
            except json.JSONDecodeError as exc:
                raise bad_json(exc) from None
            rows.append(ImportRow(start, value))
            if len(rows) > MAX_ROWS:
                raise BadFile(f"Trop de fiches : {MAX_ROWS} au plus par fichier.")
            pos = _SPACE.match(text, pos).end()
            char = text[pos : pos + 1]
            if char == ",":
                pos = _SPACE.match(text, pos + 1).end()
                continue
            if char == "]":
                pos += 1
                break
            raise bad_json(json.JSONDecodeError("Expecting ',' delimiter", text, pos))
    if _SPACE.match(text, pos).end() != len(text):
        raise bad_json(json.JSONDecodeError("Extra data", text, pos))
    return rows


def parse_csv(text: str) -> list[ImportRow]:
    """`;`-separated, header line of field names; multi-valued cells split on `|`."""
    if not text.strip():
        raise BadFile("Le fichier est vide.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=CSV_DELIMITER)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise BadFile(f"CSV illisible ligne 1 : {exc}.") from None
    columns = [h.strip().lower() for h in header]
    if len(columns) == 1 and "," in columns[0]:
        raise BadFile("Séparateur attendu « ; » (point-virgule), pas « , » : voir le modèle.")
    known = set(import_fields())
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise BadFile(
            f"Colonne(s) inconnue(s) : {', '.join(unknown) or '(vide)'}. "
            f"Colonnes acceptées : {', '.join(import_fields())}."
        )
    doubled = sorted({c for c in columns if columns.count(c) > 1})
    if doubled:
        raise BadFile(f"Colonne(s) en double : {', '.join(doubled)}.")
    missing = [c for c in required_fields() if c not in columns]
    if missing:
        raise BadFile(f"Colonne(s) obligatoire(s) absente(s) : {', '.join(missing)}.")
    multi, booleans = _multi_fields(), _boolean_fields()
    rows = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise BadFile(f"CSV illisible ligne {start} : {exc}.") from None
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(columns):
            rows.append(ImportRow(start, _TooManyCells(len(cells), len(columns))))
            continue
        data = {}
        for name, cell in zip(columns, cells, strict=False):
            value = cell.strip()
            if name in multi:
                data[name] = [v.strip() for v in value.split(MULTI_SEPARATOR) if v.strip()]
            elif value or name in booleans:
                data[name] = value
        rows.append(ImportRow(start, data))
        if len(rows) > MAX_ROWS:
            raise BadFile(f"Trop de fiches : {MAX_ROWS} au plus par fichier.")
    return rows


@dataclass(frozen=True)
class _TooManyCells:
    found: int
    expected: int


def read_file(content: bytes, name: str = "") -> list[ImportRow]:
    """Parse a JSON or CSV import file. Raises `BadFile` with one French sentence."""
    kind = file_kind(content, name)
    text = _decode(content)
    rows = parse_json(text) if kind == "json" else parse_csv(text)
    if not rows:
        raise BadFile("Le fichier ne contient aucune fiche.")
    return rows


def read_path(path) -> list[ImportRow]:
    """`read_file` on a path; an unreadable file is a `BadFile` too."""
    path = Path(path)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise BadFile(f"Fichier introuvable : {path}.") from None
    except IsADirectoryError:
        raise BadFile(f"{path} est un dossier, pas un fichier.") from None
    except OSError as exc:
        raise BadFile(f"Fichier illisible : {path} ({exc.strerror}).") from None
    return read_file(content, path.name)


# --- Checking and importing --------------------------------------------------------------------


def _flatten(detail, field_name=""):
    """DRF error detail → [(field, message)]."""
    if isinstance(detail, dict):
        items = []
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "__all__", "detail") else str(key)
            items.extend(_flatten(value, name or field_name))
        return items
    if isinstance(detail, list | tuple):
        return [item for value in detail for item in _flatten(value, field_name)]
    return [(field_name, str(detail))]


def _errors_of(line: int, exc) -> list[RowError]:
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
    else:
        detail = exc.detail
    pairs = dict.fromkeys(_flatten(detail))  # a validator on the model and the serializer
    return [RowError(line, name, message) for name, message in pairs]


def _attachments_of(line: int, value) -> tuple[list[RowError], list]:
    """The files of a JSON row, decoded and checked: `(errors, files)`."""
    shape = (
        'une liste d\'objets {"name": …, "content_base64": …} (pièces jointes : fichier JSON '
        "uniquement)"
    )
    if not isinstance(value, list):
        return [RowError(line, ATTACHMENTS_FIELD, f"Attendu : {shape}.")], []
    errors, files = [], []
    for number, item in enumerate(value, 1):
        where = f"{ATTACHMENTS_FIELD}[{number}]"
        if not isinstance(item, dict) or set(item) != {"name", "content_base64"}:
            errors.append(RowError(line, where, f"Attendu : {shape}."))
            continue
        name, encoded = item["name"], item["content_base64"]
        if not isinstance(name, str) or not isinstance(encoded, str) or not name.strip():
            errors.append(RowError(line, where, "Nom et contenu doivent être du texte."))
            continue
        try:
            content = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            errors.append(RowError(line, where, f"{name} : contenu base64 illisible."))
            continue
        uploaded = SimpleUploadedFile(name.strip(), content)
        try:
            check_upload(uploaded)
        except DjangoValidationError as exc:
            errors.extend(RowError(line, where, f"{name} : {m}") for m in exc.messages)
            continue
        files.append(uploaded)
    return errors, files


def _check_row(user, row: ImportRow):
    """`(errors, plan, files)`: plan is None for a receipt, else a validated serializer; files
    are the row's checked attachments."""
    data = row.data
    if isinstance(data, _TooManyCells):
        return (
            [
                RowError(
                    row.line,
                    "",
                    f"{data.found} valeurs pour {data.expected} colonnes : un texte contenant « ; » "
                    "doit être entre guillemets.",
                )
            ],
            None,
            [],
        )
    if not isinstance(data, dict):
        return [RowError(row.line, "", "Une fiche doit être un objet JSON { … }.")], None, []
    try:
        intelligence = parse_bool(data.get(INTELLIGENCE_FIELD))
    except ValueError as exc:
        return [RowError(row.line, INTELLIGENCE_FIELD, str(exc))], None, []
    if intelligence:
        # Triage first, as with the form: the content is neither checked nor kept.
        return [], None, []
    known = set(import_fields())
    errors = [
        RowError(row.line, str(key), "Champ inconnu (voir la liste des champs acceptés).")
        for key in data
        if key not in known
    ]
    payload = {
        k: v
        for k, v in data.items()
        if k in known and k not in (INTELLIGENCE_FIELD, ATTACHMENTS_FIELD)
    }
    files = []
    if data.get(ATTACHMENTS_FIELD) not in (None, ""):
        attachment_errors, files = _attachments_of(row.line, data[ATTACHMENTS_FIELD])
        errors.extend(attachment_errors)
    if "submit" in payload:
        try:
            payload["submit"] = parse_bool(payload["submit"])
        except ValueError as exc:
            errors.append(RowError(row.line, "submit", str(exc)))
            payload.pop("submit")
    serializer = ReportSerializer(data=payload, context={"request": SimpleNamespace(user=user)})
    if not serializer.is_valid():
        errors.extend(_errors_of(row.line, serializers.ValidationError(serializer.errors)))
    return errors, serializer, files


class _Rollback(Exception):
    pass


def import_reports(
    user,
    rows: Iterable,
    *,
    dry_run: bool = False,
    progress: Callable[[int], object] | None = None,
) -> ImportResult:
    """Check every row, then create every report in one transaction (all or nothing).

    `rows` are `ImportRow`s (from `read_file`) or plain dicts (numbered from 1). `progress(1)`
    is called once per row checked and once per row written. Raises `PermissionDenied` when the
    user may not write reports (the intake form's rule).
    """
    if not InformationReport.can_create(user):
        raise PermissionDenied("Votre rôle ne permet pas de rédiger une fiche d'information.")
    rows = [r if isinstance(r, ImportRow) else ImportRow(n, r) for n, r in enumerate(rows, 1)]
    result = ImportResult(rows=len(rows), dry_run=dry_run)
    if len(rows) > MAX_ROWS:
        result.errors.append(RowError(0, "", f"Trop de fiches : {MAX_ROWS} au plus par fichier."))
        return result
    plan = []
    for row in rows:
        errors, serializer, files = _check_row(user, row)
        result.errors.extend(errors)
        if not errors:
            plan.append((row, serializer, files))
            if serializer is None:
                result.receipt_rows += 1
            else:
                result.report_rows += 1
        if progress:
            progress(1)
    if result.errors or dry_run:
        return result
    stored = []  # files of the reports created so far, deleted if the import rolls back
    try:
        with transaction.atomic():
            for row, serializer, files in plan:
                try:
                    if serializer is None:
                        receipt = services.create_report(user, exclusively_intelligence=True)
                        result.receipts.append(receipt)
                    else:
                        report = serializer.save(attachments=files)
                        result.created.append(report)
                        if files:
                            stored.extend(report.attachments.values_list("file", flat=True))
                except (serializers.ValidationError, DjangoValidationError) as exc:
                    result.errors.extend(_errors_of(row.line, exc))
                    raise _Rollback from exc
                if progress:
                    progress(1)
    except _Rollback:
        result.created, result.receipts = [], []
        services.delete_stored_files(stored)
    except BaseException:
        services.delete_stored_files(stored)
        raise
    return result
