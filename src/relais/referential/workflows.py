"""The workflow of assignments (proposal, validation, taking up the post, end) and the reminder of
assignments coming to an end: the referential's proof of the shared workflow and notification
mechanisms (docs/dev/workflow.md, docs/dev/notifications.md).

The states are declared here and imported by models.py; the workflow names its model by label,
so this module never imports the models at load time.
"""

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q

from relais.accounts.roles import Role
from relais.core.notifications.deadlines import Deadline, DeadlineSource, register
from relais.core.workflow.engine import Transition, Workflow


class AssignmentStatus(models.TextChoices):
    PROPOSED = "proposed", "proposée"
    APPROVED = "approved", "validée"
    ACTIVE = "active", "en poste"
    ENDED = "ended", "terminée"
    CANCELLED = "cancelled", "annulée"


S = AssignmentStatus
#: Who decides on assignments: the DCI's leadership and the application administrators.
DECIDERS = {Role.PILOTAGE, Role.ADMINISTRATEUR}


def _administrators():
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(role=Role.ADMINISTRATEUR) | Q(is_superuser=True))
    )


def assignment_recipients(assignment):
    """The users of the assignment's unit (the post) and the administrators."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(unit_id=assignment.unit_id) | Q(role=Role.ADMINISTRATEUR) | Q(is_superuser=True))
        .select_related("unit")
    )


def may_move_assignment(assignment, user) -> bool:
    """Deciding on an assignment is not editing it: any user who sees it and does not only read
    may act, and each transition's roles decide."""
    return not user.is_read_only


ASSIGNMENT_WORKFLOW = Workflow(
    "referential.Assignment",
    field="status",
    permission=may_move_assignment,
    notify=assignment_recipients,
    transition_url_name="referential_workflow:assignment-transition",
    page_url_name="referential_workflow:assignment-workflow",
    badges={
        S.PROPOSED: "new",
        S.APPROVED: "info",
        S.ACTIVE: "success",
        S.ENDED: "beige-gris-galet",
        S.CANCELLED: "error",
    },
    transitions=[
        Transition(
            name="approve",
            source=[S.PROPOSED],
            target=S.APPROVED,
            label="Valider",
            roles=DECIDERS,
            description="Valider la proposition d'affectation.",
        ),
        Transition(
            name="activate",
            source=[S.APPROVED],
            target=S.ACTIVE,
            label="Constater la prise de poste",
            roles=DECIDERS,
        ),
        Transition(
            name="end",
            source=[S.ACTIVE],
            target=S.ENDED,
            label="Terminer l'affectation",
            roles=DECIDERS,
            fields=("end_date",),
            required_fields=("end_date",),
            button="secondary",
        ),
        Transition(
            name="cancel",
            source=[S.PROPOSED, S.APPROVED],
            target=S.CANCELLED,
            label="Annuler l'affectation",
            roles=DECIDERS,
            comment_required=True,
            button="tertiary",
        ),
    ],
)


# --- Deadline: assignments coming to an end --------------------------------------------------

#: Assignments ending within this many days are reminded.
ASSIGNMENT_END_HORIZON = 30


def assignment_end_deadlines(today: datetime.date):
    """Active assignments ending within 30 days: remind the post's users and administrators.

    Three queries whatever the number of assignments (assignments, unit users, administrators).
    """
    from relais.referential.models import Assignment

    assignments = list(
        Assignment.objects.filter(
            status=S.ACTIVE,
            end_date__gte=today,
            end_date__lte=today + datetime.timedelta(days=ASSIGNMENT_END_HORIZON),
        ).select_related("person", "unit")
    )
    if not assignments:
        return
    by_unit = defaultdict(list)
    unit_ids = {a.unit_id for a in assignments}
    for user in get_user_model().objects.filter(is_active=True, unit_id__in=unit_ids):
        by_unit[user.unit_id].append(user)
    admins = list(_administrators())
    for assignment in assignments:
        yield Deadline(
            key=f"assignment:{assignment.pk}:{assignment.end_date.isoformat()}",
            recipients=[*by_unit[assignment.unit_id], *admins],
            due_date=assignment.end_date,
            title=f"fin de l'affectation de {assignment.person} ({assignment.unit.label})",
            body=(
                f"{assignment.person}, {assignment.get_function_display().lower()}, termine son "
                f"affectation à {assignment.unit.label}. Pensez à sa relève."
            ),
            url=ASSIGNMENT_WORKFLOW.page_url(assignment),
        )


register(
    DeadlineSource(
        "referential.assignment_end",
        assignment_end_deadlines,
        days_before=(ASSIGNMENT_END_HORIZON, 7, 1),
        overdue=False,
        label="Fin d'affectation",
    )
)
