from django.urls import path

urlpatterns = []

# --- Search (relais.core.search) ------------------------------------------------------------
from relais.core.search.views import SearchAPIView  # noqa: E402

urlpatterns += [
    path("search/", SearchAPIView.as_view(), name="search"),
]
# --- end of search --------------------------------------------------------------------------

# --- Audit (relais.core.audit) --------------------------------------------------------------
from relais.core.audit.api import AuditEventList  # noqa: E402

urlpatterns += [
    path("audit/events/", AuditEventList.as_view(), name="audit-events"),
]
# --- end of audit ---------------------------------------------------------------------------
