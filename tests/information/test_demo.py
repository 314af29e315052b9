"""Priority 9: the demo loader (bulk, idempotent, realistic states, some overdue)."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from relais.core import demo
from relais.information.demo import DEMO_PREFIX, load_demo
from relais.information.models import Dissemination, Feedback, InformationReport, RoutingRule
from relais.information.workflows import ReportStatus
from relais.referential.loaders import load_demo as load_org_demo
from relais.referential.loaders import load_reference


@pytest.fixture
def demo_world(db):
    load_reference()
    load_org_demo()


def test_demo_loader_is_registered():
    assert "information" in {loader.name for loader in demo.registered()}


def test_demo_loads_quickly_once(demo_world):
    start = time.perf_counter()
    created = load_demo(count=600)
    elapsed = time.perf_counter() - start
    assert created["fiches d'information"] == 600
    assert elapsed < 10
    assert load_demo(count=600) == {}  # idempotent
    reports = InformationReport.objects.all()
    assert reports.count() == 600
    assert all(r.source_description.startswith(DEMO_PREFIX) for r in reports[:20])
    statuses = set(reports.values_list("status", flat=True))
    assert {ReportStatus.DISSEMINATED, ReportStatus.CLOSED} <= statuses
    oldest = reports.order_by("created_at").first().created_at
    assert (timezone.now() - oldest).days > 600  # spread over three years
    assert Dissemination.objects.overdue(timezone.localdate()).exists()
    assert Dissemination.objects.filter(acknowledged_at__isnull=False).exists()
    assert Feedback.objects.exists()
    drugs = RoutingRule.objects.get(theme__code="drugs", country__isnull=True)
    assert {u.code for u in drugs.units.all()} == {"OFAST", "PJGN"}
    # The demo analyst sees the submitted reports; the Madrid attaché sees only Madrid's.
    analyst = get_user_model().objects.get(username="analyste")
    madrid = get_user_model().objects.get(username="attache.madrid")
    assert InformationReport.objects.visible_to(analyst).count() > 500
    own = InformationReport.objects.visible_to(madrid)
    assert own.count() < 600
    assert set(own.values_list("unit__code", flat=True)) <= {"SSI-MADRID"}
    # Four-eyes holds in the demo too.
    validated = reports.filter(validated_by__isnull=False)
    assert not validated.filter(created_by=analyst).exists()
