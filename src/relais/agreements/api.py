"""API of mission k: `/api/v1/agreements/` (list with filters, create, detail, update) and the
workflow endpoint `GET/POST /api/v1/agreements/<id>/transitions/` (`{"transition": "sign", …the
dates of the step}`, docs/dev/workflow.md §4); `POST …/<id>/transition/` with
`{"to": "<state>", …}` is its deprecated alias.

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
from relais.agreements.serializers import AgreementSerializer
from relais.agreements.workflows import AGREEMENT_WORKFLOW, REQUIRED_FIELDS, AgreementStatus
from relais.core.access import require_change
from relais.core.workflow.api import (
    ERROR_RESPONSES,
    WorkflowEndpoint,
    apply_from_request,
    legacy_state_change_serializer,
)
from relais.core.workflow.engine import TransitionRefused

TAG = "Accords (mission k)"
#: The workflow endpoint (`GET/POST agreements/<id>/transitions/`, mounted in api_urls.py).
WORKFLOW_API = WorkflowEndpoint(AGREEMENT_WORKFLOW)
#: Deprecated body of `POST agreements/<id>/transition/`: `{"to": "<state>", …}`.
AgreementStateChangeSerializer = legacy_state_change_serializer(WORKFLOW_API)

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
        tags=[TAG],
    ),
    retrieve=extend_schema(summary="Un accord", tags=[TAG]),
    create=extend_schema(
        summary="Ouvrir un accord (état initiative)",
        description=(
            "Refusé (400) sans direction bénéficiaire, sans pays ni organisme partenaire, ou si "
            "l'évaluation de compétence refuse ; 403 pour un rôle qui ne crée pas d'accord."
        ),
        tags=[TAG],
    ),
    update=extend_schema(summary="Modifier un accord (version requise)", tags=[TAG]),
    partial_update=extend_schema(
        summary="Modifier une partie d'un accord (version requise)", tags=[TAG]
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
        request=AgreementStateChangeSerializer,
        responses={200: AgreementSerializer, **ERROR_RESPONSES},
        deprecated=True,
        summary="Faire évoluer l'état d'un accord (déprécié : POST …/transitions/)",
        description=(
            'Corps : `{"to": "signed", "signed_on": "2026-05-04", "signed_place": '
            '"Rabat"}`. Chaque étape accepte les dates qu\'elle déclare : signature '
            "(`signed_on`, `signed_place`), entrée en vigueur (`in_force_on`, `expires_on`), "
            "approbation (`approval_law_reference`, `approval_law_on`, "
            "`publication_decree_reference`, `publication_decree_on`, `in_force_on`), fin "
            "(`ended_on`). `comment` est obligatoire pour abandonner, dénoncer, rouvrir."
        ),
        tags=[TAG],
    )
    @action(detail=True, methods=["post"], url_path="transition")
    def transition(self, request, pk=None):
        agreement = self.get_object()
        payload = AgreementStateChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        target = payload.validated_data["to"]
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


# --- Children of an agreement: /api/v1/agreements/<agreement_pk>/… ------------------------------
# rounds/, versions/ (+ document/, compare/), comment-requests/ (+ answer/), renewals/,
# committees/ and committees/<committee_pk>/meetings/. The agreement out of scope: 404 for all;
# a change by who may only read it: 403 (`Agreement.can_change`, `CommentRequest.can_answer`).

from drf_spectacular.utils import OpenApiParameter  # noqa: E402
from rest_framework.parsers import FormParser, MultiPartParser  # noqa: E402

from relais.agreements.documents import compare_versions, version_file_response  # noqa: E402
from relais.agreements.models import (  # noqa: E402
    CommentRequest,
    CommitteeMeeting,
    JointCommittee,
    NegotiationRound,
    Renewal,
    TextVersion,
)
from relais.agreements.serializers import (  # noqa: E402
    CommentAnswerSerializer,
    CommentRequestSerializer,
    CommitteeMeetingSerializer,
    JointCommitteeSerializer,
    NegotiationRoundSerializer,
    RenewalSerializer,
    TextVersionSerializer,
    TextVersionUploadSerializer,
    VersionComparisonSerializer,
)
from relais.core.api import ObjectJSONParser  # noqa: E402
from relais.core.api_children import (  # noqa: E402
    ChildViewSet,
    CreateChildMixin,
    DestroyChildMixin,
    UpdateChildMixin,
)

CHILD_TAG = ["Accords (mission k)"]
AGREEMENT_ID = OpenApiParameter("agreement_pk", int, OpenApiParameter.PATH, description="Accord.")


class _AgreementChildViewSet(ChildViewSet):
    parent_model = Agreement
    parent_kwarg = "agreement_pk"
    parent_field = "agreement"
    add_refused = "Vous pouvez consulter cet accord, mais pas le modifier."

    def delete_child(self, obj, user, *, expected_version=None):
        services.delete_child(obj, user, expected_version=expected_version)


def _child_schema(noun: str, *, create: str, update: str | None = None, delete: str | None = None):
    """The French summaries of a nested viewset's actions."""
    views = {
        "list": extend_schema(summary=f"{noun} de l'accord", tags=CHILD_TAG),
        "retrieve": extend_schema(summary=f"{noun} de l'accord : un élément", tags=CHILD_TAG),
        "create": extend_schema(summary=create, tags=CHILD_TAG),
    }
    if update:
        views["update"] = extend_schema(summary=update, tags=CHILD_TAG)
        views["partial_update"] = extend_schema(summary=update, tags=CHILD_TAG)
    if delete:
        views["destroy"] = extend_schema(
            summary=delete,
            description="`?version=N` : refusé (409) si l'élément a changé depuis la lecture.",
            tags=CHILD_TAG,
        )
    return extend_schema_view(**views)


