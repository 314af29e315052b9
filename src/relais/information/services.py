"""Every write of mission a: views, API and commands call these functions, never `save()`.

Intake and triage
    `create_report(user, …, exclusively_intelligence=False)` runs the competence assessment;
    a matter exclusively for the intelligence services returns a `RedirectionReceipt` and stores
    nothing of the content. `redirect_to_intelligence(report, user)` does the same for a report
    an analyst (or its author, while a draft) marks afterwards: receipt, then deletion of the
    content (report, attachments and their files, transition comments, index row).
Circuit
    `apply(report, name, user)` (submit, validate, send_back, close) through the workflow engine;
    `disseminate(report, user, units, deadline)`; `acknowledge(report, user)`;
    `give_feedback(report, user, …)`.
Analysis
    `regrade`, `add_note`, `link_reports`, `create_synthesis`, `find_possible_duplicate`.
Retention
    `expired_reports(now)`, `purge_expired(now, dry_run)`.
"""

import datetime
import difflib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from relais.core import records
from relais.core.audit.events import Action, log_event
from relais.core.notifications.kinds import NotificationKind
from relais.core.notifications.services import notify
from relais.core.workflow.engine import TransitionForbidden, TransitionRefused, apply_transition
from relais.information.attachments import check_upload
from relais.information.grading import default_scheme_code, get_scheme
from relais.information.models import (
    AnalystNote,
    Attachment,
    Dissemination,
    Feedback,
    InformationReport,
    LinkKind,
    PurgeRecord,
    ReceiptOrigin,
    RedirectionReceipt,
    Regrading,
    ReportKind,
    ReportLink,
    RoutingRule,
    Theme,
    ineligible_recipients,
    ineligible_recipients_message,
    is_analyst,
    normalise_text,
)
from relais.information.workflows import AUTHOR_ROLES, ReportStatus
from relais.legal.assessment import AssessmentRequest, assess
from relais.legal.models import Mission

FEEDBACK_KIND = "information_feedback"
DUPLICATE_RATIO = 0.75


def acknowledgement_days() -> int:
    return int(getattr(settings, "RELAIS_INFORMATION_ACK_DAYS", 5))


def default_retention_years() -> int:
    return int(getattr(settings, "RELAIS_INFORMATION_RETENTION_YEARS", 5))


# --- Intake -------------------------------------------------------------------------------------


def triage(exclusively_intelligence: bool):
    """The competence assessment of an information report: operational cooperation for the
    police and gendarmerie (article 1, a), unless the matter is exclusively for the
    intelligence services."""
    return assess(
        AssessmentRequest(
            cooperation_kind="operational",
            beneficiary="DGPN",
            exclusively_intelligence=bool(exclusively_intelligence),
        )
    )


def _check_can_create(user) -> None:
    if not InformationReport.can_create(user):
        raise PermissionDenied("Votre rôle ne permet pas de rédiger une fiche d'information.")


@transaction.atomic
def record_receipt(user, *, origin=ReceiptOrigin.INTAKE, former_reference="", unit=None):
    """Keep what Relais may keep of a matter for the intelligence services: date, author, unit,
    redirection. Nothing of the content ever reaches this function."""
    answer = triage(True)
    receipt = RedirectionReceipt(
        unit=unit or user.unit,
        author=user,
        origin=origin,
        redirect_to=answer.redirect_to,
        reason=answer.reason,
        former_reference=former_reference,
    )
    return records.create(receipt, user)


def find_possible_duplicate(report: InformationReport):
    """A report from the same source with close content (title and summary), or None."""
    report.compute_digests()
    if not report.source_key:
        return None
    text = normalise_text(f"{report.title} {report.summary}")
    candidates = (
        InformationReport.objects.filter(source_key=report.source_key)
        .exclude(pk=report.pk)
        .order_by("-created_at")
        .only("pk", "title", "summary", "created_at", "kind")[:50]
    )
    for candidate in candidates:
        other = normalise_text(f"{candidate.title} {candidate.summary}")
        if difflib.SequenceMatcher(None, text, other).ratio() >= DUPLICATE_RATIO:
            return candidate
    return None


def _a_missions():
    return list(Mission.objects.filter(code__in=InformationReport.default_missions))


