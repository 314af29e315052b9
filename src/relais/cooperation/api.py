"""API of missions b to g:

- `GET/POST /api/v1/cooperation/actions/` (list with the page's filters: year, country, zone,
  directorate, kind, domain, status, funder, programme, post, q; create);
- `GET/PATCH /api/v1/cooperation/actions/<id>/`;
- `GET/POST /api/v1/cooperation/actions/<id>/transitions/`: the workflow endpoint
  (docs/dev/workflow.md §4), `{"transition": "start", "actual_start": "…"}`;
- deprecated: `POST /api/v1/cooperation/actions/<id>/transition/` with `{"to": "<state>", …}`;
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
from relais.cooperation.serializers import ActionSerializer
from relais.cooperation.workflows import ACTION_WORKFLOW, ActionStatus
from relais.core.access import require_change
from relais.core.audit.events import log_export
from relais.core.workflow.api import (
    ERROR_RESPONSES,
    WorkflowEndpoint,
    apply_from_request,
    legacy_state_change_serializer,
)
from relais.core.workflow.engine import TransitionRefused

TAG = "Coopération technique (missions b à g)"
#: The workflow endpoint (`GET/POST cooperation/actions/<id>/transitions/`, in api_urls.py).
WORKFLOW_API = WorkflowEndpoint(ACTION_WORKFLOW)
#: Deprecated body of `POST cooperation/actions/<id>/transition/`: `{"to": "<state>", …}`.
CooperationActionStateChangeSerializer = legacy_state_change_serializer(WORKFLOW_API)

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
        request=CooperationActionStateChangeSerializer,
        responses={200: ActionSerializer, **ERROR_RESPONSES},
        deprecated=True,
        summary="Faire évoluer l'état d'une action (déprécié : POST …/transitions/)",
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
        payload = CooperationActionStateChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        target = payload.validated_data["to"]
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


# --- Programmes, funding lines, evaluations, comments, other donors ----------------------------
# /api/v1/cooperation/programmes/ (+ transitions: see api_urls.py), programmes/<id>/fundings/,
# actions/<id>/fundings/, actions/<id>/evaluation/, actions/<id>/comments/, fundings/ (all the
# lines the caller sees), other-donors/ (+ import/).

from rest_framework.parsers import FormParser, MultiPartParser  # noqa: E402

from relais.cooperation.filters import (  # noqa: E402
    FundingFilterSet,
    OtherDonorFilterSet,
    ProgrammeFilterSet,
    programmes_for,
)
from relais.cooperation.models import (  # noqa: E402
    ActionComment,
    Evaluation,
    Funding,
    OtherDonorActivity,
    Programme,
)
from relais.cooperation.serializers import (  # noqa: E402
    ActionCommentSerializer,
    EvaluationSerializer,
    FundingLineSerializer,
    IatiImportRequestSerializer,
    IatiImportResultSerializer,
    OtherDonorActivitySerializer,
    ProgrammeSerializer,
)
from relais.core.access import require_create  # noqa: E402
from relais.core.api_children import (  # noqa: E402
    ChildViewSet,
    CreateChildMixin,
    DestroyChildMixin,
    RecordViewSet,
    UpdateChildMixin,
)


@extend_schema_view(
    list=extend_schema(
        summary="Programmes de coopération visibles (filtres : q, year, country, zone, theme, "
        "status)",
        tags=[TAG],
    ),
    retrieve=extend_schema(summary="Un programme de coopération", tags=[TAG]),
    create=extend_schema(
        summary="Créer un programme (état « en préparation »)",
        description="Un pays ou une zone (l'un des deux, 400 sinon) ; 403 pour un rôle qui ne "
        "programme pas.",
        tags=[TAG],
    ),
    update=extend_schema(summary="Modifier un programme (version requise)", tags=[TAG]),
    partial_update=extend_schema(summary="Modifier un programme (version requise)", tags=[TAG]),
)
class ProgrammeViewSet(RecordViewSet):
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilterSet

    def get_queryset(self):
        return programmes_for(self.request.user).prefetch_related("missions")

    create_refused = "Votre rôle ne permet pas de créer un programme."

    def may_create(self, user) -> bool:
        return Programme.can_create(user)


class _FundingChildViewSet(
    ChildViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    CreateChildMixin,
    UpdateChildMixin,
    DestroyChildMixin,
):
    model = Funding
    serializer_class = FundingLineSerializer
    add_refused = "Vous ne pouvez pas modifier les financements de cet enregistrement."

    def get_child_queryset(self):
        return Funding.objects.select_related("funder", "action", "programme")

    def delete_child(self, obj, user, *, expected_version=None):
        services.delete_funding(obj, user, expected_version=expected_version)


def _funding_schema(parent: str):
    return extend_schema_view(
        list=extend_schema(summary=f"Lignes de financement {parent}", tags=[TAG]),
        retrieve=extend_schema(summary=f"Une ligne de financement {parent}", tags=[TAG]),
        create=extend_schema(summary=f"Ajouter une ligne de financement {parent}", tags=[TAG]),
        update=extend_schema(summary="Modifier une ligne (version requise)", tags=[TAG]),
        partial_update=extend_schema(summary="Modifier une ligne (version requise)", tags=[TAG]),
        destroy=extend_schema(
            summary="Supprimer une ligne de financement",
            description="`?version=N` : refusé (409) si la ligne a changé depuis la lecture.",
            tags=[TAG],
        ),
    )


@_funding_schema("d'une action")
class ActionFundingViewSet(_FundingChildViewSet):
    parent_model = CooperationAction
    parent_kwarg = "action_pk"
    parent_field = "action"


@_funding_schema("d'un programme")
class ProgrammeFundingViewSet(_FundingChildViewSet):
    parent_model = Programme
    parent_kwarg = "programme_pk"
    parent_field = "programme"


@extend_schema_view(
    list=extend_schema(
        summary="Toutes les lignes de financement visibles (filtres : funder, instrument, "
        "status, year, country)",
        tags=[TAG],
    ),
    retrieve=extend_schema(summary="Une ligne de financement", tags=[TAG]),
)
class FundingViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only: a line is written under its action or its programme."""

    serializer_class = FundingLineSerializer
    filterset_class = FundingFilterSet

    def get_queryset(self):
        return Funding.objects.visible_to(self.request.user).select_related("funder").order_by("pk")


