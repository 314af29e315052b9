"""API of the article: the missions, and the competence assessment.

GET  /api/v1/legal/missions/   the 16 parts of article 1 (no pagination)
POST /api/v1/legal/assess/     {"cooperation_kind": "technical", "beneficiary": "DGPN", …}
"""

from dataclasses import asdict

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from relais.legal.article import load_article
from relais.legal.assessment import AssessmentRequest, Scope, assess
from relais.legal.filters import MissionFilterSet
from relais.legal.models import Mission
from relais.referential.models import Country


class MissionSerializer(serializers.ModelSerializer):
    roles = serializers.ListField(
        child=serializers.CharField(), help_text="Verbes du rôle de la DCI."
    )
    cooperation_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=load_article().kind_codes),
        help_text="Natures de coopération (codes).",
    )
    beneficiaries = serializers.ListField(
        child=serializers.CharField(), help_text="Directions bénéficiaires nommées (sigles)."
    )
    liaisons = serializers.ListField(
        child=serializers.CharField(), help_text="Liaisons requises (codes)."
    )

    class Meta:
        model = Mission
        fields = [
            "code",
            "order",
            "label",
            "title",
            "text",
            "roles",
            "cooperation_kinds",
            "beneficiaries",
            "open_beneficiaries",
            "liaisons",
            "excludes_intelligence",
            "version",
        ]
        read_only_fields = fields


class AssessmentRequestSerializer(serializers.Serializer):
    cooperation_kind = serializers.ChoiceField(
        choices=[(k.code, k.label) for k in load_article().cooperation_kinds],
        help_text="technical, operational, institutional ou administrative_governance.",
    )
    beneficiary = serializers.CharField(
        max_length=200,
        help_text="Sigle d'une direction nommée (DGPN, DGGN, SG, DGSCGC, DGEF, DGCL, DSCR) ou nom"
        " d'une autre direction ou d'un autre organisme.",
    )
    exclusively_intelligence = serializers.BooleanField(
        default=False, help_text="La question relève exclusivement des services de renseignement."
    )
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    country = serializers.CharField(
        max_length=2, required=False, allow_blank=True, default="", help_text="Code ISO 3166-1."
    )
    within_ministry = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Pour une direction que Relais ne reconnaît pas : relève-t-elle du ministère"
        " de l'intérieur ?",
    )

    def validate_country(self, value):
        if not value:
            return ""
        user = self.context["request"].user
        if not Country.objects.visible_to(user).filter(code=value.upper()).exists():
            raise serializers.ValidationError(f"Code pays inconnu : « {value} ».")
        return value.upper()

    def to_request(self) -> AssessmentRequest:
        return AssessmentRequest(**self.validated_data)


class AssessmentSerializer(serializers.Serializer):
    competent = serializers.BooleanField()
    missions = serializers.ListField(child=serializers.CharField(), help_text="Codes des parties.")
    roles = serializers.ListField(child=serializers.CharField())
    liaisons = serializers.ListField(child=serializers.CharField())
    liaison_labels = serializers.ListField(child=serializers.CharField())
    reason = serializers.CharField()
    redirect_to = serializers.CharField(allow_blank=True)
    cooperation_kind = serializers.CharField()
    beneficiary = serializers.CharField()
    beneficiary_scope = serializers.ChoiceField(choices=[s.value for s in Scope])
    open_list = serializers.BooleanField(
        help_text="La compétence repose sur la liste non limitative du deuxième alinéa."
    )
    undetermined = serializers.BooleanField(
        help_text="La réponse dépend de l'appartenance au ministère (renseigner within_ministry)."
    )
    subject = serializers.CharField(allow_blank=True)
    country = serializers.CharField(allow_blank=True)


@extend_schema(
    summary="Les parties de l'article 1 (alinéas et lettres a à n)",
    tags=["Article 1"],
)
class MissionList(generics.ListAPIView):
    serializer_class = MissionSerializer
    filterset_class = MissionFilterSet
    pagination_class = None

    def get_queryset(self):
        return Mission.objects.visible_to(self.request.user)


class AssessmentView(APIView):
    """The competence assessment (relais.legal.assessment.assess) over HTTP."""

    @extend_schema(
        summary="Évaluer la compétence de la DCI pour une demande",
        tags=["Article 1"],
        request=AssessmentRequestSerializer,
        responses={
            200: AssessmentSerializer,
            400: OpenApiResponse(description="Données invalides : erreurs par champ."),
            401: OpenApiResponse(description="Authentification requise."),
        },
        examples=[
            OpenApiExample(
                "Coopération technique au profit de la DGPN",
                value={"cooperation_kind": "technical", "beneficiary": "DGPN"},
                request_only=True,
            )
        ],
    )
    def post(self, request):
        incoming = AssessmentRequestSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        answer = assess(incoming.to_request())
        return Response(AssessmentSerializer(asdict(answer)).data)
