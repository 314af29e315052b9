"""Every write of mission k goes through one function here; views, API, commands and the demo
call them. Each one checks the rule, then writes through `relais.core.records` (transaction,
version check, audit event, search index) or `relais.core.workflow.engine.apply_transition`.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from relais.agreements.documents import check_document
from relais.agreements.models import (
    Addressee,
    Agreement,
    AgreementChild,
    CommentRequest,
    CommitteeMeeting,
    JointCommittee,
    NegotiationRound,
    Renewal,
    RenewalKind,
    TextSource,
    TextVersion,
    add_months,
)
from relais.agreements.workflows import AGREEMENT_WORKFLOW, AgreementStatus
from relais.core import records
from relais.core.workflow.engine import TransitionRefused, apply_transition
from relais.legal.article import load_article
from relais.legal.assessment import AssessmentRequest, assess
from relais.legal.models import Mission
from relais.referential.models import french_partner_message

MISSION = "k"
#: What an agreement is about, for the competence assessment (relais.legal.matters).
MATTER = "agreement"


# --- Competence ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementAssessment:
    """Whether the DCI may negotiate this text, and on which part of the article."""

    competent: bool
    reason: str
    missions: tuple[str, ...] = ()


def assess_agreement(directorates, *, exclusively_intelligence: bool = False):
    """The competence assessment of an agreement negotiated for `directorates` (units).

    The exception of `relais.legal.assessment.assess` (matters exclusively for the
    intelligence services, for the police and gendarmerie directorates) applies as it is; then
    letter k of the article: the DCI acts *for*
    the directorates it names (its `beneficiaries` in data/article-1.yaml), and for no other.
    """
    directorates = list(directorates)
    article = load_article()
    mission = article.mission(MISSION)
    if exclusively_intelligence:
        # The exception of the first paragraph governs the police and gendarmerie directorates
        # only: the assessment says, directorate by directorate, whether it applies.
        for directorate in directorates or [None]:
            answer = assess(
                AssessmentRequest(
                    matter=MATTER,
                    beneficiary=(directorate.beneficiary_code or directorate.label)
                    if directorate
                    else "DGPN",
                    exclusively_intelligence=True,
                )
            )
            if answer.exclusions:
                return AgreementAssessment(False, answer.reason)
    if not directorates:
        return AgreementAssessment(
            False,
            "Indiquez au moins une direction pour laquelle l'accord est négocié : la DCI agit "
            "pour le compte des directions que nomme l'article 1, k.",
        )
    named = set(mission.beneficiaries)
    outside = [d for d in directorates if (d.beneficiary_code or "") not in named]
    if outside:
        names = ", ".join(d.label for d in outside)
        return AgreementAssessment(
            False,
            f"La DCI n'est pas compétente pour négocier un accord pour {names} : l'article 1, k "
            "ne lui confie les accords de sécurité intérieure et les arrangements techniques "
            f"que pour {', '.join(mission.beneficiaries)}.",
        )
    codes = ", ".join(sorted({d.beneficiary_code for d in directorates}))
    return AgreementAssessment(
        True,
        f"La DCI est compétente : article 1, k — elle {', '.join(mission.roles)}, pour {codes},"
        " la préparation technique, la négociation, l'élaboration et le suivi des accords de "
        "sécurité intérieure et des arrangements techniques.",
        (MISSION,),
    )


def _check_partners(countries, partner_bodies) -> None:
    countries = list(countries)
    if not countries and not list(partner_bodies):
        raise ValidationError(
            {"countries": ["Indiquez au moins un pays ou un organisme partenaire."]}
        )
    french = [c.name for c in countries if c.is_french]
    if french:
        raise ValidationError({"countries": [french_partner_message(french)]})


def _check_competence(directorates, exclusively_intelligence: bool) -> AgreementAssessment:
    answer = assess_agreement(directorates, exclusively_intelligence=exclusively_intelligence)
    if not answer.competent:
        raise ValidationError({"directorates": [answer.reason]})
    return answer


# --- The agreement ------------------------------------------------------------------------------


@transaction.atomic
def create_agreement(
    user,
    *,
    countries=(),
    partner_bodies=(),
    directorates=(),
    domains=(),
    exclusively_intelligence: bool = False,
    **fields,
) -> Agreement:
    """Open an agreement (state « initiative ») for the directorates it is negotiated for.

    Refused (`ValidationError`, per field) without a partner, without a directorate, or when the
    competence assessment refuses; `PermissionDenied` for a user who may not create agreements.
    The legal basis is the assessment's (letter k).
    """
    if not Agreement.can_create(user):
        raise PermissionDenied("Votre rôle ne permet pas d'ouvrir un accord.")
    countries, partner_bodies = list(countries), list(partner_bodies)
    directorates, domains = list(directorates), list(domains)
    _check_partners(countries, partner_bodies)
    answer = _check_competence(directorates, exclusively_intelligence)
    for name in ("status", "signed_on", "in_force_on", "ended_on"):
        if fields.get(name):
            raise ValidationError(
                {name: ["Cette donnée s'enregistre par le circuit de l'accord, pas à sa création."]}
            )
    agreement = Agreement(**fields)
    return records.create(
        agreement,
        user,
        m2m={
            "countries": countries,
            "partner_bodies": partner_bodies,
            "directorates": directorates,
            "domains": domains,
            "missions": list(Mission.objects.filter(code__in=answer.missions)),
        },
    )


@transaction.atomic
def import_agreement(
    user,
    *,
    status: str,
    countries=(),
    partner_bodies=(),
    directorates=(),
    domains=(),
    **fields,
) -> Agreement:
    """Record an agreement that already exists, at the state it has reached (taking over the
    existing texts: the demo, a future import command). Same checks as `create_agreement`; the
    dates are checked against that state by `Agreement.clean()`. Later changes of state go
    through the workflow."""
    if not Agreement.can_create(user):
        raise PermissionDenied("Votre rôle ne permet pas d'enregistrer un accord.")
    countries, partner_bodies = list(countries), list(partner_bodies)
    _check_partners(countries, partner_bodies)
    answer = _check_competence(list(directorates), False)
    return records.create(
        Agreement(status=status, **fields),
        user,
        m2m={
            "countries": countries,
            "partner_bodies": partner_bodies,
            "directorates": list(directorates),
            "domains": list(domains),
            "missions": list(Mission.objects.filter(code__in=answer.missions)),
        },
    )


@transaction.atomic
def update_agreement(
    agreement: Agreement,
    user,
    *,
    expected_version: int | None,
    m2m: dict | None = None,
    exclusively_intelligence: bool = False,
) -> Agreement:
    """Save changes made in memory to `agreement` (and its many-to-many values in `m2m`).

    The partners and directorates are checked again, and the competence with them."""
    m2m = dict(m2m or {})
    countries = m2m.get("countries", agreement.countries.all() if agreement.pk else [])
    partners = m2m.get("partner_bodies", agreement.partner_bodies.all() if agreement.pk else [])
    _check_partners(countries, partners)
    directorates = m2m.get("directorates", agreement.directorates.all())
    answer = _check_competence(directorates, exclusively_intelligence)
    m2m["missions"] = list(Mission.objects.filter(code__in=answer.missions))
    return records.update(agreement, user, expected_version=expected_version, m2m=m2m)


def transition_for_state(agreement: Agreement, target: str, user):
    """The declared transition that leads `agreement` from its current state to `target`.

    Raises `TransitionRefused` (409) with the states the user may reach when none does."""
    leading = [t for t in AGREEMENT_WORKFLOW.transitions if t.target == target]
    AGREEMENT_WORKFLOW.check_role(agreement, user, leading)  # who (403) before when (409)
    for candidate in leading:
        if agreement.status in candidate.source:
            return candidate
    allowed = [t.name for t in AGREEMENT_WORKFLOW.allowed(agreement, user)]
    reachable = reachable_states(agreement, user)
    labels = ", ".join(f"« {AgreementStatus(s).label} » ({s})" for s in reachable)
    raise TransitionRefused(
        f"Passage impossible de « {agreement.get_status_display()} » à "
        f"« {AgreementStatus(target).label} ». "
        + (f"États possibles : {labels}." if labels else "Aucun changement d'état possible."),
        allowed,
    )


def reachable_states(agreement: Agreement, user) -> list[str]:
    """The states `user` may move `agreement` to now (guards aside), without duplicates."""
    return list(dict.fromkeys(t.target for t in AGREEMENT_WORKFLOW.allowed(agreement, user)))


def move(agreement: Agreement, name: str, user, comment: str = "", **kwargs):
    """Apply transition `name` (see workflows.py); dates go in `kwargs`."""
    return apply_transition(agreement, name, user, comment, **kwargs)


# --- Children -----------------------------------------------------------------------------------


def _require_change(agreement: Agreement, user) -> None:
    if not agreement.can_change(user):
        raise PermissionDenied("Vous pouvez consulter cet accord, mais pas le modifier.")


def save_child(child: AgreementChild | CommitteeMeeting, user, *, expected_version=None):
    """Create or update a round, a committee, a meeting… of an agreement the user may change."""
    agreement = child.agreement
    _require_change(agreement, user)
    if child.pk is None:
        return records.create(child, user)
    return records.update(child, user, expected_version=expected_version)


def delete_child(child, user, *, expected_version=None) -> None:
    _require_change(child.agreement, user)
    records.delete(child, user, expected_version=expected_version)


@transaction.atomic
def add_text_version(
    agreement: Agreement, user, *, label: str, document=None, pasted_text: str = ""
) -> TextVersion:
    """Add the next version of the text: an uploaded document (checked: type and size) and/or
    its text pasted by the user. The text kept for comparisons is the pasted one when given,
    else the one extracted from the document."""
    _require_change(agreement, user)
    extracted = ""
    content_type, size, original_name = "", 0, ""
    if document is not None:
        checked = check_document(document)
        extracted, content_type, size = checked.text, checked.content_type, checked.size
        original_name = document.name[:255]
    if document is None and not pasted_text.strip():
        raise ValidationError({"document": ["Joignez le document ou collez son texte."]})
    # Lock the agreement so that two uploads do not take the same number.
    Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    last = agreement.versions.order_by("-number").values_list("number", flat=True).first() or 0
    if pasted_text.strip():
        text, source = pasted_text, TextSource.PASTED
    elif extracted.strip():
        text, source = extracted, TextSource.EXTRACTED
    else:
        text, source = "", TextSource.NONE
    version = TextVersion(
        agreement=agreement,
        number=last + 1,
        label=label,
        original_name=original_name,
        content_type=content_type,
        size=size,
        text=text,
        text_source=source,
        marking=agreement.marking,
    )
    if document is not None:
        document.name = f"accord-{agreement.pk}-v{last + 1}{_suffix(original_name)}"
        version.document = document
    return records.create(version, user)


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def request_comments(
    agreement: Agreement,
    user,
    *,
    addressee: str,
    subject: str,
    due_on: datetime.date,
    directorate=None,
    text_version=None,
    requested_on: datetime.date | None = None,
) -> CommentRequest:
    """Ask a directorate concerned (one the agreement is negotiated for) or the MEAE for
    comments by `due_on`; they are reminded before the date (deadlines.py)."""
    _require_change(agreement, user)
    if (
        addressee == Addressee.DIRECTORATE
        and directorate is not None
        and not agreement.directorates.filter(pk=directorate.pk).exists()
    ):
        raise ValidationError(
            {"directorate": ["Sollicitez une des directions pour lesquelles l'accord est négocié."]}
        )
    request = CommentRequest(
        agreement=agreement,
        addressee=addressee,
        directorate=directorate if addressee == Addressee.DIRECTORATE else None,
        subject=subject,
        due_on=due_on,
        text_version=text_version,
        marking=agreement.marking,
    )
    if requested_on:
        request.requested_on = requested_on
    return records.create(request, user)


def answer_comment_request(
    request: CommentRequest,
    user,
    *,
    answer: str,
    answered_on: datetime.date | None = None,
    expected_version=None,
) -> CommentRequest:
    """Record the answer: by the directorate's correspondent, or by headquarters (for the MEAE
    or on the directorate's behalf)."""
    from django.utils import timezone

    if not request.can_answer(user):
        raise PermissionDenied("Vous ne pouvez pas répondre à cette demande d'observations.")
    if not answer.strip():
        raise ValidationError({"answer": ["La réponse ne peut pas être vide."]})
    request.answer = answer
    request.answered_on = answered_on or timezone.localdate()
    request.answered_by = user
    return records.update(request, user, expected_version=expected_version, check_permission=False)


