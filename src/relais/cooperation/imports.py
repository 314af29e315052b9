"""Bulk entry of actions from a spreadsheet (`relais import-actions FILE.xlsx`).

The first sheet has one header row (French headers below, case and accents ignored) and one
action per line. Codes and French labels are both accepted for the kind, the domain, the
instrument and the funding status. Every line goes through `services.create_action`
(competence assessment, legal basis, scope); the whole file is written in one transaction:
if any line is wrong, nothing is written and each error is reported with its line number.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from relais.cooperation import services
from relais.cooperation.models import (
    ActionCooperationKind,
    ActionKind,
    Domain,
    FundingInstrument,
    FundingStatus,
    Programme,
)
from relais.referential.models import Country, PartnerBody, Post, french_partner_message

#: header (normalised) -> field
HEADERS = {
    "intitule": "title",
    "nature": "kind",
    "pays": "country",
    "direction": "directorate",
    "domaine": "domain",
    "debut prevu": "planned_start",
    "fin prevue": "planned_end",
    "objectifs": "objectives",
    "poste": "post",
    "programme": "programme",
    "institution beneficiaire": "beneficiary_institution",
    "stagiaires": "participants",
    "experts": "experts",
    "jours d'expertise": "expert_days",
    "nature de la cooperation": "cooperation_kind",
    "financeur": "funder",
    "instrument": "instrument",
    "montant": "amount",
    "statut du financement": "funding_status",
}
REQUIRED = ("title", "kind", "country", "directorate", "domain", "planned_start", "planned_end")
TEMPLATE_HEADERS = [
    "Intitulé",
    "Nature",
    "Pays",
    "Direction",
    "Domaine",
    "Début prévu",
    "Fin prévue",
    "Objectifs",
    "Poste",
    "Programme",
    "Institution bénéficiaire",
    "Stagiaires",
    "Experts",
    "Jours d'expertise",
    "Nature de la coopération",
    "Financeur",
    "Instrument",
    "Montant",
    "Statut du financement",
]


def normalise(value) -> str:
    text = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore").decode()
    return " ".join(text.replace("’", "'").lower().split())


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class _Lookups:
    """The reference values, loaded once (no query per line)."""

    def __init__(self):
        self.kinds = _choices(ActionKind)
        self.coop_kinds = _choices(ActionCooperationKind)
        self.instruments = _choices(FundingInstrument)
        self.funding_status = _choices(FundingStatus)
        self.countries = {c.code: c for c in Country.objects.all()}
        from relais.cooperation.services import directorate_choices

        units = list(directorate_choices())
        acronyms = {}
        for unit in units:
            acronyms.setdefault(unit.label.upper(), []).append(unit)
        # By acronym when only one unit bears it (DLPAJ), then by code (SG-DLPAJ, DGPN).
        self.directorates = {key: found[0] for key, found in acronyms.items() if len(found) == 1}
        self.directorates.update({u.code.upper(): u for u in units})
        self.domains = {}
        for domain in Domain.objects.all():
            self.domains[normalise(domain.code)] = domain
            self.domains[normalise(domain.label)] = domain
        self.posts = {p.unit.code: p for p in Post.objects.select_related("unit")}
        self.bodies = {}
        for body in PartnerBody.objects.all():
            for key in (body.acronym, body.name):
                if key:
                    self.bodies.setdefault(normalise(key), body)
        self.programmes = set(Programme.objects.values_list("pk", flat=True))


def _choices(enum) -> dict:
    out = {}
    for value, label in enum.choices:
        out[normalise(value)] = value
        out[normalise(label)] = value
    return out


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"date illisible « {text} » (JJ/MM/AAAA)")


def _int(value, name):
    if value in (None, ""):
        return 0
    try:
        number = int(float(value))
    except (TypeError, ValueError):
        raise ValueError(f"{name} : nombre entier attendu, « {value} » lu") from None
    if number < 0:
        raise ValueError(f"{name} : nombre positif attendu")
    return number


def parse_row(values: dict, lookups: _Lookups) -> tuple[dict, list[dict], list[str]]:
    """The fields of `create_action` for one line, its funding lines, and its errors."""
    errors = []
    missing = [name for name in REQUIRED if values.get(name) in (None, "")]
    labels = {v: k for k, v in HEADERS.items()}
    for name in missing:
        errors.append(f"colonne « {labels[name]} » vide")
    fields: dict = {}
    fundings: list[dict] = []
    if "title" not in missing:
        fields["title"] = str(values["title"]).strip()
    if "kind" not in missing:
        kind = lookups.kinds.get(normalise(values["kind"]))
        if kind is None:
            errors.append(f"nature inconnue « {values['kind']} »")
        fields["kind"] = kind
    if "country" not in missing:
        country = lookups.countries.get(str(values["country"]).strip().upper())
        if country is None:
            errors.append(f"pays inconnu « {values['country']} » (code ISO attendu)")
        elif country.is_french:
            errors.append(french_partner_message([country.name]))
            country = None
        fields["country"] = country
    if "directorate" not in missing:
        unit = lookups.directorates.get(str(values["directorate"]).strip().upper())
        if unit is None:
            errors.append(
                f"direction inconnue « {values['directorate']} » (code d'une direction du "
                "ministère ou d'un service placé directement sous elle : DGPN, DGGN, SG, DGSCGC, "
                "DGEF, DGCL, DSCR, DLPAJ…)"
            )
        fields["directorate"] = unit
    if "domain" not in missing:
        domain = lookups.domains.get(normalise(values["domain"]))
        if domain is None:
            errors.append(f"domaine inconnu « {values['domain']} »")
        fields["domain"] = domain
    for name in ("planned_start", "planned_end"):
        if name not in missing:
            try:
                fields[name] = _date(values[name])
            except ValueError as exc:
                errors.append(str(exc))
    fields["objectives"] = str(values.get("objectives") or "").strip()
    if values.get("cooperation_kind"):
        kind = lookups.coop_kinds.get(normalise(values["cooperation_kind"]))
        if kind is None:
            errors.append(f"nature de la coopération inconnue « {values['cooperation_kind']} »")
        fields["cooperation_kind"] = kind or ActionCooperationKind.TECHNICAL
    if values.get("post"):
        post = lookups.posts.get(str(values["post"]).strip().upper())
        if post is None:
            errors.append(f"poste inconnu « {values['post']} » (code, ex. SSI-BAMAKO)")
        fields["post"] = post
    if values.get("programme"):
        try:
            pk = int(values["programme"])
        except (TypeError, ValueError):
            pk = None
        if pk not in lookups.programmes:
            errors.append(f"programme inconnu « {values['programme']} » (numéro attendu)")
        else:
            fields["programme_id"] = pk
    if values.get("beneficiary_institution"):
        body = lookups.bodies.get(normalise(values["beneficiary_institution"]))
        if body is None:
            errors.append(f"institution inconnue « {values['beneficiary_institution']} »")
        fields["beneficiary_institution"] = body
    for name, label in (
        ("participants", "stagiaires"),
        ("experts", "experts"),
        ("expert_days", "jours d'expertise"),
    ):
        try:
            fields[name] = _int(values.get(name), label)
        except ValueError as exc:
            errors.append(str(exc))
    if values.get("amount") not in (None, ""):
        try:
            amount = Decimal(str(values["amount"]).replace(" ", "").replace(",", "."))
        except InvalidOperation:
            errors.append(f"montant illisible « {values['amount']} »")
            amount = None
        instrument = lookups.instruments.get(
            normalise(values.get("instrument") or "ministry_budget")
        )
        if instrument is None:
            errors.append(f"instrument inconnu « {values.get('instrument')} »")
        status = lookups.funding_status.get(normalise(values.get("funding_status") or "planned"))
        if status is None:
            errors.append(f"statut de financement inconnu « {values.get('funding_status')} »")
        funder = None
        if values.get("funder"):
            funder = lookups.bodies.get(normalise(values["funder"]))
            if funder is None:
                errors.append(f"financeur inconnu « {values['funder']} »")
        if amount is not None and instrument and status:
            fundings.append(
                {"funder": funder, "instrument": instrument, "amount": amount, "status": status}
            )
    return fields, fundings, errors


def read_rows(path) -> tuple[list[tuple[int, dict]], list[str]]:
    """The lines of the first sheet as dicts keyed by field name, and the file's errors."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        return [], [f"Le fichier n'est pas un classeur XLSX lisible : {exc}"]
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = next(rows)
    except StopIteration:
        return [], ["La feuille est vide."]
    columns = {}
    unknown = []
    for index, title in enumerate(header):
        key = normalise(title)
        if not key:
            continue
        if key in HEADERS:
            columns[index] = HEADERS[key]
        else:
            unknown.append(str(title))
    errors = []
    missing = [h for h, f in HEADERS.items() if f in REQUIRED and f not in columns.values()]
    if missing:
        errors.append("Colonnes obligatoires absentes : " + ", ".join(missing) + ".")
    if unknown:
        errors.append(
            "Colonnes inconnues : "
            + ", ".join(unknown)
            + ". Colonnes possibles : "
            + ", ".join(TEMPLATE_HEADERS)
            + "."
        )
    out = []
    for number, row in enumerate(rows, start=2):
        if row is None or all(v in (None, "") for v in row):
            continue
        out.append((number, {columns[i]: v for i, v in enumerate(row) if i in columns}))
    workbook.close()
    return out, errors


def import_actions(path, *, user=None, dry_run=False, progress=None) -> ImportReport:
    """Create the actions of the spreadsheet, all or nothing."""
    rows, file_errors = read_rows(path)
    report = ImportReport(rows=len(rows), dry_run=dry_run)
    if file_errors:
        report.errors.extend((0, e) for e in file_errors)
        return report
    if not rows:
        report.errors.append((0, "Aucune ligne d'action dans le fichier."))
        return report
    lookups = _Lookups()
    with transaction.atomic():
        for number, values in rows:
            fields, fundings, errors = parse_row(values, lookups)
            if not errors:
                try:
                    with transaction.atomic():
                        services.create_action(user, fundings=fundings, **fields)
                        report.created += 1
                except ValidationError as exc:
                    messages = (
                        [f"{k} : {' '.join(v)}" for k, v in exc.message_dict.items()]
                        if hasattr(exc, "error_dict")
                        else exc.messages
                    )
                    errors.extend(messages)
                except PermissionDenied as exc:
                    errors.append(str(exc))
            for error in errors:
                report.errors.append((number, error))
            if progress is not None:
                progress(1)
        if dry_run or report.errors:
            transaction.set_rollback(True)
            if report.errors:
                report.created = 0
    return report
