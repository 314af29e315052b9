"""iCalendar source of the network (docs/dev/exports.md): the due dates of the taskings sent
that the user may see (headquarters: all; an attaché: those sent to their post)."""

import datetime

from django.utils import timezone

from relais.core.exports.calendar import CalendarEvent, register
from relais.network.models import Tasking

PAST_DAYS = 90
FUTURE_DAYS = 365


@register
def tasking_due_dates(user):
    today = timezone.localdate()
    taskings = (
        Tasking.objects.visible_to(user)
        .sent()
        .filter(
            due_on__range=(
                today - datetime.timedelta(days=PAST_DAYS),
                today + datetime.timedelta(days=FUTURE_DAYS),
            )
        )
    )
    for tasking in taskings:
        yield CalendarEvent(
            uid=f"network-tasking-{tasking.pk}-due",
            summary=f"Réponses attendues — {tasking.reference}",
            start=tasking.due_on,
            description=f"{tasking.get_kind_display()} : {tasking}",
            url=tasking.get_absolute_url(),
            marking=tasking.marking,
        )
