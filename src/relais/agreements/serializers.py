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
from relais.agreements.documents import check_document
from relais.agreements.models import (
    Addressee,
    Agreement,
    CommentRequest,
    CommitteeMeeting,
    Domain,
    JointCommittee,
    NegotiationRound,
    Renewal,
    TextVersion,
)
from relais.core.markings import refuse_classified_text
from relais.core.serializers import StrictInputMixin, VersionedSerializerMixin
from relais.referential.models import (
    Country,
    PartnerBody,
    Post,
    Unit,
    UnitKind,
    french_partner_message,
)


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
            "signed_on_precision",
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
        read_only_fields = [
            "status",
            "signed_on",
            "signed_on_precision",
            "signed_place",
            "in_force_on",
            "ended_on",
        ]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            fields["amends"].queryset = Agreement.objects.visible_to(user)
        return fields

    def get_legal_basis(self, obj) -> list[str]:
        return obj.legal_basis_codes()

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()

    def validate_lead(self, user):
        if user is not None and not user.in_headquarters:
            raise serializers.ValidationError(
                "Le responsable de l'accord doit appartenir à l'administration centrale de la DCI."
            )
        return user

    def validate_countries(self, countries):
        french = [c.name for c in countries if c.is_french]
        if french:
            raise serializers.ValidationError(french_partner_message(french))
        return countries

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


# --- Children of an agreement (nested under /api/v1/agreements/<id>/) --------------------------
# Each one is read with its agreement (visible_to) and written through `services` (the
# agreement's `can_change`, locking, audit). The marking is the agreement's.


class AgreementChildSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    """A round, a committee or a meeting: `services.save_child` creates and updates it."""

    #: The foreign key set from the parent in the URL (`agreement`, or `committee`).
    parent_field = "agreement"

    def create(self, validated_data):
        validated_data.pop("version", None)
        parent = self.context["parent"]
        child = self.Meta.model(**{self.parent_field: parent}, marking=parent.marking)
        for name, value in validated_data.items():
            setattr(child, name, value)
        return services.save_child(child, self._user())

    def update(self, instance, validated_data):
        expected = validated_data.pop("version")
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_child(instance, self._user(), expected_version=expected)


class NegotiationRoundSerializer(AgreementChildSerializer):
    """A negotiation round: when, where, who, and what came out of it."""

    classified_text_fields = ("french_delegation", "partner_delegation", "outcome")

    class Meta:
        model = NegotiationRound
        fields = [
            "id",
            "held_on",
            "place",
            "french_delegation",
            "partner_delegation",
            "outcome",
            "marking",
            "version",
        ]
        read_only_fields = ["marking"]


class JointCommitteeSerializer(AgreementChildSerializer):
    """A joint committee the agreement sets up (its meetings: `…/committees/<id>/meetings/`)."""

    classified_text_fields = ("description",)

    class Meta:
        model = JointCommittee
        fields = ["id", "name", "periodicity", "description", "marking", "version"]
        read_only_fields = ["marking"]


class CommitteeMeetingSerializer(AgreementChildSerializer):
    """A meeting of a joint committee, planned or held."""

    parent_field = "committee"
    classified_text_fields = ("agenda", "outcome")

    class Meta:
        model = CommitteeMeeting
        fields = ["id", "held_on", "place", "agenda", "outcome", "marking", "version"]
        read_only_fields = ["marking"]


class TextVersionSerializer(serializers.ModelSerializer):
    """A version of the text as read: its number, its file (name, type, size) and the text the
    comparison uses. `document_url` downloads the file (access logged)."""

    text_source_label = serializers.CharField(source="get_text_source_display", read_only=True)
    has_document = serializers.SerializerMethodField()
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = TextVersion
        fields = [
            "id",
            "number",
            "label",
            "original_name",
            "content_type",
            "size",
            "has_document",
            "document_url",
            "text",
            "text_source",
            "text_source_label",
            "created_at",
            "marking",
            "version",
        ]
        read_only_fields = fields

    def get_has_document(self, obj) -> bool:
        return bool(obj.document)

    def get_document_url(self, obj) -> str | None:
        if not obj.document:
            return None
        return f"/api/v1/agreements/{obj.agreement_id}/versions/{obj.number}/document/"


class TextVersionUploadSerializer(StrictInputMixin, serializers.Serializer):
    """`multipart/form-data` (`label`, `document`, `pasted_text`) or JSON without `document`."""

    label = serializers.CharField(max_length=200, validators=[refuse_classified_text])
    document = serializers.FileField(
        required=False, help_text="PDF, DOCX, ODT ou TXT (type jugé sur le contenu)."
    )
    pasted_text = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Le texte de la version quand il ne peut pas être extrait du document.",
    )

    def validate_document(self, document):
        try:
            check_document(document)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return document

    def validate(self, attrs):
        if not attrs.get("document") and not attrs.get("pasted_text", "").strip():
            raise serializers.ValidationError(
                {"document": ["Joignez le document ou collez son texte."]}
            )
        return attrs


