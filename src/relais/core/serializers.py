"""DRF serializer plumbing shared by every app: optimistic locking and markings.

    class PartnerBodySerializer(VersionedSerializerMixin, serializers.ModelSerializer):
        classified_text_fields = ("description",)

        class Meta:
            model = PartnerBody
            fields = ["id", "name", "acronym", "kind", "country", "description", "marking"]

- `version` is read-write: an update (PUT/PATCH) must send the version it read, else 400; a stale
  one raises `StaleVersion`, which the API exception handler turns into 409 with
  `current_version`.
- Saving goes through `relais.core.records.create/update` (audit event, signals, permission).
- `marking` refuses classified levels with `CLASSIFIED_MESSAGE` (400, never 500).
"""

from collections.abc import Mapping

from django.http import QueryDict
from rest_framework import serializers
from rest_framework.utils import model_meta

from relais.core import records
from relais.core.markings import (
    ABOVE_CLEARANCE_MESSAGE,
    CLASSIFIED_MESSAGE,
    Marking,
    is_classified_value,
    may_read,
    refuse_classified_text,
)

MISSING_VERSION_MESSAGE = (
    "Indiquez la version de l'enregistrement que vous modifiez (champ « version », renvoyé par "
    "la lecture) : elle évite d'écraser les modifications de quelqu'un d'autre."
)


def unknown_field_message(name: str) -> str:
    return f"Champ inconnu : « {name} ». Retirez-le ou corrigez son nom (voir le schéma de l'API)."


BOOLEAN_MESSAGE = "Valeur booléenne attendue : true ou false (JSON), sans guillemets."
#: Keys a browser form adds to a request body (the browsable API).
_FORM_KEYS = frozenset({"csrfmiddlewaretoken", "_content_type", "_content"})


def strict_input_errors(serializer, data) -> dict:
    """The unknown keys and non-JSON booleans of `data` for `serializer` (empty when none)."""
    if not isinstance(data, Mapping) or not getattr(serializer, "strict_input", True):
        return {}
    errors = {}
    fields = serializer.fields
    for key in data:
        if key not in fields and key not in _FORM_KEYS:
            errors[key] = [unknown_field_message(key)]
    form = isinstance(data, QueryDict)
    for name, field in fields.items():
        if field.read_only or name not in data or not isinstance(field, serializers.BooleanField):
            continue
        value = data[name]
        if isinstance(value, bool) or (form and value in ("true", "false")):
            continue
        if value is None and field.allow_null:
            continue
        errors[name] = [BOOLEAN_MESSAGE]
    return errors


class StrictInputMixin:
    """Strict input for every serializer that reads a request body.

    - a key that is not one of the serializer's fields answers 400 naming it (a misspelt
      `exclusively_intelligence` must not be silently ignored); read-only fields are accepted
      and ignored (a client may send back what it read);
    - a boolean accepts only JSON `true`/`false` (the strings "true"/"false" in a form or
      multipart body, which has no other way to say it): "oui", "1", "yes"… answer 400.

    `install_strict_input()` (run by `CoreConfig.ready`) makes it the rule of **every** DRF
    serializer, nested ones included; the mixin states it on a class (and `strict_input = False`
    would exempt one, with a reason).
    """

    strict_input = True

    def to_internal_value(self, data):
        errors = strict_input_errors(self, data)
        if errors:
            raise serializers.ValidationError(errors, code="invalid")
        return super().to_internal_value(data)


def install_strict_input() -> None:
    """Make every `Serializer` strict (unknown fields and non-JSON booleans refused)."""
    base = serializers.Serializer
    if getattr(base.to_internal_value, "strict_input", False):
        return
    original = base.to_internal_value

    def to_internal_value(self, data):
        errors = strict_input_errors(self, data)
        if not errors:
            return original(self, data)
        try:  # name the other field errors too (a missing required field…)
            original(self, data)
        except serializers.ValidationError as exc:
            if isinstance(exc.detail, dict):
                errors = {**exc.detail, **errors}
        raise serializers.ValidationError(errors, code="invalid")

    to_internal_value.strict_input = True
    base.to_internal_value = to_internal_value


class MarkingSerializerField(serializers.ChoiceField):
    """A record's marking: the two Relais levels; a classified level gets `CLASSIFIED_MESSAGE`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Mention de protection")
        super().__init__(choices=Marking.choices, **kwargs)

    def to_internal_value(self, data):
        if data not in ("", None) and is_classified_value(data):
            raise serializers.ValidationError(CLASSIFIED_MESSAGE, code="classified")
        value = super().to_internal_value(data)
        request = self.context.get("request")
        if request is not None and not may_read(request.user, value):
            raise serializers.ValidationError(ABOVE_CLEARANCE_MESSAGE, code="above_clearance")
        return value


class VersionedSerializerMixin(StrictInputMixin):
    """Optimistic locking, markings and the records service for a `ModelSerializer` (with strict
    input: unknown fields and non-JSON booleans refused)."""

    #: Free-text fields where a classification header (« TRÈS SECRET ») is refused.
    classified_text_fields: tuple[str, ...] = ()

    def get_fields(self):
        fields = super().get_fields()
        fields["version"] = serializers.IntegerField(
            min_value=1,
            required=False,
            label="version",
            help_text="Version lue ; obligatoire pour modifier (verrouillage optimiste).",
        )
        marking = fields.get("marking")
        if marking is not None and not marking.read_only:
            fields["marking"] = MarkingSerializerField(required=False)
        for name in self.classified_text_fields:
            if name in fields:
                fields[name].validators = [*fields[name].validators, refuse_classified_text]
        return fields

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None and attrs.get("version") is None:
            raise serializers.ValidationError({"version": [MISSING_VERSION_MESSAGE]})
        return attrs

    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def _split_many_to_many(self, model, validated_data: dict) -> tuple[dict, dict]:
        relations = model_meta.get_field_info(model).relations
        m2m = {k: v for k, v in validated_data.items() if k in relations and relations[k].to_many}
        plain = {k: v for k, v in validated_data.items() if k not in m2m}
        return plain, m2m

    def create(self, validated_data):
        validated_data.pop("version", None)
        model = self.Meta.model
        plain, m2m = self._split_many_to_many(model, validated_data)
        return records.create(model(**plain), self._user(), m2m=m2m)

    def update(self, instance, validated_data):
        expected = validated_data.pop("version")
        plain, m2m = self._split_many_to_many(type(instance), validated_data)
        for name, value in plain.items():
            setattr(instance, name, value)
        return records.update(instance, self._user(), expected_version=expected, m2m=m2m)
