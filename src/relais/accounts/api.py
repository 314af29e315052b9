"""`GET /api/v1/me/`: who the token or session belongs to, with role, unit and clearance."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from relais.accounts.roles import Role
from relais.core.markings import Marking


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)
    role_label = serializers.CharField()
    unit = serializers.CharField(allow_null=True)
    clearance = serializers.ChoiceField(
        choices=Marking.choices, help_text="La mention la plus haute que l'utilisateur peut lire."
    )


@extend_schema(responses=MeSerializer, summary="Utilisateur courant")
@api_view(["GET"])
def me(request):
    user = request.user
    return Response(
        MeSerializer(
            {
                "username": user.username,
                "full_name": user.get_full_name(),
                "role": user.role,
                "role_label": user.get_role_display(),
                "unit": user.unit.code if user.unit_id else None,
                "clearance": user.clearance,
            }
        ).data
    )
