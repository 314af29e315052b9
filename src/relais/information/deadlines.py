"""Reminders of acknowledgements due (docs/dev/notifications.md): each dissemination not yet
acknowledged reminds the users of the recipient unit the day before it is due, and once when
it is overdue (`relais send-reminders`)."""

import datetime

from relais.core.notifications.deadlines import Deadline, DeadlineSource, register


def acknowledgements(today):
    from relais.information.models import Dissemination
    from relais.information.services import _unit_users

    due = list(
        Dissemination.objects.pending()
        .filter(acknowledgement_due__lte=today + datetime.timedelta(days=1))
        .select_related("report", "unit")
        .order_by("acknowledgement_due", "pk")
    )
    users = _unit_users({d.unit_id for d in due})
    for dissemination in due:
        report = dissemination.report
        yield Deadline(
            key=f"information-ack:{dissemination.pk}:{dissemination.acknowledgement_due}",
            recipients=users.get(dissemination.unit_id, []),
            due_date=dissemination.acknowledgement_due,
            title=f"accusé de réception de la fiche {report}",
            body=f"La fiche {report} a été diffusée à {dissemination.unit.label} le "
            f"{dissemination.disseminated_at:%d/%m/%Y} : accusez-en réception.",
            url=report.get_absolute_url(),
        )


register(
    DeadlineSource(
        "information.acknowledgement",
        acknowledgements,
        days_before=(1,),
        overdue=True,
        label="Accusés de réception des fiches d'information",
    )
)
