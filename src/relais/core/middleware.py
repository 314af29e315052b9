"""Login required everywhere except the login page, /healthz, static files and the API (which
answers 401 itself); request context for the audit trail."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.middleware.csrf import CsrfViewMiddleware
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
            return redirect_to_login(self._next(request), reverse(settings.LOGIN_URL))
        return self.get_response(request)

    @staticmethod
    def _next(request) -> str:
        """Where the login returns: the page itself for a GET; for a form or a button sent after
        the session was lost, the page it came from (never the POST-only address), with the
        input kept for it (`relais.core.kept_input`) when the form's CSRF token is valid."""
        lost = "Votre session a expiré ou vous avez été déconnecté : reconnectez-vous."
        if request.method in ("GET", "HEAD"):
            if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
                messages.warning(request, lost)
            return request.get_full_path()
        from relais.core.kept_input import keep_post, page_of

        messages.warning(request, lost)
        csrf_ok = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {}) is None
        if request.method == "POST" and csrf_ok:
            return keep_post(request, reason="session") or page_of(request)
        return page_of(request)


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
