"""Extension point: what is carried out under an agreement (does the agreement live?).

The technical cooperation actions (missions b–g) belong to the `cooperation` app, which does not
exist yet. An app never writes into another's tables, so the link will live on the action's
side — a nullable foreign key `CooperationAction.agreement = models.ForeignKey(
"agreements.Agreement", null=True, blank=True, on_delete=models.SET_NULL,
related_name="cooperation_actions")` — and the app will tell mission k about it by registering
a source here, in its `AppConfig.ready()`:

    from relais.agreements.links import Activity, register

    def actions_under(agreements, user):
        rows = (CooperationAction.objects.visible_to(user)
                .filter(agreement__in=agreements).order_by("-start_date"))
        return [Activity(agreement_id=a.agreement_id, label=str(a), url=a.get_absolute_url(),
                         date=a.start_date, detail=a.get_status_display()) for a in rows]

    register("cooperation_actions", "Actions de coopération technique", actions_under,
             count=count_actions_under)  # optional: {agreement id: n} in one aggregate query

A source takes a list of agreements (or a queryset) and the reader, starts from
`visible_to(user)`, and runs a fixed number of queries for the whole list. The agreement page
shows a section per source (« Vie de l'accord »); the lists of agreements show, for the
agreements of the page, how many activities the reader sees (`activity_counts`).
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Activity:
    agreement_id: int
    label: str
    url: str = ""
    date: datetime.date | None = None
    detail: str = ""


@dataclass(frozen=True)
class ActivitySource:
    key: str
    title: str
    collect: Callable[[object, object], list[Activity]]
    #: `count(agreements, user) -> {agreement id: n}` without loading the rows (lists); when
    #: None, the activities are collected and counted.
    count: Callable[[object, object], dict[int, int]] | None = None


_sources: dict[str, ActivitySource] = {}


def register(key: str, title: str, collect, count=None) -> ActivitySource:
    """Add (or replace) a source of activities carried out under agreements."""
    source = ActivitySource(key, title, collect, count)
    _sources[key] = source
    return source


def unregister(key: str) -> None:
    _sources.pop(key, None)


def sources() -> list[ActivitySource]:
    return list(_sources.values())


def activities_for(agreements, user) -> dict[str, dict[int, list[Activity]]]:
    """{source title: {agreement id: [activities]}} for every registered source."""
    result: dict[str, dict[int, list[Activity]]] = {}
    for source in sources():
        grouped: dict[int, list[Activity]] = defaultdict(list)
        for activity in source.collect(agreements, user):
            grouped[activity.agreement_id].append(activity)
        result[source.title] = dict(grouped)
    return result


def activity_counts(agreements, user) -> dict[int, int]:
    """{agreement id: number of activities} over every source (what lists show)."""
    counts: dict[int, int] = defaultdict(int)
    for source in sources():
        if source.count is not None:
            for agreement_id, n in source.count(agreements, user).items():
                counts[agreement_id] += n
            continue
        for activity in source.collect(agreements, user):
            counts[activity.agreement_id] += 1
    return dict(counts)
