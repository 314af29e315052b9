"""`Authorization: Bearer <token>` for the API; tokens are stored hashed and expire."""

from django.utils import timezone
from rest_framework import authentication, exceptions

from relais.accounts.models import ApiToken


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "En-tête Authorization invalide : « Bearer <jeton> » attendu."
            )
        token = (
            ApiToken.objects.active()
            .select_related("user", "user__unit")
            .filter(key_hash=ApiToken.digest(header[1]))
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Jeton invalide, expiré ou révoqué.")
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