class DiffLineSerializer(serializers.Serializer):
    """One line of a comparison, with its number in the old and the new text."""

    kind = serializers.ChoiceField(
        choices=[
            ("same", "Inchangée"),
            ("added", "Ajoutée"),
            ("removed", "Retirée"),
            ("skip", "Lignes inchangées omises"),
        ]
    )
    text = serializers.CharField()
    old_number = serializers.IntegerField(allow_null=True)
    new_number = serializers.IntegerField(allow_null=True)


class VersionComparisonSerializer(serializers.Serializer):
    """The line-by-line comparison of the text of two versions."""

    old = serializers.IntegerField(source="old.number", help_text="Numéro de l'ancienne version.")
    new = serializers.IntegerField(source="new.number", help_text="Numéro de la nouvelle version.")
    added = serializers.IntegerField(source="comparison.added")
    removed = serializers.IntegerField(source="comparison.removed")
    identical = serializers.BooleanField(source="comparison.identical")
    lines = DiffLineSerializer(source="comparison.lines", many=True)


class VersionNumberField(serializers.IntegerField):
    """A version of the agreement in the URL, by its number (1, 2…)."""

    def to_internal_value(self, data):
        number = super().to_internal_value(data)
        version = self.context["parent"].versions.filter(number=number).first()
        if version is None:
            raise serializers.ValidationError(f"L'accord n'a pas de version n° {number}.")
        return version

    def to_representation(self, value):
        return value.number if hasattr(value, "number") else value


class CommentRequestSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    """A request for comments to a directorate concerned or to the MEAE, and its answer.
    Created by `services.request_comments`; answered by `POST …/<id>/answer/`."""

    classified_text_fields = ("subject",)

    addressee_label = serializers.CharField(read_only=True)
    directorate = UpperSlugRelatedField(
        slug_field="beneficiary",
        queryset=Unit.objects.filter(kind=UnitKind.DIRECTORATE).exclude(beneficiary=""),
        required=False,
        allow_null=True,
        help_text="Code de la direction sollicitée (une de celles de l'accord) ; vide pour le "
        "MEAE.",
    )
    text_version = VersionNumberField(
        required=False,
        allow_null=True,
        help_text="Numéro de la version du texte soumise aux observations.",
    )
    answered_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = CommentRequest
        fields = [
            "id",
            "addressee",
            "addressee_label",
            "directorate",
            "text_version",
            "subject",
            "requested_on",
            "due_on",
            "is_open",
            "answered_on",
            "answer",
            "answered_by",
            "marking",
            "version",
        ]
        read_only_fields = ["answered_on", "answer", "marking"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs.get("addressee") == Addressee.DIRECTORATE and not attrs.get("directorate"):
            raise serializers.ValidationError(
                {"directorate": ["Choisissez la direction sollicitée."]}
            )
        requested = attrs.get("requested_on")
        if requested and attrs.get("due_on") and attrs["due_on"] < requested:
            raise serializers.ValidationError(
                {"due_on": ["La réponse ne peut pas être attendue avant la demande."]}
            )
        return attrs

    def create(self, validated_data):
        validated_data.pop("version", None)
        return services.request_comments(self.context["parent"], self._user(), **validated_data)


class CommentAnswerSerializer(StrictInputMixin, serializers.Serializer):
    """The answer to a request for comments."""

    answer = serializers.CharField(validators=[refuse_classified_text])
    answered_on = serializers.DateField(
        required=False, allow_null=True, help_text="Vide : aujourd'hui."
    )
    version = serializers.IntegerField(
        min_value=1, help_text="Version lue de la demande (verrouillage optimiste)."
    )


class RenewalSerializer(StrictInputMixin, serializers.ModelSerializer):
    """A tacit or express renewal: `services.record_renewal` moves the agreement's expiry."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    new_expires_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Vide : l'ancienne échéance prolongée de la durée de reconduction.",
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", validators=[refuse_classified_text]
    )

    class Meta:
        model = Renewal
        fields = [
            "id",
            "kind",
            "kind_label",
            "renewed_on",
            "previous_expires_on",
            "new_expires_on",
            "comment",
            "marking",
            "version",
        ]
        read_only_fields = ["previous_expires_on", "marking", "version"]

    def create(self, validated_data):
        request = self.context.get("request")
        return services.record_renewal(
            self.context["parent"], getattr(request, "user", None), **validated_data
        )
