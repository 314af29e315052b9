"""The in-app inbox (`Notification`) and the e-mail choice per kind (`NotificationPreference`)."""

from django.conf import settings
from django.db import models
from django.db.models import Case, Value, When
from django.utils import timezone

from relais.core.models import VisibleQuerySet
from relais.core.notifications.kinds import get_kind, label_for


class NotificationQuerySet(VisibleQuerySet):
    def scope_for(self, user):
        """A user sees their own notifications, nobody else's."""
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def inbox_order(self):
        """Unread first, then newest first."""
        return self.annotate(
            _read=Case(When(read_at__isnull=True, then=Value(0)), default=Value(1))
        ).order_by("_read", "-created_at", "-pk")

    def mark_read(self) -> int:
        return self.unread().update(read_at=timezone.now())


class Notification(models.Model):
    """One message in a user's inbox. `key` makes producers idempotent: a second notification with
    the same key for the same recipient is never created."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="destinataire",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("nature", max_length=40, db_index=True)
    title = models.CharField("titre", max_length=300)
    body = models.TextField("texte", blank=True)
    url = models.CharField("lien", max_length=500, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now, db_index=True)
    read_at = models.DateTimeField("lue le", null=True, blank=True)
    key = models.CharField(
        "clé d'unicité",
        max_length=200,
        null=True,
        blank=True,
        help_text="Une même clé n'est notifiée qu'une fois à un même destinataire.",
    )
    emailed = models.BooleanField("envoyée par courriel", default=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "notification"
        verbose_name_plural = "notifications"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], name="%(app_label)s_%(class)s_unique_key"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notifications_unread_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def get_kind_display(self) -> str:
        return label_for(self.kind)


class NotificationPreference(models.Model):
    """Whether a user receives a kind of notification by e-mail too (the inbox always has it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField("nature", max_length=40)
    email = models.BooleanField("par courriel", default=False)

    class Meta:
        verbose_name = "préférence de notification"
        verbose_name_plural = "préférences de notification"
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="%(app_label)s_%(class)s_unique")
        ]

    def __str__(self):
        choice = "courriel" if self.email else "boîte Relais seulement"
        return f"{self.user} — {label_for(self.kind)} : {choice}"

    @staticmethod
    def email_choices(users, kind: str) -> set[int]:
        """Ids of `users` who get `kind` by e-mail (their choice, else the kind's default): one
        query."""
        default = get_kind(kind).email_default
        ids = [u.pk for u in users]
        chosen = dict(
            NotificationPreference.objects.filter(user_id__in=ids, kind=kind).values_list(
                "user_id", "email"
            )
        )
        return {pk for pk in ids if chosen.get(pk, default)}
