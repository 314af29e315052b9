"""Relais URLs: each app mounts its own pages and its API under /api/v1/."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from relais.core.views import healthz

api_v1 = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        # The split view serves its script apart: no inline script (Content-Security-Policy).
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="relais/swagger_ui.html"
        ),
        name="docs",
    ),
    path("", include("relais.accounts.api_urls")),
    path("", include("relais.legal.api_urls")),
    path("", include("relais.referential.api_urls")),
    path("", include("relais.referential.workflow_api_urls")),
    path("", include("relais.countries.api_urls")),
    path("", include("relais.core.api_urls")),
    path("", include("relais.agreements.api_urls")),
    path("", include("relais.cooperation.api_urls")),
    path("", include("relais.information.api_urls")),
    path("", include("relais.network.api_urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include((api_v1, "api"))),
    path("compte/", include("relais.accounts.urls")),
    path("organisation/", include("relais.referential.urls")),
    path("organisation/", include("relais.referential.workflow_urls")),
    path("article-1/", include("relais.legal.urls")),
    path("pays/", include("relais.countries.urls")),
    path("accords/", include("relais.agreements.urls")),
    path("cooperation/", include("relais.cooperation.urls")),
    path("information/", include("relais.information.urls")),
    path("reseau/", include("relais.network.urls")),
    path("recherche/", include("relais.core.search.urls")),
    path("notifications/", include("relais.core.notifications.urls")),
    path("audit/", include("relais.core.audit.urls")),
    path("calendrier/", include("relais.core.exports.urls")),
    path("admin/", admin.site.urls),
    path("", include("relais.core.urls")),
]

handler400 = "relais.core.errors.bad_request"
handler403 = "relais.core.errors.permission_denied"
handler404 = "relais.core.errors.page_not_found"
handler500 = "relais.core.errors.server_error"

admin.site.site_header = "Relais — administration"
admin.site.site_title = "Relais"
admin.site.index_title = "Administration du référentiel et des comptes"
