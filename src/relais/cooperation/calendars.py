"""Planned actions in the iCalendar feed (docs/dev/exports.md): the actions to come."""

import datetime

from django.utils import timezone

from relais.cooperation.models import CooperationAction
from relais.cooperation.workflows import ActionStatus
from relais.core.exports.calendar import CalendarEvent, register


@register
def cooperation_actions(user):
    today = timezone.localdate()
    actions = (
        CooperationAction.objects.visible_to(user)
        .filter(
            status__in=[ActionStatus.PROGRAMMED, ActionStatus.IN_PROGRESS],
            planned_end__gte=today - datetime.timedelta(days=30),
        )
        .select_related("country")
        .order_by("planned_start")[:500]
    )
    for action in actions:
        yield CalendarEvent(
            uid=f"cooperation-action-{action.pk}",
            summary=f"{action.get_kind_display()} : {action.title} ({action.country.name})",
            start=action.actual_start or action.planned_start,
            end=action.actual_end or action.planned_end,
            description=f"Action de coopération {action.reference}, {action.get_status_display()}.",
            url=action.get_absolute_url(),
            marking=action.marking,
        )
