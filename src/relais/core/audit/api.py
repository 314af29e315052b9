"""Audit in the API: the trail (`GET /api/v1/audit/events/`) and the access log of reads.

A retrieve endpoint of a sensitive model (`audit_reads = True`) logs each read by mixing in
`AuditedRetrieveMixin`:

    class InformationReportViewSet(AuditedRetrieveMixin, viewsets.ModelViewSet): ...
"""

from rest_framework import generics, permissions, serializers
from rest_framework.response import Response

from relais.core.audit.events import log_read
from relais.core.audit.filters import AuditEventFilterSet
from relais.core.audit.models import AuditEvent, can_consult_audit


class AuditedRetrieveMixin:
    """`retrieve` that writes the access log for records whose model sets `audit_reads`."""

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        log_read(request.user, instance)
        return Response(self.get_serializer(instance).data)


class CanConsultAudit(permissions.BasePermission):
    message = "Le journal d'audit est réservé au pilotage et aux lecteurs."

    def has_permission(self, request, view):
        return can_consult_audit(request.user)


class AuditEventSerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "timestamp",
            "actor",
            "actor_username",
            "action",
            "action_label",
            "model",
            "object_id",
            "object_repr",
            "marking",
            "changes",
            "extra",
            "ip_address",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields


class AuditEventList(generics.ListAPIView):
    """The audit trail, newest first, with the filters of the "Audit" page."""

    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
    permission_classes = [permissions.IsAuthenticated, CanConsultAudit]

    def get_queryset(self):
        return AuditEvent.objects.visible_to(self.request.user).order_by("-id")
