"""API of mission k: `/api/v1/agreements/` (list with filters, create, detail, update) and
`POST /api/v1/agreements/<id>/transition/` with `{"to": "<state>", …the dates of the step}`.

Every queryset starts from `visible_to(request.user)`; the list's query parameters are the
FilterSet of the page (`filters.AgreementFilterSet`). Bad input answers 400 with field errors,
a stale version 409 (`stale_version`), an impossible transition 409 with the states the caller
may reach (`allowed_transitions`), a refused role 403, an agreement out of scope 404.
"""

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from relais.agreements import services
from relais.agreements.filters import AgreementFilterSet, agreements_for
from relais.agreements.models import Agreement
from relais.agreements.serializers import AgreementSerializer, AgreementTransitionRequestSerializer
from relais.agreements.workflows import AGREEMENT_WORKFLOW, REQUIRED_FIELDS, AgreementStatus
from relais.core.access import require_change
from relais.core.workflow.api import apply_from_request, workflow_payload
from relais.core.workflow.engine import TransitionRefused

#: Fields a transition may fill in (each step accepts only those it declares).
LIFECYCLE_FIELDS = frozenset(
    name for transition in AGREEMENT_WORKFLOW.transitions for name in transition.fields
)


def _refused(exc: TransitionRefused, agreement, user) -> Response:
    allowed = list(AGREEMENT_WORKFLOW.allowed(agreement, user))
    body = {
        "detail": exc.message,
        "code": "transition_refused",
        "status": agreement.status,
        # What the caller may put in "to" now, and the named transitions behind them.
        "allowed_transitions": list(dict.fromkeys(t.target for t in allowed)),
        "allowed": [{"to": t.target, "transition": t.name, "label": t.label} for t in allowed],
    }
    if exc.field:
        body[exc.field] = [exc.message]
    return Response(body, status=exc.status)


@extend_schema_view(
    list=extend_schema(
        summary="Accords visibles de l'utilisateur (filtres : kind, status, country, "
        "directorate, domain, in_force_on, q)",
        tags=["Accords (mission k)"],
    ),
    retrieve=extend_schema(summary="Un accord", tags=["Accords (mission k)"]),
    create=extend_schema(
        summary="Ouvrir un accord (état initiative)",
        description=(
            "Refusé (400) sans direction bénéficiaire, sans pays ni organisme partenaire, ou si "
            "l'évaluation de compétence refuse ; 403 pour un rôle qui ne crée pas d'accord."
        ),
        tags=["Accords (mission k)"],
    ),
    update=extend_schema(
        summary="Modifier un accord (version requise)", tags=["Accords (mission k)"]
    ),
    partial_update=extend_schema(
        summary="Modifier une partie d'un accord (version requise)", tags=["Accords (mission k)"]
    ),
)
class AgreementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilterSet

    def get_queryset(self):
        return agreements_for(self.request.user)

    def create(self, request, *args, **kwargs):
        if not Agreement.can_create(request.user):
            raise PermissionDenied("Votre rôle ne permet pas d'ouvrir un accord.")
        return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        require_change(request.user, self.get_object())
        return super().update(request, *args, **kwargs)

    @extend_schema(
        request=AgreementTransitionRequestSerializer,
        responses={
            200: AgreementSerializer,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Donnée manquante ou contradictoire (dates), commentaire manquant.",
            ),
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="Rôle non autorisé."),
            409: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Passage impossible depuis l'état actuel ; `allowed_transitions` "
                "donne les états atteignables.",
            ),
        },
        summary="Faire évoluer l'état d'un accord",
        description=(
            'Corps : `{"to": "signed", "signed_on": "2026-05-04", "signed_place": '
            '"Rabat"}`. Chaque étape accepte les dates qu\'elle déclare : signature '
            "(`signed_on`, `signed_place`), entrée en vigueur (`in_force_on`, `expires_on`), "
            "approbation (`approval_law_reference`, `approval_law_on`, "
            "`publication_decree_reference`, `publication_decree_on`, `in_force_on`), fin "
            "(`ended_on`). `comment` est obligatoire pour abandonner, dénoncer, rouvrir."
        ),
        tags=["Accords (mission k)"],
    )
    @action(detail=True, methods=["post"], url_path="transition")
    def transition(self, request, pk=None):
        agreement = self.get_object()
        payload = AgreementTransitionRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        target = payload.validated_data["to"]
        if target not in AgreementStatus.values:
            raise serializers.ValidationError(
                {
                    "to": [
                        f"État inconnu : « {target} ». États : {', '.join(AgreementStatus.values)}."
                    ]
                }
            )
        try:
            step = services.transition_for_state(agreement, target, request.user)
            undeclared = sorted((set(request.data) & LIFECYCLE_FIELDS) - set(step.fields))
            if undeclared:
                raise serializers.ValidationError(
                    {
                        name: [
                            f"Ce champ ne se renseigne pas lors du passage à « "
                            f"{AgreementStatus(target).label} »."
                        ]
                        for name in undeclared
                    }
                )
            missing = [
                name
                for name in REQUIRED_FIELDS.get(step.name, ())
                if request.data.get(name) in (None, "") and not getattr(agreement, name)
            ]
            if missing:
                raise serializers.ValidationError(
                    {
                        name: [f"Obligatoire pour passer à « {AgreementStatus(target).label} »."]
                        for name in missing
                    }
                )
            apply_from_request(agreement, step.name, request)
        except TransitionRefused as exc:
            return _refused(exc, agreement, request.user)
        fresh = agreements_for(request.user).get(pk=agreement.pk)
        data = dict(self.get_serializer(fresh).data)
        data["allowed_transitions"] = services.reachable_states(fresh, request.user)
        return Response(data, status=status.HTTP_200_OK)

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        summary="État, transitions possibles et historique du circuit",
        tags=["Accords (mission k)"],
    )
    @action(detail=True, methods=["get"], url_path="transitions")
    def transitions(self, request, pk=None):
        agreement = self.get_object()
        data = workflow_payload(agreement, request.user, with_history=True)
        data["allowed_states"] = services.reachable_states(agreement, request.user)
        return Response(data)
