"""JSON of mission a. A report reads as

    {"id", "reference", "title", "summary", "body", "countries": ["ML"], "themes": ["drugs"],
     "source_reliability": "B", "information_credibility": "2", "grading_scheme":
     "europol_4x4", "handling_code": "H1", "handling_conditions": "", "marking":
     "diffusion_restreinte", "status": "submitted", "disseminations": [...], …}

Writes go through `relais.information.services`. A classified marking (`secret`…) is refused
with 400; so is a grading the scheme does not have.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from relais.core.markings import refuse_classified_text
from relais.core.serializers import StrictInputMixin, VersionedSerializerMixin
from relais.information.grading import SCHEMES, SchemeCode, default_scheme_code
from relais.information.models import (
    AnalysisFile,
    AnalystNote,
    Attachment,
    Dissemination,
    Feedback,
    FollowUp,
    InformationReport,
    PurgeRecord,
    RedirectionReceipt,
    ReportLink,
    RoutingRule,
    Theme,
    Usefulness,
    ineligible_recipients,
    ineligible_recipients_message,
)
from relais.referential.models import Country, Unit


def _grading_schema(kind: str) -> dict:
    """The codes of every grid as an enum, each with its French label per grid."""
    labels: dict[str, list[str]] = {}
    for scheme in SCHEMES.values():
        for code, label in getattr(scheme, kind):
            labels.setdefault(code, []).append(f"{scheme.label} : {label}")
    lines = [f"* `{code}` - {' ; '.join(texts)}" for code, texts in sorted(labels.items())]
    return {
        "type": "string",
        "enum": sorted(labels),
        "description": "\n".join(lines),
    }


@extend_schema_field(_grading_schema("reliability"))
class ReliabilityField(serializers.CharField):
    """A source reliability code; checked against the report's grid in `validate`."""


@extend_schema_field(_grading_schema("credibility"))
class CredibilityField(serializers.CharField):
    """An information credibility code; checked against the report's grid in `validate`."""


class UpperSlugRelatedField(serializers.SlugRelatedField):
    def to_internal_value(self, data):
        return super().to_internal_value(str(data).strip().upper())


def raise_as_drf(exc: DjangoValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
    raise serializers.ValidationError(detail) from exc


class FeedbackSerializer(serializers.ModelSerializer):
    usefulness_label = serializers.CharField(source="get_usefulness_display", read_only=True)
    follow_up_label = serializers.CharField(source="get_follow_up_display", read_only=True)

    class Meta:
        model = Feedback
        fields = [
            "usefulness",
            "usefulness_label",
            "follow_up",
            "follow_up_label",
            "comment",
            "created_at",
        ]


class DisseminationSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    acknowledged = serializers.BooleanField(source="is_acknowledged", read_only=True)
    feedbacks = FeedbackSerializer(many=True, read_only=True)

    class Meta:
        model = Dissemination
        fields = [
            "unit",
            "handling_code",
            "handling_conditions",
            "disseminated_at",
            "deadline",
            "acknowledgement_due",
            "acknowledged",
            "acknowledged_at",
            "feedbacks",
        ]


class AttachmentSerializer(serializers.ModelSerializer):
    """A file of a report; `download` is the API address that serves it (access logged)."""

    download = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "sha256", "created_at", "download"]

    def get_download(self, obj) -> str:
        return reverse(
            "api:information-report-attachment",
            kwargs={"pk": obj.report_id, "attachment_pk": obj.pk},
        )


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="PDF, JPEG, PNG, TXT, DOCX ou ODT (type vérifié sur le contenu), 10 Mo au plus."
    )


class ReportSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    classified_text_fields = (
        "title",
        "summary",
        "body",
        "facts_place",
        "source_description",
        "handling_conditions",
    )

    countries = UpperSlugRelatedField(
        many=True,
        slug_field="code",
        queryset=Country.objects.all(),
        help_text="Codes ISO alpha-2 des pays concernés.",
    )
    themes = serializers.SlugRelatedField(
        many=True,
        slug_field="code",
        queryset=Theme.objects.all(),
        help_text="terrorism, organised_crime, drugs, irregular_immigration, document_fraud, "
        "human_trafficking, cybercrime, arms_trafficking, public_order, nationals_security, other.",
    )
    grading_scheme = serializers.ChoiceField(
        choices=SchemeCode.choices,
        required=False,
        help_text="Grille de cotation (Europol 4x4 par défaut).",
    )
    # The codes of each grid and their labels are in the schema's enums.
    source_reliability = ReliabilityField(max_length=1)
    information_credibility = CredibilityField(max_length=1)
    reference = serializers.CharField(read_only=True)
    unit = serializers.CharField(source="unit.code", read_only=True)
    author = serializers.CharField(source="created_by.username", read_only=True, default="")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    possible_duplicate_of = serializers.PrimaryKeyRelatedField(read_only=True)
    disseminations = serializers.SerializerMethodField(
        help_text="Destinataires, accusés et retours : tous pour les analystes, le pilotage et "
        "l'unité rédactrice ; pour un destinataire, sa seule diffusion."
    )
    attachments = AttachmentSerializer(many=True, read_only=True)
    legal_basis = serializers.SerializerMethodField(help_text="Lettres de l'article 1.")
    url = serializers.SerializerMethodField()
    submit = serializers.BooleanField(
        write_only=True, required=False, default=False, help_text="Soumettre à validation."
    )
    exclusively_intelligence = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="`true` : la fiche relève exclusivement des services de renseignement ; rien "
        "de son contenu n'est conservé, la réponse est 202 avec l'accusé de réorientation. "
        "Seules les valeurs JSON `true` et `false` sont acceptées.",
    )

    class Meta:
        model = InformationReport
        fields = [
            "id",
            "reference",
            "kind",
            "title",
            "summary",
            "body",
            "facts_date",
            "facts_place",
            "countries",
            "themes",
            "source_description",
            "grading_scheme",
            "source_reliability",
            "information_credibility",
            "handling_code",
            "handling_conditions",
            "marking",
            "status",
            "status_label",
            "unit",
            "author",
            "created_at",
            "submitted_at",
            "validated_at",
            "disseminated_at",
            "possible_duplicate_of",
            "disseminations",
            "attachments",
            "legal_basis",
            "version",
            "url",
            "submit",
            "exclusively_intelligence",
        ]
        read_only_fields = ["kind", "status", "created_at"]

    @extend_schema_field(DisseminationSerializer(many=True))
    def get_disseminations(self, obj):
        seen = obj.disseminations_seen_by(self._user(), obj.disseminations.all())
        return DisseminationSerializer(seen, many=True).data

    def get_legal_basis(self, obj) -> list[str]:
        return obj.legal_basis_codes()

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = self.instance
        scheme_code = attrs.get(
            "grading_scheme", instance.grading_scheme if instance else default_scheme_code()
        )
        scheme = SCHEMES[scheme_code]
        errors = {}
        reliability = attrs.get("source_reliability", getattr(instance, "source_reliability", ""))
        credibility = attrs.get(
            "information_credibility", getattr(instance, "information_credibility", "")
        )
        if reliability not in scheme.reliability_codes:
            errors["source_reliability"] = [
                f"Valeur inconnue pour la grille {scheme.label} : "
                f"{', '.join(scheme.reliability_codes)}."
            ]
        if credibility not in scheme.credibility_codes:
            errors["information_credibility"] = [
                f"Valeur inconnue pour la grille {scheme.label} : "
                f"{', '.join(scheme.credibility_codes)}."
            ]
        code = attrs.get("handling_code", getattr(instance, "handling_code", "H0"))
        conditions = attrs.get("handling_conditions", getattr(instance, "handling_conditions", ""))
        if code == "H3" and not (conditions or "").strip():
            errors["handling_conditions"] = [
                "Le code H3 exige les conditions fixées par le fournisseur de l'information."
            ]
        if "countries" in attrs and not attrs["countries"]:
            errors["countries"] = ["Indiquez au moins un pays concerné."]
        if "themes" in attrs and not attrs["themes"]:
            errors["themes"] = ["Indiquez au moins un thème."]
        if errors:
            raise serializers.ValidationError(errors)
        attrs["grading_scheme"] = scheme_code
        return attrs

    def create(self, validated_data):
        from relais.information import services

        validated_data.pop("version", None)
        validated_data.pop("exclusively_intelligence", None)  # handled by the view (triage)
        submit = validated_data.pop("submit", False)
        countries = validated_data.pop("countries")
        themes = validated_data.pop("themes")
        try:
            return services.create_report(
                self._user(), countries=countries, themes=themes, submit=submit, **validated_data
            )
        except DjangoValidationError as exc:
            raise_as_drf(exc)

    def update(self, instance, validated_data):
        from relais.information import services

        expected = validated_data.pop("version")
        validated_data.pop("submit", None)
        validated_data.pop("exclusively_intelligence", None)
        countries = validated_data.pop("countries", None)
        themes = validated_data.pop("themes", None)
        try:
            return services.update_report(
                instance,
                self._user(),
                expected_version=expected,
                countries=countries,
                themes=themes,
                **validated_data,
            )
        except DjangoValidationError as exc:
            raise_as_drf(exc)


