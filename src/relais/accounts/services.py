"""Account writes: API tokens and calendar tokens, each with its audit event."""

import secrets

from django.db import transaction
from django.utils import timezone

from relais.accounts.models import ApiToken
from relais.core.audit.events import Action, log_event


@transaction.atomic
def create_api_token(user, name: str = "Jeton d'API") -> tuple[ApiToken, str]:
    token, raw = ApiToken.issue(user, name)
    log_event(
        Action.TOKEN,
        user,
        user,
        extra={"operation": "création", "token": token.hint, "name": token.name},
    )
    return token, raw


@transaction.atomic
def revoke_api_token(user, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_event(Action.TOKEN, user, user, extra={"operation": "révocation", "token": token.hint})


@transaction.atomic
def reset_calendar_token(user) -> str:
    user.calendar_token = secrets.token_urlsafe(32)
    user.save(update_fields=["calendar_token"])
    log_event(Action.TOKEN, user, user, extra={"operation": "nouveau lien de calendrier"})
    return user.calendar_token
