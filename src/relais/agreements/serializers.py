"""JSON of mission k. An agreement reads as

    {"id", "title", "kind", "countries": ["RO"], "directorates": ["DGPN", "DGGN"],
     "status", "signed_on", "in_force_on", "expires_on", "legal_basis": ["k"], …}

Writes go through `relais.agreements.services` (competence, partners, locking, audit). The state
and the dates of the lifecycle (signature, entry into force, end) are read-only here: they
change with the transitions (`POST /api/v1/agreements/<id>/transition/`).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from relais.agreements import services
from relais.agreements.models import Agreement, Domain
from relais.core.serializers import VersionedSerializerMixin
from relais.referential.models import Country, PartnerBody, Post, Unit, UnitKind


@extend_schema_field(OpenApiTypes.STR)
class PostCodeField(serializers.SlugRelatedField):
    """A post by the code of its unit (« SSI-ALGER »)."""


class UpperSlugRelatedField(serializers.SlugRelatedField):
    """A slug compared in upper case (ISO codes, beneficiary codes)."""

    def to_internal_value(self, data):
        return super().to_internal_value(str(data).strip().upper())


def _raise_as_drf(exc: DjangoValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
    raise serializers.ValidationError(detail) from exc


class AgreementSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    classified_text_fields = ("title", "summary")

    countries = UpperSlugRelatedField(
        many=True,
        slug_field="code",
        queryset=Country.objects.all(),
        required=False,
        help_text="Codes ISO alpha-2 des pays partenaires.",
    )
    partner_bodies = serializers.PrimaryKeyRelatedField(
        many=True, queryset=PartnerBody.objects.all(), required=False
    )
    directorates = UpperSlugRelatedField(
        many=True,
        slug_field="beneficiary",
        queryset=Unit.objects.filter(kind=UnitKind.DIRECTORATE).exclude(beneficiary=""),
        help_text="Codes des directions pour lesquelles l'accord est négocié (DGPN, DGGN, SG…).",
    )
    domains = serializers.SlugRelatedField(
        many=True, slug_field="code", queryset=Domain.objects.all(), required=False
    )
    lead = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="Identifiant du responsable à la DCI.",
    )
    post = PostCodeField(
        slug_field="unit__code",
        queryset=Post.objects.select_related("unit"),
        required=False,
        allow_null=True,
        help_text="Code du poste concerné (ex. SSI-ALGER).",
    )
    legal_basis = serializers.SerializerMethodField(help_text="Lettres de l'article 1 (k).")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    notice_deadline = serializers.DateField(read_only=True)
    url = serializers.SerializerMethodField()
    exclusively_intelligence = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="Question relevant exclusivement des services de renseignement (refusée).",
    )

    class Meta:
        model = Agreement
        fields = [
            "id",
            "title",
            "kind",
            "kind_label",
            "reference",
            "summary",
            "countries",
            "partner_bodies",
            "directorates",
            "domains",
            "lead",
            "post",
            "amends",
            "status",
            "status_label",
            "signed_on",
            "signed_place",
            "in_force_on",
            "duration_years",
            "tacit_renewal",
            "renewal_years",
            "notice_months",
            "expires_on",
            "notice_deadline",
            "ended_on",
            "approval_law_reference",
            "approval_law_on",
            "publication_decree_reference",
            "publication_decree_on",
            "legal_basis",
            "marking",
            "version",
            "url",
            "exclusively_intelligence",
        ]
        read_only_fields = ["status", "signed_on", "signed_place", "in_force_on", "ended_on"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            fields["amends"].queryset = Agreement.objects.visible_to(user)
        return fields

    def get_legal_basis(self, obj) -> list[str]:
        return [m.code for m in sorted(obj.missions.all(), key=lambda m: m.order)]

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()

    def validate_lead(self, user):
        if user is not None and not user.in_headquarters:
            raise serializers.ValidationError(
                "Le responsable de l'accord doit appartenir à l'administration centrale de la DCI."
            )
        return user

    def validate_directorates(self, units):
        if not units:
            raise serializers.ValidationError(
                "Indiquez au moins une direction pour laquelle l'accord est négocié."
            )
        return units

    def validate(self, attrs):
        attrs = super().validate(attrs)
        # Model rules (dates against the lifecycle…) answer 400 with the field, never 500.
        instance = self.instance or Agreement()
        candidate = Agreement(
            **{
                f.name: attrs.get(f.name, getattr(instance, f.name))
                for f in Agreement._meta.concrete_fields
                if f.name not in ("id",)
            }
        )
        candidate.pk = instance.pk
        try:
            candidate.clean()
        except DjangoValidationError as exc:
            _raise_as_drf(exc)
        return attrs

    def create(self, validated_data):
        validated_data.pop("version", None)
        intelligence = validated_data.pop("exclusively_intelligence", False)
        m2m = {
            name: validated_data.pop(name, [])
            for name in ("countries", "partner_bodies", "directorates", "domains")
        }
        try:
            return services.create_agreement(
                self._user(), exclusively_intelligence=intelligence, **m2m, **validated_data
            )
        except DjangoValidationError as exc:
            _raise_as_drf(exc)

    def update(self, instance, validated_data):
        expected = validated_data.pop("version")
        intelligence = validated_data.pop("exclusively_intelligence", False)
        m2m = {
            name: validated_data.pop(name)
            for name in ("countries", "partner_bodies", "directorates", "domains")
            if name in validated_data
        }
        for name, value in validated_data.items():
            setattr(instance, name, value)
        try:
            return services.update_agreement(
                instance,
                self._user(),
                expected_version=expected,
                m2m=m2m,
                exclusively_intelligence=intelligence,
            )
        except DjangoValidationError as exc:
            _raise_as_drf(exc)


class AgreementTransitionRequestSerializer(serializers.Serializer):
    """`{"to": "<state>", "comment": "…", "version": 3, <the dates the step needs>}`."""

    to = serializers.CharField(help_text="État visé (initiative, preparation, … in_force…).")
    comment = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, min_value=1)
