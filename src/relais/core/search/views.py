"""The results page (/recherche/?q=) and the API endpoint (GET /api/v1/search/?q=)."""

from django.shortcuts import render
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from relais.core.search.query import MIN_QUERY_LENGTH, QueryTooShort, search
from relais.core.search.registry import by_label

#: Entries per kind on the page (all kinds) and when one kind is chosen (?type=).
PAGE_LIMIT = 10
ONE_KIND_LIMIT = 100


def _excerpt(text: str, length: int = 200) -> str:
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + " …"


def results_page(request):
    """Results grouped by kind; ?type=<model label> shows more results of one kind."""
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("type", "")
    registered = by_label()
    chosen = registered.get(kind)
    context = {
        "title": f"Recherche : {q}" if q else "Recherche",
        "breadcrumb": [("Recherche", None)],
        "search_query": q,
        "groups": [],
        "error": "",
        "chosen": chosen,
        "min_length": MIN_QUERY_LENGTH,
    }
    status = 200
    if q:
        try:
            context["groups"] = search(
                request.user,
                q,
                limit_per_kind=ONE_KIND_LIMIT if chosen else PAGE_LIMIT,
                kinds=[kind] if chosen else None,
            )
        except QueryTooShort as exc:
            context["error"] = str(exc)
            status = 400
    context["total"] = sum(g.total for g in context["groups"])
    return render(request, "search/results.html", context, status=status)


class SearchResultSerializer(serializers.Serializer):
    model = serializers.CharField(help_text="Modèle, ex. « referential.post ».")
    id = serializers.IntegerField(source="object_id")
    title = serializers.CharField()
    excerpt = serializers.SerializerMethodField()
    url = serializers.CharField()

    def get_excerpt(self, entry) -> str:
        return _excerpt(entry.body)


class SearchGroupSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="Type de résultats, ex. « Postes ».")
    key = serializers.CharField(help_text="Modèle à passer en paramètre `type`.")
    count = serializers.IntegerField(source="total")
    results = SearchResultSerializer(source="entries", many=True)


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        label="Recherche", min_length=MIN_QUERY_LENGTH, max_length=200, trim_whitespace=True
    )
    type = serializers.CharField(required=False, allow_blank=True)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=ONE_KIND_LIMIT)


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    count = serializers.IntegerField(help_text="Nombre total de résultats visibles.")
    groups = SearchGroupSerializer(many=True)


class SearchAPIView(APIView):
    """Full-text search across every registered kind, limited to what the caller may see.

    `GET /api/v1/search/?q=madrid` (optional `type=<model>` and `limit`, 1 to 100 per kind).
    """

    @extend_schema(
        operation_id="search",
        summary="Recherche plein texte",
        parameters=[SearchQuerySerializer],
        responses={
            200: SearchResponseSerializer,
            400: OpenApiResponse(description="Recherche vide, trop courte ou type inconnu."),
        },
        tags=["Recherche"],
    )
    def get(self, request):
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        kind = data.get("type") or ""
        if kind and kind not in by_label():
            return Response({"type": ["Type de résultats inconnu."]}, status=400)
        try:
            groups = search(
                request.user,
                data["q"],
                limit_per_kind=data.get("limit", PAGE_LIMIT),
                kinds=[kind] if kind else None,
            )
        except QueryTooShort as exc:
            return Response({"q": [str(exc)]}, status=400)
        return Response(
            {
                "query": data["q"],
                "count": sum(g.total for g in groups),
                "groups": SearchGroupSerializer(groups, many=True).data,
            }
        )