@transaction.atomic
def create_report(
    user,
    *,
    countries=(),
    themes=(),
    attachments=(),
    exclusively_intelligence: bool = False,
    submit: bool = False,
    sources=(),
    **fields,
):
    """Write a report (draft, or submitted with `submit=True`).

    Returns the `InformationReport`, or a `RedirectionReceipt` when the matter is exclusively
    for the intelligence services (then nothing of `fields`, `attachments`… is stored).
    """
    _check_can_create(user)
    if exclusively_intelligence:
        return record_receipt(user)
    answer = triage(False)
    if not answer.competent:  # pragma: no cover - the article makes operational DGPN competent
        raise ValidationError(answer.reason)
    fields.setdefault("grading_scheme", default_scheme_code())
    report = InformationReport(unit=user.unit, **fields)
    errors = {}
    if not countries:
        errors["countries"] = "Indiquez au moins un pays concerné."
    if not themes:
        errors["themes"] = "Indiquez au moins un thème."
    # Every file is checked before anything is written: a refused file stores nothing.
    refused = []
    for uploaded in attachments:
        try:
            check_upload(uploaded)
        except ValidationError as exc:
            refused.extend(f"{uploaded.name} : {message}" for message in exc.messages)
    if refused:
        errors["attachments"] = refused
    if errors:
        raise ValidationError(errors)
    report.possible_duplicate_of = find_possible_duplicate(report)
    report = records.create(
        report,
        user,
        m2m={
            "countries": list(countries),
            "themes": list(themes),
            "missions": _a_missions(),
            "sources": list(sources),
        },
    )
    stored = []
    try:
        for uploaded in attachments:
            stored.append(add_attachment(report, user, uploaded).file.name)
        if submit:
            apply(report, "submit", user)
    except BaseException:
        delete_stored_files(stored)  # the transaction rolls back: keep no file of it
        raise
    return report


@transaction.atomic
def update_report(report, user, *, expected_version=None, countries=None, themes=None, **fields):
    """Change a draft (its unit only)."""
    if not report.can_edit_content(user):
        raise PermissionDenied(
            "Seule l'unité d'origine modifie une fiche, tant qu'elle est brouillon."
        )
    for name, value in fields.items():
        setattr(report, name, value)
    m2m = {}
    if countries is not None:
        if not countries:
            raise ValidationError({"countries": "Indiquez au moins un pays concerné."})
        m2m["countries"] = list(countries)
    if themes is not None:
        if not themes:
            raise ValidationError({"themes": "Indiquez au moins un thème."})
        m2m["themes"] = list(themes)
    return records.update(report, user, expected_version=expected_version, m2m=m2m)


def add_attachment(report, user, uploaded) -> Attachment:
    """Check (type, size) and store a file with a report; its unit only, while a draft."""
    if not report.can_edit_content(user):
        raise PermissionDenied(
            "Les pièces jointes s'ajoutent à une fiche brouillon, par son unité."
        )
    checked = check_upload(uploaded)
    attachment = Attachment(
        report=report,
        file=uploaded,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        marking=report.marking,
    )
    return records.create(attachment, user)


@transaction.atomic
def remove_attachment(report, user, attachment) -> None:
    """Remove a file from a draft (its unit only); the file goes once the deletion commits."""
    if attachment.report_id != report.pk or not report.can_edit_content(user):
        raise PermissionDenied(
            "Les pièces jointes se retirent d'une fiche brouillon, par son unité."
        )
    path = attachment.file.name
    records.delete(attachment, user)
    transaction.on_commit(lambda: delete_stored_files([path]))


def delete_stored_files(paths) -> None:
    """Delete attachment files from storage: after a deletion commits, or when the transaction
    that stored them rolls back (no row refers to them any more)."""
    from django.core.files.storage import default_storage

    for path in paths:
        if path:
            default_storage.delete(path)


def _remove_report(report, user) -> None:
    """Delete a report and everything that carries its content (files after commit)."""
    from relais.core.workflow.models import TransitionLog

    paths = list(Attachment.objects.filter(report=report).values_list("file", flat=True))
    transaction.on_commit(lambda: delete_stored_files(paths))
    TransitionLog.objects.filter(
        model=InformationReport._meta.label_lower, object_id=str(report.pk)
    ).delete()
    records.delete(report, user, check_permission=False)


