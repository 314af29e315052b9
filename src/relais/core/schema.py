"""OpenAPI plumbing shared by every app (drf-spectacular).

- `ErrorSerializer`: the one body of every 4xx answer (`detail` in French, `code`, and for 400
  the field errors, each field naming its messages).
- `NamedChoiceField`: a choice field whose enum gets the component name it is given (the
  transitions and states of each workflow: `AgreementTransitionEnum`, `AgreementStatusEnum`…),
  lifted into `components` by `lift_named_enums` before drf-spectacular names the others.
"""

from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """An error answer: `detail` (French), `code`, and the field errors (400) by field name."""

    detail = serializers.CharField(required=False, help_text="Message d'erreur, en français.")
    code = serializers.CharField(
        required=False,
        help_text="Code stable de l'erreur : `stale_version`, `transition_refused`, "
        "`unknown_fields`, `not_found`, `permission_denied`…",
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
