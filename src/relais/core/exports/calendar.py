"""iCalendar feeds: dates a user can subscribe to from their calendar application.

A source is a callable `source(user)` returning `CalendarEvent`s, already scoped by
`visible_to(user)`. Apps declare theirs in a `calendars.py` module (imported automatically on
the first feed request, like the admin's autodiscovery):

    from relais.core.exports.calendar import CalendarEvent, register

    @register
    def agreement_renewals(user):
        for agreement in Agreement.objects.visible_to(user).renewing():
            yield CalendarEvent(uid=f"agreement-{agreement.pk}-renewal", summary=...,
                                start=agreement.renewal_date, url=agreement.get_absolute_url(),
                                marking=agreement.marking)

Each user has a secret feed address `/calendrier/<token>.ics` (User.calendar_token), which they
can reset from « Mon compte ». The feed is read by calendar applications without a session, so
it carries only *non protégé* events: events marked *diffusion restreinte* are left out.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from relais.core.exports.markings import is_restricted
from relais.core.markings import Marking

logger = logging.getLogger(__name__)

PRODID = "-//Ministère de l'Intérieur//Relais//FR"


@dataclass(frozen=True)
class CalendarEvent:
    """One date. `start`/`end` are dates (all-day, `end` inclusive) or aware datetimes."""

    uid: str
    summary: str
    start: datetime.date | datetime.datetime
    end: datetime.date | datetime.datetime | None = None
    description: str = ""
    url: str = ""
    marking: str = Marking.NON_PROTEGE


Source = Callable[[object], Iterable[CalendarEvent]]

_sources: list[Source] = []
_discovered = False


def register(source: Source) -> Source:
    """Add a source of events (usable as a decorator)."""
    if source not in _sources:
        _sources.append(source)
    return source


def unregister(source: Source) -> None:
    if source in _sources:
        _sources.remove(source)


def sources() -> list[Source]:
    """Every registered source, after importing the `calendars` module of each installed app."""
    global _discovered
    if not _discovered:
        autodiscover_modules("calendars")
        _discovered = True
    return list(_sources)


def events_for(user) -> list[CalendarEvent]:
    """The events of every source for `user`, without restricted ones, sorted by start."""
    events = []
    for source in sources():
        for event in source(user):
            if not is_restricted(event.marking):
                events.append(event)

    def key(event):
        start = event.start
        if not isinstance(start, datetime.datetime):
            start = datetime.datetime.combine(start, datetime.time.min)
        return timezone.make_naive(start) if timezone.is_aware(start) else start

    return sorted(events, key=key)


def _absolute(url: str, base_url: str = "") -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return (base_url or settings.SITE_URL).rstrip("/") + url


def ical_bytes(user, events: Iterable[CalendarEvent], *, base_url: str = "") -> bytes:
    """The iCalendar (RFC 5545) document of `events`. Links start with `base_url` (the address
    the feed was asked on), `SITE_URL` when none is given."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Relais — {user.get_full_name() or user.get_username()}")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    now = timezone.now()
    for item in events:
        event = Event()
        event.add("uid", f"{item.uid}@relais")
        event.add("dtstamp", now)
        event.add("summary", item.summary)
        event.add("dtstart", item.start)
        end = item.end
        if isinstance(item.start, datetime.datetime):
            if end is not None:
                event.add("dtend", end)
        else:
            # All-day events: DTEND is exclusive in iCalendar, `end` is inclusive here.
            last = end or item.start
            event.add("dtend", last + datetime.timedelta(days=1))
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", _absolute(item.url, base_url))
        calendar.add_component(event)
    return calendar.to_ical()
