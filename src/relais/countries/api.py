"""API of the country sheet: `GET /api/v1/countries/<ISO>/sheet/`."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from relais.countries.sheet import country_sheet, get_country_or_404


class CountrySheetView(APIView):
    """The country sheet as JSON: the country's identity, then each panel (key, title, count,
    data) the user may see, in order."""

    @extend_schema(
        summary="Fiche pays",
        description=(
            "La fiche pays assemblée à partir des rubriques déclarées par chaque module, "
            "limitée à ce que l'utilisateur peut consulter. Code ISO alpha-2, casse indifférente."
        ),
        responses={200: OpenApiTypes.OBJECT},
        tags=["Fiches pays"],
    )
    def get(self, request, iso: str):
        country = get_country_or_404(request.user, iso)
        return Response(country_sheet(country, request.user).to_json())
