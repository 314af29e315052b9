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
    ActionComment,
    CooperationAction,
    Domain,
    Evaluation,
    Funding,
    FundingInstrument,
    FundingStatus,
    OtherDonorActivity,
    Programme,
)
from relais.core.markings import refuse_classified_text
from relais.core.serializers import StrictInputMixin, VersionedSerializerMixin
from relais.referential.models import (
    Country,
    PartnerBody,
    Post,
    Unit,
    UnitKind,
    Zone,
    french_partner_message,
)

API_FIELD_NAMES = {"planned_start": "start_date", "planned_end": "end_date"}


class UpperSlugRelatedField(serializers.SlugRelatedField):
    """A slug compared in upper case (ISO codes, beneficiary codes)."""

    def to_internal_value(self, data):
        return super().to_internal_value(str(data).strip().upper())


@extend_schema_field(OpenApiTypes.STR)
class PostCodeField(serializers.SlugRelatedField):
    """A post by the code of its unit (SSI-BAMAKO)."""


@extend_schema_field(OpenApiTypes.STR)
class DirectorateField(serializers.RelatedField):
    """A directorate of the ministry by its code in the organisation tree (`DGPN`, `SG-DLPAJ`)
    or its acronym when only one unit bears it (`DLPAJ`), in any case; answered by its code."""

    default_error_messages = {
        "does_not_exist": "Direction inconnue « {value} » : indiquez le code d'une direction du "
        "ministère de l'intérieur ou d'un service placé directement sous elle (DGPN, DGGN, SG, "
        "DGSCGC, DGEF, DGCL, DSCR, DLPAJ, DCPAF…).",
        "invalid": "Indiquez le code de la direction (texte).",
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        code = data.strip().upper()
        queryset = self.get_queryset()
        unit = queryset.filter(code__iexact=code).first()
        if unit is None:
            matches = list(queryset.filter(short_name__iexact=code)[:2])
            unit = matches[0] if len(matches) == 1 else None
        if unit is None:
            self.fail("does_not_exist", value=data)
        return unit

    def to_representation(self, value):
        return value.code


def _raise_as_drf(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        detail = {API_FIELD_NAMES.get(k, k): v for k, v in exc.message_dict.items()}
    else:
        detail = {"detail": exc.messages}
    raise serializers.ValidationError(detail) from exc


def _refuse_french_partner(country):
    """France and its overseas territories are never a foreign partner (article 1: the
    international cooperation of the ministry)."""
    if country is not None and country.is_french:
        raise serializers.ValidationError(french_partner_message([country.name]))
    return country


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
        attrs = super().validate(attrs)
        funder = attrs.get("funder", getattr(self.instance, "funder", None))
        instrument = attrs.get("instrument", getattr(self.instance, "instrument", None))
        if not funder and instrument != FundingInstrument.MINISTRY_BUDGET:
            raise serializers.ValidationError(
                {"funder": ["Indiquez le financeur (sauf pour le budget du ministère)."]}
            )
        return attrs


class ActionSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    classified_text_fields = ("title", "objectives")

    country = UpperSlugRelatedField(
        slug_field="code", queryset=Country.objects.all(), help_text="Code ISO alpha-2."
    )
    directorate = DirectorateField(
        queryset=Unit.objects.none(),
        help_text="Code de la direction bénéficiaire dans l'organigramme du ministère (DGPN, "
        "DGGN, SG, DGSCGC, DGEF, DGCL, DSCR, ou une autre direction : SG-DLPAJ ou DLPAJ…).",
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
        help_text="Parties de l'article 1 données par l'évaluation de compétence, dans l'ordre "
        "de l'article (preamble-1 et b pour la police et la gendarmerie ; c, d ; preamble-2 et "
        "e, f, g ; preamble-2 seul pour les autres directions du ministère)."
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
        fields["directorate"].queryset = services.directorate_choices()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            fields["programme"].queryset = Programme.objects.visible_to(user)
            current = getattr(self.instance, "agreement_id", None)
            fields["agreement"].queryset = services.agreement_choices(user, current)
        return fields

    def get_legal_basis(self, obj) -> list[str]:
        return obj.legal_basis_codes()

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()

    def validate_country(self, country):
        return _refuse_french_partner(country)

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


# --- Programmes, funding lines, evaluations, comments, other donors ----------------------------
# Written through `relais.cooperation.services` (scope, competence, locking, audit); the children
# of an action or a programme are nested under it (`…/actions/<id>/fundings/`).


class ProgrammeSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    """A yearly programming for a country or a zone. Created by `services.create_programme`
    (the post or the division of the writer by default); its state changes by the circuit
    (`…/programmes/<id>/transitions/`)."""

    classified_text_fields = ("title", "summary")

    country = UpperSlugRelatedField(
        slug_field="code",
        queryset=Country.objects.all(),
        required=False,
        allow_null=True,
        help_text="Code ISO alpha-2 (ou `zone` pour une programmation régionale).",
    )
    zone = serializers.SlugRelatedField(
        slug_field="code", queryset=Zone.objects.all(), required=False, allow_null=True
    )
    theme = serializers.SlugRelatedField(
        slug_field="code", queryset=Domain.objects.all(), required=False, allow_null=True
    )
    post = PostCodeField(
        slug_field="unit__code",
        queryset=Post.objects.select_related("unit"),
        required=False,
        allow_null=True,
        help_text="Code du poste (ex. SSI-BAMAKO) ; par défaut celui de l'attaché qui crée.",
    )
    division = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Unit.objects.filter(kind=UnitKind.DIVISION, path__contains="DCI/"),
        required=False,
        allow_null=True,
        help_text="Code de la division de la DCI ; par défaut celle de l'agent qui crée.",
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    legal_basis = serializers.SerializerMethodField(
        help_text="Parties de l'article 1 : premier alinéa et b (programmation de la coopération "
        "technique de la police et de la gendarmerie)."
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = [
            "id",
            "year",
            "title",
            "country",
            "zone",
            "theme",
            "post",
            "division",
            "summary",
            "status",
            "status_label",
            "meae_opinion",
            "meae_opinion_on",
            "legal_basis",
            "marking",
            "version",
            "url",
        ]
        read_only_fields = ["status", "meae_opinion", "meae_opinion_on"]

    def get_legal_basis(self, obj) -> list[str]:
        return obj.legal_basis_codes()

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()

    def validate_country(self, country):
        return _refuse_french_partner(country)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        country = attrs.get("country", getattr(self.instance, "country", None))
        zone = attrs.get("zone", getattr(self.instance, "zone", None))
        if bool(country) == bool(zone):
            raise serializers.ValidationError(
                {"country": ["Indiquez soit un pays, soit une zone (programmation régionale)."]}
            )
        return attrs

    def create(self, validated_data):
        validated_data.pop("version", None)
        return services.create_programme(self._user(), **validated_data)


class FundingLineSerializer(VersionedSerializerMixin, FundingSerializer):
    """A funding line of the action or the programme in the URL (`services.save_funding`)."""

    parent_type = serializers.SerializerMethodField(help_text="`action` ou `programme`.")
    parent_id = serializers.SerializerMethodField()

    class Meta(FundingSerializer.Meta):
        fields = [*FundingSerializer.Meta.fields, "parent_type", "parent_id", "marking", "version"]
        read_only_fields = ["id", "marking"]

    def get_parent_type(self, obj) -> str:
        return "action" if obj.action_id else "programme"

    def get_parent_id(self, obj) -> int:
        return obj.action_id or obj.programme_id

    def create(self, validated_data):
        validated_data.pop("version", None)
        parent = self.context["parent"]
        field = "action" if isinstance(parent, CooperationAction) else "programme"
        line = Funding(**{field: parent}, marking=parent.marking, **validated_data)
        return services.save_funding(line, self._user())

    def update(self, instance, validated_data):
        expected = validated_data.pop("version")
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_funding(instance, self._user(), expected_version=expected)


class EvaluationSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    """The evaluation of a completed action (`services.save_evaluation`); one per action."""

    classified_text_fields = ("lessons", "follow_up")
    objectives_reached_label = serializers.CharField(
        source="get_objectives_reached_display", read_only=True
    )
    rating_label = serializers.CharField(source="get_rating_display", read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "objectives_reached",
            "objectives_reached_label",
            "rating",
            "rating_label",
            "lessons",
            "follow_up",
            "evaluated_on",
            "marking",
            "version",
        ]
        read_only_fields = ["marking"]

    def create(self, validated_data):
        validated_data.pop("version", None)
        evaluation = Evaluation(action=self.context["parent"], **validated_data)
        return services.save_evaluation(evaluation, self._user())

    def update(self, instance, validated_data):
        expected = validated_data.pop("version")
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_evaluation(instance, self._user(), expected_version=expected)


class ActionCommentSerializer(StrictInputMixin, serializers.ModelSerializer):
    """A comment on an action (`services.add_comment`: the followers are told)."""

    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    author_name = serializers.SerializerMethodField()
    body = serializers.CharField(validators=[refuse_classified_text])

    class Meta:
        model = ActionComment
        fields = ["id", "author", "author_name", "body", "created_at", "marking"]
        read_only_fields = ["created_at", "marking"]

    def get_author_name(self, obj) -> str:
        return (obj.author.get_full_name() or obj.author.get_username()) if obj.author else ""

    def create(self, validated_data):
        request = self.context["request"]
        return services.add_comment(self.context["parent"], request.user, validated_data["body"])


class OtherDonorActivitySerializer(serializers.ModelSerializer):
    """An activity of another donor read from an IATI file (public information)."""

    countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    status_label = serializers.CharField(read_only=True)

    class Meta:
        model = OtherDonorActivity
        fields = [
            "id",
            "iati_identifier",
            "reporting_org",
            "reporting_org_ref",
            "title",
            "description",
            "countries",
            "participating_orgs",
            "sectors",
            "activity_status",
            "status_label",
            "start_date",
            "end_date",
            "budget",
            "currency",
            "source_file",
        ]
        read_only_fields = fields


class IatiImportRequestSerializer(StrictInputMixin, serializers.Serializer):
    """An IATI file of other donors' activities to check or import."""

    file = serializers.FileField(help_text="Fichier IATI 2.0x (XML).")
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="Vérifier seulement, sans rien enregistrer."
    )
    valid_only = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Importer les activités valides et ignorer les autres (sinon : tout ou rien).",
    )


class IatiImportResultSerializer(serializers.Serializer):
    """What an IATI import did (or would do, in a dry run)."""

    dry_run = serializers.BooleanField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    imported = serializers.IntegerField()
    refused = serializers.CharField(help_text="Motif du refus du fichier entier (vide sinon).")
    lines = serializers.ListField(child=serializers.CharField(), help_text="Le compte rendu.")
