"""API plumbing shared by every app: error format, stale-version (409) and permission errors."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from relais.core.records import StaleVersion


def exception_handler(exc, context):
    if isinstance(exc, StaleVersion):
        return Response(
            {"detail": str(exc), "code": "stale_version", "current_version": exc.current},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        body = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        return Response({"detail": "Introuvable."}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoPermissionDenied):
        return Response(
            {"detail": str(exc) or "Action non autorisée."}, status=status.HTTP_403_FORBIDDEN
        )
    return drf_exception_handler(exc, context)
