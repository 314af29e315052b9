"""API of the article: the missions, and the competence assessment.

GET  /api/v1/legal/missions/   the 16 parts of article 1 (no pagination), with the records
                               that serve each part as the caller may see them
POST /api/v1/legal/assess/     {"matter": "technical", "beneficiary": "OFAST", …}
"""

from collections.abc import Mapping

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from relais.core.serializers import StrictInputMixin
from relais.legal import matters as registry
from relais.legal.article import load_article
from relais.legal.assessment import AssessmentRequest, Scope, assess
from relais.legal.counts import counts_for
from relais.legal.directory import current_directory
from relais.legal.filters import MissionFilterSet
from relais.legal.models import Mission
from relais.referential.models import Country


def _mission_choices():
    return [(m.code, f"{m.label} {m.title}") for m in load_article().missions]


class MissionRecordCountSerializer(serializers.Serializer):
    """How many records of one kind serve a part, as the caller may see them."""

    label = serializers.CharField(help_text="Nature des enregistrements (libellé français).")
    count = serializers.IntegerField(min_value=0)
    url = serializers.CharField(
        allow_blank=True, help_text="Chemin de la liste qui montre ces enregistrements."
    )


class MissionSerializer(serializers.ModelSerializer):
    roles = serializers.ListField(
        child=serializers.CharField(), help_text="Verbes du rôle de la DCI."
    )
    cooperation_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=load_article().kind_codes),
        help_text="Natures de coopération (codes, première version).",
    )
    matters = serializers.SerializerMethodField(
        help_text="Matières que cette partie couvre (codes, voir POST /api/v1/legal/assess/)."
    )
    beneficiaries = serializers.ListField(
        child=serializers.CharField(), help_text="Directions bénéficiaires nommées (sigles)."
    )
    liaisons = serializers.ListField(
        child=serializers.CharField(), help_text="Liaisons requises (codes)."
    )
    records = serializers.SerializerMethodField(
        help_text="Les enregistrements de Relais qui servent cette partie, tels que l'appelant"
        " peut les voir (les chiffres de la page « L'article 1 »)."
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
            "matters",
            "beneficiaries",
            "open_beneficiaries",
            "liaisons",
            "excludes_intelligence",
            "version",
            "records",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=registry.choices()))
    )
    def get_matters(self, mission) -> list[str]:
        article = load_article()
        if mission.code not in article.mission_codes:
            return []
        return list(article.mission(mission.code).matters)

    @extend_schema_field(MissionRecordCountSerializer(many=True))
    def get_records(self, mission) -> list[dict]:
        lines = self.context.get("counts", {}).get(mission.code, [])
        return MissionRecordCountSerializer(lines, many=True).data


class AssessmentRequestSerializer(StrictInputMixin, serializers.Serializer):
    """A question put to the article (unknown fields and non-JSON booleans refused)."""

    matter = serializers.ChoiceField(
        choices=registry.choices(),
        required=False,
        help_text="Ce sur quoi porte la demande (une des matières de l'article 1).",
    )
    cooperation_kind = serializers.ChoiceField(
        choices=registry.choices(),
        required=False,
        help_text="Ancien nom de `matter`, toujours accepté (mêmes codes).",
    )
    beneficiary = serializers.CharField(
        max_length=200,
        help_text="Au profit de qui : code d'une unité de l'organigramme (OFAST, SG-DLPAJ…), sigle"
        " ou nom d'une direction, d'un service ou d'un autre organisme.",
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
        help_text="Pour une unité que Relais ne reconnaît pas : relève-t-elle du ministère"
        " de l'intérieur ?",
    )

    def to_internal_value(self, data):
        if isinstance(data, Mapping) and not {"matter", "cooperation_kind"} & set(data):
            # `matter` (or its former name) is required: say so with the other errors.
            errors = {}
            try:
                super().to_internal_value(data)
            except serializers.ValidationError as exc:
                errors = dict(exc.detail)
            errors.setdefault("matter", ["Ce champ est obligatoire."])
            raise serializers.ValidationError(errors)
        return super().to_internal_value(data)

    def validate_country(self, value):
        if not value:
            return ""
        user = self.context["request"].user
        if not Country.objects.visible_to(user).filter(code=value.upper()).exists():
            raise serializers.ValidationError(f"Code pays inconnu : « {value} ».")
        return value.upper()

    def validate(self, attrs):
        matter, kind = attrs.get("matter"), attrs.get("cooperation_kind")
        if matter and kind and matter != kind:
            raise serializers.ValidationError(
                {"cooperation_kind": ["Ancien nom de « matter » : donnez l'un ou l'autre."]}
            )
        return attrs

    def to_request(self) -> AssessmentRequest:
        data = dict(self.validated_data)
        data["matter"] = data.pop("matter", "") or data.pop("cooperation_kind", "")
        data.pop("cooperation_kind", None)
        return AssessmentRequest(**data)


class AssessmentPartnerSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=[(li.code, li.label) for li in load_article().liaisons])
    label = serializers.CharField()


class AssessmentExclusionSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=[(e.code, e.label) for e in load_article().exclusions])
    label = serializers.CharField()
    letter = serializers.ChoiceField(
        choices=_mission_choices(), help_text="La partie de l'article qui écrit l'exception."
    )
    quote = serializers.CharField(help_text="Les mots du texte.")


class AssessmentDetailSerializer(serializers.Serializer):
    letter = serializers.ChoiceField(choices=_mission_choices(), help_text="Code de la partie.")
    label = serializers.CharField(help_text="« Premier alinéa », « b) »…")
    verbs = serializers.ListField(
        child=serializers.CharField(), help_text="Ce que fait la DCI (verbes du texte)."
    )
    partners = AssessmentPartnerSerializer(
        many=True, help_text="Les partenaires que le texte nomme."
    )
    exclusions = AssessmentExclusionSerializer(
        many=True, help_text="Les exceptions que le texte attache à cette partie."
    )
    quote = serializers.CharField(help_text="Les mots du texte sur lesquels repose la réponse.")


class AssessmentSerializer(serializers.Serializer):
    competent = serializers.BooleanField()
    undetermined = serializers.BooleanField(
        help_text="Relais n'a pas reconnu le bénéficiaire : voir `suggestions`, préciser."
    )
    letters = serializers.ListField(
        child=serializers.ChoiceField(choices=_mission_choices()),
        help_text="Codes des parties de l'article 1 (comme /api/v1/legal/missions/).",
    )
    details = AssessmentDetailSerializer(many=True, help_text="Une entrée par partie de `letters`.")
    exclusions = AssessmentExclusionSerializer(
        many=True, help_text="Les exceptions sous lesquelles tombe la demande."
    )
    suggestions = serializers.ListField(
        child=serializers.CharField(), help_text="Noms proches, quand le bénéficiaire est inconnu."
    )
    reason = serializers.CharField(help_text="La réponse en français, citant le texte.")
    redirect_to = serializers.CharField(allow_blank=True)
    matter = serializers.ChoiceField(choices=registry.choices())
    beneficiary = serializers.CharField(help_text="Code de l'unité reconnue, ou le texte donné.")
    beneficiary_label = serializers.CharField()
    beneficiary_scope = serializers.ChoiceField(choices=[s.value for s in Scope])
    directorate = serializers.CharField(
        allow_blank=True, help_text="La direction nommée par l'article dont relève le bénéficiaire."
    )
    open_list = serializers.BooleanField(
        help_text="La compétence repose sur la liste non limitative du deuxième alinéa."
    )
    subject = serializers.CharField(allow_blank=True)
    country = serializers.CharField(allow_blank=True)
    missions = serializers.ListField(
        child=serializers.CharField(), help_text="Ancien nom de `letters`."
    )
    roles = serializers.ListField(
        child=serializers.CharField(), help_text="Tous les verbes de `details`."
    )
    liaisons = serializers.ListField(
        child=serializers.CharField(), help_text="Tous les codes des partenaires de `details`."
    )
    liaison_labels = serializers.ListField(child=serializers.CharField())
    cooperation_kind = serializers.CharField(help_text="Ancien nom de `matter`.")


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

    def get_serializer_context(self):
        # Every registered count once for the whole list: a fixed number of queries.
        return {**super().get_serializer_context(), "counts": counts_for(self.request.user)}


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
                "Coopération technique au profit de l'OFAST (DGPN)",
                value={"matter": "technical", "beneficiary": "OFAST"},
                request_only=True,
            ),
            OpenApiExample(
                "Engagement de la gendarmerie à l'étranger",
                value={"matter": "gendarmerie_engagement", "beneficiary": "GIGN"},
                request_only=True,
            ),
        ],
    )
    def post(self, request):
        incoming = AssessmentRequestSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        answer = assess(incoming.to_request(), directory=current_directory())
        return Response(AssessmentSerializer(answer).data)
