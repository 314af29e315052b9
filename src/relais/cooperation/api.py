"""API of missions b to g:

- `GET/POST /api/v1/cooperation/actions/` (list with the page's filters: year, country, zone,
  directorate, kind, domain, status, funder, programme, post, q; create);
- `GET/PATCH /api/v1/cooperation/actions/<id>/`;
- `POST /api/v1/cooperation/actions/<id>/transition/` with `{"to": "<state>", "comment": "…"}`
  (plus the fields the step declares: `meae_opinion`, `meae_opinion_on`, `actual_start`,
  `actual_end`, `postponed_to`, `planned_start`, `planned_end`);
- `GET /api/v1/cooperation/actions/<id>/transitions/` (state, reachable states, history);
- `GET /api/v1/cooperation/iati/` (IATI 2.03 XML of the actions the caller sees; `country`,
  `year`).

Every queryset starts from `visible_to(request.user)`. Bad input answers 400 with field
errors, a stale version 409 (`stale_version`), an impossible transition 409 with the states the
caller may reach (`allowed_transitions`), a refused role 403, an action out of scope 404.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from relais.cooperation import iati, services
from relais.cooperation.filters import ActionFilterSet, actions_for
from relais.cooperation.models import CooperationAction
from relais.cooperation.serializers import ActionSerializer, ActionTransitionRequestSerializer
from relais.cooperation.workflows import ACTION_WORKFLOW, ActionStatus
from relais.core.access import require_change
from relais.core.audit.events import log_export
from relais.core.workflow.api import apply_from_request, workflow_payload
from relais.core.workflow.engine import TransitionRefused

TAG = "Coopération technique (missions b à g)"
#: Fields a transition may fill in (each step accepts only those it declares).
LIFECYCLE_FIELDS = frozenset(
    name for transition in ACTION_WORKFLOW.transitions for name in transition.fields
)


def _refused(exc: TransitionRefused, obj, user) -> Response:
    allowed = list(ACTION_WORKFLOW.allowed(obj, user))
    body = {
        "detail": exc.message,
        "code": "transition_refused",
        "status": obj.status,
        # What the caller may put in "to" now, and the named transitions behind them.
        "allowed_transitions": list(dict.fromkeys(t.target for t in allowed)),
        "allowed": [{"to": t.target, "transition": t.name, "label": t.label} for t in allowed],
    }
    if exc.field:
        body[exc.field] = [exc.message]
    return Response(body, status=exc.status)


@extend_schema_view(
    list=extend_schema(
        summary="Actions visibles de l'utilisateur (filtres : year, country, zone, directorate, "
        "kind, domain, status, funder, programme, post, q)",
        tags=[TAG],
    ),
    retrieve=extend_schema(summary="Une action", tags=[TAG]),
    create=extend_schema(
        summary="Proposer une action (état proposed)",
        description="Refusé (400) si l'évaluation de compétence refuse (direction, nature de "
        "coopération, question relevant exclusivement du renseignement) ou si le pays est hors "
        "du périmètre de l'utilisateur ; 403 pour un rôle qui ne propose pas d'action.",
        tags=[TAG],
    ),
    update=extend_schema(summary="Modifier une action (version requise)", tags=[TAG]),
    partial_update=extend_schema(
        summary="Modifier une partie d'une action (version requise)", tags=[TAG]
    ),
)
class ActionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ActionSerializer
    filterset_class = ActionFilterSet

    def get_queryset(self):
        return actions_for(self.request.user)

    def create(self, request, *args, **kwargs):
        if not CooperationAction.can_create(request.user):
            raise PermissionDenied("Votre rôle ne permet pas de proposer une action.")
        return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        require_change(request.user, self.get_object())
        return super().update(request, *args, **kwargs)

    def _fresh(self, pk):
        return actions_for(self.request.user).get(pk=pk)

    @extend_schema(
        request=ActionTransitionRequestSerializer,
        responses={
            200: ActionSerializer,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT, description="Donnée ou commentaire manquant."
            ),
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="Rôle non autorisé."),
            409: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Passage impossible depuis l'état actuel ; `allowed_transitions` "
                "donne les états atteignables.",
            ),
        },
        summary="Faire évoluer l'état d'une action",
        description=(
            'Corps : `{"to": "meae_opinion", "meae_opinion": "favorable", "comment": '
            "\"…\"}`. L'avis du MEAE s'enregistre en restant à l'état `meae_opinion` (commentaire "
            "obligatoire) ; `programmed` n'est possible qu'ensuite. `postponed` exige le motif "
            "(`comment`) et la nouvelle date (`postponed_to`) ; `in_progress` la date réelle de "
            "début (`actual_start`) ; `completed` la date réelle de fin (`actual_end`) ; "
            "`evaluated` une évaluation saisie ; `cancelled` un commentaire."
        ),
        tags=[TAG],
    )
    @action(detail=True, methods=["post"], url_path="transition")
    def transition(self, request, pk=None):
        obj = self.get_object()
        payload = ActionTransitionRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        target = payload.validated_data["to"]
        if target not in ActionStatus.values:
            raise serializers.ValidationError(
                {"to": [f"État inconnu : « {target} ». États : {', '.join(ActionStatus.values)}."]}
            )
        try:
            step = services.transition_for_state(obj, target, request.user)
            undeclared = sorted((set(request.data) & LIFECYCLE_FIELDS) - set(step.fields))
            if undeclared:
                raise serializers.ValidationError(
                    {
                        name: [
                            "Ce champ ne se renseigne pas lors du passage à "
                            f"« {ActionStatus(target).label} »."
                        ]
                        for name in undeclared
                    }
                )
            apply_from_request(obj, step.name, request)
        except TransitionRefused as exc:
            return _refused(exc, obj, request.user)
        fresh = self._fresh(obj.pk)
        data = dict(self.get_serializer(fresh).data)
        data["allowed_transitions"] = services.reachable_states(fresh, request.user)
        return Response(data, status=status.HTTP_200_OK)

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        summary="État, états atteignables et historique du circuit",
        tags=[TAG],
    )
    @action(detail=True, methods=["get"], url_path="transitions")
    def transitions(self, request, pk=None):
        obj = self.get_object()
        data = workflow_payload(obj, request.user, with_history=True)
        data["allowed_states"] = services.reachable_states(obj, request.user)
        return Response(data)


class IatiExportAPIView(APIView):
    """The IATI 2.03 file of the actions the caller sees (the same as `relais export-iati`)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("country", str, description="Code ISO alpha-2 du pays."),
            OpenApiParameter("year", int, description="Année (début prévu)."),
        ],
        responses={(200, "application/xml"): OpenApiTypes.STR},
        summary="Export IATI 2.03 des actions (XML)",
        tags=[TAG],
    )
    def get(self, request):
        country = (request.query_params.get("country") or "").strip()
        year = (request.query_params.get("year") or "").strip()
        errors = {}
        if country and (len(country) != 2 or not country.isalpha()):
            errors["country"] = ["Code ISO alpha-2 attendu (ex. ML)."]
        if year and not (year.isdigit() and 1990 <= int(year) <= 2100):
            errors["year"] = ["Année sur quatre chiffres attendue (ex. 2025)."]
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        qs = iati.export_queryset(
            request.user, country=country or None, year=int(year) if year else None
        )
        actions = list(qs)
        log_export(
            request.user,
            CooperationAction,
            fmt="iati",
            count=len(actions),
            filters={"country": country, "year": year},
        )
        body = iati.export_activities(actions)
        response = HttpResponse(body, content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="relais-iati.xml"'
        return response