@transaction.atomic
def redirect_to_intelligence(report, user) -> RedirectionReceipt:
    """An analyst (or the author's unit, on a draft) marks the report as a matter exclusively
    for the intelligence services: a receipt is kept, the content is deleted, the author is
    told where it must go."""
    refusal = "Seul un analyste (ou l'unité d'origine d'un brouillon) peut écarter une fiche."
    author_unit = report.unit_id == user.unit_id and user.role in AUTHOR_ROLES
    if user.is_read_only or not (is_analyst(user) or author_unit):  # who (403) before when
        raise TransitionForbidden(refusal)
    if report.status in (ReportStatus.DISSEMINATED, ReportStatus.CLOSED):
        raise TransitionRefused(
            "Une fiche déjà diffusée ne peut plus être écartée : signalez-le au pilotage."
        )
    allowed = report.can_edit_content(user) or (
        report.status != ReportStatus.DRAFT and is_analyst(user)
    )
    if not allowed:
        raise TransitionForbidden(refusal)
    author = report.created_by
    receipt = RedirectionReceipt(
        unit=report.unit,
        author=author,
        origin=ReceiptOrigin.TRIAGE if is_analyst(user) else ReceiptOrigin.INTAKE,
        redirect_to=triage(True).redirect_to,
        reason=triage(True).reason,
        former_reference=report.reference,
    )
    receipt = records.create(receipt, user)
    _remove_report(report, user)
    if author is not None and author.pk != user.pk:
        notify(
            [author],
            NotificationKind.TRANSITION,
            f"Fiche {receipt.former_reference} écartée",
            "La fiche relève exclusivement des services de renseignement : elle n'est pas "
            f"traitée par la DCI et son contenu a été supprimé. Orientation : {receipt.redirect_to}.",
            receipt.get_absolute_url(),
            key=f"information-receipt:{receipt.pk}",
        )
    return receipt


# --- Circuit --------------------------------------------------------------------------------------


@transaction.atomic
def apply(report, name: str, user, comment: str = "", *, expected_version=None):
    """Apply a transition of the report's circuit (submit, validate, send_back, close) and keep
    the dates the statistics need."""
    if name == "disseminate":
        raise TransitionRefused("La diffusion se fait avec le formulaire de diffusion (unités).")
    log = apply_transition(report, name, user, comment, expected_version=expected_version)
    stamps = {}
    if name == "submit":
        stamps["submitted_at"] = log.timestamp
    elif name == "validate":
        stamps.update(validated_at=log.timestamp, validated_by=user)
    elif name == "send_back":
        stamps.update(validated_at=None, validated_by=None)
    if stamps:
        InformationReport.objects.filter(pk=report.pk).update(**stamps)
        for key, value in stamps.items():
            setattr(report, key, value)
    return report


def _unit_users(unit_ids):
    by_unit = {}
    for user in get_user_model().objects.filter(unit_id__in=unit_ids, is_active=True):
        if not user.is_read_only:
            by_unit.setdefault(user.unit_id, []).append(user)
    return by_unit


def _check_units(units) -> list:
    units = list(dict.fromkeys(units))
    if not units:
        raise ValidationError({"units": ["Choisissez au moins une unité destinataire."]})
    refused = [u.label for u in units if u.is_intelligence]
    if refused:
        raise ValidationError(
            {
                "units": [
                    "Relais n'est pas un canal vers les services de renseignement "
                    f"(article 1, premier alinéa) : {', '.join(refused)}."
                ]
            }
        )
    outside = ineligible_recipients(units)
    if outside:
        raise ValidationError({"units": [ineligible_recipients_message(outside)]})
    return units


def redissemination_refusal(report, user) -> str | None:
    """Why `user` may not re-disseminate `report` now (None: they may). The page offers the
    form only when this returns None; `disseminate` refuses with the same message."""
    if user is None or not user.is_authenticated or user.is_read_only:
        return "Vous ne pouvez pas rediffuser cette fiche."
    if recipient_dissemination(report, user) is None:
        return "Seuls les analystes diffusent une fiche."
    if report.status == ReportStatus.CLOSED:
        return "Cette fiche est classée : elle ne peut plus être rediffusée."
    if report.status != ReportStatus.DISSEMINATED:
        return "Seule une fiche diffusée peut être rediffusée."
    if not report.is_redisseminable:
        return "Code H2 : cette fiche ne peut pas être rediffusée sans l'accord du fournisseur."
    return None


def recipient_dissemination(report, user):
    """The dissemination of `report` to the user's unit, or None."""
    if user.unit_id is None:
        return None
    return Dissemination.objects.filter(report=report, unit_id=user.unit_id).first()