@_child_schema(
    "Tours de négociation",
    create="Enregistrer un tour de négociation",
    update="Modifier un tour de négociation (version requise)",
    delete="Supprimer un tour de négociation",
)
class NegotiationRoundViewSet(
    _AgreementChildViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    CreateChildMixin,
    UpdateChildMixin,
    DestroyChildMixin,
):
    model = NegotiationRound
    serializer_class = NegotiationRoundSerializer


@_child_schema(
    "Comités mixtes",
    create="Créer un comité mixte",
    update="Modifier un comité mixte (version requise)",
    delete="Supprimer un comité mixte (et ses réunions)",
)
class JointCommitteeViewSet(
    _AgreementChildViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    CreateChildMixin,
    UpdateChildMixin,
    DestroyChildMixin,
):
    model = JointCommittee
    serializer_class = JointCommitteeSerializer


@extend_schema_view(
    list=extend_schema(summary="Réunions d'un comité mixte", tags=CHILD_TAG),
    retrieve=extend_schema(summary="Une réunion d'un comité mixte", tags=CHILD_TAG),
    create=extend_schema(summary="Enregistrer une réunion (prévue ou tenue)", tags=CHILD_TAG),
    update=extend_schema(summary="Modifier une réunion (version requise)", tags=CHILD_TAG),
    partial_update=extend_schema(summary="Modifier une réunion (version requise)", tags=CHILD_TAG),
    destroy=extend_schema(summary="Supprimer une réunion", tags=CHILD_TAG),
)
class CommitteeMeetingViewSet(
    ChildViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    CreateChildMixin,
    UpdateChildMixin,
    DestroyChildMixin,
):
    """The meetings of one committee of one agreement (both from the URL)."""

    parent_model = JointCommittee
    parent_kwarg = "committee_pk"
    parent_field = "committee"
    model = CommitteeMeeting
    serializer_class = CommitteeMeetingSerializer
    add_refused = "Vous pouvez consulter cet accord, mais pas le modifier."

    def get_parent_queryset(self):
        return JointCommittee.objects.filter(agreement_id=self.kwargs["agreement_pk"])

    def delete_child(self, obj, user, *, expected_version=None):
        services.delete_child(obj, user, expected_version=expected_version)


@_child_schema("Renouvellements", create="Enregistrer une reconduction ou un renouvellement")
class RenewalViewSet(
    _AgreementChildViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, CreateChildMixin
):
    """Renewals are recorded, never changed nor deleted (the expiry moved with them)."""

    model = Renewal
    serializer_class = RenewalSerializer


