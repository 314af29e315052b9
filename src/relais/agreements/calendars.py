"""iCalendar source of mission k (docs/dev/exports.md): the dates to watch on the agreements
the user may see — expiries (tacit renewals), notice deadlines, joint committee meetings and
comments due. The feed address is in « Mon compte »; restricted events are left out by the feed.
"""

import datetime

from django.utils import timezone

from relais.agreements.views import upcoming_deadlines
from relais.core.exports.calendar import CalendarEvent, register

#: How far back and ahead the feed reaches.
PAST_DAYS = 90
FUTURE_DAYS = 3 * 365


@register
def agreement_deadlines(user):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=PAST_DAYS)
    end = today + datetime.timedelta(days=FUTURE_DAYS)
    for item in upcoming_deadlines(user, start, end):
        agreement = item.agreement
        yield CalendarEvent(
            uid=f"agreement-{item.kind}-{item.ref}",
            summary=f"{item.label} — {agreement}",
            start=item.day,
            description=f"{agreement.get_kind_display()} ({agreement.get_status_display()}).",
            url=agreement.get_absolute_url(),
            marking=agreement.marking,
        )
