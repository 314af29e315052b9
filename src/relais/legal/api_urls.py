"""API of the article, mounted under /api/v1/ (namespace "api")."""

from django.urls import path

from relais.legal import api

urlpatterns = [
    path("legal/missions/", api.MissionList.as_view(), name="legal-missions"),
    path("legal/assess/", api.AssessmentView.as_view(), name="legal-assess"),
]