class ReceiptSerializer(serializers.ModelSerializer):
    """What the API answers for a report redirected to the intelligence services."""

    reference = serializers.CharField(source="__str__", read_only=True)
    status = serializers.SerializerMethodField()
    received_at = serializers.DateTimeField(source="created_at", read_only=True)
    author = serializers.CharField(source="author.username", read_only=True, default="")
    unit = serializers.CharField(source="unit.code", read_only=True)
    redirection = serializers.CharField(source="redirect_to", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = RedirectionReceipt
        fields = [
            "status",
            "reference",
            "received_at",
            "author",
            "unit",
            "origin",
            "redirection",
            "redirect_to",
            "reason",
            "former_reference",
            "url",
        ]

    def get_status(self, obj) -> str:
        return "redirected"


class DisseminateSerializer(serializers.Serializer):
    units = serializers.SlugRelatedField(
        many=True,
        slug_field="code",
        queryset=Unit.objects.all(),
        help_text="Codes des unités destinataires : directions et services de la police et de la "
        "gendarmerie nationales (article 1, a) — DGPN, OFAST, DCPAF, PJGN…",
    )
    deadline = serializers.DateField(required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, min_value=1)


class TransitionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, min_value=1)


class FeedbackRequestSerializer(serializers.Serializer):
    usefulness = serializers.ChoiceField(choices=Usefulness.choices)
    follow_up = serializers.ChoiceField(choices=FollowUp.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class RegradeSerializer(serializers.Serializer):
    source_reliability = ReliabilityField(max_length=1)
    information_credibility = CredibilityField(max_length=1)
    reason = serializers.CharField()
    version = serializers.IntegerField(required=False, min_value=1)


# --- Analysis files, routing rules, syntheses, notes, links --------------------------------------
# Written through `relais.information.services` (notes, links, syntheses) or the records service
# (`relais.core.records`, as the pages do for files and rules): locking, audit, search index.


def reports_by_reference(user, values, *, field: str) -> list:
    """Visible, submitted reports from references (« RO-2026-000114 ») or ids (114)."""
    from relais.information.forms import parse_references

    ids = parse_references(" ".join(str(v) for v in values))
    reports = list(
        InformationReport.objects.visible_to(user)
        .filter(pk__in=ids)
        .exclude(status="draft")
        .prefetch_related("countries", "themes")
    )
    if not ids or len(reports) != len(ids) or len(ids) != len(values):
        raise serializers.ValidationError(
            {field: ["Références inconnues ou fiches non soumises : vérifiez la liste."]}
        )
    return reports


class AnalysisFileSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    """An analysis file (a theme or a case followed over time), analysts only. Its reports are
    added with `POST …/files/<id>/reports/`."""

    classified_text_fields = ("title", "description")
    themes = serializers.SlugRelatedField(
        many=True, slug_field="code", queryset=Theme.objects.all(), required=False
    )
    countries = UpperSlugRelatedField(
        many=True, slug_field="code", queryset=Country.objects.all(), required=False
    )
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    report_count = serializers.IntegerField(read_only=True, source="n", default=None)
    url = serializers.SerializerMethodField()

    class Meta:
        model = AnalysisFile
        fields = [
            "id",
            "title",
            "description",
            "themes",
            "countries",
            "state",
            "state_label",
            "report_count",
            "marking",
            "version",
            "url",
        ]

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class AddReportToFileSerializer(StrictInputMixin, serializers.Serializer):
    """The report to add to an analysis file, by reference or id."""

    report = serializers.CharField(help_text="Référence (RO-2026-000114) ou identifiant.")


class RoutingRuleSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    """Theme (and optionally country) → the units a report of that kind should go to. The rules
    propose, the analyst chooses; pilotage keeps them."""

    theme = serializers.SlugRelatedField(slug_field="code", queryset=Theme.objects.all())
    country = UpperSlugRelatedField(
        slug_field="code",
        queryset=Country.objects.all(),
        required=False,
        allow_null=True,
        help_text="Code ISO alpha-2 ; vide : tous les pays.",
    )
    units = serializers.SlugRelatedField(
        many=True,
        slug_field="code",
        queryset=Unit.objects.none(),
        help_text="Codes des unités destinataires : directions et services de la police et de "
        "la gendarmerie nationales (article 1, a), jamais un service de renseignement ni un "
        "poste à l'étranger.",
    )

    class Meta:
        model = RoutingRule
        fields = ["id", "theme", "country", "units", "active", "note", "marking", "version"]

    def get_fields(self):
        fields = super().get_fields()
        fields["units"].child_relation.queryset = Unit.objects.all()
        return fields

    def validate_units(self, units):
        refused = ineligible_recipients(units)
        if refused:
            raise serializers.ValidationError(ineligible_recipients_message(refused))
        return units

    def validate(self, attrs):
        attrs = super().validate(attrs)
        theme = attrs.get("theme", getattr(self.instance, "theme", None))
        country = attrs.get("country", getattr(self.instance, "country", None))
        clash = RoutingRule.objects.filter(theme=theme, country=country)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if theme is not None and clash.exists():
            raise serializers.ValidationError(
                {"theme": ["Une règle existe déjà pour ce thème et ce pays : modifiez-la."]}
            )
        if "units" in attrs and not attrs["units"]:
            raise serializers.ValidationError({"units": ["Choisissez au moins une unité."]})
        return attrs


class SynthesisSerializer(StrictInputMixin, serializers.Serializer):
    """An analyst's synthesis of several submitted reports (`services.create_synthesis`): a
    report of kind « synthèse », draft, in the same circuit."""

    title = serializers.CharField(max_length=300, validators=[refuse_classified_text])
    summary = serializers.CharField(validators=[refuse_classified_text])
    body = serializers.CharField(validators=[refuse_classified_text])
    sources = serializers.ListField(
        child=serializers.CharField(),
        allow_empty=False,
        help_text="Références (RO-2026-000114) ou identifiants des fiches synthétisées.",
    )
    source_reliability = serializers.CharField(max_length=1)
    information_credibility = serializers.CharField(max_length=1)

    def validate(self, attrs):
        scheme = SCHEMES[default_scheme_code()]
        errors = {}
        if attrs["source_reliability"] not in scheme.reliability_codes:
            errors["source_reliability"] = [
                f"Valeurs possibles : {', '.join(scheme.reliability_codes)}."
            ]
        if attrs["information_credibility"] not in scheme.credibility_codes:
            errors["information_credibility"] = [
                f"Valeurs possibles : {', '.join(scheme.credibility_codes)}."
            ]
        if errors:
            raise serializers.ValidationError(errors)
        user = self.context["request"].user
        attrs["sources"] = reports_by_reference(user, attrs["sources"], field="sources")
        return attrs


class AnalystNoteSerializer(StrictInputMixin, serializers.ModelSerializer):
    """An analyst's note on a report (analysts and pilotage read them)."""

    author = serializers.CharField(source="created_by.username", read_only=True, default="")
    text = serializers.CharField(validators=[refuse_classified_text])

    class Meta:
        model = AnalystNote
        fields = ["id", "text", "author", "created_at", "marking"]
        read_only_fields = ["created_at", "marking"]

    def create(self, validated_data):
        from relais.information import services

        request = self.context["request"]
        return services.add_note(self.context["parent"], request.user, validated_data["text"])


class ReportLinkSerializer(StrictInputMixin, serializers.ModelSerializer):
    """A link an analyst draws from the report in the URL to another visible report."""

    target = serializers.CharField(
        help_text="Référence (RO-2026-000114) ou identifiant de la fiche liée."
    )
    target_reference = serializers.CharField(source="target.reference", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ReportLink
        fields = ["id", "target", "target_reference", "kind", "kind_label", "created_at"]
        read_only_fields = ["created_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["target"] = instance.target_id
        return data

    def validate_target(self, value):
        from relais.information.forms import parse_references

        ids = parse_references(value)
        target = (
            InformationReport.objects.visible_to(self.context["request"].user)
            .filter(pk__in=ids[:1])
            .first()
            if len(ids) == 1
            else None
        )
        if target is None:
            raise serializers.ValidationError("Aucune fiche visible ne porte cette référence.")
        return target

    def create(self, validated_data):
        from relais.information import services

        request = self.context["request"]
        return services.link_reports(
            self.context["parent"], validated_data["target"], request.user, validated_data["kind"]
        )


class ReceiptRecordSerializer(ReceiptSerializer):
    """A redirection receipt as listed (« Purges et récépissés »), with its id."""

    class Meta(ReceiptSerializer.Meta):
        fields = ["id", *ReceiptSerializer.Meta.fields]


class PurgeRecordSerializer(serializers.ModelSerializer):
    """The trace of a report deleted at the end of its retention period (no content)."""

    class Meta:
        model = PurgeRecord
        fields = [
            "id",
            "report_reference",
            "report_id",
            "unit_code",
            "themes",
            "rule",
            "last_updated_at",
            "purged_at",
        ]
