"""Access helpers every view and endpoint starts with (no view filters by role on its own).

- `get_visible_or_404(Model, user, **lookup)`: the object if `visible_to(user)` holds it, else 404.
- `require_change(user, obj)`: 403 unless the user may change this (visible) object.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404


def get_visible_or_404(model_or_qs, user, **lookup):
    qs = (
        model_or_qs
        if hasattr(model_or_qs, "model") and hasattr(model_or_qs, "filter")
        else model_or_qs.objects
    )
    obj = qs.visible_to(user).filter(**lookup).first()
    if obj is None:
        raise Http404("Aucun enregistrement ne correspond à cette adresse.")
    return obj


def require_change(user, obj) -> None:
    if not obj.can_change(user):
        raise PermissionDenied("Vous pouvez consulter cet enregistrement, mais pas le modifier.")


def require_create(user, model) -> None:
    can_create = getattr(model, "can_create", None)
    allowed = (
        can_create(user) if can_create else bool(user.is_authenticated and not user.is_read_only)
    )
    if not allowed:
        raise PermissionDenied("Votre rôle ne permet pas de créer cet enregistrement.")
