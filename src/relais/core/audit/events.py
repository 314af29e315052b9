"""Writing audit events: `log_event`, `log_read`, `log_export`, and `verify_chain`.

Every event is appended under a lock on the single `ChainHead` row, so the chain stays linear
even when several processes write at once (PostgreSQL: `SELECT … FOR UPDATE` held until the
surrounding transaction commits; SQLite: the write transaction itself, opened IMMEDIATE).
"""

import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from relais.core.audit.models import GENESIS, Action, AuditEvent, ChainHead
from relais.core.context import current_ip

BOOKKEEPING = {"created_at", "updated_at", "created_by", "updated_by", "version"}

__all__ = [
    "GENESIS",
    "Action",
    "ChainProblem",
    "log_event",
    "log_export",
    "log_read",
    "snapshot",
    "verify_chain",
]


def _jsonable(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(instance: models.Model) -> dict:
    """The audited values of a record: concrete fields and many-to-many as lists of keys."""
    exclude = BOOKKEEPING | set(getattr(instance, "audit_exclude", ()))
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or field.primary_key:
            continue
        value = field.value_from_object(instance)
        if isinstance(field, models.FileField):
            value = value.name if value else ""  # the stored file's name, not its content
        data[field.name] = value
    if instance.pk is not None:
        for field in instance._meta.many_to_many:
            if field.name not in exclude:
                related = field.value_from_object(instance) or []
                data[field.name] = sorted(o.pk for o in related)
    return _jsonable(data)


def _marking_of(obj) -> str:
    marking = getattr(obj, "marking", "") if obj is not None else ""
    return str(marking or "")


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
    marking: str = "",
) -> AuditEvent:
    """Append one event to the chain (locks the chain head so the chain stays linear).

    The event carries the record's marking, so the audit page only shows a user the events of
    records their clearance lets them read.
    """
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # First event ever (or after a flush): create the head; a concurrent creator loses the
        # race on the primary key and retries through get_or_create's own lookup.
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
        marking=marking or _marking_of(obj),
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


def log_read(user, obj: models.Model) -> AuditEvent | None:
    """Access log: a read of a sensitive record (models that set `audit_reads = True`).

    Detail views call it once the record is fetched: `log_read(request.user, obj)`. Records of
    other models are not logged (the call is then free).
    """
    if getattr(obj, "audit_reads", False):
        return log_event(Action.READ, user, obj)
    return None


def log_export(
    user, model: type[models.Model], *, fmt: str, count: int, filters: dict, marking: str = ""
) -> AuditEvent:
    """Access log: an export of a list (format, number of rows, the filters that selected them)."""
    return log_event(
        Action.EXPORT,
        user,
        None,
        model_label=model._meta.label_lower,
        object_repr=f"Export {fmt.upper()} de {count} {model._meta.verbose_name_plural}",
        extra={"format": fmt, "count": count, "filters": filters},
        marking=marking,
    )


@dataclass
class ChainProblem:
    """The first break found in the chain: the event to look at and what is wrong."""

    event_id: int | None
    message: str

    def __str__(self):
        return self.message


def _first_after(event_id: int) -> int | None:
    return (
        AuditEvent.objects.filter(pk__gt=event_id).order_by("pk").values_list("pk", flat=True)
    ).first()


def _broken_link(event: AuditEvent, prev_id: int) -> ChainProblem:
    """`event` does not point at its predecessor: find out whether events were removed or added."""
    if event.prev_hash == GENESIS:
        return ChainProblem(
            event.pk,
            f"l'événement n°{event.pk} se présente comme le premier de la chaîne alors qu'il suit "
            f"l'événement n°{prev_id} (événement inséré)",
        )
    target = AuditEvent.objects.filter(hash=event.prev_hash).values_list("pk", flat=True).first()
    if target is None and prev_id == 0:
        return ChainProblem(
            event.pk,
            f"l'événement n°{event.pk} suit un événement qui n'existe plus : le début de la "
            "chaîne a été supprimé",
        )
    if target is None:
        return ChainProblem(
            event.pk,
            f"l'événement n°{event.pk} suit un événement qui n'existe plus : un ou plusieurs "
            f"événements ont été supprimés entre le n°{prev_id} et le n°{event.pk}",
        )
    if target < prev_id:
        inserted = _first_after(target)
        return ChainProblem(
            inserted,
            f"l'événement n°{inserted} a été inséré : l'événement n°{event.pk} suit directement "
            f"le n°{target}",
        )
    return ChainProblem(
        event.pk,
        f"l'événement n°{event.pk} suit le n°{target} : l'ordre des événements a été modifié",
    )


