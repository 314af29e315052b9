"""API of the network abroad (mission b), under /api/v1/network/:

- `taskings/` list (filters of the page: q, kind, status, post, zone, year, late), create;
  `taskings/<id>/` read, PATCH (version required); `taskings/<id>/answers/` the answers the
  caller may see; transitions `POST taskings/<id>/send/` | `close/` | `reopen/` and
  `GET taskings/<id>/transitions/` (generic workflow endpoints);
- `answers/` list (tasking, post, answered, late), `answers/<id>/` read, PATCH
  `{"answer": "…", "submit": true, "version": n}` by the post's attachés;
- `annual-reports/` list (q, year, status, post, zone), create (an attaché, for their post);
  `annual-reports/<id>/` read, PATCH (version required); `GET/POST
  annual-reports/<id>/transitions/` (`submit`, `accept`, `return`).

Every queryset starts from `visible_to(request.user)`: out of scope answers 404, in scope but not
allowed 403, bad input 400 with field errors, a stale version 409 (`stale_version`), an
impossible transition 409 (`transition_refused`).
"""

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from relais.core.access import require_change
from relais.core.workflow.api import TransitionRefusedMixin
from relais.network.filters import (
    AnswerFilterSet,
    ReportFilterSet,
    TaskingFilterSet,
    answers_for,
    reports_for,
    taskings_for,
)
from relais.network.models import PostAnnualReport, Tasking
from relais.network.serializers import (
    AnnualReportSerializer,
    TaskingAnswerSerializer,
    TaskingSerializer,
)

TAG_TASKINGS = "Réseau : sollicitations (mission b)"
TAG_REPORTS = "Réseau : rapports annuels (mission b)"


class _Base(
    TransitionRefusedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def update(self, request, *args, **kwargs):
        require_change(request.user, self.get_object())
        return super().update(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(summary="Sollicitations visibles", tags=[TAG_TASKINGS]),
    retrieve=extend_schema(summary="Une sollicitation", tags=[TAG_TASKINGS]),
    create=extend_schema(
        summary="Préparer une sollicitation (état en préparation)",
        description="Destinataires : `posts` (codes), `zones` (codes) ou `all_posts`. "
        "Pilotage et chargés de mission seulement (403 sinon).",
        tags=[TAG_TASKINGS],
    ),
    update=extend_schema(summary="Modifier (version requise)", tags=[TAG_TASKINGS]),
    partial_update=extend_schema(
        summary="Modifier en partie (version requise)", tags=[TAG_TASKINGS]
    ),
)
class TaskingViewSet(mixins.CreateModelMixin, _Base):
    serializer_class = TaskingSerializer
    filterset_class = TaskingFilterSet

    def get_queryset(self):
        user = self.request.user
        recipients = answers_for(user).order_by("post__city")
        return taskings_for(user).prefetch_related(
            "missions", Prefetch("recipients", queryset=recipients, to_attr="visible_recipients")
        )

    def create(self, request, *args, **kwargs):
        if not Tasking.can_create(request.user):
            raise PermissionDenied(
                "Seuls le pilotage et les chargés de mission sollicitent le réseau."
            )
        response = super().create(request, *args, **kwargs)
        fresh = self.get_queryset().get(pk=response.data["id"])
        response.data = self.get_serializer(fresh).data
        return response

    def update(self, request, *args, **kwargs):
        response = super().update(request, *args, **kwargs)
        fresh = self.get_queryset().get(pk=kwargs["pk"])
        response.data = self.get_serializer(fresh).data
        return response

    @extend_schema(
        responses={200: TaskingAnswerSerializer(many=True)},
        summary="Réponses des postes à cette sollicitation (celles que vous pouvez voir)",
        tags=[TAG_TASKINGS],
    )
    @action(detail=True, methods=["get"], url_path="answers")
    def answers(self, request, pk=None):
        tasking = self.get_object()
        rows = answers_for(request.user).filter(tasking=tasking).order_by("post__city")
        return Response(
            TaskingAnswerSerializer(rows, many=True, context=self.get_serializer_context()).data
        )


@extend_schema_view(
    list=extend_schema(summary="Réponses des postes visibles", tags=[TAG_TASKINGS]),
    retrieve=extend_schema(summary="Une réponse", tags=[TAG_TASKINGS]),
    update=extend_schema(summary="Répondre (attachés du poste)", tags=[TAG_TASKINGS]),
    partial_update=extend_schema(summary="Répondre (attachés du poste)", tags=[TAG_TASKINGS]),
)
class AnswerViewSet(_Base):
    serializer_class = TaskingAnswerSerializer
    filterset_class = AnswerFilterSet

    def get_queryset(self):
        return answers_for(self.request.user).order_by("-tasking__due_on", "post__city")


@extend_schema_view(
    list=extend_schema(summary="Rapports annuels visibles", tags=[TAG_REPORTS]),
    retrieve=extend_schema(summary="Un rapport annuel", tags=[TAG_REPORTS]),
    create=extend_schema(summary="Ouvrir le rapport annuel de son poste", tags=[TAG_REPORTS]),
    update=extend_schema(summary="Modifier (version requise)", tags=[TAG_REPORTS]),
    partial_update=extend_schema(
        summary="Modifier en partie (version requise)", tags=[TAG_REPORTS]
    ),
)
class ReportViewSet(mixins.CreateModelMixin, _Base):
    serializer_class = AnnualReportSerializer
    filterset_class = ReportFilterSet

    def get_queryset(self):
        return reports_for(self.request.user).prefetch_related("missions")

    def create(self, request, *args, **kwargs):
        if not PostAnnualReport.can_create(request.user):
            raise PermissionDenied("Seuls les attachés rédigent le rapport annuel de leur poste.")
        return super().create(request, *args, **kwargs)


# --- Reminder of the late posts -------------------------------------------------------------------

from drf_spectacular.utils import OpenApiResponse, inline_serializer  # noqa: E402
from rest_framework import serializers, status  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

from relais.core.access import get_visible_or_404  # noqa: E402
from relais.network import services  # noqa: E402
from relais.network.models import TaskingStatus  # noqa: E402


class TaskingRemindAPIView(APIView):
    """`POST /api/v1/network/taskings/<id>/remind/`: remind the posts whose answer is late, as
    the button « Relancer les postes en retard » (`services.remind_late_posts`)."""

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer(
                "TaskingReminder",
                {"reminded": serializers.IntegerField(help_text="Notifications envoyées.")},
            ),
            403: OpenApiResponse(description="Ni pilotage ni chargé de mission."),
            409: OpenApiResponse(description="La sollicitation n'est pas envoyée."),
        },
        summary="Relancer les postes en retard (une fois par jour et par poste)",
        tags=[TAG_TASKINGS],
    )
    def post(self, request, pk):
        tasking = get_visible_or_404(Tasking, request.user, pk=pk)
        require_change(request.user, tasking)
        if tasking.status != TaskingStatus.SENT:
            return Response(
                {"detail": "Seule une sollicitation envoyée peut donner lieu à une relance."},
                status=status.HTTP_409_CONFLICT,
            )
        return Response({"reminded": services.remind_late_posts(tasking, request.user)})
