"""A small network: taskings in each state addressed to SSI Madrid and SSI Bamako (fixtures of
tests/fixtures.py), and helpers to move dates."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from relais.network import services
from relais.network.models import Tasking, TaskingKind


def make_tasking(
    user, posts, *, title="Point de situation", due_in=10, kind=TaskingKind.SURVEY, send=True, **kw
):
    tasking = services.create_tasking(
        user,
        kind=kind,
        title=title,
        body="Merci de transmettre les éléments demandés.",
        due_on=timezone.localdate() + datetime.timedelta(days=due_in),
        posts=posts,
        **kw,
    )
    if send:
        services.send_tasking(tasking, user)
    tasking.refresh_from_db()
    return tasking


def move_due_date(tasking, days_from_today):
    """Put the due date in the past or the future without going through the form."""
    Tasking.objects.filter(pk=tasking.pk).update(
        due_on=timezone.localdate() + datetime.timedelta(days=days_from_today)
    )
    tasking.refresh_from_db()
    return tasking


@pytest.fixture
def net(org, users):
    both = make_tasking(users.pilotage, [org.madrid, org.bamako], title="Besoins de formation")
    madrid_only = make_tasking(
        users.charge_afrique,
        [org.madrid],
        title="Filières migratoires",
        kind=TaskingKind.INFORMATION_REQUEST,
    )
    draft = make_tasking(users.pilotage, [org.bamako], title="Projet de recensement", send=False)
    return SimpleNamespace(both=both, madrid_only=madrid_only, draft=draft)


def recipient(tasking, post):
    return tasking.recipients.get(post=post)
