"""Read API of the referential: units, posts, countries, partner bodies and people.

Every queryset starts from `visible_to(request.user)` (the list querysets of `filters.py`, the
same as the pages); the query parameters are the FilterSets of the pages.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response

from relais.core.api_children import EditThroughMixin
from relais.referential import filters, serializers
from relais.referential.models import Assignment
from relais.referential.serializers import (
    CountrySerializer,
    PartnerBodySerializer,
    PersonSerializer,
    PostDetailSerializer,
    PostSerializer,
    UnitSerializer,
)


def _edit_schema(noun: str, request, responses=None) -> dict:
    """The schema of PUT/PATCH on a referential record (`EditThroughMixin`)."""
    extra = {"responses": responses} if responses is not None else {}
    schema = extend_schema(
        summary=f"Modifier {noun} (administrateurs, version requise)",
        request=request,
        tags=["Organisation"],
        **extra,
    )
    return {"update": schema, "partial_update": schema}


@extend_schema_view(
    list=extend_schema(summary="Unités de l'organisation", tags=["Organisation"]),
    **_edit_schema("une unité", serializers.UnitEditSerializer),
    retrieve=extend_schema(summary="Une unité, par son code", tags=["Organisation"]),
)
class UnitViewSet(EditThroughMixin, viewsets.ReadOnlyModelViewSet):
    edit_serializer_class = serializers.UnitEditSerializer
    serializer_class = UnitSerializer
    filterset_class = filters.UnitFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[-A-Za-z0-9_]+"

    def get_queryset(self):
        return filters.units_for(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Postes à l'étranger (SSI)", tags=["Organisation"]),
    **_edit_schema("un poste", serializers.PostEditSerializer, responses=PostSerializer),
    retrieve=extend_schema(
        summary="Un poste, par le code de son unité, avec son personnel en poste",
        description=(
            "Le personnel (`staff`) n'est renseigné que pour le poste lui-même, l'administration"
            " centrale de la DCI et les administrateurs ; la liste est vide pour les autres."
        ),
        tags=["Organisation"],
    ),
)
class PostViewSet(EditThroughMixin, viewsets.ReadOnlyModelViewSet):
    edit_serializer_class = serializers.PostEditSerializer
    filterset_class = filters.PostFilterSet
    lookup_field = "unit__code"
    lookup_url_kwarg = "code"
    lookup_value_regex = r"[-A-Za-z0-9_]+"

    def get_queryset(self):
        return filters.posts_for(self.request.user)

    def get_serializer_class(self):
        return PostDetailSerializer if self.action == "retrieve" else PostSerializer

    def retrieve(self, request, *args, **kwargs):
        post = self.get_object()
        staff = (
            Assignment.objects.visible_to(request.user)
            .current()
            .filter(unit=post.unit)
            .select_related("person")
            .order_by("person__last_name", "person__first_name")
        )
        context = {**self.get_serializer_context(), "staff": staff}
        return Response(PostDetailSerializer(post, context=context).data)


@extend_schema_view(
    list=extend_schema(
        summary="Pays (ISO 3166-1) et postes qui les couvrent", tags=["Organisation"]
    ),
    retrieve=extend_schema(
        summary="Un pays, par son code ISO alpha-2",
        parameters=[
            OpenApiParameter(
                "code", str, OpenApiParameter.PATH, description="Code ISO alpha-2, ex. ES"
            )
        ],
        tags=["Organisation"],
    ),
)
class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CountrySerializer
    filterset_class = filters.CountryFilterSet
    lookup_field = "code"
    # Two letters only: /countries/<ISO>/sheet/ belongs to the countries app.
    lookup_value_regex = r"[A-Za-z]{2}"

    def get_queryset(self):
        return filters.countries_for(self.request.user)

    def get_object(self):
        self.kwargs["code"] = self.kwargs["code"].upper()
        return super().get_object()


@extend_schema_view(
    list=extend_schema(summary="Organismes partenaires", tags=["Organisation"]),
    **_edit_schema("un organisme partenaire", serializers.PartnerBodyEditSerializer),
    retrieve=extend_schema(summary="Un organisme partenaire", tags=["Organisation"]),
)
class PartnerBodyViewSet(EditThroughMixin, viewsets.ReadOnlyModelViewSet):
    edit_serializer_class = serializers.PartnerBodyEditSerializer
    serializer_class = PartnerBodySerializer
    filterset_class = filters.PartnerBodyFilterSet

    def get_queryset(self):
        return filters.partners_for(self.request.user)


@extend_schema_view(
    list=extend_schema(
        summary="Agents visibles de l'utilisateur",
        description=(
            "Les agents de l'unité de l'utilisateur et des unités rattachées ; tous pour"
            " l'administration centrale de la DCI et les administrateurs."
        ),
        tags=["Organisation"],
    ),
    retrieve=extend_schema(summary="Un agent (404 s'il n'est pas visible)", tags=["Organisation"]),
    **_edit_schema("un agent", serializers.PersonEditSerializer),
)
class PersonViewSet(EditThroughMixin, viewsets.ReadOnlyModelViewSet):
    edit_serializer_class = serializers.PersonEditSerializer
    serializer_class = PersonSerializer
    filterset_class = filters.PersonFilterSet

    def get_queryset(self):
        return filters.people_for(self.request.user)


# --- Zones ----------------------------------------------------------------------------------------

from relais.referential.models import Zone  # noqa: E402


@extend_schema_view(
    list=extend_schema(summary="Zones géographiques et leurs divisions", tags=["Organisation"]),
    retrieve=extend_schema(summary="Une zone, par son code", tags=["Organisation"]),
)
class ZoneViewSet(viewsets.ReadOnlyModelViewSet):
    """The zones the countries page groups countries by (read-only, as on the pages)."""

    serializer_class = serializers.ZoneSerializer
    lookup_field = "code"
    lookup_value_regex = r"[-a-z0-9_]+"

    def get_queryset(self):
        return (
            Zone.objects.visible_to(self.request.user)
            .select_related("division")
            .prefetch_related("countries")
            .order_by("order", "name")
        )
