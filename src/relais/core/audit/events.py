"""Writing audit events: `log_event`, `log_read`, `log_export`, and `verify_chain`."""

import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from relais.core.audit.models import Action, AuditEvent, ChainHead
from relais.core.context import current_ip

GENESIS = "0" * 64
BOOKKEEPING = {"created_at", "updated_at", "created_by", "updated_by", "version"}

__all__ = ["Action", "log_event", "log_export", "log_read", "snapshot", "verify_chain"]


def _jsonable(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(instance: models.Model) -> dict:
    """The audited values of a record: concrete fields and many-to-many as lists of keys."""
    exclude = BOOKKEEPING | set(getattr(instance, "audit_exclude", ()))
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or field.primary_key:
            continue
        data[field.name] = field.value_from_object(instance)
    if instance.pk is not None:
        for field in instance._meta.many_to_many:
            if field.name not in exclude:
                data[field.name] = sorted(
                    (
                        field.value_from_object(instance)
                        and [o.pk for o in field.value_from_object(instance)]
                    )
                    or []
                )
    return _jsonable(data)


@transaction.atomic
def log_event(
    action: str,
    user,
    obj: models.Model | None = None,
    *,
    changes: dict | None = None,
    extra: dict | None = None,
    model_label: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Append one event to the chain (locks the chain head so the chain stays linear)."""
    head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    event = AuditEvent(
        timestamp=timezone.now(),
        actor_id=user.pk if authenticated else None,
        actor_username=user.get_username() if authenticated else "",
        action=action,
        model=obj._meta.label_lower if obj is not None else model_label,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(str(obj) if obj is not None else object_repr)[:300],
        changes=_jsonable(changes or {}),
        extra=_jsonable(extra or {}),
        ip_address=current_ip() or "",
        prev_hash=head.last_hash,
    )
    event.hash = event.compute_hash()
    event.save()
    head.last_id, head.last_hash, head.count = event.pk, event.hash, head.count + 1
    head.save(update_fields=["last_id", "last_hash", "count"])
    return event


def log_read(user, obj: models.Model) -> None:
    """Access log: a read of a sensitive record (models that set `audit_reads = True`)."""
    if getattr(obj, "audit_reads", False):
        log_event(Action.READ, user, obj)


def log_export(user, model: type[models.Model], *, fmt: str, count: int, filters: dict) -> None:
    log_event(
        Action.EXPORT,
        user,
        None,
        model_label=model._meta.label_lower,
        object_repr=f"Export {fmt.upper()} de {count} {model._meta.verbose_name_plural}",
        extra={"format": fmt, "count": count, "filters": filters},
    )


@dataclass
class ChainProblem:
    event_id: int | None
    message: str


def verify_chain(batch_size: int = 2000) -> ChainProblem | None:
    """Walk the chain in order; return the first problem found, or None if it is intact."""
    prev_hash = GENESIS
    prev_id = 0
    count = 0
    qs = AuditEvent.objects.order_by("id").only(*[f.name for f in AuditEvent._meta.concrete_fields])
    for event in qs.iterator(chunk_size=batch_size):
        count += 1
        if event.prev_hash != prev_hash:
            return ChainProblem(
                event.pk,
                f"l'événement n°{event.pk} ne suit pas l'événement n°{prev_id} "
                "(un événement a été supprimé ou inséré avant lui)",
            )
        if event.compute_hash() != event.hash:
            return ChainProblem(
                event.pk, f"l'événement n°{event.pk} a été modifié après son écriture"
            )
        prev_hash, prev_id = event.hash, event.pk
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != prev_hash or head.count != count):
        return ChainProblem(
            head.last_id,
            f"la chaîne s'arrête à l'événement n°{prev_id} alors que le dernier écrit est le "
            f"n°{head.last_id} ({head.count} événements écrits, {count} présents)",
        )
    return None
