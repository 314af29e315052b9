"""Every write of the network app, and the functions other apps read it through.

Writes (views, API, commands and the demo call these, never `save()`):

- `create_tasking(user, …)`, `set_recipients(tasking, user, …)`, `send_tasking(…)`,
  `close_tasking(…)`: a tasking and the posts it addresses;
- `save_answer(recipient, user, answer, submit=…)`: a post's answer (draft, then transmitted);
- `remind_late_posts(tasking, user)`: a manual reminder to the posts that are late;
- `create_report(user, post, year, …)`: a post's annual report.

Reads for other apps:

- `priorities_for(country, year, user=None)`: the priorities the posts covering `country` set
  for `year` in their annual report of `year - 1` (what the cooperation programming builds on).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from relais.core import records
from relais.core.notifications.kinds import NotificationKind
from relais.core.notifications.services import notify
from relais.core.workflow.engine import apply_transition
from relais.network.models import PostAnnualReport, Tasking, TaskingRecipient
from relais.network.workflows import TaskingStatus, post_attaches
from relais.referential.models import Post

#: Notification kind of a post's answer (registered in registrations.py).
ANSWER_KIND = "network_answer"


# --- Taskings --------------------------------------------------------------------------------


def resolve_posts(posts: Iterable[Post] = (), zones: Iterable = (), all_posts: bool = False):
    """The posts addressed: the chosen posts, plus every post whose host country is in one of
    the chosen zones, or every post."""
    if all_posts:
        return list(Post.objects.select_related("unit"))
    chosen = {p.pk: p for p in posts}
    zone_ids = [z.pk for z in zones]
    if zone_ids:
        for post in Post.objects.filter(host_country__zone_id__in=zone_ids).select_related("unit"):
            chosen.setdefault(post.pk, post)
    return list(chosen.values())


@transaction.atomic
def create_tasking(
    user,
    *,
    kind: str,
    title: str,
    body: str,
    due_on: datetime.date,
    marking: str | None = None,
    posts: Iterable[Post] = (),
    zones: Iterable = (),
    all_posts: bool = False,
) -> Tasking:
    """Create a tasking in preparation (legal basis: b) addressed to the posts given."""
    if not Tasking.can_create(user):
        raise PermissionDenied("Seuls le pilotage et les chargés de mission sollicitent le réseau.")
    tasking = Tasking(kind=kind, title=title, body=body, due_on=due_on, all_posts=all_posts)
    if marking:
        tasking.marking = marking
    records.create(tasking, user, m2m={"missions": list(Tasking.default_legal_basis())})
    set_recipients(tasking, user, resolve_posts(posts, zones, all_posts), all_posts=all_posts)
    return tasking


@transaction.atomic
def set_recipients(tasking: Tasking, user, posts: Iterable[Post], *, all_posts: bool = False):
    """Make the posts addressed exactly `posts` (only while the tasking is in preparation)."""
    wanted = {p.pk: p for p in posts}
    existing = {r.post_id: r for r in tasking.recipients.all()}
    if set(wanted) == set(existing) and tasking.all_posts == all_posts:
        return
    if tasking.status != TaskingStatus.DRAFT:
        raise ValidationError(
            {"posts": "Les destinataires ne changent plus une fois la sollicitation envoyée."}
        )
    for post_id, recipient in existing.items():
        if post_id not in wanted:
            records.delete(recipient, user, check_permission=False)
    for post_id, post in wanted.items():
        if post_id not in existing:
            records.create(
                TaskingRecipient(tasking=tasking, post=post, marking=tasking.marking), user
            )
    if tasking.all_posts != all_posts:
        tasking.all_posts = all_posts
        records.update(tasking, user)


@transaction.atomic
def sync_recipient_markings(tasking: Tasking, user) -> None:
    """Answers carry the marking of their tasking (so a reader's clearance applies to both)."""
    for recipient in tasking.recipients.exclude(marking=tasking.marking):
        recipient.marking = tasking.marking
        records.update(recipient, user, check_permission=False)


def send_tasking(tasking: Tasking, user, comment: str = "", *, expected_version=None):
    """Send to the posts (notifies their attachés): the workflow's `send` transition."""
    return apply_transition(tasking, "send", user, comment, expected_version=expected_version)


def close_tasking(tasking: Tasking, user, comment: str = "", *, expected_version=None):
    return apply_transition(tasking, "close", user, comment, expected_version=expected_version)


@transaction.atomic
def save_answer(
    recipient: TaskingRecipient,
    user,
    answer: str,
    *,
    submit: bool = False,
    expected_version: int | None = None,
    today: datetime.date | None = None,
) -> TaskingRecipient:
    """Save a post's answer; with `submit`, transmit it to headquarters (first transmission
    dated and notified to the author of the tasking; later edits keep that date)."""
    if not recipient.can_change(user):
        raise PermissionDenied(
            "Seuls les attachés du poste répondent, tant que la sollicitation est ouverte."
        )
    answer = (answer or "").strip()
    if submit and not answer:
        raise ValidationError({"answer": "Rédigez la réponse avant de la transmettre."})
    first_submission = submit and recipient.answered_on is None
    recipient.answer = answer
    if first_submission:
        recipient.answered_on = today or timezone.localdate()
        recipient.answered_by = user
    records.update(recipient, user, expected_version=expected_version)
    if first_submission:
        tasking = recipient.tasking
        author = [tasking.created_by] if tasking.created_by_id else []
        readers = [
            u
            for u in author
            if TaskingRecipient.objects.visible_to(u).filter(pk=recipient.pk).exists()
        ]
        late = " (après l'échéance)" if recipient.answered_late else ""
        transaction.on_commit(
            lambda: notify(
                readers,
                ANSWER_KIND,
                f"Réponse de {recipient.post} : {tasking.reference}",
                f"{recipient.post} a transmis sa réponse à la sollicitation "
                f"{tasking.reference}{late}.",
                tasking.get_absolute_url(),
                key=f"network-answer:{recipient.pk}",
            )
        )
    return recipient


def remind_late_posts(tasking: Tasking, user, today: datetime.date | None = None) -> int:
    """Remind the attachés of the posts whose answer is late (at most once a day per post).
    Returns the number of notifications created."""
    if not tasking.can_change(user):
        raise PermissionDenied("Seuls le pilotage et les chargés de mission relancent les postes.")
    today = today or timezone.localdate()
    late = list(tasking.recipients.late(today).select_related("post__unit"))
    created = 0
    for recipient in late:
        created += len(
            notify(
                post_attaches([recipient.post.unit_id]),
                NotificationKind.REMINDER,
                f"Relance : {tasking.reference} — {tasking}",
                f"La réponse de {recipient.post} était attendue le {tasking.due_on:%d/%m/%Y}.",
                recipient.get_absolute_url(),
                key=f"network-reminder:{recipient.pk}:{today.isoformat()}",
            )
        )
    return created


# --- Annual reports --------------------------------------------------------------------------


@transaction.atomic
def create_report(user, post: Post, year: int, **fields) -> PostAnnualReport:
    """Open the annual report of `post` for `year` (legal basis: b), written by its attachés."""
    if not (PostAnnualReport.can_create(user) and user.unit_id == post.unit_id):
        raise PermissionDenied("Seuls les attachés du poste rédigent son rapport annuel.")
    if PostAnnualReport.objects.filter(post=post, year=year).exists():
        raise ValidationError({"year": f"Le rapport {year} de {post} existe déjà."})
    report = PostAnnualReport(post=post, year=year, **fields)
    return records.create(
        report, user, m2m={"missions": list(PostAnnualReport.default_legal_basis())}
    )


# --- Reads for other apps --------------------------------------------------------------------


@dataclass(frozen=True)
class PostPriorities:
    """The priorities one post set for a year, as the programming reads them."""

    post: str
    post_code: str
    report_year: int
    status: str
    status_label: str
    priorities: tuple[str, ...]
    url: str


def priorities_for(country, year: int, user=None, *, accepted_only: bool = False):
    """The priorities for `year` stated in the annual reports of `year - 1` of the posts
    covering `country` (transmitted or accepted; accepted only with `accepted_only`).

    With `user`, only the reports they may see (`visible_to`); without, every report (commands,
    internal computations). Two queries whatever the number of posts.
    """
    reports = (
        PostAnnualReport.objects.visible_to(user)
        if user is not None
        else PostAnnualReport.objects.all()
    )
    reports = reports.accepted() if accepted_only else reports.transmitted()
    reports = (
        reports.filter(
            year=year - 1,
            post__in=Post.objects.filter(countries=country).values("pk"),
        )
        .with_related()
        .order_by("post__city")
    )
    return [
        PostPriorities(
            post=str(report.post),
            post_code=report.post.unit.code,
            report_year=report.year,
            status=report.status,
            status_label=report.get_status_display(),
            priorities=tuple(report.priority_list),
            url=report.get_absolute_url(),
        )
        for report in reports
    ]
