"""JSON of missions b to g. An action reads as

    {"id", "title", "kind": "expert_mission", "country": "ML", "directorate": "DGPN",
     "status": "programmed", "legal_basis": ["b"], "start_date", "end_date",
     "fundings": [{"funder", "instrument", "amount", "status"}], "agreement": 12, …}

`agreement` is the id of the agreement or arrangement the action is carried out under (article
1, k): optional, one the user sees (else 400 « Accord introuvable. »), covering the action's
country unless it names none (multilateral text with partner bodies).

`start_date` and `end_date` are the planned dates (what the programming says); the actual dates
(`actual_start`, `actual_end`) are set by the transitions « Démarrer » and « Constater la
réalisation ». Writes go through `relais.cooperation.services` (competence assessment, legal
basis, scope, locking, audit). The state is read-only here: it changes with
`POST /api/v1/cooperation/actions/<id>/transition/`.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from relais.agreements.models import Agreement
from relais.cooperation import services
from relais.cooperation.models import (
    CooperationAction,
    Domain,
    Funding,
    FundingInstrument,
    FundingStatus,
    Programme,
)
from relais.core.serializers import VersionedSerializerMixin
from relais.referential.models import Country, PartnerBody, Post, Unit, UnitKind

API_FIELD_NAMES = {"planned_start": "start_date", "planned_end": "end_date"}


class UpperSlugRelatedField(serializers.SlugRelatedField):
    """A slug compared in upper case (ISO codes, beneficiary codes)."""

    def to_internal_value(self, data):
        return super().to_internal_value(str(data).strip().upper())


@extend_schema_field(OpenApiTypes.STR)
class PostCodeField(serializers.SlugRelatedField):
    """A post by the code of its unit (SSI-BAMAKO)."""


def _raise_as_drf(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        detail = {API_FIELD_NAMES.get(k, k): v for k, v in exc.message_dict.items()}
    else:
        detail = {"detail": exc.messages}
    raise serializers.ValidationError(detail) from exc


class FundingSerializer(serializers.ModelSerializer):
    funder = serializers.PrimaryKeyRelatedField(
        queryset=PartnerBody.objects.all(),
        required=False,
        allow_null=True,
        help_text="Identifiant de l'organisme financeur (vide : budget du ministère).",
    )
    funder_name = serializers.SerializerMethodField()
    instrument = serializers.ChoiceField(choices=FundingInstrument.choices)
    status = serializers.ChoiceField(choices=FundingStatus.choices, default=FundingStatus.PLANNED)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)

    class Meta:
        model = Funding
        fields = ["id", "funder", "funder_name", "instrument", "amount", "status"]
        read_only_fields = ["id"]

    def get_funder_name(self, obj) -> str:
        return obj.funder_label

    def validate(self, attrs):
        if not attrs.get("funder") and attrs.get("instrument") != FundingInstrument.MINISTRY_BUDGET:
            raise serializers.ValidationError(
                {"funder": ["Indiquez le financeur (sauf pour le budget du ministère)."]}
            )
        return attrs


class ActionSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    classified_text_fields = ("title", "objectives")

    country = UpperSlugRelatedField(
        slug_field="code", queryset=Country.objects.all(), help_text="Code ISO alpha-2."
    )
    directorate = UpperSlugRelatedField(
        slug_field="beneficiary",
        queryset=Unit.objects.filter(kind=UnitKind.DIRECTORATE).exclude(beneficiary=""),
        help_text="Code de la direction bénéficiaire (DGPN, DGGN, SG, DGSCGC, DGEF, DGCL, DSCR).",
    )
    domain = serializers.SlugRelatedField(slug_field="code", queryset=Domain.objects.all())
    post = PostCodeField(
        slug_field="unit__code",
        queryset=Post.objects.select_related("unit"),
        required=False,
        allow_null=True,
        help_text="Code du poste chargé du suivi (ex. SSI-BAMAKO).",
    )
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(), required=False, allow_null=True
    )
    beneficiary_institution = serializers.PrimaryKeyRelatedField(
        queryset=PartnerBody.objects.all(), required=False, allow_null=True
    )
    agreement = serializers.PrimaryKeyRelatedField(
        queryset=Agreement.objects.none(),
        required=False,
        allow_null=True,
        error_messages={
            "does_not_exist": "Accord introuvable.",
            "incorrect_type": "Accord introuvable : indiquez l'identifiant (nombre) de l'accord.",
        },
        help_text="Identifiant de l'accord ou de l'arrangement au titre duquel l'action est "
        "conduite (article 1, k) ; il doit couvrir le pays partenaire.",
    )
    implementing_services = serializers.SlugRelatedField(
        many=True, slug_field="code", queryset=Unit.objects.all(), required=False
    )
    start_date = serializers.DateField(source="planned_start", help_text="Début prévu.")
    end_date = serializers.DateField(source="planned_end", help_text="Fin prévue.")
    legal_basis = serializers.SerializerMethodField(
        help_text="Lettres de l'article 1 proposées par l'évaluation de compétence (b, c à g)."
    )
    fundings = FundingSerializer(many=True, required=False)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    reference = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()
    exclusively_intelligence = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="Demande relevant exclusivement des services de renseignement (refusée).",
    )

    class Meta:
        model = CooperationAction
        fields = [
            "id",
            "reference",
            "title",
            "kind",
            "kind_label",
            "objectives",
            "domain",
            "cooperation_kind",
            "country",
            "beneficiary_institution",
            "directorate",
            "implementing_services",
            "post",
            "programme",
            "agreement",
            "status",
            "status_label",
            "legal_basis",
            "start_date",
            "end_date",
            "actual_start",
            "actual_end",
            "postponed_to",
            "participants",
            "experts",
            "expert_days",
            "actual_cost",
            "meae_opinion",
            "meae_opinion_on",
            "fundings",
            "marking",
            "version",
            "url",
            "exclusively_intelligence",
        ]
        read_only_fields = [
            "status",
            "actual_start",
            "actual_end",
            "postponed_to",
            "meae_opinion",
            "meae_opinion_on",
        ]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            fields["programme"].queryset = Programme.objects.visible_to(user)
            current = getattr(self.instance, "agreement_id", None)
            fields["agreement"].queryset = services.agreement_choices(user, current)
        return fields

    def get_legal_basis(self, obj) -> list[str]:
        return [m.code for m in sorted(obj.missions.all(), key=lambda m: m.order)]

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = self.instance or CooperationAction()
        start = attrs.get("planned_start", instance.planned_start)
        end = attrs.get("planned_end", instance.planned_end)
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end_date": ["La fin prévue précède le début prévu."]}
            )
        return attrs

    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def create(self, validated_data):
        validated_data.pop("version", None)
        intelligence = validated_data.pop("exclusively_intelligence", False)
        services_units = validated_data.pop("implementing_services", [])
        fundings = validated_data.pop("fundings", [])
        try:
            return services.create_action(
                self._user(),
                implementing_services=services_units,
                fundings=fundings,
                exclusively_intelligence=intelligence,
                **validated_data,
            )
        except DjangoValidationError as exc:
            _raise_as_drf(exc)
        except PermissionDenied:
            raise

    def update(self, instance, validated_data):
        expected = validated_data.pop("version")
        intelligence = validated_data.pop("exclusively_intelligence", False)
        fundings = validated_data.pop("fundings", None)
        m2m = {}
        if "implementing_services" in validated_data:
            m2m["implementing_services"] = validated_data.pop("implementing_services")
        for name, value in validated_data.items():
            setattr(instance, name, value)
        try:
            return services.update_action(
                instance,
                self._user(),
                expected_version=expected,
                m2m=m2m,
                fundings=fundings,
                exclusively_intelligence=intelligence,
            )
        except DjangoValidationError as exc:
            _raise_as_drf(exc)


class ActionTransitionRequestSerializer(serializers.Serializer):
    """`{"to": "<state>", "comment": "…", "version": 3, <the fields the step needs>}`."""

    to = serializers.CharField(
        help_text="État visé : proposed, under_review, meae_opinion, programmed, in_progress, "
        "completed, evaluated, cancelled, postponed."
    )
    comment = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, min_value=1)
