"""API routes of the network abroad (mission b), mounted under /api/v1/ (namespace "api").

The router's routes come first: `network/taskings/<id>/answers/` must not be taken for a
transition named « answers » (by the deprecated `…/<id>/<transition>/` aliases)."""

from rest_framework.routers import SimpleRouter

from relais.core.workflow.api import workflow_api_urls
from relais.network.api import (
    TAG_REPORTS,
    TAG_TASKINGS,
    AnswerViewSet,
    ReportViewSet,
    TaskingViewSet,
)
from relais.network.workflows import REPORT_WORKFLOW, TASKING_WORKFLOW

router = SimpleRouter()
router.register("network/taskings", TaskingViewSet, basename="network-tasking")
router.register("network/answers", AnswerViewSet, basename="network-answer")
router.register("network/annual-reports", ReportViewSet, basename="network-report")

urlpatterns = [
    *router.urls,
    *workflow_api_urls(
        "network/taskings",
        TASKING_WORKFLOW,
        basename="network-tasking",
        tag=TAG_TASKINGS,
        legacy=True,
    ),
    *workflow_api_urls(
        "network/annual-reports",
        REPORT_WORKFLOW,
        basename="network-report",
        tag=TAG_REPORTS,
        legacy=True,
    ),
]

# --- Reminder (before the transitions: « remind » is not a transition) ---------------------------
from django.urls import path  # noqa: E402

from relais.network.api import TaskingRemindAPIView  # noqa: E402

urlpatterns.insert(
    0,
    path(
        "network/taskings/<int:pk>/remind/",
        TaskingRemindAPIView.as_view(),
        name="network-tasking-remind",
    ),
)
