"""API of mission a: `/api/v1/information/reports/`.

- `GET` list (filters `country`, `theme`, `status`, `handling_code`, `unit`, `kind`, `q`…) and
  detail (written to the access log); 404 for what the caller may not see.
- `POST` create: 201 with the report; with `"exclusively_intelligence": true`, 202 with
  `{"status": "redirected", "redirection": …}` and nothing of the content stored.
- `PATCH`/`PUT` a draft (version required).
- `GET/POST …/<id>/transitions/`: the workflow endpoint (docs/dev/workflow.md §4),
  `{"transition": "disseminate", "units": ["OFAST"], "deadline": "YYYY-MM-DD"}`; deprecated
  aliases `POST …/<id>/submit/`, `validate/`, `send_back/`, `close/`, `disseminate/`;
- `acknowledge/`,
  `feedback/` (`{"usefulness", "follow_up", "comment"}`), `regrade/`, `redirect/`;
  `GET …/<id>/stix/` (a STIX 2.1 bundle).
- Attachments: `GET`/`POST …/<id>/attachments/` (multipart, field `file`; a draft, by its unit),
  `GET …/<id>/attachments/<n>/` (the file, access logged), `DELETE` the same (a draft, its
  unit). A multipart create may carry the files of the new report in `attachments`.
Refusals: 409 (state, H2), 403 (role, read-only), 400 (fields, missing comment).
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import JsonResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from relais.core.access import require_change
from relais.core.audit.api import AuditedRetrieveMixin
from relais.core.audit.events import log_event
from relais.core.audit.models import Action
from relais.core.serializers import strict_input_errors
from relais.core.workflow.api import ERROR_RESPONSES, TransitionRefusedMixin, WorkflowEndpoint
from relais.information import services
from relais.information.attachments import attachment_of, file_response
from relais.information.filters import ReportFilterSet
from relais.information.models import InformationReport, is_analyst
from relais.information.serializers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    DisseminateSerializer,
    FeedbackRequestSerializer,
    FeedbackSerializer,
    ReceiptSerializer,
    RegradeSerializer,
    ReportSerializer,
    TransitionSerializer,
)
from relais.information.stix import report_bundle
from relais.information.workflows import REPORT_WORKFLOW

TAG = ["Renseignement opérationnel (mission a)"]


class StixBundleSerializer(serializers.Serializer):
    """Lot STIX 2.1 : la fiche (report), l'identité de son unité, ses marquages et lieux."""

    type = serializers.ChoiceField(choices=[("bundle", "lot STIX 2.1")])
    id = serializers.CharField(help_text="`bundle--<uuid>`.")
    objects = serializers.ListField(
        child=serializers.DictField(),
        help_text="Objets STIX 2.1 (`identity`, `marking-definition`, `location`, `report`).",
    )


def _check(report, user, name):
    # A recipient re-disseminates (not a transition of the circuit): the service checks it.
    if name != "disseminate" or is_analyst(user):
        REPORT_WORKFLOW.check(report, user, name)


def _apply(report, name, user, *, comment, expected_version, units=(), deadline=None):
    if name == "disseminate":
        services.disseminate(
            report,
            user,
            units,
            deadline=deadline,
            comment=comment,
            expected_version=expected_version,
        )
    else:
        services.apply(report, name, user, comment, expected_version=expected_version)


#: The workflow endpoint (`GET/POST information/reports/<id>/transitions/`, in api_urls.py):
#: `disseminate` takes the units (codes) and the answer deadline.
WORKFLOW_API = WorkflowEndpoint(
    REPORT_WORKFLOW,
    check=_check,
    apply=_apply,
    queryset=lambda user: reports_for(user),
    extra_fields={
        "disseminate": {
            "units": DisseminateSerializer._declared_fields["units"],
            "deadline": DisseminateSerializer._declared_fields["deadline"],
        }
    },
)


def reports_for(user):
    return (
        InformationReport.objects.visible_to(user)
        .select_related("unit", "created_by")
        .prefetch_related(
            "countries",
            "themes",
            "missions",
            "disseminations__unit",
            "disseminations__feedbacks",
            "attachments",
        )
    )


