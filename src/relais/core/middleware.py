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
    if settings.PRODUCTION:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_ip(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            reset_ip(token)
