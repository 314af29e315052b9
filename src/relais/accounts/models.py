"""Users (one unit, one role, one clearance) and their API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone

from relais.accounts.roles import HEADQUARTERS_ROLES, READ_ONLY_ROLES, Role
from relais.core.markings import Marking


class User(AbstractUser):
    """A Relais user. Scope = role + unit; `clearance` is the highest marking they may read."""

    role = models.CharField("rôle", max_length=20, choices=Role.choices, default=Role.LECTEUR)
    unit = models.ForeignKey(
        "referential.Unit",
        verbose_name="unité",
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    clearance = models.CharField(
        "mentions lisibles jusqu'à",
        max_length=32,
        choices=Marking.choices,
        default=Marking.NON_PROTEGE,
    )
    calendar_token = models.CharField(
        "jeton des calendriers", max_length=64, blank=True, default="", editable=False
    )

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["username"]

    def __str__(self):
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    # Role helpers: views and querysets speak in these words, never in raw strings.
    @property
    def is_headquarters(self) -> bool:
        return self.role in HEADQUARTERS_ROLES

    @property
    def is_read_only(self) -> bool:
        return self.role in READ_ONLY_ROLES

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATEUR or self.is_superuser

    @property
    def is_attache(self) -> bool:
        return self.role == Role.ATTACHE

    @property
    def is_correspondent(self) -> bool:
        return self.role == Role.CORRESPONDANT

    @property
    def in_headquarters(self) -> bool:
        """Works at DCI headquarters (any role), as opposed to a post or a directorate."""
        return self.unit_id is not None and self.unit.is_dci_headquarters

    @property
    def post(self):
        """The post abroad of an attaché (the post whose unit is the user's unit), or None."""
        if self.unit_id is None:
            return None
        return getattr(self.unit, "post", None)

    @property
    def directorate(self):
        """The directorate (top-level unit under the ministry) the user's unit belongs to."""
        return self.unit.directorate if self.unit_id else None


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the clear value is shown once."""

    PREFIX = "rls_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField("nom", max_length=100, default="Jeton d'API")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField("début du jeton", max_length=12, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    expires_at = models.DateTimeField("expire le")
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def digest(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str = "Jeton d'API", lifetime=None) -> tuple["ApiToken", str]:
        """Create a token for `user`; return it with its clear value (never stored)."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name or "Jeton d'API",
            key_hash=cls.digest(raw),
            hint=raw[:8],
            expires_at=timezone.now() + (lifetime or settings.RELAIS_TOKEN_LIFETIME),
        )
        return token, raw

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
