"""IATI 2.03 exchange (https://iatistandard.org/en/iati-standard/203/).

- `export_activities(queryset)`: one `<iati-activity>` per cooperation action, with the
  participating organisations and their roles (1 funding, 2 accountable, 3 extending,
  4 implementing), the recipient country, the DAC sector of the domain, the dates, the status,
  the budgets (funding lines « prévu ») and the transactions (commitments « engagé »,
  disbursements « versé », the actual cost as expenditure). Valid against
  `iati-activities-schema.xsd` (tests/cooperation/test_iati.py).
- `parse_activities(data)`: reads other donors' activities from an IATI 2.0x file and says,
  for the whole file and for each activity, what is wrong (`ParseReport`); `import_activities`
  writes them (all or nothing, unless `valid_only`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from lxml import etree

from relais.cooperation.models import (
    CooperationAction,
    FundingStatus,
    OtherDonorActivity,
)
from relais.cooperation.workflows import ActionStatus
from relais.core.dates import validate_plausible_date
from relais.referential.models import FRENCH_TERRITORIES, french_partner_message

IATI_VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: Activity status codelist (IATI ActivityStatus).
STATUS_CODES = {
    ActionStatus.PROPOSED: "1",
    ActionStatus.UNDER_REVIEW: "1",
    ActionStatus.MEAE_OPINION: "1",
    ActionStatus.PROGRAMMED: "1",
    ActionStatus.IN_PROGRESS: "2",
    ActionStatus.COMPLETED: "3",
    ActionStatus.EVALUATED: "4",
    ActionStatus.CANCELLED: "5",
    ActionStatus.POSTPONED: "6",
}
ACTIVITY_STATUS_LABELS = {
    "1": "En préparation",
    "2": "En cours",
    "3": "En finalisation",
    "4": "Close",
    "5": "Annulée",
    "6": "Suspendue",
}
#: Organisation types (IATI OrganisationType): 10 government, 40 multilateral, 21 NGO…
GOVERNMENT, MULTILATERAL, OTHER_PUBLIC = "10", "40", "15"


def reporting_org_ref() -> str:
    """The DCI's organisation identifier in IATI files (settings.RELAIS_IATI_ORG_REF)."""
    return getattr(settings, "RELAIS_IATI_ORG_REF", "FR-MI-DCI")


#: The IATI 2.03 schemas (public standard, shipped with the package) and a few of the
#: standard's « should-pass » samples.
SCHEMA_DIR = Path(__file__).resolve().parent / "data" / "iati"


def schema_dir() -> Path:
    """Where the IATI schemas are (the package's copy unless RELAIS_IATI_SCHEMA_DIR says)."""
    return Path(getattr(settings, "RELAIS_IATI_SCHEMA_DIR", SCHEMA_DIR))


_schema_cache: dict[str, etree.XMLSchema] = {}


def activities_schema() -> etree.XMLSchema | None:
    """The IATI 2.03 activities schema, or None when the files are not installed."""
    path = schema_dir() / "iati-activities-schema.xsd"
    if not path.exists():
        return None
    key = str(path)
    if key not in _schema_cache:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        _schema_cache[key] = etree.XMLSchema(etree.parse(str(path), parser))
    return _schema_cache[key]


# --- Export -------------------------------------------------------------------------------------


def _sub(parent, tag, text=None, **attrs):
    element = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _narrative(parent, tag, text, **attrs):
    element = _sub(parent, tag, **attrs)
    _sub(element, "narrative", text or "—")
    return element


def _org_type(body) -> str:
    from relais.referential.models import PartnerKind

    if body.kind in (PartnerKind.EU_BODY, PartnerKind.INTERNATIONAL_ORGANISATION):
        return MULTILATERAL
    if body.kind == PartnerKind.FUNDER and body.country_id and body.country.code == "FR":
        return GOVERNMENT
    if body.kind == PartnerKind.FUNDER:
        return MULTILATERAL
    return OTHER_PUBLIC


def _org_ref(body) -> str:
    return f"{reporting_org_ref()}-ORG-{body.pk}"


