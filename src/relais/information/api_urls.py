"""API routes of mission a, mounted under /api/v1/ (namespace "api")."""

from rest_framework.routers import SimpleRouter

from relais.core.workflow.api import workflow_api_urls
from relais.information.api import TAG, WORKFLOW_API, ReportViewSet

router = SimpleRouter()
router.register("information/reports", ReportViewSet, basename="information-report")

urlpatterns = [
    *router.urls,
    *workflow_api_urls(
        "information/reports", WORKFLOW_API, basename="information-report", tag=TAG[0]
    ),
]

# --- Analysis files, routing rules, syntheses, notes, links --------------------------------------
from django.urls import path  # noqa: E402

from relais.information import api  # noqa: E402

analysis = SimpleRouter()
analysis.register("information/files", api.AnalysisFileViewSet, basename="information-file")
analysis.register("information/rules", api.RoutingRuleViewSet, basename="information-rule")
analysis.register(
    r"information/reports/(?P<report_pk>[0-9]+)/notes",
    api.AnalystNoteViewSet,
    basename="information-report-note",
)
analysis.register(
    r"information/reports/(?P<report_pk>[0-9]+)/links",
    api.ReportLinkViewSet,
    basename="information-report-link",
)
urlpatterns += [
    path("information/syntheses/", api.SynthesisAPIView.as_view(), name="information-synthesis"),
    path(
        "information/reports/<int:pk>/clear-duplicate/",
        api.ClearDuplicateAPIView.as_view(),
        name="information-report-clear-duplicate",
    ),
    *analysis.urls,
]

# --- Receipts and purge traces ---------------------------------------------------------------------
traces = SimpleRouter()
traces.register("information/receipts", api.ReceiptViewSet, basename="information-receipt")
traces.register("information/purges", api.PurgeRecordViewSet, basename="information-purge")
urlpatterns += traces.urls
