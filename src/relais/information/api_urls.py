"""API routes of mission a, mounted under /api/v1/ (namespace "api")."""

from rest_framework.routers import SimpleRouter

from relais.information.api import ReportViewSet

router = SimpleRouter()
router.register("information/reports", ReportViewSet, basename="information-report")

urlpatterns = router.urls
