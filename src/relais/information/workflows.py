"""The circuit of an information report (article 1, a).

    brouillon ──soumettre──▶ soumise ──valider (analyste, pas l'auteur)──▶ validée
        ▲                        │                                           │
        └──────renvoyer──────────┘                                 diffuser (analyste)
                                                                             ▼
                                         classée ◀──classer── diffusée ◀─┘ (et rediffuser)

- Four-eyes rule: the analyst who validates is never the report's author (guard).
- Dissemination needs the units (a form or `{"units": [...]}`): it goes through
  `services.disseminate`, which applies the `disseminate` transition and records each
  dissemination in the same transaction.
- A report marked as a matter exclusively for the intelligence services never enters this
  circuit: `services.redirect_to_intelligence` keeps a receipt and deletes the content.
"""

from django.db import models

from relais.accounts.roles import Role
from relais.core.workflow.engine import Transition, Workflow


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "brouillon"
    SUBMITTED = "submitted", "soumise à validation"
    VALIDATED = "validated", "validée"
    DISSEMINATED = "disseminated", "diffusée"
    CLOSED = "closed", "classée"


#: Roles that write reports (posts abroad and headquarters).
AUTHOR_ROLES = frozenset({Role.ATTACHE, Role.ANALYSTE, Role.PILOTAGE, Role.CHARGE_MISSION})


def not_author(report, user):
    """Four-eyes rule: the validating analyst is not the author."""
    if report.created_by_id is not None and report.created_by_id == user.pk:
        return (
            "Règle des quatre yeux : une fiche est validée par un analyste qui n'en est pas "
            "l'auteur. Demandez à un autre analyste de la valider."
        )
    return None


def has_grading(report, user):
    if not report.source_reliability or not report.information_credibility:
        return "La cotation (fiabilité de la source et crédibilité de l'information) manque."
    return None


def validate_guard(report, user):
    return not_author(report, user) or has_grading(report, user)


def _author_and_unit(report):
    from django.contrib.auth import get_user_model

    users = list(get_user_model().objects.filter(unit_id=report.unit_id, is_active=True))
    if report.created_by is not None and report.created_by not in users:
        users.append(report.created_by)
    return users


def _analysts(report):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(role=Role.ANALYSTE, is_active=True)


def _permission(report, user):
    """Who may move a report at all: its unit while it is a draft, analysts afterwards."""
    if user.is_read_only or user.is_administrator:
        return False
    if report.status == ReportStatus.DRAFT:
        return report.unit_id is not None and report.unit_id == user.unit_id
    return user.role in (Role.ANALYSTE, Role.PILOTAGE)


REPORT_WORKFLOW = Workflow(
    "information.InformationReport",
    field="status",
    permission=_permission,
    notify=_author_and_unit,
    badges={
        ReportStatus.DRAFT: "new",
        ReportStatus.SUBMITTED: "warning",
        ReportStatus.VALIDATED: "info",
        ReportStatus.DISSEMINATED: "success",
        ReportStatus.CLOSED: "purple-glycine",
    },
    transition_url_name="information:transition",
    # Comments may quote the report: they stay in its transition log, deleted with it.
    comments_with_record_only=True,
    transitions=[
        Transition(
            name="submit",
            source=[ReportStatus.DRAFT],
            target=ReportStatus.SUBMITTED,
            label="Soumettre à validation",
            roles=AUTHOR_ROLES,
            notify=_analysts,
            description="La fiche part à la cellule d'analyse ; elle n'est plus modifiable.",
        ),
        Transition(
            name="validate",
            source=[ReportStatus.SUBMITTED],
            target=ReportStatus.VALIDATED,
            label="Valider",
            roles={Role.ANALYSTE},
            guard=validate_guard,
            description="Un analyste qui n'est pas l'auteur valide la fiche (quatre yeux).",
        ),
        Transition(
            name="send_back",
            source=[ReportStatus.SUBMITTED, ReportStatus.VALIDATED],
            target=ReportStatus.DRAFT,
            label="Renvoyer à l'auteur",
            roles={Role.ANALYSTE},
            comment_required=True,
            button="secondary",
        ),
        Transition(
            name="disseminate",
            source=[ReportStatus.VALIDATED, ReportStatus.DISSEMINATED],
            target=ReportStatus.DISSEMINATED,
            label="Diffuser",
            roles={Role.ANALYSTE},
            description="Diffusion aux unités choisies (formulaire de diffusion).",
        ),
        Transition(
            name="close",
            source=[ReportStatus.VALIDATED, ReportStatus.DISSEMINATED],
            target=ReportStatus.CLOSED,
            label="Classer",
            roles={Role.ANALYSTE, Role.PILOTAGE},
            button="tertiary",
        ),
    ],
)

#: Transitions the generic panel offers; dissemination has its own form (units, deadline).
PANEL_TRANSITIONS = frozenset({"submit", "validate", "send_back", "close"})
