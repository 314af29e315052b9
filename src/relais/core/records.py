"""The one entry point for writes that matter: create, update and delete a `Record`.

Each call runs in a transaction, refuses a stale version (optimistic locking), writes the audit
event with the before/after values, and emits `record_written` so that mechanisms such as the
search index follow every write.
"""

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.dispatch import Signal

from relais.core.audit.events import Action, log_event, snapshot
from relais.core.markings import MARKING_LEVEL

#: Sent after a create or update inside the transaction: sender=model, instance, user, action.
record_written = Signal()
#: Sent before a delete inside the transaction: sender=model, instance, user.
record_deleted = Signal()


class StaleVersion(Exception):
    """The record changed since the form or payload was loaded."""

    def __init__(self, instance, expected: int | None):
        self.instance = instance
        self.expected = expected
        self.current = instance.version
        super().__init__(
            "Cet enregistrement a été modifié par quelqu'un d'autre depuis que vous l'avez ouvert "
            f"(version {expected} ouverte, version {self.current} enregistrée). Vos saisies sont "
            "conservées : vérifiez les changements puis enregistrez à nouveau."
        )


def _check_can_change(instance, user) -> None:
    if user is not None and hasattr(instance, "can_change") and not instance.can_change(user):
        raise PermissionDenied("Vous ne pouvez pas modifier cet enregistrement.")


@transaction.atomic
def create(instance: models.Model, user, *, m2m: dict | None = None) -> models.Model:
    """Save a new record, with its many-to-many values, and log its creation."""
    if hasattr(instance, "created_by_id") and user is not None and user.is_authenticated:
        instance.created_by = user
        instance.updated_by = user
    instance.full_clean()
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    log_event(
        Action.CREATE, user, instance, changes={k: [None, v] for k, v in snapshot(instance).items()}
    )
    record_written.send(type(instance), instance=instance, user=user, action=Action.CREATE)
    return instance


@transaction.atomic
def update(
    instance: models.Model,
    user,
    *,
    expected_version: int | None = None,
    m2m: dict | None = None,
    check_permission: bool = True,
) -> models.Model:
    """Save changes to `instance` (already modified in memory) if its version is still current.

    `expected_version` is the version the user loaded; None skips the check (commands, imports).
    The row is locked for the duration, the version bumped, and the changed fields logged.
    """
    model = type(instance)
    current = model._default_manager.select_for_update().get(pk=instance.pk)
    if check_permission:
        # Judge the record as it is stored, not as the caller modified it in memory.
        _check_can_change(current, user)
    if (
        hasattr(current, "version")
        and expected_version is not None
        and current.version != expected_version
    ):
        instance.version = current.version
        raise StaleVersion(instance, expected_version)
    before = snapshot(current)
    if hasattr(instance, "version"):
        instance.version = current.version + 1
    if hasattr(instance, "updated_by_id") and user is not None and user.is_authenticated:
        instance.updated_by = user
    instance.full_clean()
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    after = snapshot(instance)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if changes:
        # The event is as sensitive as the most sensitive of the two versions it shows.
        marking = max(
            (before.get("marking") or "", after.get("marking") or ""),
            key=lambda m: MARKING_LEVEL.get(m, -1),
        )
        log_event(Action.UPDATE, user, instance, changes=changes, marking=marking)
    record_written.send(model, instance=instance, user=user, action=Action.UPDATE)
    return instance


@transaction.atomic
def delete(
    instance: models.Model,
    user,
    *,
    check_permission: bool = True,
    expected_version: int | None = None,
) -> None:
    """Delete a record and keep its last values in the audit trail.

    With `expected_version`, a record changed since the user loaded it is not deleted
    (StaleVersion), like `update`.
    """
    if check_permission:
        _check_can_change(instance, user)
    if expected_version is not None and hasattr(instance, "version"):
        current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
        if current.version != expected_version:
            instance.version = current.version
            raise StaleVersion(instance, expected_version)
    record_deleted.send(type(instance), instance=instance, user=user)
    log_event(
        Action.DELETE, user, instance, changes={k: [v, None] for k, v in snapshot(instance).items()}
    )
    instance.delete()
