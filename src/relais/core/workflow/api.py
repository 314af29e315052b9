"""API support: a refused transition answers 409 (403 for the wrong role, 400 for a missing
comment) with `{"detail": …, "allowed_transitions": [...]}`, and two generic endpoints a module
mounts with `transition_api_urls`:

    GET  /api/v1/<prefix>/<pk>/transitions/   state, allowed transitions, history
    POST /api/v1/<prefix>/<pk>/<transition>/  {"comment": "…", "version": 3, <declared fields>}
"""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from relais.core.access import get_visible_or_404
from relais.core.workflow.engine import (
    TransitionRefused,
    apply_transition,
    history,
    workflow_for,
)
from relais.core.workflow.forms import TransitionForm


def refused_response(exc: TransitionRefused) -> Response:
    body = {
        "detail": exc.message,
        "code": "transition_refused",
        "allowed_transitions": exc.allowed,
    }
    if exc.field:
        body[exc.field] = [exc.message]
    return Response(body, status=exc.status)


def workflow_payload(obj, user, *, with_history: bool = False) -> dict:
    workflow = workflow_for(obj)
    state = workflow.state_of(obj)
    data = {
        "id": obj.pk,
        workflow.field: state,
        f"{workflow.field}_label": workflow.state_label(state),
        "version": getattr(obj, "version", None),
        "allowed_transitions": [t.name for t in workflow.allowed(obj, user)],
    }
    if with_history:
        data["history"] = [
            {
                "transition": entry.transition,
                "from": entry.from_state,
                "to": entry.to_state,
                "actor": entry.actor_name,
                "timestamp": entry.timestamp,
                "comment": entry.comment,
            }
            for entry in history(obj)
        ]
    return data


class TransitionRefusedMixin:
    """For any DRF view or viewset: turn `TransitionRefused` into its HTTP answer."""

    def handle_exception(self, exc):
        if isinstance(exc, TransitionRefused):
            return refused_response(exc)
        return super().handle_exception(exc)


def apply_from_request(obj, name: str, request) -> dict:
    """Validate the payload of a transition request, apply it, return the new state payload.

    Raises TransitionRefused (403/409/400) or DRF's ValidationError (400) with field errors.
    """
    workflow = workflow_for(obj)
    transition = workflow.check(obj, request.user, name)
    form = TransitionForm(transition, obj, data=request.data, prefix=None)
    if not form.is_valid():
        raise serializers.ValidationError(
            {name: [str(e) for e in errors] for name, errors in form.errors.items()}
        )
    version = request.data.get("version")
    try:
        version = int(version) if version not in (None, "") else None
    except (TypeError, ValueError):
        raise serializers.ValidationError(
            {"version": ["La version doit être un nombre entier."]}
        ) from None
    apply_transition(
        obj,
        name,
        request.user,
        form.cleaned_data["comment"],
        expected_version=version,
        **form.extra_values(),
    )
    return workflow_payload(obj, request.user)


_STATE = inline_serializer(
    "WorkflowState",
    {
        "id": serializers.IntegerField(),
        "status": serializers.CharField(),
        "status_label": serializers.CharField(),
        "version": serializers.IntegerField(),
        "allowed_transitions": serializers.ListField(child=serializers.CharField()),
    },
)
_REFUSED = OpenApiResponse(
    inline_serializer(
        "TransitionRefused",
        {
            "detail": serializers.CharField(),
            "code": serializers.CharField(),
            "allowed_transitions": serializers.ListField(child=serializers.CharField()),
        },
    ),
    description="Transition refusée (état, rôle ou condition).",
)


class WorkflowStateAPIView(TransitionRefusedMixin, APIView):
    """The state of a record, the transitions the caller may take and the history."""

    model = None

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="État et historique")
    def get(self, request, pk):
        obj = get_visible_or_404(self.model, request.user, pk=pk)
        return Response(workflow_payload(obj, request.user, with_history=True))


class TransitionAPIView(TransitionRefusedMixin, APIView):
    """Apply a transition: `POST …/<pk>/<transition>/` with an optional comment and version."""

    model = None

    @extend_schema(
        request=inline_serializer(
            "TransitionRequest",
            {
                "comment": serializers.CharField(required=False),
                "version": serializers.IntegerField(required=False),
            },
        ),
        responses={200: _STATE, 400: _REFUSED, 403: _REFUSED, 409: _REFUSED},
        summary="Appliquer une transition",
    )
    def post(self, request, pk, transition):
        obj = get_visible_or_404(self.model, request.user, pk=pk)
        return Response(apply_from_request(obj, transition, request), status=status.HTTP_200_OK)


def transition_api_urls(prefix: str, model, basename: str) -> list:
    """The two workflow endpoints of `model` under `prefix` (e.g. "assignments"), named
    `<basename>-workflow` and `<basename>-transition`."""
    operation = basename.replace("-", "_")
    # One operationId per model, so that several workflows do not collide in the schema.
    state_view = extend_schema_view(get=extend_schema(operation_id=f"{operation}_workflow_state"))(
        type(f"{model.__name__}WorkflowStateAPIView", (WorkflowStateAPIView,), {"model": model})
    )
    transition_view = extend_schema_view(
        post=extend_schema(operation_id=f"{operation}_apply_transition")
    )(type(f"{model.__name__}TransitionAPIView", (TransitionAPIView,), {"model": model}))
    return [
        path(f"{prefix}/<int:pk>/transitions/", state_view.as_view(), name=f"{basename}-workflow"),
        path(
            f"{prefix}/<int:pk>/<slug:transition>/",
            transition_view.as_view(),
            name=f"{basename}-transition",
        ),
    ]