def _state_response(view, report, code=status.HTTP_200_OK):
    fresh = reports_for(view.request.user).filter(pk=report.pk).first()
    if fresh is None:  # the caller no longer sees it (cannot happen for the analyst)
        return Response({"id": report.pk, "status": report.status}, status=code)
    return Response(ReportSerializer(fresh, context={"request": view.request}).data, status=code)


@extend_schema_view(
    list=extend_schema(summary="Fiches visibles (filtres : country, theme, status…)", tags=TAG),
    retrieve=extend_schema(summary="Une fiche (lecture journalisée)", tags=TAG),
    create=extend_schema(
        summary="Rédiger une fiche",
        description=(
            '201 avec la fiche. Avec `"exclusively_intelligence": true`, 202 : '
            '`{"status": "redirected", "redirection": "DGSI / DGSE…"}` ; rien du contenu '
            "n'est conservé. Mention `secret` refusée (400)."
        ),
        responses={201: ReportSerializer, 202: ReceiptSerializer},
        tags=TAG,
    ),
    update=extend_schema(summary="Modifier un brouillon (version requise)", tags=TAG),
    partial_update=extend_schema(summary="Modifier un brouillon (version requise)", tags=TAG),
)
class ReportViewSet(
    TransitionRefusedMixin,
    AuditedRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet

    def get_queryset(self):
        return reports_for(self.request.user)

    def create(self, request, *args, **kwargs):
        if not InformationReport.can_create(request.user):
            raise PermissionDenied("Votre rôle ne permet pas de rédiger une fiche d'information.")
        serializer = self.get_serializer(data=request.data)
        # Unknown fields and non-JSON booleans first: a misspelt or « oui » exclusion is a 400,
        # never a stored report.
        errors = strict_input_errors(serializer, request.data)
        if errors:
            raise ValidationError(errors)
        if request.data.get("exclusively_intelligence") in (True, "true"):
            # Triage first: the content is neither validated nor stored, only a receipt.
            receipt = services.create_report(request.user, exclusively_intelligence=True)
            data = ReceiptSerializer(receipt).data
            data["detail"] = (
                "Fiche non traitée : elle relève exclusivement des services de renseignement. "
                f"Adressez-la à : {receipt.redirect_to}."
            )
            return Response(data, status=status.HTTP_202_ACCEPTED)
        serializer.is_valid(raise_exception=True)
        # A multipart create may carry the report's files (field `attachments`, repeated).
        report = serializer.save(attachments=request.FILES.getlist("attachments"))
        return _state_response(self, report, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        report = self.get_object()
        require_change(request.user, report)
        if not report.can_edit_content(request.user):
            raise PermissionDenied("Seul un brouillon se modifie, par son unité d'origine.")
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(report, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return _state_response(self, report)

    # --- Circuit ---------------------------------------------------------------------------

    def _transition(self, request, name):
        report = self.get_object()
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.apply(
            report,
            name,
            request.user,
            payload.validated_data["comment"],
            expected_version=payload.validated_data.get("version"),
        )
        return _state_response(self, report)

    _refusals = {200: ReportSerializer, **ERROR_RESPONSES}

    @extend_schema(
        request=TransitionSerializer,
        responses=_refusals,
        tags=TAG,
        summary="Soumettre à validation — déprécié : POST …/transitions/",
        deprecated=True,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(request, "submit")

    @extend_schema(
        request=TransitionSerializer,
        responses=_refusals,
        tags=TAG,
        summary="Valider (analyste qui n'est pas l'auteur) — déprécié : POST …/transitions/",
        deprecated=True,
    )
    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None):
        return self._transition(request, "validate")

    @extend_schema(
        request=TransitionSerializer,
        responses=_refusals,
        tags=TAG,
        summary="Renvoyer à l'auteur (commentaire obligatoire) — déprécié : POST …/transitions/",
        deprecated=True,
    )
    @action(detail=True, methods=["post"], url_path="send_back")
    def send_back(self, request, pk=None):
        return self._transition(request, "send_back")

    @extend_schema(
        request=TransitionSerializer,
        responses=_refusals,
        tags=TAG,
        summary="Classer — déprécié : POST …/transitions/",
        deprecated=True,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._transition(request, "close")

    @extend_schema(
        request=DisseminateSerializer,
        responses=_refusals,
        tags=TAG,
        summary="Diffuser aux unités (ou rediffuser, sauf H2) — déprécié : POST …/transitions/",
        deprecated=True,
    )
    @action(detail=True, methods=["post"])
    def disseminate(self, request, pk=None):
        report = self.get_object()
        payload = DisseminateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.disseminate(
            report,
            request.user,
            data["units"],
            deadline=data.get("deadline"),
            comment=data["comment"],
            expected_version=data.get("version"),
        )
        return _state_response(self, report)

    @extend_schema(request=None, responses=_refusals, tags=TAG, summary="Accuser réception")
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        report = self.get_object()
        services.acknowledge(report, request.user)
        return _state_response(self, report)

    @extend_schema(
        request=FeedbackRequestSerializer,
        responses={201: FeedbackSerializer},
        tags=TAG,
        summary="Retour d'une unité destinataire",
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        report = self.get_object()
        payload = FeedbackRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        feedback = services.give_feedback(report, request.user, **payload.validated_data)
        return Response(FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=RegradeSerializer,
        responses=_refusals,
        tags=TAG,
        summary="Recoter (analyste, motif obligatoire)",
    )
    @action(detail=True, methods=["post"])
    def regrade(self, request, pk=None):
        report = self.get_object()
        payload = RegradeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.regrade(
            report,
            request.user,
            reliability=data["source_reliability"],
            credibility=data["information_credibility"],
            reason=data["reason"],
            expected_version=data.get("version"),
        )
        return _state_response(self, report)

    @extend_schema(
        request=None,
        responses={202: ReceiptSerializer},
        tags=TAG,
        summary="Écarter : relève exclusivement des services de renseignement",
    )
    @action(detail=True, methods=["post"])
    def redirect(self, request, pk=None):
        report = self.get_object()
        receipt = services.redirect_to_intelligence(report, request.user)
        return Response(ReceiptSerializer(receipt).data, status=status.HTTP_202_ACCEPTED)

    # --- Attachments ------------------------------------------------------------------------

    @extend_schema(
        methods=["get"],
        responses={200: AttachmentSerializer(many=True)},
        tags=TAG,
        summary="Pièces jointes d'une fiche",
    )
    @extend_schema(
        methods=["post"],
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={
            201: AttachmentSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Fichier refusé (type, taille)."),
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="Fiche non brouillon."),
        },
        tags=TAG,
        summary="Joindre un fichier (brouillon, par son unité)",
    )
    @action(detail=True, methods=["get", "post"], url_path="attachments", url_name="attachments")
    def attachments(self, request, pk=None):
        report = self.get_object()
        if request.method == "GET":
            files = report.attachments.all()
            return Response(AttachmentSerializer(files, many=True).data)
        payload = AttachmentUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            attachment = services.add_attachment(
                report, request.user, payload.validated_data["file"]
            )
        except DjangoValidationError as exc:
            return Response({"file": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["get"],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        tags=TAG,
        summary="Télécharger une pièce jointe (lecture journalisée)",
    )
    @extend_schema(
        methods=["delete"],
        responses={204: None},
        tags=TAG,
        summary="Retirer une pièce jointe (brouillon, par son unité)",
    )
    @action(
        detail=True,
        methods=["get", "delete"],
        url_path=r"attachments/(?P<attachment_pk>[0-9]+)",
        url_name="attachment",
    )
    def attachment(self, request, pk=None, attachment_pk=None):
        report = self.get_object()
        attachment = attachment_of(report, attachment_pk)
        if request.method == "GET":
            return file_response(request.user, report, attachment)
        services.remove_attachment(report, request.user, attachment)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={200: StixBundleSerializer},
        tags=TAG,
        summary="Export STIX 2.1 (bundle : report et ses marquages)",
    )
    @action(detail=True, methods=["get"])
    def stix(self, request, pk=None):
        report = self.get_object()
        with transaction.atomic():
            log_event(
                Action.EXPORT,
                request.user,
                report,
                extra={"format": "stix"},
            )
        return JsonResponse(report_bundle(report), json_dumps_params={"ensure_ascii": False})


# --- Analysis files, routing rules, syntheses, notes, links --------------------------------------
# /api/v1/information/files/ (+ files/<id>/reports/), rules/, syntheses/,
# reports/<id>/notes/, reports/<id>/links/, reports/<id>/clear-duplicate/.

from django.db.models import Count  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

from relais.core import records  # noqa: E402
from relais.core.access import get_visible_or_404  # noqa: E402
from relais.core.api_children import ChildViewSet, CreateChildMixin, RecordViewSet  # noqa: E402
from relais.information.models import (  # noqa: E402
    AnalysisFile,
    AnalystNote,
    ReportLink,
    RoutingRule,
)
from relais.information.serializers import (  # noqa: E402
    AddReportToFileSerializer,
    AnalysisFileSerializer,
    AnalystNoteSerializer,
    ReportLinkSerializer,
    RoutingRuleSerializer,
    SynthesisSerializer,
    reports_by_reference,
)

ANALYSTS_ONLY = "Réservé aux analystes."


@extend_schema_view(
    list=extend_schema(summary="Dossiers d'analyse (analystes et pilotage)", tags=TAG),
    retrieve=extend_schema(summary="Un dossier d'analyse", tags=TAG),
    create=extend_schema(summary="Ouvrir un dossier d'analyse (analystes)", tags=TAG),
    update=extend_schema(summary="Modifier un dossier (version requise)", tags=TAG),
    partial_update=extend_schema(summary="Modifier un dossier (version requise)", tags=TAG),
)
class AnalysisFileViewSet(RecordViewSet):
    serializer_class = AnalysisFileSerializer

    def get_queryset(self):
        return (
            AnalysisFile.objects.visible_to(self.request.user)
            .annotate(n=Count("reports"))
            .prefetch_related("themes", "countries")
            .order_by("-updated_at", "-id")
        )

    create_refused = ANALYSTS_ONLY

    def may_create(self, user) -> bool:
        return is_analyst(user)

    @extend_schema(
        methods=["get"],
        responses={200: ReportSerializer(many=True)},
        summary="Les fiches du dossier (celles que l'utilisateur voit)",
        tags=TAG,
    )
    @extend_schema(
        methods=["post"],
        request=AddReportToFileSerializer,
        responses={
            200: AnalysisFileSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Fiche inconnue ou brouillon."),
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="Réservé aux analystes."),
        },
        summary="Ajouter une fiche soumise au dossier (analystes)",
        tags=TAG,
    )
    @action(detail=True, methods=["get", "post"])
    def reports(self, request, pk=None):
        analysis_file = self.get_object()
        if request.method == "GET":
            rows = reports_for(request.user).filter(pk__in=analysis_file.reports.values("pk"))
            page = self.paginate_queryset(rows)
            serializer = ReportSerializer(page, many=True, context={"request": request})
            return self.get_paginated_response(serializer.data)
        require_change(request.user, analysis_file)
        payload = AddReportToFileSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        (report,) = reports_by_reference(
            request.user, [payload.validated_data["report"]], field="report"
        )
        if not report.can_analyse(request.user):
            raise PermissionDenied(ANALYSTS_ONLY)
        if analysis_file.state != "open":
            raise serializers.ValidationError({"report": ["Ce dossier est clos."]})
        records.update(
            analysis_file, request.user, m2m={"reports": [*analysis_file.reports.all(), report]}
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=analysis_file.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="Règles d'orientation (administration centrale)", tags=TAG),
    retrieve=extend_schema(summary="Une règle d'orientation", tags=TAG),
    create=extend_schema(summary="Créer une règle d'orientation (pilotage)", tags=TAG),
    update=extend_schema(summary="Modifier une règle (version requise)", tags=TAG),
    partial_update=extend_schema(summary="Modifier une règle (version requise)", tags=TAG),
)
class RoutingRuleViewSet(RecordViewSet):
    serializer_class = RoutingRuleSerializer

    def get_queryset(self):
        return (
            RoutingRule.objects.visible_to(self.request.user)
            .select_related("theme", "country")
            .prefetch_related("units")
        )

    create_refused = "Les règles d'orientation sont tenues par le pilotage."

    def may_create(self, user) -> bool:
        return RoutingRule().can_change(user)


class SynthesisAPIView(APIView):
    """`POST /api/v1/information/syntheses/`: a synthesis (a report of kind « synthèse »)."""

    @extend_schema(
        request=SynthesisSerializer,
        responses={
            201: ReportSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Champ manquant ou invalide."),
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="Réservé aux analystes."),
        },
        summary="Rédiger une synthèse de plusieurs fiches (brouillon, même circuit)",
        tags=TAG,
    )
    def post(self, request):
        if not is_analyst(request.user):
            raise PermissionDenied("Les synthèses sont rédigées par les analystes.")
        payload = SynthesisSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        report = services.create_synthesis(request.user, sources=data.pop("sources"), **data)
        fresh = reports_for(request.user).get(pk=report.pk)
        body = ReportSerializer(fresh, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class _ReportChildViewSet(ChildViewSet, mixins.ListModelMixin, CreateChildMixin):
    parent_kwarg = "report_pk"
    add_refused = "Réservé aux analystes, sur une fiche soumise."

    def get_parent_queryset(self):
        return InformationReport.objects.all()

    def may_add(self, parent) -> bool:
        return parent.can_analyse(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Notes d'analyste sur une fiche", tags=TAG),
    create=extend_schema(summary="Ajouter une note d'analyste", tags=TAG),
)
class AnalystNoteViewSet(_ReportChildViewSet):
    parent_field = "report"
    model = AnalystNote
    serializer_class = AnalystNoteSerializer

    def get_child_queryset(self):
        return AnalystNote.objects.select_related("created_by")


@extend_schema_view(
    list=extend_schema(summary="Liens tirés d'une fiche vers d'autres fiches", tags=TAG),
    create=extend_schema(summary="Lier la fiche à une autre fiche visible", tags=TAG),
)
class ReportLinkViewSet(_ReportChildViewSet):
    parent_field = "source"
    model = ReportLink
    serializer_class = ReportLinkSerializer

    def get_child_queryset(self):
        return ReportLink.objects.select_related("target")


class ClearDuplicateAPIView(APIView):
    """`POST /api/v1/information/reports/<id>/clear-duplicate/` (`{"version": 3}`)."""

    @extend_schema(
        request=TransitionSerializer,
        responses={
            200: ReportSerializer,
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="Réservé aux analystes."),
            409: OpenApiResponse(OpenApiTypes.OBJECT, description="Version périmée."),
        },
        summary="Lever le signalement de doublon possible (analystes)",
        tags=TAG,
    )
    def post(self, request, pk):
        report = get_visible_or_404(InformationReport, request.user, pk=pk)
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.clear_duplicate(
            report, request.user, expected_version=payload.validated_data.get("version")
        )
        fresh = reports_for(request.user).get(pk=report.pk)
        return Response(ReportSerializer(fresh, context={"request": request}).data)


# --- Receipts and purge traces (« Purges et récépissés ») ----------------------------------------

from relais.information.models import PurgeRecord, RedirectionReceipt  # noqa: E402
from relais.information.serializers import (  # noqa: E402
    PurgeRecordSerializer,
    ReceiptRecordSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="Récépissés des fiches écartées vers le renseignement", tags=TAG),
    retrieve=extend_schema(summary="Un récépissé", tags=TAG),
)
class ReceiptViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ReceiptRecordSerializer

    def get_queryset(self):
        return (
            RedirectionReceipt.objects.visible_to(self.request.user)
            .select_related("unit", "author")
            .order_by("-created_at", "-pk")
        )


@extend_schema_view(
    list=extend_schema(
        summary="Traces des fiches purgées (pilotage, analystes, lecteurs de la DCI)", tags=TAG
    ),
)
class PurgeRecordViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = PurgeRecordSerializer

    def list(self, request, *args, **kwargs):
        user = request.user
        if not (user.in_headquarters and user.role in ("pilotage", "lecteur", "analyste")):
            raise PermissionDenied("Réservé au pilotage, aux analystes et aux lecteurs.")
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        return PurgeRecord.objects.visible_to(self.request.user).order_by("-purged_at", "-pk")
