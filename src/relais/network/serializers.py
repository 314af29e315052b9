"""JSON of the network. A tasking reads as

    {"id", "reference", "kind", "title", "body", "due_on", "status", "all_posts",
     "recipients": [{"post": "SSI-MADRID", "answered_on": null, "late": true}, …],
     "recipient_count", "answered_count", "late_count", "legal_basis": ["b"], "version", …}

(`recipients` and the counts cover only the posts the caller may see: an attaché sees their own
post). Writes go through `relais.network.services`; the state changes only by the transitions
(`POST /api/v1/network/taskings/<id>/send/`, `…/close/`, `…/reopen/`).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from relais.core.serializers import VersionedSerializerMixin
from relais.network import services
from relais.network.models import PostAnnualReport, Tasking, TaskingRecipient
from relais.network.workflows import TaskingStatus
from relais.referential.models import Post, Zone


@extend_schema_field(OpenApiTypes.STR)
class UpperSlugRelatedField(serializers.SlugRelatedField):
    """A code compared in upper case (post codes)."""

    def to_internal_value(self, data):
        return super().to_internal_value(str(data).strip().upper())


def _raise_as_drf(exc: DjangoValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
    raise serializers.ValidationError(detail) from exc


def _legal_basis(obj) -> list[str]:
    # `missions` is prefetched by the viewsets: no query per row.
    return sorted((m.code for m in obj.missions.all()), key=lambda c: (len(c), c))


class RecipientSummarySerializer(serializers.ModelSerializer):
    post = serializers.CharField(source="post.unit.code", read_only=True)
    post_name = serializers.CharField(source="post.__str__", read_only=True)
    late = serializers.SerializerMethodField()

    class Meta:
        model = TaskingRecipient
        fields = ["id", "post", "post_name", "answered_on", "late"]

    def get_late(self, obj) -> bool:
        return obj.is_late(self.context.get("today"))


class TaskingSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    classified_text_fields = ("title", "body")

    reference = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    all_posts = serializers.BooleanField(required=False, default=False)
    posts = UpperSlugRelatedField(
        many=True,
        slug_field="unit__code",
        queryset=Post.objects.select_related("unit"),
        required=False,
        write_only=True,
        help_text="Codes des postes destinataires (ex. SSI-MADRID).",
    )
    zones = serializers.SlugRelatedField(
        many=True,
        slug_field="code",
        queryset=Zone.objects.all(),
        required=False,
        write_only=True,
        help_text="Codes des zones : tous les postes qui y résident.",
    )
    recipients = serializers.SerializerMethodField()
    recipient_count = serializers.IntegerField(read_only=True)
    answered_count = serializers.IntegerField(read_only=True)
    late_count = serializers.IntegerField(read_only=True)
    legal_basis = serializers.SerializerMethodField(help_text="Lettres de l'article 1 (b).")
    created_by = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Tasking
        fields = [
            "id",
            "reference",
            "kind",
            "kind_label",
            "title",
            "body",
            "due_on",
            "status",
            "status_label",
            "all_posts",
            "posts",
            "zones",
            "recipients",
            "recipient_count",
            "answered_count",
            "late_count",
            "legal_basis",
            "created_by",
            "marking",
            "version",
            "url",
        ]
        read_only_fields = ["status"]

    def get_recipients(self, obj) -> list[dict]:
        rows = getattr(obj, "visible_recipients", None)
        if rows is None:
            return []
        return RecipientSummarySerializer(rows, many=True, context=self.context).data

    def get_legal_basis(self, obj) -> list[str]:
        return _legal_basis(obj)

    def get_created_by(self, obj) -> str:
        return obj.created_by.get_full_name() if obj.created_by else ""

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()

    def validate_due_on(self, value):
        unchanged = self.instance is not None and value == self.instance.due_on
        if not unchanged and value < timezone.localdate():
            raise serializers.ValidationError(
                "La date de réponse attendue ne peut pas être passée."
            )
        return value

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is None and not (
            attrs.get("all_posts") or attrs.get("posts") or attrs.get("zones")
        ):
            raise serializers.ValidationError(
                {"posts": ["Indiquez au moins un poste, une zone, ou all_posts=true."]}
            )
        targets = {"posts", "zones", "all_posts"} & set(self.initial_data or {})
        if self.instance is not None and targets and self.instance.status != TaskingStatus.DRAFT:
            raise serializers.ValidationError(
                {
                    name: ["Les destinataires ne changent plus une fois la sollicitation envoyée."]
                    for name in sorted(targets)
                }
            )
        return attrs

    def create(self, validated_data):
        try:
            return services.create_tasking(
                self._user(),
                kind=validated_data["kind"],
                title=validated_data["title"],
                body=validated_data["body"],
                due_on=validated_data["due_on"],
                marking=validated_data.get("marking"),
                posts=validated_data.get("posts", []),
                zones=validated_data.get("zones", []),
                all_posts=validated_data.get("all_posts", False),
            )
        except DjangoValidationError as exc:
            _raise_as_drf(exc)

    def update(self, instance, validated_data):
        targets = {
            k: validated_data.pop(k) for k in ("posts", "zones", "all_posts") if k in validated_data
        }
        touched = {"posts", "zones", "all_posts"} & set(self.initial_data or {})
        tasking = super().update(instance, validated_data)
        user = self._user()
        if touched:
            all_posts = targets.get("all_posts", tasking.all_posts)
            posts = services.resolve_posts(
                targets.get("posts", []), targets.get("zones", []), all_posts
            )
            try:
                services.set_recipients(tasking, user, posts, all_posts=all_posts)
            except DjangoValidationError as exc:
                _raise_as_drf(exc)
        services.sync_recipient_markings(tasking, user)
        return tasking


class TaskingAnswerSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    """A post's answer. PATCH `{"answer": "…", "submit": true, "version": n}` (the post's
    attachés); the text of a draft is shown only to the post itself."""

    classified_text_fields = ("answer",)

    tasking = serializers.PrimaryKeyRelatedField(read_only=True)
    tasking_reference = serializers.CharField(source="tasking.reference", read_only=True)
    post = serializers.CharField(source="post.unit.code", read_only=True)
    post_name = serializers.CharField(source="post.__str__", read_only=True)
    due_on = serializers.DateField(source="tasking.due_on", read_only=True)
    answered_by = serializers.SerializerMethodField()
    late = serializers.SerializerMethodField()
    submit = serializers.BooleanField(
        write_only=True, required=False, default=False, help_text="Transmettre la réponse."
    )

    class Meta:
        model = TaskingRecipient
        fields = [
            "id",
            "tasking",
            "tasking_reference",
            "post",
            "post_name",
            "due_on",
            "answer",
            "answered_on",
            "answered_by",
            "late",
            "submit",
            "marking",
            "version",
        ]
        read_only_fields = ["answered_on", "marking"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        own = request is not None and request.user.unit_id == instance.post.unit_id
        if not instance.is_answered and not own:
            data["answer"] = ""
        return data

    def get_answered_by(self, obj) -> str:
        return obj.answered_by.get_full_name() if obj.answered_by else ""

    def get_late(self, obj) -> bool:
        return obj.is_late(self.context.get("today"))

    def create(self, validated_data):  # pragma: no cover - answers are created with the tasking
        raise serializers.ValidationError(
            {"detail": ["Les réponses naissent avec la sollicitation."]}
        )

    def update(self, instance, validated_data):
        try:
            return services.save_answer(
                instance,
                self._user(),
                validated_data.get("answer", instance.answer),
                submit=validated_data.get("submit", False),
                expected_version=validated_data["version"],
            )
        except DjangoValidationError as exc:
            _raise_as_drf(exc)


class AnnualReportSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    classified_text_fields = ("context", "cooperation_summary", "priorities")

    post = UpperSlugRelatedField(
        slug_field="unit__code",
        queryset=Post.objects.select_related("unit"),
        required=False,
        help_text="Code du poste ; par défaut celui de l'attaché qui crée le rapport.",
    )
    post_name = serializers.CharField(source="post.__str__", read_only=True)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    priority_list = serializers.ListField(child=serializers.CharField(), read_only=True)
    legal_basis = serializers.SerializerMethodField(help_text="Lettres de l'article 1 (b).")
    url = serializers.SerializerMethodField()

    class Meta:
        model = PostAnnualReport
        fields = [
            "id",
            "post",
            "post_name",
            "year",
            "context",
            "cooperation_summary",
            "priorities",
            "priority_list",
            "status",
            "status_label",
            "legal_basis",
            "marking",
            "version",
            "url",
        ]
        read_only_fields = ["status"]
        # One report per post and year: checked by services.create_report (400 on `year`),
        # since the post defaults to the author's own.
        validators = []

    def get_legal_basis(self, obj) -> list[str]:
        return _legal_basis(obj)

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None:
            for name in ("post", "year"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError(
                        {name: ["Ne change pas après l'ouverture du rapport."]}
                    )
        elif attrs.get("year", 0) > timezone.localdate().year:
            raise serializers.ValidationError(
                {"year": ["Le rapport porte sur une année écoulée ou en cours."]}
            )
        return attrs

    def create(self, validated_data):
        user = self._user()
        post = validated_data.pop("post", None) or user.post
        if post is None:
            raise serializers.ValidationError({"post": ["Indiquez le poste."]})
        validated_data.pop("version", None)
        year = validated_data.pop("year")
        try:
            return services.create_report(user, post, year, **validated_data)
        except DjangoValidationError as exc:
            _raise_as_drf(exc)
