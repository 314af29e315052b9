"""Login required everywhere except the login page, /healthz, static files and the API (which
answers 401 itself); request context for the audit trail."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from relais.core.context import reset_ip, set_ip

PUBLIC_PREFIXES = ("/healthz", "/static/", "/api/", "/calendrier/")


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        public = path.startswith(PUBLIC_PREFIXES) or path == reverse(settings.LOGIN_URL)
        if not public and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))
        return self.get_response(request)


def client_ip(request) -> str:
    """The client's address, for the login lock and the audit trail.

    `settings.TRUSTED_PROXIES` (`RELAIS_TRUSTED_PROXIES`) is the number of reverse proxies in
    front of Relais. With 0 (the default) `X-Forwarded-For` is ignored: the address is
    `REMOTE_ADDR`. With N, each trusted proxy appended the address it received the request from,
    so the client is the N-th value from the right; everything to its left was written by the
    client and may be forged. A header with fewer than N values did not come through the
    proxies: `REMOTE_ADDR` again. (DRF's `NUM_PROXIES` is set to the same count.)
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if not proxies:
        return remote
    forwarded = [v.strip() for v in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [v for v in forwarded if v]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies][:64]


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_ip(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            reset_ip(token)