@transaction.atomic
def disseminate(report, user, units, *, deadline=None, comment="", expected_version=None):
    """Disseminate a validated report to `units` (analysts), or re-disseminate a received one
    (recipients; refused for H2). Returns the new disseminations."""
    units = _check_units(units)
    if deadline is not None and deadline < timezone.localdate():
        raise ValidationError({"deadline": ["La date de réponse attendue est passée."]})
    parent = None
    if is_analyst(user):
        apply_transition(report, "disseminate", user, comment, expected_version=expected_version)
    else:
        parent = recipient_dissemination(report, user)
        if parent is None or user.is_read_only:
            raise TransitionForbidden("Seuls les analystes diffusent une fiche.")
        refusal = redissemination_refusal(report, user)
        if refusal:
            raise TransitionRefused(refusal)
    now = timezone.now()
    already = set(Dissemination.objects.filter(report=report).values_list("unit_id", flat=True))
    due = timezone.localdate() + datetime.timedelta(days=acknowledgement_days())
    created = []
    for unit in units:
        if unit.pk in already:
            continue
        created.append(
            records.create(
                Dissemination(
                    report=report,
                    unit=unit,
                    handling_code=report.handling_code,
                    handling_conditions=report.handling_conditions,
                    disseminated_at=now,
                    disseminated_by=user,
                    parent=parent,
                    deadline=deadline,
                    acknowledgement_due=min(due, deadline) if deadline else due,
                    marking=report.marking,
                ),
                user,
            )
        )
    if not created:
        raise ValidationError({"units": ["La fiche a déjà été diffusée à ces unités."]})
    if report.disseminated_at is None:
        InformationReport.objects.filter(pk=report.pk).update(disseminated_at=now)
        report.disseminated_at = now
    users = _unit_users([d.unit_id for d in created])
    for dissemination in created:
        answer = (
            f" Réponse attendue le {dissemination.deadline:%d/%m/%Y}."
            if dissemination.deadline
            else ""
        )
        notify(
            users.get(dissemination.unit_id, []),
            NotificationKind.DISSEMINATION,
            f"Fiche {report} diffusée à {dissemination.unit.label}",
            f"Code de traitement {dissemination.handling_code}. Accusé de réception attendu le "
            f"{dissemination.acknowledgement_due:%d/%m/%Y}.{answer}",
            report.get_absolute_url(),
            key=f"information-dissemination:{dissemination.pk}",
        )
    return created


@transaction.atomic
def acknowledge(report, user) -> Dissemination:
    """The recipient unit acknowledges the report."""
    dissemination = recipient_dissemination(report, user)
    if dissemination is None or user.is_read_only:
        raise TransitionForbidden("Seule une unité destinataire de la fiche en accuse réception.")
    if dissemination.acknowledged_at is not None:
        raise TransitionRefused(
            f"Réception déjà accusée le {timezone.localtime(dissemination.acknowledged_at):%d/%m/%Y}."
        )
    dissemination.acknowledged_at = timezone.now()
    dissemination.acknowledged_by = user
    return records.update(dissemination, user)


@transaction.atomic
def give_feedback(report, user, *, usefulness, follow_up, comment="") -> Feedback:
    """A recipient says how useful the report was and what was done with it; the author and the
    author's unit are told. Acknowledges the report if that was not done."""
    dissemination = recipient_dissemination(report, user)
    if dissemination is None or user.is_read_only:
        raise TransitionForbidden("Seule une unité destinataire de la fiche fait un retour.")
    if dissemination.acknowledged_at is None:
        dissemination = acknowledge(report, user)
    feedback = records.create(
        Feedback(
            dissemination=dissemination,
            usefulness=usefulness,
            follow_up=follow_up,
            comment=comment,
            marking=report.marking,
        ),
        user,
    )
    recipients = list(_unit_users([report.unit_id]).get(report.unit_id, []))
    if report.created_by is not None:
        recipients.append(report.created_by)
    notify(
        [u for u in recipients if u.pk != user.pk],
        FEEDBACK_KIND,
        f"Retour de {dissemination.unit.label} sur la fiche {report}",
        f"Utilité : {feedback.get_usefulness_display()}. Suite : {feedback.get_follow_up_display()}.",
        report.get_absolute_url(),
        key=f"information-feedback:{feedback.pk}",
    )
    return feedback


