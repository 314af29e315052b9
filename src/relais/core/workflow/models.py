"""The transition log: one row per state change of any record, whatever its model."""

from django.conf import settings
from django.db import models


class TransitionLogQuerySet(models.QuerySet):
    def for_object(self, obj):
        """The log of one record, oldest first, with the actor loaded (one query)."""
        return (
            self.filter(model=obj._meta.label_lower, object_id=str(obj.pk))
            .select_related("actor")
            .order_by("timestamp", "pk")
        )


class TransitionLog(models.Model):
    """A transition applied to a record: who, when, from which state to which, and why."""

    model = models.CharField("type d'enregistrement", max_length=100)
    object_id = models.CharField("identifiant de l'enregistrement", max_length=64)
    transition = models.CharField("transition", max_length=60)
    from_state = models.CharField("état de départ", max_length=40)
    to_state = models.CharField("état d'arrivée", max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField("nom de l'auteur", max_length=200, blank=True)
    timestamp = models.DateTimeField("date", db_index=True)
    comment = models.TextField("commentaire", blank=True)

    objects = TransitionLogQuerySet.as_manager()

    class Meta:
        verbose_name = "changement d'état"
        verbose_name_plural = "changements d'état"
        ordering = ["-timestamp", "-pk"]
        indexes = [
            models.Index(fields=["model", "object_id"], name="workflow_log_object_idx"),
        ]

    def __str__(self):
        return f"{self.model} n°{self.object_id} : {self.from_state} → {self.to_state}"