@transaction.atomic
def record_renewal(
    agreement: Agreement,
    user,
    *,
    kind: str,
    renewed_on: datetime.date,
    new_expires_on: datetime.date | None = None,
    comment: str = "",
) -> Renewal:
    """Record a tacit or express renewal of an agreement in force and move its expiry.

    Without `new_expires_on`, the new expiry is the old one plus the renewal period (or the
    initial duration)."""
    _require_change(agreement, user)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != AgreementStatus.IN_FORCE:
        raise ValidationError(
            {"agreement": ["Seul un accord en vigueur peut être reconduit ou renouvelé."]}
        )
    if kind == RenewalKind.TACIT and not agreement.tacit_renewal:
        raise ValidationError(
            {"kind": ["Cet accord ne prévoit pas de reconduction tacite : renouvellement exprès."]}
        )
    previous = agreement.expires_on
    if new_expires_on is None:
        years = agreement.renewal_years or agreement.duration_years
        if previous is None or not years:
            raise ValidationError(
                {"new_expires_on": ["Indiquez la nouvelle échéance (durée inconnue)."]}
            )
        new_expires_on = add_months(previous, 12 * years)
    if previous and new_expires_on <= previous:
        raise ValidationError({"new_expires_on": ["La nouvelle échéance doit suivre l'ancienne."]})
    if renewed_on < (agreement.in_force_on or renewed_on):
        raise ValidationError(
            {"renewed_on": ["Un renouvellement ne peut pas précéder l'entrée en vigueur."]}
        )
    renewal = records.create(
        Renewal(
            agreement=agreement,
            kind=kind,
            renewed_on=renewed_on,
            previous_expires_on=previous,
            new_expires_on=new_expires_on,
            comment=comment,
            marking=agreement.marking,
        ),
        user,
    )
    agreement.expires_on = new_expires_on
    records.update(agreement, user)
    return renewal


def add_committee(agreement: Agreement, user, **fields) -> JointCommittee:
    return save_child(
        JointCommittee(agreement=agreement, marking=agreement.marking, **fields), user
    )


def add_meeting(committee: JointCommittee, user, **fields) -> CommitteeMeeting:
    return save_child(
        CommitteeMeeting(committee=committee, marking=committee.marking, **fields), user
    )


def add_round(agreement: Agreement, user, **fields) -> NegotiationRound:
    return save_child(
        NegotiationRound(agreement=agreement, marking=agreement.marking, **fields), user
    )
