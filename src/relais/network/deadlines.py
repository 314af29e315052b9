"""Reminders of the network (`relais send-reminders`, docs/dev/notifications.md).

`network.tasking_answer`: a post that has not transmitted its answer to a tasking that is sent
is reminded at J-7 and J-2, then once when the answer is late. Recipients: the attachés of the
post. The key carries the due date, so a postponed tasking gets fresh reminders; a closed
tasking or a transmitted answer stops them.
"""

import datetime
from collections import defaultdict

from relais.core.notifications.deadlines import Deadline, DeadlineSource, register
from relais.network.models import TaskingRecipient
from relais.network.workflows import post_attaches

#: Answers due within this many days are reminded (the first step).
HORIZON = 7


def answers_due(today: datetime.date):
    """Two queries whatever the number of posts: the pending answers, their posts' attachés."""
    rows = list(
        TaskingRecipient.objects.pending()
        .filter(tasking__due_on__lte=today + datetime.timedelta(days=HORIZON))
        .select_related("tasking", "post__unit")
    )
    if not rows:
        return
    by_unit = defaultdict(list)
    for user in post_attaches({r.post.unit_id for r in rows}):
        by_unit[user.unit_id].append(user)
    for row in rows:
        tasking = row.tasking
        yield Deadline(
            key=f"answer:{row.pk}:{tasking.due_on.isoformat()}",
            recipients=by_unit[row.post.unit_id],
            due_date=tasking.due_on,
            title=f"réponse de {row.post} à {tasking.reference}",
            body=f"{tasking.get_kind_display()} de l'administration centrale : « {tasking} ».",
            url=row.get_absolute_url(),
        )


register(
    DeadlineSource(
        "network.tasking_answer",
        answers_due,
        days_before=(HORIZON, 2),
        overdue=True,
        label="Réponse d'un poste à une sollicitation",
    )
)