def _amount(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def export_queryset(user, *, country: str | None = None, year: int | None = None):
    from relais.core.markings import Marking

    # IATI files are published: restricted actions (« diffusion restreinte ») never leave.
    qs = (
        CooperationAction.objects.visible_to(user)
        .filter(marking=Marking.NON_PROTEGE)
        .select_related("country", "directorate", "domain", "beneficiary_institution", "post")
        .prefetch_related("fundings__funder__country", "implementing_services")
        .order_by("pk")
    )
    if country:
        qs = qs.filter(country__code=country.upper())
    if year:
        qs = qs.filter(year=year)
    return qs


def _activity(root, action: CooperationAction, now: str):
    ref = reporting_org_ref()
    activity = _sub(
        root,
        "iati-activity",
        last_updated_datetime=timezone.localtime(action.updated_at)
        .replace(microsecond=0)
        .isoformat(),
        default_currency="EUR",
    )
    activity.set(XML_LANG, "fr")
    _sub(activity, "iati-identifier", f"{ref}-CT-{action.pk}")
    _narrative(
        activity, "reporting-org", "Ministère de l'Intérieur — DCI", ref=ref, type=GOVERNMENT
    )
    _narrative(activity, "title", action.title)
    _narrative(
        activity,
        "description",
        f"{action.get_kind_display()} — {action.domain.label}. {action.objectives}".strip(),
        type="1",
    )
    if action.objectives:
        _narrative(activity, "description", action.objectives, type="2")
    if action.beneficiary_institution_id:
        _narrative(activity, "description", str(action.beneficiary_institution), type="3")
    # Participating organisations: funders (1), the DCI accountable (2) and extending (3), the
    # directorate and the implementing services (4).
    funders = {}
    for line in action.fundings.all():
        if line.funder_id:
            funders[line.funder_id] = line.funder
    for body in funders.values():
        _narrative(
            activity,
            "participating-org",
            str(body),
            role="1",
            ref=_org_ref(body),
            type=_org_type(body),
        )
    if any(not line.funder_id for line in action.fundings.all()):
        _narrative(
            activity, "participating-org", "Ministère de l'Intérieur", role="1", type=GOVERNMENT
        )
    _narrative(
        activity,
        "participating-org",
        "Ministère de l'Intérieur — DCI",
        role="2",
        ref=ref,
        type=GOVERNMENT,
    )
    _narrative(
        activity,
        "participating-org",
        "Ministère de l'Intérieur — DCI",
        role="3",
        ref=ref,
        type=GOVERNMENT,
    )
    _narrative(activity, "participating-org", action.directorate.name, role="4", type=GOVERNMENT)
    for unit in action.implementing_services.all():
        if unit.pk != action.directorate_id:
            _narrative(activity, "participating-org", unit.name, role="4", type=GOVERNMENT)
    _sub(activity, "activity-status", code=STATUS_CODES.get(action.status, "1"))
    _sub(activity, "activity-date", type="1", iso_date=action.planned_start.isoformat())
    if action.actual_start:
        _sub(activity, "activity-date", type="2", iso_date=action.actual_start.isoformat())
    _sub(activity, "activity-date", type="3", iso_date=action.planned_end.isoformat())
    if action.actual_end:
        _sub(activity, "activity-date", type="4", iso_date=action.actual_end.isoformat())
    _sub(activity, "recipient-country", code=action.country.code, percentage="100")
    sector = _sub(activity, "sector", vocabulary="1", code=action.domain.dac_code, percentage="100")
    _sub(sector, "narrative", action.domain.label)
    _sub(activity, "collaboration-type", code="1")
    start, end = action.planned_start, action.planned_end
    if (end - start).days > 365:
        end = start + datetime.timedelta(days=365)
    for line in action.fundings.all():
        if line.status == FundingStatus.PLANNED:
            budget = _sub(activity, "budget", type="1", status="1")
            _sub(budget, "period-start", iso_date=start.isoformat())
            _sub(budget, "period-end", iso_date=end.isoformat())
            _sub(
                budget, "value", _amount(line.amount), currency="EUR", value_date=start.isoformat()
            )
    for line in action.fundings.all():
        if line.status == FundingStatus.PLANNED:
            continue
        day = timezone.localtime(line.updated_at).date().isoformat()
        transaction_el = _sub(activity, "transaction", ref=f"{ref}-FIN-{line.pk}")
        # 11 incoming commitment (engagé), 1 incoming funds (versé).
        _sub(
            transaction_el,
            "transaction-type",
            code="11" if line.status == FundingStatus.COMMITTED else "1",
        )
        _sub(transaction_el, "transaction-date", iso_date=day)
        _sub(transaction_el, "value", _amount(line.amount), currency="EUR", value_date=day)
        _narrative(
            transaction_el,
            "description",
            f"{line.get_instrument_display()} ({line.get_status_display()})",
        )
        provider = line.funder
        if provider is not None:
            _narrative(
                transaction_el,
                "provider-org",
                str(provider),
                ref=_org_ref(provider),
                type=_org_type(provider),
            )
        else:
            _narrative(transaction_el, "provider-org", "Ministère de l'Intérieur", type=GOVERNMENT)
        _narrative(
            transaction_el,
            "receiver-org",
            "Ministère de l'Intérieur — DCI",
            ref=ref,
            type=GOVERNMENT,
        )
    if action.actual_cost is not None and action.actual_end:
        day = action.actual_end.isoformat()
        transaction_el = _sub(activity, "transaction", ref=f"{ref}-CT-{action.pk}-COUT")
        _sub(transaction_el, "transaction-type", code="4")
        _sub(transaction_el, "transaction-date", iso_date=day)
        _sub(transaction_el, "value", _amount(action.actual_cost), currency="EUR", value_date=day)
        _narrative(transaction_el, "description", "Coût réel de l'action")
    return activity


def export_activities(actions) -> bytes:
    """The IATI 2.03 XML document of `actions` (an iterable of CooperationAction, with their
    relations loaded: see `export_queryset`)."""
    now = timezone.localtime().replace(microsecond=0).isoformat()
    root = etree.Element("iati-activities", {"version": IATI_VERSION, "generated-datetime": now})
    for action in actions:
        _activity(root, action, now)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- Import -------------------------------------------------------------------------------------


@dataclass
class ParsedActivity:
    identifier: str
    values: dict
    countries: list[str]
    problems: list[str] = field(default_factory=list)
    line: int | None = None

    @property
    def valid(self) -> bool:
        return not self.problems


@dataclass
class ParseReport:
    """What a file holds: errors of the whole file, and each activity with its problems."""

    errors: list[str] = field(default_factory=list)
    activities: list[ParsedActivity] = field(default_factory=list)

    @property
    def valid(self) -> list[ParsedActivity]:
        return [a for a in self.activities if a.valid]

    @property
    def invalid(self) -> list[ParsedActivity]:
        return [a for a in self.activities if not a.valid]


@dataclass
class ImportResult:
    report: ParseReport
    created: int = 0
    updated: int = 0
    skipped: list[ParsedActivity] = field(default_factory=list)
    dry_run: bool = False
    refused: str = ""

    @property
    def imported(self) -> int:
        return self.created + self.updated

    def lines(self) -> list[str]:
        """The report, in French, one line per fact."""
        out = list(self.report.errors)
        if self.refused:
            out.append(self.refused)
        for activity in self.skipped:
            where = f" (ligne {activity.line})" if activity.line else ""
            out.append(
                f"Activité « {activity.identifier or 'sans identifiant'} »{where} écartée : "
                + " ; ".join(activity.problems)
            )
        verb = "seraient importées" if self.dry_run else "importées"
        if not self.report.errors:
            out.append(
                f"{len(self.report.activities)} activité(s) lue(s), "
                f"{len(self.report.valid)} valide(s), {len(self.report.invalid)} écartée(s)."
            )
            if self.dry_run:
                out.append(
                    f"Vérification seule : {len(self.report.valid) if not self.refused else 0} activité(s) {verb}, rien n'est enregistré."
                )
            else:
                out.append(f"{self.created} activité(s) créée(s), {self.updated} mise(s) à jour.")
        return out


def _text(element, path: str) -> str:
    found = element.find(path)
    if found is None:
        return ""
    if found.text and found.text.strip():
        return found.text.strip()
    narrative = found.find("narrative")
    return (narrative.text or "").strip() if narrative is not None else ""


def _date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _schema_problems(activity_el, schema) -> list[str]:
    """Validate one activity against the schema (wrapped in its own document)."""
    if schema is None:
        return []
    wrapper = etree.Element("iati-activities", {"version": IATI_VERSION})
    wrapper.append(_copy(activity_el))
    if schema.validate(wrapper):
        return []
    problems = []
    for error in schema.error_log:
        message = error.message.replace("{http://www.w3.org/XML/1998/namespace}", "xml:")
        problems.append(f"non conforme au schéma IATI : {message}")
        if len(problems) >= 3:
            break
    return problems


def _copy(element):
    return etree.fromstring(etree.tostring(element))


def parse_activities(data: bytes, *, known_countries: set[str] | None = None) -> ParseReport:
    """Read an IATI 2.0x activities file. The file is refused as a whole (`errors`) when it is
    not XML, not an IATI activities file, of another major version or empty; otherwise each
    activity carries its own problems (schema, missing identifier, title or recipient country,
    countries unknown to Relais, duplicates, the DCI's own activities)."""
    report = ParseReport()
    if not data or not data.strip():
        report.errors.append("Le fichier est vide.")
        return report
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        report.errors.append(
            f"Le fichier n'est pas un XML lisible : {exc.msg} (ligne {exc.lineno}). "
            "Un fichier IATI est un document XML dont l'élément racine est <iati-activities>."
        )
        return report
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        # Entities are declared in a DOCTYPE: left unresolved they would silently drop text,
        # resolved they would read files or the network. IATI files never need one.
        report.errors.append(
            "Le fichier contient une déclaration DOCTYPE (ou des entités) : elle est refusée. "
            "Un fichier IATI n'en a pas ; retirez la ligne <!DOCTYPE …> et les entités (&…;)."
        )
        return report
    tag = etree.QName(root).localname if isinstance(root.tag, str) else str(root.tag)
    if tag != "iati-activities":
        report.errors.append(
            f"Ce n'est pas un fichier d'activités IATI : l'élément racine est <{tag}> au lieu de "
            "<iati-activities>."
        )
        return report
    if etree.QName(root).namespace:
        report.errors.append("L'élément <iati-activities> ne doit pas avoir d'espace de noms.")
        return report
    version = (root.get("version") or "").strip()
    if not version:
        report.errors.append("L'attribut « version » de <iati-activities> manque (attendu : 2.0x).")
    elif not version.startswith("2."):
        report.errors.append(
            f"Version IATI {version} non prise en charge : seules les versions 2.0x le sont."
        )
    elements = root.findall("iati-activity")
    if not elements:
        report.errors.append("Le fichier ne contient aucune activité (<iati-activity>).")
    if report.errors:
        return report
    schema = activities_schema()
    own_ref = reporting_org_ref()
    seen: set[str] = set()
    for element in elements:
        identifier = _text(element, "iati-identifier")
        problems = _schema_problems(element, schema)
        if not identifier:
            problems.append("identifiant IATI (<iati-identifier>) manquant")
        elif identifier in seen:
            problems.append("identifiant en double dans le fichier")
        seen.add(identifier)
        title = _text(element, "title")
        if not title:
            problems.append("intitulé (<title>) manquant")
        reporting = element.find("reporting-org")
        reporting_ref = reporting.get("ref", "") if reporting is not None else ""
        if reporting_ref == own_ref:
            problems.append("activité publiée par la DCI elle-même (pas un autre bailleur)")
        countries = [
            (c.get("code") or "").strip().upper() for c in element.findall("recipient-country")
        ]
        countries = [c for c in countries if c]
        french = [c for c in countries if c in FRENCH_TERRITORIES]
        if french:
            # Another donor's activity is read for its partner countries: France and its
            # overseas territories are none (dropped; the activity is refused if nothing is left).
            countries = [c for c in countries if c not in FRENCH_TERRITORIES]
            if not countries:
                problems.append(french_partner_message(french))
        if not countries and not french:
            problems.append("aucun pays bénéficiaire (<recipient-country>)")
        elif known_countries is not None:
            unknown = [c for c in countries if c not in known_countries]
            if unknown and len(unknown) == len(countries):
                problems.append(f"pays inconnu(s) du référentiel : {', '.join(unknown)}")
            countries = [c for c in countries if c in known_countries]
        dates = {d.get("type"): _date(d.get("iso-date")) for d in element.findall("activity-date")}
        for day in dates.values():
            try:
                validate_plausible_date(day)
            except ValidationError as exc:
                problems.append(f"date d'activité {day:%d/%m/%Y} : {exc.messages[0]}")
        status = element.find("activity-status")
        budget = Decimal("0")
        currency = element.get("default-currency", "")
        has_budget = False
        for value in element.findall("budget/value"):
            try:
                budget += Decimal((value.text or "0").strip())
                has_budget = True
                currency = value.get("currency") or currency
            except InvalidOperation:
                problems.append(f"montant de budget illisible : « {value.text} »")
        orgs = []
        for org in element.findall("participating-org"):
            name = _text(org, ".") or org.get("ref", "")
            if name:
                orgs.append(f"{name} (rôle {org.get('role', '?')})")
        values = {
            "reporting_org": _text(element, "reporting-org")[:300] or reporting_ref,
            "reporting_org_ref": reporting_ref[:100],
            "title": title[:500],
            "description": _text(element, "description"),
            "participating_orgs": "\n".join(orgs),
            "sectors": ", ".join(
                s.get("code", "") for s in element.findall("sector") if s.get("code")
            )[:200],
            "activity_status": (status.get("code", "") if status is not None else "")[:2],
            "start_date": dates.get("2") or dates.get("1"),
            "end_date": dates.get("4") or dates.get("3"),
            "budget": budget if has_budget else None,
            "currency": (currency or "")[:3],
        }
        report.activities.append(
            ParsedActivity(identifier, values, countries, problems, line=element.sourceline)
        )
    return report


def import_activities(
    data: bytes,
    *,
    user=None,
    dry_run: bool = False,
    valid_only: bool = False,
    source: str = "",
    country: str | None = None,
) -> ImportResult:
    """Import other donors' activities (create or update by IATI identifier).

    Nothing is written when the file is refused, when any activity is invalid (unless
    `valid_only`) or in a dry run. `country` keeps only the activities in that country."""
    from relais.core import records
    from relais.referential.models import Country

    countries = dict(Country.objects.values_list("code", "pk"))
    report = parse_activities(data, known_countries=set(countries))
    if country:
        wanted = country.upper()
        report.activities = [a for a in report.activities if wanted in a.countries or a.problems]
    result = ImportResult(report=report, dry_run=dry_run, skipped=report.invalid)
    if report.errors:
        return result
    if report.invalid and not valid_only:
        result.refused = (
            f"Aucune activité importée : {len(report.invalid)} activité(s) sur "
            f"{len(report.activities)} ne sont pas valides. Corrigez le fichier, ou demandez "
            "l'import des seules activités valides."
        )
        return result
    if dry_run or not report.valid:
        return result
    with transaction.atomic():
        existing = {
            a.iati_identifier: a
            for a in OtherDonorActivity.objects.filter(
                iati_identifier__in=[a.identifier for a in report.valid]
            )
        }
        for parsed in report.valid:
            country_ids = [countries[c] for c in parsed.countries]
            obj = existing.get(parsed.identifier)
            if obj is None:
                obj = OtherDonorActivity(
                    iati_identifier=parsed.identifier, source_file=source[:255], **parsed.values
                )
                records.create(obj, user, m2m={"countries": country_ids})
                result.created += 1
            else:
                for name, value in parsed.values.items():
                    setattr(obj, name, value)
                obj.source_file = source[:255]
                records.update(obj, user, m2m={"countries": country_ids}, check_permission=False)
                result.updated += 1
    return result
