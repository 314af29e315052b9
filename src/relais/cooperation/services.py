"""Every write of missions b to g goes through one function here; views, API, commands and the
demo call them. Each one checks the rule (competence, scope), then writes through
`relais.core.records` (transaction, version check, audit event, search index) or
`relais.core.workflow.engine.apply_transition`.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from relais.cooperation.models import (
    ActionComment,
    CooperationAction,
    Evaluation,
    Funding,
    Programme,
)
from relais.cooperation.workflows import ACTION_WORKFLOW, ActionStatus
from relais.core import records
from relais.core.notifications.kinds import NotificationKind
from relais.core.notifications.services import notify
from relais.core.workflow.engine import Transition, TransitionRefused, apply_transition
from relais.legal.assessment import AssessmentRequest, assess
from relais.legal.directory import current_directory
from relais.legal.models import Mission

#: The parts of the article a cooperation action may rest on, in the article's order: the
#: opening paragraphs (police and gendarmerie; the ministry's technical cooperation, open list)
#: and the letters b to g.
ACTION_LETTERS = ("preamble-1", "preamble-2", "b", "c", "d", "e", "f", "g")
#: The letter whose text requires the MEAE: « en liaison avec le ministère des affaires
#: étrangères et les organismes concourant au financement de ces actions ».
MEAE_LETTER = "b"
#: A programme is the programming of the technical cooperation of the police and the gendarmerie
#: (first paragraph), which b gives the DCI (« assure la programmation… »), with the MEAE.
PROGRAMME_LETTERS = ("preamble-1", "b")


# --- Competence ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionAssessment:
    """The competence assessment of an action and the letters it proposes."""

    competent: bool
    reason: str
    letters: tuple[str, ...] = ()
    liaisons: tuple[str, ...] = ()

    @property
    def needs_meae_opinion(self) -> bool:
        return MEAE_LETTER in self.letters


def directorate_choices():
    """The units an action may be carried out for: the ministry's directorates and the services
    directly below them (DLPAJ under the SG, DCPAF under the DGPN…), chosen from the
    organisation tree; never the DCI itself, a post abroad nor an intelligence service."""
    from relais.referential.models import DCI_CODE, Unit, UnitKind

    return (
        Unit.objects.of_ministry()
        .filter(
            depth__lte=2,
            kind__in=[UnitKind.DIRECTORATE, UnitKind.SERVICE, UnitKind.SUBDIRECTORATE],
        )
        .exclude(is_intelligence=True)
        .exclude(path__contains=f"/{DCI_CODE}/")
        .order_by("path")
    )


def assess_action(directorate, cooperation_kind: str, *, exclusively_intelligence=False):
    """Ask `relais.legal.assessment.assess` whether the DCI may carry out this action for
    `directorate` (a unit of the ministry's tree), and on which parts of article 1 it rests:
    exactly the parts the assessment gives (first paragraph and b for the police and the
    gendarmerie; c or d for the administrative and governance cooperation of the SG or the DGCL;
    the second paragraph, with e, f or g for the DGSCGC, the DGEF and the DSCR; the second
    paragraph alone for any other directorate of the ministry). What it refuses is refused.
    """
    if directorate is None:
        return ActionAssessment(False, "Indiquez la direction bénéficiaire de l'action.")
    if not directorate.in_ministry:
        return ActionAssessment(
            False,
            f"« {directorate.label} » ne relève pas du ministère de l'intérieur : choisissez la "
            "direction bénéficiaire dans l'organigramme du ministère.",
        )
    answer = assess(
        AssessmentRequest(
            matter=cooperation_kind,
            beneficiary=directorate.code,
            exclusively_intelligence=exclusively_intelligence,
            within_ministry=True,
        ),
        directory=current_directory(),
    )
    if not answer.competent:
        reason = answer.reason
        if answer.redirect_to:
            reason = f"{reason} Orientation : {answer.redirect_to}."
        return ActionAssessment(False, reason)
    letters = tuple(m for m in answer.letters if m in ACTION_LETTERS)
    return ActionAssessment(True, answer.reason, letters, tuple(answer.liaisons))


def _missions(letters) -> list[Mission]:
    return list(Mission.objects.filter(code__in=letters))


def _check_competence(action: CooperationAction, exclusively_intelligence: bool):
    if (
        action.directorate_id
        and not directorate_choices().filter(pk=action.directorate_id).exists()
    ):
        raise ValidationError(
            {
                "directorate": [
                    f"« {action.directorate.label} » n'est pas une direction bénéficiaire : "
                    "choisissez une direction du ministère de l'intérieur ou un service placé "
                    "directement sous elle (ni la DCI, ni un poste, ni un service de "
                    "renseignement)."
                ]
            }
        )
    answer = assess_action(
        action.directorate if action.directorate_id else None,
        action.cooperation_kind,
        exclusively_intelligence=exclusively_intelligence,
    )
    if not answer.competent:
        raise ValidationError({"directorate": [answer.reason]})
    return answer


def _check_scope(action: CooperationAction, user) -> None:
    """A writer may only create or move an action into their own scope (country of their post,
    zone or theme of their division)."""
    if user is None or not user.is_authenticated:
        return
    from relais.accounts.roles import Role

    if user.role == Role.PILOTAGE:
        return
    if user.is_attache:
        post = user.post
        if post is None or not post.countries.filter(pk=action.country_id).exists():
            raise ValidationError({"country": ["Ce pays n'est pas couvert par votre poste."]})
        return
    if user.role == Role.CHARGE_MISSION:
        path = user.unit.path if user.unit_id else "-"
        country_zone_division = (
            action.country.zone.division.path
            if action.country.zone_id and action.country.zone.division_id
            else ""
        )
        domain_division = (
            action.domain.division.path if action.domain_id and action.domain.division_id else ""
        )
        if not (country_zone_division.startswith(path) or domain_division.startswith(path)):
            raise ValidationError(
                {
                    "country": [
                        "Ce pays n'est pas dans la zone de votre division et ce domaine n'est "
                        "pas l'un de ses thèmes."
                    ]
                }
            )


def agreement_choices(user, current_id=None):
    """The agreements `user` may attach an action to: those they see, plus the one already
    attached (kept on an edit even when the writer does not see it)."""
    from relais.agreements.models import Agreement

    visible = Agreement.objects.visible_to(user).values("pk")
    condition = Q(pk__in=visible) | Q(pk=current_id) if current_id else Q(pk__in=visible)
    return Agreement.objects.filter(condition).order_by("title", "pk")


def _check_agreement(action: CooperationAction, user) -> None:
    """The agreement an action is carried out under (article 1, k) must be one the writer sees
    (an agreement already linked may be kept by someone who does not) and must cover the
    action's partner country, unless it names no country (a multilateral text with partner
    bodies only)."""
    if not action.agreement_id:
        return
    if user is not None and user.is_authenticated:
        previous = (
            CooperationAction.objects.filter(pk=action.pk)
            .values_list("agreement_id", flat=True)
            .first()
            if action.pk
            else None
        )
        if not agreement_choices(user, previous).filter(pk=action.agreement_id).exists():
            raise ValidationError({"agreement": ["Accord introuvable."]})
    countries = list(action.agreement.countries.order_by("name"))
    if countries and action.country_id and action.country_id not in {c.pk for c in countries}:
        names = ", ".join(c.name for c in countries)
        raise ValidationError(
            {
                "agreement": [
                    f"Cet accord ne couvre pas le pays partenaire de l'action "
                    f"({action.country.name}) : il est conclu avec {names}."
                ]
            }
        )


# --- Actions ------------------------------------------------------------------------------------


@transaction.atomic
def create_action(
    user,
    *,
    implementing_services=(),
    fundings=(),
    exclusively_intelligence: bool = False,
    check_scope: bool = True,
    **fields,
) -> CooperationAction:
    """Propose an action (state « proposée »), with its legal basis from the competence
    assessment and its funding lines (dicts of Funding fields)."""
    if user is not None and user.is_authenticated and not CooperationAction.can_create(user):
        raise PermissionDenied("Votre rôle ne permet pas de proposer une action de coopération.")
    action = CooperationAction(**fields)
    if user is not None and user.is_authenticated and user.is_attache and not action.post_id:
        action.post = user.post
    answer = _check_competence(action, exclusively_intelligence)
    if check_scope:
        _check_scope(action, user)
    _check_agreement(action, user)
    records.create(
        action,
        user,
        m2m={"missions": _missions(answer.letters), "implementing_services": implementing_services},
    )
    for line in fundings:
        save_funding(Funding(action=action, **line), user, check_permission=False)
    return action


@transaction.atomic
def update_action(
    action: CooperationAction,
    user,
    *,
    expected_version=None,
    m2m: dict | None = None,
    fundings=None,
    exclusively_intelligence: bool = False,
) -> CooperationAction:
    """Save changes made in memory to `action`; the legal basis follows the directorate and
    the kind of cooperation. `fundings` (a list of dicts), when given, replaces the lines."""
    answer = _check_competence(action, exclusively_intelligence)
    _check_scope(action, user)
    _check_agreement(action, user)
    m2m = dict(m2m or {})
    m2m["missions"] = _missions(answer.letters)
    records.update(action, user, expected_version=expected_version, m2m=m2m)
    if fundings is not None:
        for line in list(action.fundings.all()):
            records.delete(line, user, check_permission=False)
        for line in fundings:
            save_funding(Funding(action=action, **line), user, check_permission=False)
    return action


def transition_for_state(action: CooperationAction, target: str, user) -> Transition:
    """The declared transition leading `action` from its state to `target` (API `to`).

    Raises `TransitionRefused` (409) with the reachable states when none does."""
    leading = [t for t in ACTION_WORKFLOW.transitions if t.target == target]
    ACTION_WORKFLOW.check_role(action, user, leading)  # who (403) before when (409)
    for candidate in leading:
        if action.status in candidate.source:
            return candidate
    allowed = [t.name for t in ACTION_WORKFLOW.allowed(action, user)]
    reachable = reachable_states(action, user)
    labels = ", ".join(f"« {ActionStatus(s).label} » ({s})" for s in reachable)
    raise TransitionRefused(
        f"Passage impossible de « {action.get_status_display()} » à "
        f"« {ActionStatus(target).label} ». "
        + (f"États possibles : {labels}." if labels else "Aucun changement d'état possible."),
        allowed,
    )


def reachable_states(action: CooperationAction, user) -> list[str]:
    """The states `user` may move `action` to now (guards aside), without duplicates."""
    return list(dict.fromkeys(t.target for t in ACTION_WORKFLOW.allowed(action, user)))


def move(action: CooperationAction, name: str, user, comment: str = "", **fields):
    """Apply transition `name` (see workflows.py)."""
    return apply_transition(action, name, user, comment, **fields)


# --- Funding lines ------------------------------------------------------------------------------


def save_funding(line: Funding, user, *, expected_version=None, check_permission=True) -> Funding:
    """Create or update a funding line of an action or a programme the user may change."""
    parent = line.parent
    if check_permission and (parent is None or not parent.can_change(user)):
        raise PermissionDenied("Vous ne pouvez pas modifier les financements de cette action.")
    if line.pk is None:
        if parent is not None and not line.marking:
            line.marking = parent.marking
        return records.create(line, user)
    return records.update(line, user, expected_version=expected_version, check_permission=False)


def delete_funding(line: Funding, user, *, expected_version=None) -> None:
    if not line.can_change(user):
        raise PermissionDenied("Vous ne pouvez pas modifier les financements de cette action.")
    records.delete(line, user, check_permission=False, expected_version=expected_version)


# --- Comments -----------------------------------------------------------------------------------


@transaction.atomic
def add_comment(action: CooperationAction, user, body: str) -> ActionComment:
    """A comment on an action (the correspondent of the beneficiary directorate above all); the
    other followers of the action are told."""
    if not action.can_comment(user):
        raise PermissionDenied("Vous pouvez consulter cette action, mais pas la commenter.")
    comment = records.create(
        ActionComment(action=action, author=user, body=body, marking=action.marking), user
    )
    visible = CooperationAction.objects
    recipients = [
        u
        for u in action.followers()
        if u.pk != user.pk and visible.visible_to(u).filter(pk=action.pk).exists()
    ]
    if recipients:
        author = user.get_full_name() or user.get_username()
        transaction.on_commit(
            lambda: notify(
                recipients,
                NotificationKind.COMMENT,
                f"Commentaire sur l'action « {action} »",
                body=f"{author} a commenté l'action {action.reference}.",
                url=action.get_absolute_url(),
                key=f"cooperation-comment:{comment.pk}",
            )
        )
    return comment


# --- Evaluation ---------------------------------------------------------------------------------


def save_evaluation(evaluation: Evaluation, user, *, expected_version=None) -> Evaluation:
    """Record or amend the evaluation of a completed action."""
    action = evaluation.action
    if not action.can_change(user):
        raise PermissionDenied("Vous ne pouvez pas évaluer cette action.")
    if action.status not in (ActionStatus.COMPLETED, ActionStatus.EVALUATED):
        raise ValidationError("Une action ne s'évalue qu'une fois réalisée (état « réalisée »).")
    if evaluation.pk is None:
        evaluation.marking = action.marking
        return records.create(evaluation, user)
    return records.update(
        evaluation, user, expected_version=expected_version, check_permission=False
    )


# --- Programmes ---------------------------------------------------------------------------------


def create_programme(user, **fields) -> Programme:
    if user is not None and user.is_authenticated and not Programme.can_create(user):
        raise PermissionDenied("Votre rôle ne permet pas de créer un programme.")
    programme = Programme(**fields)
    if user is not None and user.is_authenticated:
        if user.is_attache and not programme.post_id:
            programme.post = user.post
        if user.in_headquarters and not programme.division_id and user.unit_id:
            programme.division = user.unit
    return records.create(programme, user, m2m={"missions": _missions(PROGRAMME_LETTERS)})
