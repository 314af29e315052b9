"""API plumbing shared by every app (docs/dev/api.md): the error format, the JSON parser, the
pagination.

- `exception_handler`: a stale version answers 409 (`stale_version`, `current_version`), a
  Django validation error 400 with field errors, out of scope 404, refused 403; a value out of
  the database's range (a filter `?id=99999999999999999999`) 400, never 500.
- `ObjectJSONParser`: a JSON body is an object (`{…}`): an array, a number, a string, a body
  nested deeper than `MAX_DEPTH` levels or holding `NaN`/`Infinity` answers 400.
- `Pagination`: `?limit=` (default `PAGE_SIZE`, at most `MAX_PAGE_SIZE`) and `?offset=`.
"""

import codecs
import json

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from relais.core.records import StaleVersion

OUT_OF_RANGE_MESSAGE = (
    "Valeur hors limites : un nombre ou une date de la requête dépasse ce que Relais enregistre."
)


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
            {"detail": str(exc) or "Action non autorisée."},
            status=status.HTTP_403_FORBIDDEN,
        )
    if isinstance(exc, OverflowError | DataError):
        # A number beyond the database's integers (SQLite: OverflowError; PostgreSQL: DataError).
        set_rollback()
        return Response(
            {"detail": OUT_OF_RANGE_MESSAGE, "code": "out_of_range"},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)


MAX_DEPTH = 32


def _depth(value) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                return depth
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


def _refuse_constant(name):
    raise ValueError(f"{name} n'est pas une valeur JSON.")


class ObjectJSONParser(JSONParser):
    """JSON bodies are objects, of bounded depth, without NaN or Infinity."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.load(codecs.getreader(encoding)(stream), parse_constant=_refuse_constant)
        except RecursionError:
            raise ParseError("Corps JSON trop profondément imbriqué.") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(f"Corps JSON invalide : {exc}") from None
        if not isinstance(data, dict):
            raise ParseError("Le corps de la requête doit être un objet JSON ({…}).")
        if _depth(data) > MAX_DEPTH:
            raise ParseError(
                f"Corps JSON trop profondément imbriqué ({MAX_DEPTH} niveaux au plus)."
            )
        return data


#: The largest page a list answers (`?limit=` above it is cut down to it).
MAX_PAGE_SIZE = 200


class Pagination(LimitOffsetPagination):
    """`?limit=` (default `PAGE_SIZE`, at most `MAX_PAGE_SIZE`) and `?offset=`."""

    max_limit = MAX_PAGE_SIZE

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["description"] = (
                    f"Nombre de résultats par page ({settings.REST_FRAMEWORK['PAGE_SIZE']} par "
                    f"défaut, {MAX_PAGE_SIZE} au plus : au-delà, la page est ramenée à "
                    f"{MAX_PAGE_SIZE})."
                )
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.offset_query_param:
                parameter["description"] = "Rang du premier résultat (0 pour le premier)."
                parameter["schema"] = {"type": "integer", "minimum": 0}
        return parameters
