"""Kinds of notification. The base kinds are `NotificationKind`; a module adds its own with

    from relais.core.notifications.kinds import register_kind
    register_kind("agreement_renewal", "Renouvellement d'accord", email_default=True)

(in its AppConfig.ready()). The stored value is the free code, so adding a kind needs no migration.

E-mail defaults, when the user has not chosen: on for deadlines (`deadline`), off for every other
base kind; a registered kind says its own default.
"""

from dataclasses import dataclass

from django.db import models


class NotificationKind(models.TextChoices):
    TRANSITION = "transition", "Changement d'état"
    DEADLINE = "deadline", "Échéance"
    DISSEMINATION = "dissemination", "Diffusion"
    COMMENT = "comment", "Commentaire"
    REMINDER = "reminder", "Relance"


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    email_default: bool = False
    description: str = ""


_kinds: dict[str, Kind] = {}


def register_kind(code: str, label: str, *, email_default: bool = False, description: str = ""):
    """Declare a kind of notification (idempotent: the last declaration wins)."""
    if len(code) > 40:
        raise ValueError("Le code d'une nature de notification tient en 40 caractères.")
    kind = Kind(str(code), str(label), email_default, description)
    _kinds[kind.code] = kind
    return kind


def get_kind(code: str) -> Kind:
    try:
        return _kinds[str(code)]
    except KeyError:
        raise LookupError(f"Nature de notification inconnue : {code}") from None


def all_kinds() -> list[Kind]:
    return list(_kinds.values())


def label_for(code: str) -> str:
    kind = _kinds.get(str(code))
    return kind.label if kind else str(code)


register_kind(
    NotificationKind.TRANSITION,
    NotificationKind.TRANSITION.label,
    description="Un enregistrement qui vous concerne change d'état (validation, annulation…).",
)
register_kind(
    NotificationKind.DEADLINE,
    NotificationKind.DEADLINE.label,
    email_default=True,
    description="Une échéance approche ou est dépassée.",
)
register_kind(
    NotificationKind.DISSEMINATION,
    NotificationKind.DISSEMINATION.label,
    description="Une information vous est diffusée.",
)
register_kind(
    NotificationKind.COMMENT,
    NotificationKind.COMMENT.label,
    description="Un commentaire est ajouté à un enregistrement que vous suivez.",
)
register_kind(
    NotificationKind.REMINDER,
    NotificationKind.REMINDER.label,
    description="Une relance vous est adressée.",
)
