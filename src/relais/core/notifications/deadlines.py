"""Deadline reminders. A module registers a source of deadlines; `relais send-reminders` (daily)
turns the deadlines that come close into `deadline` notifications, at most once per step.

    from relais.core.notifications.deadlines import Deadline, DeadlineSource, register

    def renewals(today):
        for agreement in Agreement.objects.expiring_before(today + timedelta(days=60)):
            yield Deadline(key=f"agreement:{agreement.pk}", recipients=agreement.followers(),
                           due_date=agreement.expires_on, title=f"Renouvellement : {agreement}",
                           url=agreement.get_absolute_url())

    register(DeadlineSource("agreements.renewal", renewals, days_before=(60, 30, 7)))

A deadline due in `n` days gets the reminder of the smallest step `s` of `days_before` with
`n <= s` (so a missed day is caught up, never repeated); a deadline past its date gets one
"overdue" reminder when the source says `overdue=True`. The notification key is
`<source>:<deadline key>:<step>` per recipient, so running the command twice the same day (or
again the next day within the same step) sends nothing twice.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from relais.core.notifications.kinds import NotificationKind

OVERDUE = "depassee"


@dataclass(frozen=True)
class Deadline:
    key: str
    recipients: Iterable
    due_date: datetime.date
    title: str
    body: str = ""
    url: str = ""


@dataclass(frozen=True)
class DeadlineSource:
    """`collect(today) -> Iterable[Deadline]`; `days_before`: reminder steps (days before due)."""

    name: str
    collect: Callable[[datetime.date], Iterable[Deadline]]
    days_before: tuple[int, ...] = (7, 1)
    overdue: bool = True
    label: str = ""
    kind: str = NotificationKind.DEADLINE

    def __post_init__(self):
        steps = tuple(sorted({int(d) for d in self.days_before}, reverse=True))
        if not steps or steps[-1] < 0:
            raise ValueError("days_before : des nombres de jours positifs ou nuls.")
        object.__setattr__(self, "days_before", steps)


_sources: dict[str, DeadlineSource] = {}


def register(source: DeadlineSource | Callable, **options) -> DeadlineSource:
    """Register a source (a `DeadlineSource`, or a callable wrapped with `options`).
    Registering the same name again replaces it, so module reloads are harmless."""
    if not isinstance(source, DeadlineSource):
        name = options.pop("name", f"{source.__module__}.{source.__qualname__}")
        source = DeadlineSource(name, source, **options)
    _sources[source.name] = source
    return source


def sources() -> list[DeadlineSource]:
    return list(_sources.values())


def reminder_step(due: datetime.date, today: datetime.date, source: DeadlineSource) -> str | None:
    """The reminder step a deadline is in today, or None when it is not time yet."""
    days_left = (due - today).days
    if days_left < 0:
        return OVERDUE if source.overdue else None
    candidates = [s for s in source.days_before if days_left <= s]
    return f"J-{min(candidates)}" if candidates else None


def _title(due: datetime.date, today: datetime.date, title: str) -> str:
    days_left = (due - today).days
    if days_left < 0:
        prefix = "Échéance dépassée"
    elif days_left == 0:
        prefix = "Échéance aujourd'hui"
    elif days_left == 1:
        prefix = "Échéance demain"
    else:
        prefix = f"Échéance dans {days_left} jours"
    return f"{prefix} : {title}"


@dataclass
class ReminderReport:
    created: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.created.values())


def send_reminders(today: datetime.date | None = None, names: Iterable[str] | None = None):
    """Notify every deadline in a reminder step today; return how many notifications were new."""
    from django.utils import timezone

    from relais.core.notifications.services import notify

    today = today or timezone.localdate()
    wanted = set(names) if names else None
    report = ReminderReport()
    for source in sources():
        if wanted is not None and source.name not in wanted:
            continue
        count = 0
        for deadline in source.collect(today):
            step = reminder_step(deadline.due_date, today, source)
            if step is None:
                continue
            body = deadline.body
            body += ("\n" if body else "") + f"Échéance : {deadline.due_date:%d/%m/%Y}."
            created = notify(
                deadline.recipients,
                source.kind,
                _title(deadline.due_date, today, deadline.title),
                body,
                deadline.url,
                key=f"{source.name}:{deadline.key}:{step}",
            )
            count += len(created)
        report.created[source.name] = count
    return report