@extend_schema_view(
    list=extend_schema(summary="Commentaires sur une action", tags=[TAG]),
    create=extend_schema(
        summary="Commenter une action (les suivants de l'action sont prévenus)", tags=[TAG]
    ),
)
class ActionCommentViewSet(ChildViewSet, mixins.ListModelMixin, CreateChildMixin):
    parent_model = CooperationAction
    parent_kwarg = "action_pk"
    parent_field = "action"
    model = ActionComment
    serializer_class = ActionCommentSerializer
    add_refused = "Vous pouvez consulter cette action, mais pas la commenter."

    def get_child_queryset(self):
        return ActionComment.objects.select_related("author")

    def may_add(self, parent) -> bool:
        return parent.can_comment(self.request.user)


class ActionEvaluationView(ChildViewSet):
    """`GET/PUT /api/v1/cooperation/actions/<id>/evaluation/`: the one evaluation of an action
    (PUT creates it, then changes it with its version)."""

    parent_model = CooperationAction
    parent_kwarg = "action_pk"
    parent_field = "action"
    model = Evaluation
    serializer_class = EvaluationSerializer

    def _evaluation(self):
        return self.get_queryset().first()

    @extend_schema(
        responses={200: EvaluationSerializer, 404: OpenApiResponse(OpenApiTypes.OBJECT)},
        summary="L'évaluation d'une action (404 tant qu'elle n'est pas saisie)",
        tags=[TAG],
    )
    def retrieve(self, request, *args, **kwargs):
        evaluation = self._evaluation()
        if evaluation is None:
            return Response(
                {"detail": "Cette action n'est pas encore évaluée."},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(self.get_serializer(evaluation).data)

    @extend_schema(
        request=EvaluationSerializer,
        responses={
            200: EvaluationSerializer,
            201: EvaluationSerializer,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT, description="Champ invalide ou action non réalisée."
            ),
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="Action en lecture seule."),
            409: OpenApiResponse(OpenApiTypes.OBJECT, description="Version périmée."),
        },
        summary="Saisir (201) ou modifier (200, version requise) l'évaluation d'une action "
        "réalisée",
        tags=[TAG],
    )
    def update(self, request, *args, **kwargs):
        action_ = self.get_parent()
        require_change(request.user, action_)
        evaluation = self._evaluation()
        serializer = self.get_serializer(evaluation, data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = serializer.save()
        code = status.HTTP_200_OK if evaluation is not None else status.HTTP_201_CREATED
        return Response(self.get_serializer(saved).data, status=code)


@extend_schema_view(
    list=extend_schema(
        summary="Activités des autres bailleurs (IATI ; filtres : country, q)", tags=[TAG]
    ),
    retrieve=extend_schema(summary="Une activité d'un autre bailleur", tags=[TAG]),
)
class OtherDonorActivityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OtherDonorActivitySerializer
    filterset_class = OtherDonorFilterSet

    def get_queryset(self):
        return (
            OtherDonorActivity.objects.visible_to(self.request.user)
            .prefetch_related("countries")
            .order_by("-start_date", "title", "pk")
        )

    @extend_schema(
        request={"multipart/form-data": IatiImportRequestSerializer},
        responses={
            200: IatiImportResultSerializer,
            400: OpenApiResponse(
                IatiImportResultSerializer, description="Fichier refusé (rien n'est importé)."
            ),
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="Rôle non autorisé."),
        },
        summary="Importer (ou vérifier, `dry_run`) un fichier IATI d'autres bailleurs",
        tags=[TAG],
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request):
        require_create(request.user, OtherDonorActivity)
        payload = IatiImportRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        upload = payload.validated_data["file"]
        result = iati.import_activities(
            upload.read(),
            user=request.user,
            dry_run=payload.validated_data["dry_run"],
            valid_only=payload.validated_data["valid_only"],
            source=upload.name,
        )
        body = {
            "dry_run": result.dry_run,
            "created": result.created,
            "updated": result.updated,
            "imported": result.imported,
            "refused": result.refused,
            "lines": result.lines(),
        }
        failed = bool(result.refused or result.report.errors)
        return Response(body, status=status.HTTP_400_BAD_REQUEST if failed else status.HTTP_200_OK)