# --- Routing rules -------------------------------------------------------------------------------


def propose_units(report) -> list:
    """The units the active routing rules propose for the report's themes and countries."""
    themes = [t.pk for t in report.themes.all()]
    countries = [c.pk for c in report.countries.all()]
    rules = (
        RoutingRule.objects.active()
        .filter(theme_id__in=themes)
        .filter(Q(country__isnull=True) | Q(country_id__in=countries))
        .prefetch_related("units")
    )
    units = {}
    for rule in rules:
        for unit in rule.units.all():
            units.setdefault(unit.pk, unit)
    # A rule written before letter a's limit was enforced proposes only what may be sent.
    refused = {u.pk for u in ineligible_recipients(units.values())}
    return sorted((u for u in units.values() if u.pk not in refused), key=lambda u: u.path)


#: The rules proposed at installation (unit codes of referential/data/organisation.yaml): only
#: directorates and services of the police and the gendarmerie (article 1, a) — irregular
#: immigration and document fraud go to the border police, not to the DGEF.
SEED_RULES = {
    "drugs": ("OFAST", "PJGN"),
    "irregular_immigration": ("DCPAF",),
    "document_fraud": ("DCPAF", "PJGN"),
    "human_trafficking": ("OCRTEH", "PJGN"),
    "terrorism": ("DGPN", "DGGN"),
    "organised_crime": ("DCPJ", "SCRC"),
    "cybercrime": ("DCPJ", "PJGN"),
    "arms_trafficking": ("DCPJ", "PJGN"),
    "public_order": ("DGPN", "DGGN-DOE"),
    "nationals_security": ("DCI-CVO", "DCI-SDCMP-CRISES"),
}


@transaction.atomic
def seed_routing_rules() -> int:
    """Create the default routing rules (theme → units, all countries) that do not exist yet.
    Idempotent; units missing from the referential are skipped."""
    from relais.referential.models import Unit

    themes = {t.code: t for t in Theme.objects.all()}
    units = {
        u.code: u for u in Unit.objects.filter(code__in={c for v in SEED_RULES.values() for c in v})
    }
    existing = set(
        RoutingRule.objects.filter(country__isnull=True).values_list("theme__code", flat=True)
    )
    created = 0
    for code, unit_codes in SEED_RULES.items():
        chosen = [units[c] for c in unit_codes if c in units]
        if code in existing or code not in themes or not chosen:
            continue
        records.create(
            RoutingRule(theme=themes[code], note="Règle proposée à l'installation."),
            None,
            m2m={"units": chosen},
        )
        created += 1
    return created


# --- Analysis ------------------------------------------------------------------------------------


def _require_analyst(report, user) -> None:
    if not report.can_analyse(user):
        raise PermissionDenied("Réservé aux analystes, sur une fiche soumise.")


@transaction.atomic
def regrade(report, user, *, reliability, credibility, reason, expected_version=None):
    """Change the grading with a reason (kept in a `Regrading`)."""
    _require_analyst(report, user)
    if not (reason or "").strip():
        raise ValidationError({"reason": ["Indiquez le motif de la recotation."]})
    scheme = get_scheme(report.grading_scheme)
    errors = {}
    if reliability not in scheme.reliability_codes:
        errors["source_reliability"] = [
            f"Valeurs possibles : {', '.join(scheme.reliability_codes)}."
        ]
    if credibility not in scheme.credibility_codes:
        errors["information_credibility"] = [
            f"Valeurs possibles : {', '.join(scheme.credibility_codes)}."
        ]
    if errors:
        raise ValidationError(errors)
    if (reliability, credibility) == (report.source_reliability, report.information_credibility):
        raise ValidationError({"reason": ["La cotation proposée est celle de la fiche."]})
    regrading = Regrading(
        report=report,
        grading_scheme=report.grading_scheme,
        old_reliability=report.source_reliability,
        old_credibility=report.information_credibility,
        new_reliability=reliability,
        new_credibility=credibility,
        reason=reason,
        marking=report.marking,
    )
    report.source_reliability = reliability
    report.information_credibility = credibility
    records.update(report, user, expected_version=expected_version)
    return records.create(regrading, user)


def add_note(report, user, text) -> AnalystNote:
    _require_analyst(report, user)
    return records.create(AnalystNote(report=report, text=text, marking=report.marking), user)


