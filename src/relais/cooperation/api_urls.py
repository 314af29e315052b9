"""API routes of missions b to g, mounted under /api/v1/ (namespace "api")."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from relais.cooperation.api import ActionViewSet, IatiExportAPIView

router = SimpleRouter()
router.register("cooperation/actions", ActionViewSet, basename="cooperation-action")

urlpatterns = [
    path("cooperation/iati/", IatiExportAPIView.as_view(), name="cooperation-iati"),
    *router.urls,
]
