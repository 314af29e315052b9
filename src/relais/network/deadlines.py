"""Reminders of the network (`relais send-reminders`, docs/dev/notifications.md).

`network.tasking_answer`: a post that has not transmitted its answer to a tasking that is sent
is reminded at J-7 and J-2, then once when the answer is late. Recipients: the attachés of the
post. The key carries the due date, so a postponed tasking gets fresh reminders; a closed
tasking or a transmitted answer stops them.

`network.annual_report`: the report on year N is due on the date of year N+1 that the setting
`RELAIS_NETWORK_ANNUAL_REPORT_DUE` gives (« MM-DD », 31 January by default). A post whose
report on the past year is not transmitted (submitted or accepted) is reminded at J-14 and J-3,
then once when late (within 30 days of the date); transmitting it stops the reminders.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.urls import reverse

from relais.core.notifications.deadlines import Deadline, DeadlineSource, register
from relais.network.models import PostAnnualReport, TaskingRecipient
from relais.network.workflows import post_attaches
from relais.referential.models import Post

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


# --- Annual reports --------------------------------------------------------------------------

#: Steps of the annual-report reminder (days before the due date).
ANNUAL_STEPS = (14, 3)
#: The late reminder goes out within this many days after the due date, not later (a first
#: run long after the date, e.g. on deployment, does not remind every post of an old report).
LATE_WINDOW = 30


def annual_report_due(year: int) -> datetime.date:
    """The date the report on `year` is due (in `year + 1`; the setting is checked at start-up)."""
    month, day = settings.RELAIS_NETWORK_ANNUAL_REPORT_DUE.split("-")
    return datetime.date(year + 1, int(month), int(day))


def annual_reports_due(today: datetime.date):
    """Posts whose report on the past year is not transmitted; three queries in all."""
    year = today.year - 1
    due = annual_report_due(year)
    if not -LATE_WINDOW <= (due - today).days <= max(ANNUAL_STEPS):
        return
    transmitted = PostAnnualReport.objects.transmitted().filter(year=year).values("post_id")
    posts = list(Post.objects.exclude(pk__in=transmitted).select_related("unit"))
    if not posts:
        return
    by_unit = defaultdict(list)
    for user in post_attaches({post.unit_id for post in posts}):
        by_unit[user.unit_id].append(user)
    url = reverse("network:reports")
    for post in posts:
        if not by_unit[post.unit_id]:
            continue
        yield Deadline(
            key=f"annual-report:{post.pk}:{year}",
            recipients=by_unit[post.unit_id],
            due_date=due,
            title=f"rapport annuel {year} de {post}",
            body=f"Le rapport annuel {year} du poste est attendu par l'administration centrale "
            f"le {due:%d/%m/%Y} : rédigez-le et transmettez-le.",
            url=url,
        )


register(
    DeadlineSource(
        "network.annual_report",
        annual_reports_due,
        days_before=ANNUAL_STEPS,
        overdue=True,
        label="Rapport annuel d'un poste",
    )
)
