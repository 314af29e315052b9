"""API routes of mission k, mounted under /api/v1/ (namespace "api")."""

from rest_framework.routers import SimpleRouter

from relais.agreements.api import AgreementViewSet

router = SimpleRouter()
router.register("agreements", AgreementViewSet, basename="agreement")

urlpatterns = router.urls
