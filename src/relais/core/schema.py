"""OpenAPI plumbing shared by every app (drf-spectacular).

- `ErrorSerializer`: the one body of every 4xx answer (`detail` in French, `code`, and for 400
  the field errors, each field naming its messages).
- `NamedChoiceField`: a choice field whose enum gets the component name it is given (the
  transitions and states of each workflow: `AgreementTransitionEnum`, `AgreementStatusEnum`…),
  lifted into `components` by `lift_named_enums` before drf-spectacular names the others.
"""

from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """An error answer: `detail` (French), `code`, and the field errors (400) by field name."""

    detail = serializers.CharField(required=False, help_text="Message d'erreur, en français.")
    code = serializers.CharField(
        required=False,
        help_text="Code stable de l'erreur : `stale_version`, `transition_refused`, "
        "`transition_forbidden`, `out_of_range`…",
    )
    current_version = serializers.IntegerField(
        required=False, help_text="Version actuelle de l'enregistrement (409 `stale_version`)."
    )
    allowed_transitions = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Transitions que l'appelant peut appliquer maintenant (409, 403).",
    )


class ErrorSerializerExtension(OpenApiSerializerExtension):
    """Field errors come under the name of each field: any other property is allowed."""

    target_class = ErrorSerializer

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_basic_serializer(self.target, direction)
        schema["additionalProperties"] = {
            "description": "Erreurs d'un champ (liste de messages, ou objet pour un champ imbriqué)."
        }
        return schema


class NamedChoiceField(serializers.ChoiceField):
    """A `ChoiceField` whose enum is the schema component `enum_name`."""

    def __init__(self, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(**kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        schema["x-enum-name"] = self.target.enum_name
        return schema


def _lift(prop: dict, components: dict) -> dict:
    target = prop.get("items") if prop.get("type") == "array" else prop
    if not isinstance(target, dict) or "x-enum-name" not in target:
        return prop
    name = target.pop("x-enum-name")
    target.pop("x-spec-enum-id", None)
    enum = {"type": "string", "enum": [v for v in target.pop("enum") if v not in ("", None)]}
    target.pop("type", None)
    description = target.get("description", "")
    if description.startswith("*"):
        enum["description"] = target.pop("description")
    components.setdefault(name, enum)
    ref = {"$ref": f"#/components/schemas/{name}"}
    replacement = {"allOf": [ref], **target} if target else ref
    if target is prop:
        return replacement
    prop["items"] = replacement
    return prop


def _walk(schema, components):
    if isinstance(schema, list):
        for item in schema:
            _walk(item, components)
    elif isinstance(schema, dict):
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for name, prop in list(properties.items()):
                properties[name] = _lift(prop, components)
                _walk(properties[name], components)
        for key in ("items", "allOf", "oneOf", "anyOf"):
            if key in schema:
                _walk(schema[key], components)


def lift_named_enums(result, generator, request, public):
    """Postprocessing hook (before drf-spectacular's own enum naming): every `NamedChoiceField`
    becomes a reference to the component it names."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    lifted: dict = {}
    for schema in components.values():
        _walk(schema, lifted)
    for name, schema in lifted.items():
        components.setdefault(name, schema)
        # drf-spectacular's enum hook rebuilds `components` from its registry.
        generator.registry.register_on_missing(
            ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name)
        )
    return result


# --- The schema class of every view (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) ---------------------

ERROR_DESCRIPTIONS = {
    "400": "Requête invalide : champ inconnu, invalide ou manquant (nommé dans la réponse), "
    "paramètre de filtre hors limites, corps qui n'est pas un objet JSON.",
    "401": "Authentification requise (`Authorization: Bearer <jeton>`).",
    "403": "Votre rôle ou vos droits ne permettent pas cette action.",
    "404": "Introuvable, ou hors de votre périmètre.",
    "409": "Conflit : version périmée (`stale_version`, avec `current_version`) ou action "
    "impossible dans l'état actuel (`transition_refused`, avec `allowed_transitions`).",
}
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class RelaisAutoSchema(AutoSchema):
    """drf-spectacular's schema, with Relais's conventions (docs/dev/api.md):

    - every 4xx an answer may carry is documented, with the shared `Error` body;
    - tags in French: a view without its own takes its app's French name;
    - no doubled suffix: a serializer named `…RequestSerializer` is `…Request`, not
      `…RequestRequest`.
    """

    #: French tags of the core's own endpoints, by module.
    CORE_TAGS = {"relais.core.audit": "Journal d'audit", "relais.core.search": "Recherche"}

    def get_tags(self) -> list[str]:
        path = type(self.view).__module__
        for prefix, tag in self.CORE_TAGS.items():
            if path.startswith(prefix):
                return [tag]
        module = path.split(".")
        if module[0] == "relais" and len(module) > 1:
            from django.apps import apps

            for config in apps.get_app_configs():
                if config.name == f"relais.{module[1]}":
                    return [str(config.verbose_name)]
        return ["Relais"]

    def _get_serializer_name(self, serializer, direction, bypass_extensions=False) -> str:
        name = super()._get_serializer_name(serializer, direction, bypass_extensions)
        if name.endswith("RequestRequest"):
            name = name[: -len("Request")]
        return name

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # A relation read through a nullable foreign key (a unit's parent, a zone's division)
        # answers null: say so, whatever the serializer declared.
        if isinstance(field, serializers.RelatedField) and field.read_only and "$ref" not in schema:
            model = getattr(getattr(field.parent, "Meta", None), "model", None)
            name = (field.source or "").split(".")[0]
            try:
                nullable = model is not None and model._meta.get_field(name).null
            except Exception:  # not a model field (a property…): as declared
                nullable = False
            if nullable:
                schema["nullable"] = True
        return schema

    def _error_codes(self) -> set[str]:
        codes = {"401", "403"}
        if "{" in self.path:
            codes.add("404")
        if self.method in WRITE_METHODS:
            codes.add("400")
            if "{" in self.path:
                codes.add("409")
        elif self.get_filter_backends() or self._get_paginator() or self.get_override_parameters():
            codes.add("400")
        permissions = getattr(self.view, "permission_classes", ())
        if any(getattr(p, "__name__", "") == "AllowAny" for p in permissions):
            codes -= {"401", "403"}
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        error = self._get_response_for_code(ErrorSerializer, "400", direction=direction)
        for code in sorted(self._error_codes() | {c for c in responses if c.startswith("4")}):
            documented = responses.get(code)
            body = {**error, "description": ERROR_DESCRIPTIONS.get(code, "Erreur.")}
            if documented is None:
                responses[code] = body
                continue
            content = documented.get("content", {}).get("application/json", {})
            if "$ref" not in content.get("schema", {}):  # a free-form object: the shared body
                responses[code] = {
                    **body,
                    "description": documented.get("description") or body["description"],
                }
        return responses
