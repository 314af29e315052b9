"""Base models every business record inherits: timestamps, authorship, version, marking."""

from django.conf import settings
from django.db import models

from relais.core.markings import Marking, readable_markings, validate_marking


class VisibleQuerySet(models.QuerySet):
    """The one way to scope rows: `Model.objects.visible_to(user)`.

    Subclasses implement `scope_for(user)` (the unit/role rule of their model); this method adds
    what is common to every model: nothing for anonymous or inactive users, and the markings the
    user may read when the model carries a marking.
    """

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.scope_for(user).readable_by(user)

    def readable_by(self, user):
        """Only the rows whose marking `user` may read (no condition when cleared for all).
        `visible_to` applies it after the scope; a queryset whose rows are in scope by
        construction (e.g. a unit's own inbox) may apply it alone."""
        markings = self.marking_q(user)
        return self if markings is None else self.filter(markings)

    def marking_q(self, user) -> models.Q | None:
        """The markings `user` may read, as a condition; None when no condition is needed (the
        model has no marking, or the user is cleared for every marking: one condition less on
        every large list)."""
        if not any(f.name == "marking" for f in self.model._meta.concrete_fields):
            return None
        readable = readable_markings(user)
        if set(readable) == set(Marking.values):
            return None
        return models.Q(marking__in=readable)

    def scope_for(self, user):  # pragma: no cover - every concrete queryset overrides it
        raise NotImplementedError(f"{self.model.__name__} must define scope_for(user)")


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("créé le", auto_now_add=True, editable=False)
    updated_at = models.DateTimeField("modifié le", auto_now=True, editable=False)

    class Meta:
        abstract = True


class Record(TimeStampedModel):
    """A business record: authored, versioned (optimistic locking) and marked.

    Writes go through `relais.core.records` (create/update/delete), which checks the version,
    writes the audit event and updates the search index in one transaction.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="modifié par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    version = models.PositiveIntegerField("version", default=1, editable=False)
    marking = models.CharField(
        "mention de protection",
        max_length=32,
        choices=Marking.choices,
        default=Marking.NON_PROTEGE,
        validators=[validate_marking],
    )

    #: Reads of a sensitive record are written to the access log (modules set it).
    audit_reads = False
    #: Fields left out of the change history (besides the bookkeeping fields).
    audit_exclude: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def can_change(self, user) -> bool:
        """Whether `user`, who can see this record, may change it. Models refine it."""
        return bool(user.is_authenticated and not user.is_read_only)
