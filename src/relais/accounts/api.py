"""`GET /api/v1/me/`: who the token or session belongs to, with role, unit and clearance."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField()
    unit = serializers.CharField(allow_null=True)
    clearance = serializers.CharField()


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