@extend_schema_view(
    list=extend_schema(summary="Demandes d'observations de l'accord", tags=CHILD_TAG),
    retrieve=extend_schema(summary="Une demande d'observations", tags=CHILD_TAG),
    create=extend_schema(
        summary="Demander des observations (direction concernée ou MEAE)",
        description="`directorate` : une des directions de l'accord (code), obligatoire quand "
        "`addressee` vaut `directorate`. Un rappel précède `due_on`.",
        tags=CHILD_TAG,
    ),
    destroy=extend_schema(summary="Supprimer une demande d'observations", tags=CHILD_TAG),
)
class CommentRequestViewSet(
    _AgreementChildViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    CreateChildMixin,
    DestroyChildMixin,
):
    model = CommentRequest
    serializer_class = CommentRequestSerializer

    def get_child_queryset(self):
        return CommentRequest.objects.select_related(
            "directorate", "text_version", "answered_by", "agreement"
        )

    @extend_schema(
        request=CommentAnswerSerializer,
        responses={
            200: CommentRequestSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Réponse vide ou invalide."),
            403: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Ni l'administration centrale ni la direction sollicitée.",
            ),
            409: OpenApiResponse(OpenApiTypes.OBJECT, description="Version périmée."),
        },
        summary="Enregistrer la réponse (la direction sollicitée, ou l'administration centrale)",
        tags=CHILD_TAG,
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, agreement_pk=None, pk=None):
        item = self.get_object()
        if not item.can_answer(request.user):
            raise PermissionDenied("Vous ne pouvez pas répondre à cette demande d'observations.")
        payload = CommentAnswerSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.answer_comment_request(
            item,
            request.user,
            answer=data["answer"],
            answered_on=data.get("answered_on"),
            expected_version=data["version"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="Versions successives du texte", tags=CHILD_TAG),
    retrieve=extend_schema(summary="Une version du texte, par son numéro", tags=CHILD_TAG),
)
class TextVersionViewSet(
    _AgreementChildViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, CreateChildMixin
):
    """The versions of the text, by number; they are never changed nor deleted (the texts
    exchanged stay on file)."""

    model = TextVersion
    serializer_class = TextVersionSerializer
    lookup_field = "number"
    lookup_value_regex = "[0-9]+"
    parser_classes = [ObjectJSONParser, MultiPartParser, FormParser]

    @extend_schema(
        request={
            "multipart/form-data": TextVersionUploadSerializer,
            "application/json": TextVersionUploadSerializer,
        },
        responses={
            201: TextVersionSerializer,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Document refusé (type, taille) ou ni document ni texte.",
            ),
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="Accord en lecture seule."),
        },
        summary="Ajouter la version suivante du texte (document et/ou texte collé)",
        tags=CHILD_TAG,
    )
    def create(self, request, *args, **kwargs):
        agreement = self.get_parent()
        if not self.may_add(agreement):
            raise PermissionDenied(self.add_refused)
        payload = TextVersionUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        version = services.add_text_version(
            agreement,
            request.user,
            label=payload.validated_data["label"],
            document=payload.validated_data.get("document"),
            pasted_text=payload.validated_data.get("pasted_text", ""),
        )
        return Response(self.get_serializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        summary="Télécharger le document d'une version (lecture journalisée)",
        tags=CHILD_TAG,
    )
    @action(detail=True, methods=["get"])
    def document(self, request, agreement_pk=None, number=None):
        return version_file_response(request.user, self.get_object())

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "from", int, description="Ancienne version (défaut : l'avant-dernière)."
            ),
            OpenApiParameter("to", int, description="Nouvelle version (défaut : la dernière)."),
        ],
        responses={
            200: VersionComparisonSerializer,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Moins de deux versions, numéro inconnu ou texte non extrait.",
            ),
        },
        summary="Comparer le texte de deux versions, ligne à ligne",
        tags=CHILD_TAG,
    )
    @action(detail=False, methods=["get"])
    def compare(self, request, agreement_pk=None):
        versions = list(self.get_queryset().order_by("number"))
        picked = compare_versions(
            versions, request.query_params.get("from"), request.query_params.get("to")
        )
        if picked.comparison is None:
            body = {"detail": picked.error}
            if len(versions) > 1:
                for name, chosen in (("from", picked.old), ("to", picked.new)):
                    if chosen is None:
                        body[name] = ["Version inconnue pour cet accord."]
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(VersionComparisonSerializer(picked).data)