def link_reports(source, target, user, kind=LinkKind.RELATED) -> ReportLink:
    _require_analyst(source, user)
    if source.pk == target.pk:
        raise ValidationError({"target": ["Une fiche ne se lie pas à elle-même."]})
    if ReportLink.objects.filter(source=source, target=target).exists():
        raise ValidationError({"target": ["Ce lien existe déjà."]})
    marking = max(source.marking, target.marking, key=lambda m: m == "diffusion_restreinte")
    return records.create(
        ReportLink(source=source, target=target, kind=kind, marking=marking), user
    )


@transaction.atomic
def clear_duplicate(report, user, *, expected_version=None):
    """The analyst judges the flagged report is not a duplicate."""
    _require_analyst(report, user)
    report.possible_duplicate_of = None
    return records.update(report, user, expected_version=expected_version)


@transaction.atomic
def create_synthesis(user, *, sources, countries=(), themes=(), **fields):
    """An analyst's synthesis of several reports: a report of kind « synthèse », in the same
    circuit (validated by another analyst, then disseminated)."""
    if not is_analyst(user):
        raise PermissionDenied("Les synthèses sont rédigées par les analystes.")
    sources = list(sources)
    if not sources:
        raise ValidationError({"sources": ["Choisissez les fiches synthétisées."]})
    countries = list(countries) or list({c for s in sources for c in s.countries.all()})
    themes = list(themes) or list({t for s in sources for t in s.themes.all()})
    fields.setdefault("kind", ReportKind.SYNTHESIS)
    fields.setdefault("handling_code", _strictest_code(sources))
    if fields["handling_code"] == "H3" and not fields.get("handling_conditions"):
        fields["handling_conditions"] = "\n".join(
            s.handling_conditions for s in sources if s.handling_conditions
        )
    fields.setdefault(
        "marking", max((s.marking for s in sources), key=lambda m: m == "diffusion_restreinte")
    )
    return create_report(user, countries=countries, themes=themes, sources=sources, **fields)


def _strictest_code(reports) -> str:
    return max((r.handling_code for r in reports), default="H0")


# --- Retention -----------------------------------------------------------------------------------


def _years_before(moment: datetime.datetime, years: int) -> datetime.datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


@dataclass(frozen=True)
class Expired:
    report: InformationReport
    years: int

    @property
    def rule(self) -> str:
        return f"Conservation de {self.years} an(s) après la dernière mise à jour (thème le plus long)."


def expired_reports(now=None):
    """Reports past their retention: `updated_at` older than the longest retention period of
    their themes (the default when they have none). Yields `Expired`."""
    now = now or timezone.now()
    default = default_retention_years()
    periods = set(Theme.objects.values_list("retention_years", flat=True)) | {default}
    condition = Q()
    for years in periods:
        condition |= Q(keep=years, updated_at__lt=_years_before(now, years))
    qs = (
        InformationReport.objects.annotate(
            keep=Coalesce(Max("themes__retention_years"), Value(default))
        )
        .filter(condition)
        .select_related("unit")
        .prefetch_related("themes")
        .order_by("updated_at", "pk")
    )
    for report in qs:
        yield Expired(report, report.keep)


def purge_expired(now=None, *, dry_run: bool = False) -> list[Expired]:
    """Delete the expired reports and keep, for each, a `PurgeRecord` and an audit event
    without content. With `dry_run`, only list them."""
    now = now or timezone.now()
    expired = list(expired_reports(now))
    if dry_run:
        return expired
    for item in expired:
        with transaction.atomic():
            report = item.report
            reference = report.reference
            themes = ", ".join(t.code for t in report.themes.all())
            trace = PurgeRecord.objects.create(
                report_reference=reference,
                report_id=report.pk,
                unit_code=report.unit.code,
                themes=themes,
                rule=item.rule,
                last_updated_at=report.updated_at,
                purged_at=now,
            )
            log_event(
                Action.PURGE,
                None,
                None,
                model_label=InformationReport._meta.label_lower,
                object_repr=f"Purge de {reference}",
                extra={
                    "report_id": report.pk,
                    "reference": reference,
                    "rule": item.rule,
                    "themes": themes,
                    "last_updated_at": report.updated_at.isoformat(),
                    "trace_id": trace.pk,
                },
                marking=report.marking,
            )
            _remove_report(report, None)
    return expired
