"""The "Audit" page: the trail of events, filtered and paginated (pilotage and lecteur)."""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from relais.core.audit.filters import AuditEventFilterSet, model_choices
from relais.core.audit.history import describe_changes
from relais.core.audit.models import AuditEvent, can_consult_audit

PAGE_SIZE = 50


def event_list(request):
    """The audit trail, newest first: the events the user may read, filtered by the FilterSet."""
    if not can_consult_audit(request.user):
        raise PermissionDenied("Le journal d'audit est réservé au pilotage et aux lecteurs.")
    queryset = AuditEvent.objects.visible_to(request.user).order_by("-id")
    filterset = AuditEventFilterSet(request.GET or None, queryset=queryset)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    kinds = dict(model_choices())

    rows = []
    for event in page.object_list:
        try:
            model = apps.get_model(event.model) if event.model else None
        except (LookupError, ValueError):
            model = None
        rows.append(
            {
                "event": event,
                "kind": kinds.get(event.model, event.model),
                "changes": describe_changes(model, event),
            }
        )
    return render(
        request,
        "audit/list.html",
        {
            "title": "Journal d'audit",
            "breadcrumb": [("Journal d'audit", None)],
            "filterset": filterset,
            "page_obj": page,
            "rows": rows,
        },
    )
