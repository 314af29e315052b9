"""The two workflows of the network (docs/dev/workflow.md):

- a **tasking** (sollicitation) of the posts by headquarters: *en préparation → envoyée →
  clôturée* (and *rouverte* back to *envoyée*). Pilotage and chargés de mission send and close;
  sending notifies the attachés of every post addressed;
- the **annual report** of a post: *en rédaction → transmis → validé*, or *renvoyé* to the post
  with a comment. The post's attachés submit it; pilotage and chargés de mission accept or
  return it.

States are declared here and imported by models.py; workflows name their model by label so this
module never imports the models at load time.
"""

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from relais.accounts.roles import Role
from relais.core.workflow.engine import Transition, Workflow

#: Headquarters roles that address the network (send taskings, accept reports).
HQ_EDITORS = frozenset({Role.PILOTAGE, Role.CHARGE_MISSION})


class TaskingStatus(models.TextChoices):
    DRAFT = "draft", "en préparation"
    SENT = "sent", "envoyée"
    CLOSED = "closed", "clôturée"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "en rédaction"
    SUBMITTED = "submitted", "transmis"
    ACCEPTED = "accepted", "validé"


def post_attaches(post_unit_ids):
    """Active attachés of the posts whose units are `post_unit_ids`."""
    return get_user_model().objects.filter(
        is_active=True, role=Role.ATTACHE, unit_id__in=list(post_unit_ids)
    )


# --- Taskings --------------------------------------------------------------------------------


def has_recipients_and_future_due_date(tasking, user):
    if not tasking.recipients.exists():
        return "Choisissez au moins un poste destinataire avant d'envoyer la sollicitation."
    if tasking.due_on < timezone.localdate():
        return "La date de réponse attendue est passée : reportez-la avant d'envoyer."
    return None


def may_move_tasking(tasking, user) -> bool:
    """Headquarters editors, whatever the state (a closed tasking can be reopened)."""
    return bool(user.in_headquarters and user.role in HQ_EDITORS)


def tasking_recipients(tasking):
    """The attachés of the posts addressed (sending, reopening)."""
    return post_attaches(tasking.recipients.values_list("post__unit_id", flat=True))


def tasking_author(tasking):
    return [tasking.created_by] if tasking.created_by_id else []


TASKING_WORKFLOW = Workflow(
    "network.Tasking",
    field="status",
    permission=may_move_tasking,
    notify=tasking_author,
    transition_url_name="network:tasking-transition",
    page_url_name="network:tasking-detail",
    badges={
        TaskingStatus.DRAFT: "new",
        TaskingStatus.SENT: "info",
        TaskingStatus.CLOSED: "success",
    },
    transitions=[
        Transition(
            name="send",
            source=[TaskingStatus.DRAFT],
            target=TaskingStatus.SENT,
            label="Envoyer aux postes",
            roles=HQ_EDITORS,
            guard=has_recipients_and_future_due_date,
            notify=tasking_recipients,
            description="Les attachés des postes destinataires sont prévenus et peuvent répondre.",
        ),
        Transition(
            name="close",
            source=[TaskingStatus.SENT],
            target=TaskingStatus.CLOSED,
            label="Clôturer",
            roles=HQ_EDITORS,
            description="Les postes ne peuvent plus répondre ; les relances s'arrêtent.",
            button="secondary",
        ),
        Transition(
            name="reopen",
            source=[TaskingStatus.CLOSED],
            target=TaskingStatus.SENT,
            label="Rouvrir",
            roles=HQ_EDITORS,
            comment_required=True,
            notify=tasking_recipients,
            button="tertiary",
        ),
    ],
)


# --- Annual reports --------------------------------------------------------------------------


def report_has_content(report, user):
    missing = [
        label
        for name, label in (
            ("context", "le contexte"),
            ("cooperation_summary", "la coopération réalisée"),
            ("priorities", "les priorités pour l'année suivante"),
        )
        if not getattr(report, name).strip()
    ]
    if missing:
        return "Complétez " + ", ".join(missing) + " avant de transmettre le rapport."
    return None


def may_move_report(report, user) -> bool:
    """The post's own attachés and headquarters editors; each transition narrows by role."""
    if user.is_read_only:
        return False
    if user.in_headquarters and user.role in HQ_EDITORS:
        return True
    return bool(user.is_attache and user.unit_id == report.post.unit_id)


def report_post_attaches(report):
    return post_attaches([report.post.unit_id])


def report_headquarters(report):
    """Who accepts reports: pilotage and the chargés de mission of the post's zone division."""
    users = get_user_model().objects.filter(is_active=True, role=Role.PILOTAGE)
    division = report.post.host_country.zone.division if report.post.host_country.zone else None
    if division is not None:
        users = users | get_user_model().objects.filter(
            is_active=True, role=Role.CHARGE_MISSION, unit__path__startswith=division.path
        )
    return users


REPORT_WORKFLOW = Workflow(
    "network.PostAnnualReport",
    field="status",
    permission=may_move_report,
    notify=report_post_attaches,
    transition_url_name="network:report-transition",
    page_url_name="network:report-detail",
    badges={
        ReportStatus.DRAFT: "new",
        ReportStatus.SUBMITTED: "info",
        ReportStatus.ACCEPTED: "success",
    },
    transitions=[
        Transition(
            name="submit",
            source=[ReportStatus.DRAFT],
            target=ReportStatus.SUBMITTED,
            label="Transmettre à l'administration centrale",
            roles={Role.ATTACHE},
            guard=report_has_content,
            notify=report_headquarters,
        ),
        Transition(
            name="accept",
            source=[ReportStatus.SUBMITTED],
            target=ReportStatus.ACCEPTED,
            label="Valider",
            roles=HQ_EDITORS,
            description="Les priorités du rapport alimentent la programmation suivante.",
        ),
        Transition(
            name="return",
            source=[ReportStatus.SUBMITTED],
            target=ReportStatus.DRAFT,
            label="Renvoyer au poste",
            roles=HQ_EDITORS,
            comment_required=True,
            button="tertiary",
        ),
    ],
)
