"""API of the country sheet: `GET /api/v1/countries/<ISO>/sheet/`."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from relais.core.markings import Marking
from relais.countries.sheet import country_sheet, get_country_or_404


class SheetZoneSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SheetCountrySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code ISO alpha-2.")
    code3 = serializers.CharField(help_text="Code ISO alpha-3.")
    numeric = serializers.CharField(help_text="Code ISO numérique.")
    name = serializers.CharField()
    official_name = serializers.CharField()
    zone = SheetZoneSerializer(allow_null=True)
    url = serializers.CharField(help_text="La fiche dans le navigateur.")


class SheetPanelSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Identifiant de la rubrique (déclarée par un module).")
    title = serializers.CharField()
    order = serializers.IntegerField()
    count = serializers.IntegerField(allow_null=True, help_text="Nombre d'éléments, s'il y a lieu.")
    data = serializers.JSONField(help_text="Le contenu de la rubrique, propre au module.")


class CountrySheetSerializer(serializers.Serializer):
    """Fiche pays : le pays, la mention la plus haute affichée, les rubriques consultables."""

    country = SheetCountrySerializer()
    marking = serializers.ChoiceField(choices=Marking.choices)
    panels = SheetPanelSerializer(many=True)


class CountrySheetView(APIView):
    """The country sheet as JSON: the country's identity, then each panel (key, title, count,
    data) the user may see, in order."""

    @extend_schema(
        summary="Fiche pays",
        description=(
            "La fiche pays assemblée à partir des rubriques déclarées par chaque module, "
            "limitée à ce que l'utilisateur peut consulter. Code ISO alpha-2, casse indifférente."
        ),
        responses={200: CountrySheetSerializer},
        tags=["Fiches pays"],
    )
    def get(self, request, iso: str):
        country = get_country_or_404(request.user, iso)
        return Response(country_sheet(country, request.user).to_json())
