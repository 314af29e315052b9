"""The change history of a record, ready for display: `history_for(obj, user)`.

    context["history"] = history_for(obj, request.user)
    {% include "audit/_history.html" with object=obj %}

The view has already checked that the user may see `obj` (`get_visible_or_404`). The events come
in one query; references to other records (foreign keys, many-to-many) are turned into labels
with one more query per referenced model, through `visible_to(user)` so that a label the user
may not read is never shown.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.timezone import localtime

from relais.core.audit.models import Action, AuditEvent

EMPTY = "—"


@dataclass
class FieldChange:
    """One field of one event: its French label and the values before and after."""

    name: str
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    """One event of a record's history, with its field-by-field changes."""

    event: AuditEvent
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def timestamp(self):
        return self.event.timestamp

    @property
    def actor(self) -> str:
        return self.event.actor_username or "système"

    @property
    def action(self) -> str:
        return self.event.action

    @property
    def action_label(self) -> str:
        return self.event.get_action_display()

    @property
    def comment(self) -> str:
        extra = self.event.extra or {}
        if extra.get("commented"):  # Workflow(comments_with_record_only=True): text not copied
            return "conservé avec l'enregistrement"
        return str(extra.get("comment", ""))


def _model_field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _format(model_field, value, labels: dict) -> str:
    """A stored value as a person reads it (choices' labels, dates, oui/non, related labels)."""
    if value is None or value == "" or value == []:
        return EMPTY
    if model_field is None:
        return str(value)
    if model_field.is_relation:
        related = labels.get(model_field.name, {})
        values = value if isinstance(value, list) else [value]
        return ", ".join(related.get(str(v), f"n°{v}") for v in values)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return "oui" if value else "non"
    if isinstance(model_field, models.DateTimeField):
        parsed = parse_datetime(str(value))
        return formats.date_format(localtime(parsed), "d/m/Y H:i") if parsed else str(value)
    if isinstance(model_field, models.DateField):
        parsed = parse_date(str(value))
        return formats.date_format(parsed, "d/m/Y") if parsed else str(value)
    return str(value)


def describe_changes(model, event: AuditEvent, labels: dict | None = None) -> list[FieldChange]:
    """The field-by-field changes of `event`; a creation lists the values set, a deletion the
    values held (empty fields are left out of both)."""
    labels = labels or {}
    result = []
    for name, pair in (event.changes or {}).items():
        before, after = ([*pair, None, None])[:2] if isinstance(pair, list) else (None, pair)
        model_field = _model_field(model, name)
        label = capfirst(str(getattr(model_field, "verbose_name", name)))
        change = FieldChange(
            name, label, _format(model_field, before, labels), _format(model_field, after, labels)
        )
        if event.action == Action.CREATE and change.after == EMPTY:
            continue
        if event.action == Action.DELETE and change.before == EMPTY:
            continue
        result.append(change)
    return result


def _related_labels(model, events: list[AuditEvent], user) -> dict[str, dict[str, str]]:
    """{field name: {pk as str: label}} for the related records the events mention."""
    wanted: dict[str, set] = defaultdict(set)
    for event in events:
        for name, pair in (event.changes or {}).items():
            model_field = _model_field(model, name)
            if model_field is None or not model_field.is_relation or not isinstance(pair, list):
                continue
            for value in pair:
                for pk in value if isinstance(value, list) else [value]:
                    if pk not in (None, ""):
                        wanted[name].add(pk)
    labels: dict[str, dict[str, str]] = {}
    by_model: dict = defaultdict(set)
    for name, pks in wanted.items():
        by_model[_model_field(model, name).related_model] |= pks
    resolved: dict = {}
    for related_model, pks in by_model.items():
        qs = related_model._default_manager.all()
        if hasattr(qs, "visible_to"):
            if user is None:
                continue
            qs = qs.visible_to(user)
        resolved[related_model] = {str(o.pk): str(o) for o in qs.filter(pk__in=pks)}
    for name in wanted:
        labels[name] = resolved.get(_model_field(model, name).related_model, {})
    return labels


def history_for(obj: models.Model, user=None, *, limit: int = 200) -> list[HistoryEntry]:
    """The latest `limit` changes of `obj` (creation, changes, transitions, deletion), newest
    first. `user` is the reader: references to records they may not see stay as numbers."""
    events = list(AuditEvent.objects.for_object(obj).history().order_by("-id")[:limit])
    model = type(obj)
    labels = _related_labels(model, events, user)
    return [HistoryEntry(event, describe_changes(model, event, labels)) for event in events]


def model_label(label_lower: str) -> str:
    """The French name of a model from its `app_label.model_name` ("" if unknown)."""
    try:
        return capfirst(str(apps.get_model(label_lower)._meta.verbose_name))
    except (LookupError, ValueError):
        return ""
