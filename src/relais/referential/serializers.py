"""Read serializers of the referential API. Related records are given by their stable codes
(unit code, ISO country code, zone code), labels stay French."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from relais.referential.models import (
    Assignment,
    Country,
    PartnerBody,
    Person,
    Post,
    Unit,
)


class UnitSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    post = serializers.SerializerMethodField(help_text="Code du poste si l'unité en est un.")

    class Meta:
        model = Unit
        fields = [
            "code",
            "name",
            "short_name",
            "kind",
            "kind_label",
            "parent",
            "path",
            "depth",
            "beneficiary",
            "is_intelligence",
            "description",
            "post",
            "marking",
            "version",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_post(self, unit) -> str | None:
        post = getattr(unit, "post", None)
        return unit.code if post is not None else None


class StaffSerializer(serializers.ModelSerializer):
    """A current assignment to a post, as shown to those who may see the post's staff."""

    person = serializers.IntegerField(source="person_id", read_only=True)
    first_name = serializers.CharField(source="person.first_name", read_only=True)
    last_name = serializers.CharField(source="person.last_name", read_only=True)
    grade = serializers.CharField(source="person.grade", read_only=True)
    email = serializers.CharField(source="person.email", read_only=True)
    phone = serializers.CharField(source="person.phone", read_only=True)
    function_label = serializers.CharField(source="get_function_display", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "person",
            "first_name",
            "last_name",
            "grade",
            "function",
            "function_label",
            "theme",
            "start_date",
            "end_date",
            "email",
            "phone",
        ]


class PostSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="unit.code", read_only=True)
    name = serializers.CharField(source="unit.name", read_only=True)
    host_country = serializers.SlugRelatedField(slug_field="code", read_only=True)
    countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    zone = serializers.SerializerMethodField()
    headcount = serializers.IntegerField(
        read_only=True, help_text="Nombre d'agents actuellement affectés au poste."
    )

    class Meta:
        model = Post
        fields = [
            "code",
            "name",
            "city",
            "embassy",
            "host_country",
            "zone",
            "countries",
            "regional_role",
            "email",
            "phone",
            "address",
            "opened_year",
            "headcount",
            "marking",
            "version",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_zone(self, post) -> str | None:
        zone = post.host_country.zone
        return zone.code if zone else None


class PostDetailSerializer(PostSerializer):
    staff = serializers.SerializerMethodField(
        help_text=(
            "Personnel en poste, visible seulement du poste, de l'administration centrale de la"
            " DCI et des administrateurs (liste vide pour les autres)."
        )
    )

    class Meta(PostSerializer.Meta):
        fields = [*PostSerializer.Meta.fields, "staff"]

    @extend_schema_field(StaffSerializer(many=True))
    def get_staff(self, post):
        return StaffSerializer(self.context.get("staff", []), many=True).data


class CountrySerializer(serializers.ModelSerializer):
    zone = serializers.SlugRelatedField(slug_field="code", read_only=True)
    zone_name = serializers.SerializerMethodField()
    posts = serializers.SerializerMethodField(help_text="Codes des postes qui couvrent le pays.")

    class Meta:
        model = Country
        fields = ["code", "code3", "numeric", "name", "official_name", "zone", "zone_name", "posts"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_zone_name(self, country) -> str | None:
        return country.zone.name if country.zone else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_posts(self, country) -> list[str]:
        return [post.unit.code for post in country.covering_posts]


class PartnerBodySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    country = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = PartnerBody
        fields = [
            "id",
            "name",
            "acronym",
            "kind",
            "kind_label",
            "country",
            "city",
            "website",
            "description",
            "marking",
            "version",
        ]


class CurrentAssignmentSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Assignment
        fields = ["unit", "function", "theme", "start_date", "end_date"]


class PersonSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    corps_label = serializers.CharField(source="get_corps_display", read_only=True)
    current_assignments = CurrentAssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "first_name",
            "last_name",
            "corps",
            "corps_label",
            "grade",
            "unit",
            "function",
            "email",
            "phone",
            "current_assignments",
            "marking",
            "version",
        ]


# --- Writes (administrators) and zones ----------------------------------------------------------
# The fields of the edit pages (`edit_forms.py`): the code of a unit or a post and a unit's place
# in the tree are not changed (they key the paths and addresses other records use).

from relais.core.serializers import VersionedSerializerMixin  # noqa: E402
from relais.referential.edit_forms import (  # noqa: E402
    PartnerBodyForm,
    PersonForm,
    PostForm,
    UnitForm,
)
from relais.referential.models import Zone  # noqa: E402


class UnitEditSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    """What an administrator changes on a unit (version required)."""

    classified_text_fields = ("name", "description")

    class Meta:
        model = Unit
        fields = [*UnitForm.Meta.fields, "version"]


class PostEditSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    """What an administrator changes on a post (version required)."""

    classified_text_fields = ("regional_role", "address")
    host_country = serializers.SlugRelatedField(slug_field="code", queryset=Country.objects.all())
    countries = serializers.SlugRelatedField(
        slug_field="code", queryset=Country.objects.all(), many=True, required=False
    )

    class Meta:
        model = Post
        fields = [*PostForm.Meta.fields, "version"]


class PersonEditSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    """What an administrator changes on a person (version required)."""

    classified_text_fields = ("function",)
    unit = serializers.SlugRelatedField(
        slug_field="code", queryset=Unit.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Person
        fields = [*PersonForm.Meta.fields, "version"]


class PartnerBodyEditSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    """What an administrator changes on a partner body (version required)."""

    classified_text_fields = ("name", "description")
    country = serializers.SlugRelatedField(
        slug_field="code", queryset=Country.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = PartnerBody
        fields = [*PartnerBodyForm.Meta.fields, "version"]


class ZoneSerializer(serializers.ModelSerializer):
    """A geographic zone and the DCI division that follows it."""

    division = serializers.SlugRelatedField(slug_field="code", read_only=True)
    countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Zone
        fields = ["code", "name", "division", "order", "countries"]