def verify_chain(batch_size: int = 2000, checkpoints=()) -> ChainProblem | None:
    """Walk the chain in order; return the first problem found, or None if it is intact.

    Detects an altered event (its hash no longer matches its content), a removed event (the next
    one points at a hash that no longer exists; at the tail, the chain head remembers the last
    hash and the count), and an inserted event (a forged event, even with a well-formed hash,
    breaks the link of the event after it, or disagrees with the head at the tail).

    `checkpoints` (`relais.core.audit.checkpoints.read_checkpoints()`) are heads recorded outside
    the database: the event each one names must still be there, with its hash, preceded by the
    same number of events — so the chain cannot be cut short with its head rolled back.
    """
    wanted = {}
    for checkpoint in checkpoints:
        if checkpoint.head.last_id:
            wanted.setdefault(checkpoint.head.last_id, []).append(checkpoint)
    prev_hash = GENESIS
    prev_id = 0
    count = 0
    qs = AuditEvent.objects.order_by("id").only(*[f.name for f in AuditEvent._meta.concrete_fields])
    for event in qs.iterator(chunk_size=batch_size):
        count += 1
        if event.compute_hash() != event.hash:
            return ChainProblem(
                event.pk, f"l'événement n°{event.pk} a été modifié après son écriture"
            )
        if event.prev_hash != prev_hash:
            return _broken_link(event, prev_id)
        for checkpoint in wanted.pop(event.pk, ()):
            if checkpoint.head.last_hash != event.hash:
                return ChainProblem(
                    event.pk,
                    f"l'événement n°{event.pk} n'a plus l'empreinte relevée par "
                    f"{checkpoint.describe()} : la chaîne a été réécrite",
                )
            if checkpoint.head.count != count:
                return ChainProblem(
                    event.pk,
                    f"{checkpoint.describe()} comptait {checkpoint.head.count} événements "
                    f"jusqu'au n°{event.pk}, la chaîne en compte {count} : événements "
                    "supprimés ou insérés",
                )
        prev_hash, prev_id = event.hash, event.pk
    problem = _head_problem(count, prev_id, prev_hash)
    if problem is None and wanted:
        latest = max((c for group in wanted.values() for c in group), key=lambda c: c.head.count)
        problem = ChainProblem(
            latest.head.last_id,
            f"la chaîne a été tronquée : {latest.describe()} n'y figure plus ; elle compte "
            f"{count} événements (dernier n°{prev_id or '—'})",
        )
    return problem


def _head_problem(count: int, prev_id: int, prev_hash: str) -> ChainProblem | None:
    """The walked chain (`count` events ending at `prev_id`/`prev_hash`) against `ChainHead`."""
    head = ChainHead.objects.filter(pk=1).first()
    if head is None:
        if count:
            return ChainProblem(
                None, f"la tête de chaîne a disparu alors que {count} événements sont présents"
            )
        return None
    if head.last_hash == prev_hash and head.count == count:
        return None
    if head.count < count:
        target = AuditEvent.objects.filter(hash=head.last_hash).values_list("pk", flat=True).first()
        inserted = _first_after(target or 0)
        return ChainProblem(
            inserted,
            f"l'événement n°{inserted} a été inséré après le dernier événement écrit "
            f"(n°{head.last_id or '—'}) : {head.count} événements écrits, {count} présents",
        )
    return ChainProblem(
        head.last_id,
        f"la chaîne s'arrête à l'événement n°{prev_id or '—'} alors que le dernier écrit est "
        f"le n°{head.last_id} : événement(s) supprimé(s) en fin de chaîne "
        f"({head.count} événements écrits, {count} présents)",
    )
