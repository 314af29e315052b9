"""The demo loader: plausible taskings over the last year with answers (some late), last year's
reports for most posts; idempotent and fast."""

import time

import pytest
from django.utils import timezone

from relais.core.demo import registered
from relais.network.demo import TASKINGS, load_demo
from relais.network.models import PostAnnualReport, Tasking, TaskingRecipient
from relais.network.workflows import ReportStatus, TaskingStatus
from relais.referential.loaders import load_demo as load_org_demo
from relais.referential.loaders import load_reference
from relais.referential.models import Post


@pytest.fixture
def demo_world(db):
    load_reference()
    load_org_demo()


def test_demo_is_registered():
    assert "network" in [loader.name for loader in registered()]


def test_demo_loads_once_and_fast(demo_world):
    start = time.perf_counter()
    first = load_demo()
    elapsed = time.perf_counter() - start
    assert elapsed < 10, f"démo du réseau : {elapsed:.1f} s"
    assert first["sollicitations du réseau"] == len(TASKINGS)
    assert load_demo() == {
        "sollicitations du réseau": 0,
        "destinataires de sollicitations": 0,
        "rapports annuels de poste": 0,
    }
    today = timezone.localdate()
    posts = Post.objects.count()
    assert {t.status for t in Tasking.objects.all()} == set(TaskingStatus.values)
    assert all(t.legal_basis_codes() == ["b"] for t in Tasking.objects.all())
    everyone = Tasking.objects.filter(all_posts=True).first()
    assert everyone.recipients.count() == posts
    assert TaskingRecipient.objects.late(today).exists()
    assert TaskingRecipient.objects.filter(answered_on__isnull=False).exists()
    late_answers = [
        r for r in TaskingRecipient.objects.answered().select_related("tasking") if r.answered_late
    ]
    assert late_answers
    assert all(r.answered_on <= today for r in TaskingRecipient.objects.answered())
    reports = PostAnnualReport.objects.filter(year=today.year - 1)
    assert posts * 0.8 <= reports.count() < posts
    assert {r.status for r in reports} == set(ReportStatus.values)
    assert reports.get(post__city="Bamako").status == ReportStatus.DRAFT
    assert all(r.priority_list for r in reports)
    # The demo attachés have something to do.
    madrid = Post.objects.get(city="Madrid")
    bamako = Post.objects.get(city="Bamako")
    assert TaskingRecipient.objects.pending().filter(post=madrid).exists()
    assert TaskingRecipient.objects.late(today).filter(post=bamako).exists()
