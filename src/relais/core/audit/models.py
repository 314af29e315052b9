"""Append-only, hash-chained audit events."""

import hashlib
import json

from django.conf import settings
from django.db import models

from relais.core.markings import readable_markings

#: The `prev_hash` of the first event of the chain.
GENESIS = "0" * 64
#: Roles that consult the audit trail (the "Audit" page and its API).
AUDIT_ROLES = frozenset({"pilotage", "lecteur"})


class Action(models.TextChoices):
    CREATE = "create", "Création"
    UPDATE = "update", "Modification"
    DELETE = "delete", "Suppression"
    TRANSITION = "transition", "Changement d'état"
    READ = "read", "Consultation"
    EXPORT = "export", "Export"
    LOGIN = "login", "Connexion"
    LOGIN_FAILED = "login_failed", "Échec de connexion"
    LOGOUT = "logout", "Déconnexion"
    TOKEN = "token", "Jeton d'API"
    PURGE = "purge", "Purge"


class AuditEventQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(model=obj._meta.label_lower, object_id=str(obj.pk))

    def history(self):
        return self.filter(
            action__in=[Action.CREATE, Action.UPDATE, Action.DELETE, Action.TRANSITION]
        )

    def visible_to(self, user):
        """The audit trail is for pilotage and lecteur, limited to the markings they may read.

        Events of records marked above the user's clearance stay hidden: their before/after
        values are as sensitive as the record.
        """
        if not can_consult_audit(user):
            return self.none()
        return self.filter(marking__in=["", *readable_markings(user)])

    def update(self, **kwargs):
        raise RuntimeError("Les événements d'audit ne se modifient pas.")

    def delete(self):
        raise RuntimeError("Les événements d'audit ne se suppriment pas.")


def can_consult_audit(user) -> bool:
    """Whether `user` may open the "Audit" page and its API (pilotage and lecteur)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "role", None) in AUDIT_ROLES
    )


class AuditEvent(models.Model):
    """One event of the audit trail. Never updated nor deleted; each carries the previous hash."""

    timestamp = models.DateTimeField("date", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_username = models.CharField("identifiant", max_length=150, blank=True)
    action = models.CharField("action", max_length=20, choices=Action.choices, db_index=True)
    model = models.CharField("type d'enregistrement", max_length=100, blank=True, db_index=True)
    object_id = models.CharField("identifiant de l'enregistrement", max_length=64, blank=True)
    object_repr = models.CharField("enregistrement", max_length=300, blank=True)
    marking = models.CharField(
        "mention de protection",
        max_length=32,
        blank=True,
        default="",
        help_text="Celle de l'enregistrement au moment de l'événement.",
    )
    changes = models.JSONField("modifications", default=dict, blank=True)
    extra = models.JSONField("détails", default=dict, blank=True)
    ip_address = models.CharField("adresse", max_length=64, blank=True)
    prev_hash = models.CharField("empreinte précédente", max_length=64)
    hash = models.CharField("empreinte", max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "événement d'audit"
        verbose_name_plural = "événements d'audit"
        ordering = ["-id"]
        indexes = [models.Index(fields=["model", "object_id"], name="audit_event_object_idx")]

    def __str__(self):
        return f"{self.timestamp:%d/%m/%Y %H:%M} {self.actor_username or '—'} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Les événements d'audit ne se modifient pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Les événements d'audit ne se suppriment pas.")

    def payload(self) -> dict:
        return {
            "timestamp": self.timestamp.isoformat(),
            "actor_id": self.actor_id,
            "actor": self.actor_username,
            "action": self.action,
            "model": self.model,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "marking": self.marking,
            "changes": self.changes,
            "extra": self.extra,
            "ip": self.ip_address,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        data = json.dumps(self.payload(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(data.encode()).hexdigest()


class ChainHead(models.Model):
    """The single row that holds the last event of the chain; locked while appending."""

    last_id = models.BigIntegerField("dernier événement", default=0)
    last_hash = models.CharField("dernière empreinte", max_length=64, default=GENESIS)
    count = models.BigIntegerField("nombre d'événements", default=0)

    class Meta:
        verbose_name = "tête de chaîne d'audit"
        verbose_name_plural = "têtes de chaîne d'audit"

    def __str__(self):
        return f"Chaîne d'audit : {self.count} événements, dernier n°{self.last_id}"
