"""Relais's own error pages: French, DSFR, with the header, the menu and a way back.

Wired in `relais/urls.py` (`handler400/403/404/500`), `CSRF_FAILURE_VIEW` and, for 405 (which
Django's `require_POST` answers without raising), `ErrorPageMiddleware`. API paths keep their
JSON answers. No page mentions DEBUG or Django.
"""

import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

logger = logging.getLogger(__name__)

PAGES = {
    400: (
        "Requête incorrecte",
        "La demande envoyée n'a pas pu être comprise. Revenez à la page précédente et recommencez.",
    ),
    403: (
        "Accès refusé",
        "Vous n'avez pas le droit de faire cette action ou de consulter cette page.",
    ),
    404: (
        "Page introuvable",
        "La page demandée n'existe pas, a été supprimée, ou n'est pas accessible avec votre "
        "compte.",
    ),
    405: (
        "Action impossible depuis cette adresse",
        "Cette adresse ne s'ouvre pas directement : elle reçoit le formulaire ou le bouton d'une "
        "autre page. Revenez à la page d'où vous veniez.",
    ),
    500: (
        "Erreur du serveur",
        "Relais a rencontré une erreur. Elle a été enregistrée ; réessayez dans quelques "
        "instants et, si elle se reproduit, signalez-la à l'administrateur.",
    ),
}

API_PREFIX = "/api/"


def safe_referer(request) -> str:
    """The page the user came from, when it is on this site, else ""."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""


def error_response(request, status: int, *, reason: str = "", title: str = "", text: str = ""):
    """The French error page (JSON under /api/) for `status`."""
    default_title, default_text = PAGES[status]
    title, text = title or default_title, text or default_text
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": reason or text}, status=status)
    back = safe_referer(request)
    if back and back.split("?")[0].endswith(request.path) and request.method == "GET":
        back = ""  # the page itself
    context = {"title": title, "text": text, "reason": reason, "status": status, "back": back}
    try:
        body = loader.render_to_string("errors/error.html", context, request=request)
    except Exception:  # the full page needs the database (menu, counters): keep a bare page
        logger.exception("Page d'erreur %s rendue sans le gabarit complet", status)
        body = loader.render_to_string("errors/error_bare.html", context)
    return HttpResponse(body, status=status)


def _reason(exception) -> str:
    """The message a view put in PermissionDenied/Http404, when it is a French sentence."""
    message = str(exception.args[0]) if exception and getattr(exception, "args", None) else ""
    # Django's own resolver messages are dicts or English technical texts: not for users.
    if not message or message.startswith(("{", "No ", "The ", "Page not found")):
        return ""
    return message


def bad_request(request, exception=None):
    return error_response(request, 400)


def permission_denied(request, exception=None):
    return error_response(request, 403, reason=_reason(exception))


def page_not_found(request, exception=None):
    return error_response(request, 404)


def server_error(request):
    return error_response(request, 500)


def csrf_failure(request, reason=""):
    """A form sent from a page that expired (a new login in another tab, a page left open too
    long): the input is kept (`relais.core.kept_input`) and offered back on the form's page."""
    from relais.core.kept_input import keep_post

    # Only a form sent from a page of this site is kept (never input planted by another site).
    page = keep_post(request, reason="csrf") if safe_referer(request) else ""
    text = (
        "Le formulaire venait d'une page expirée (reconnexion dans un autre onglet, page restée "
        "ouverte trop longtemps) : il n'a pas été enregistré."
    )
    if page:
        text += " Votre saisie est conservée : revenez au formulaire, vérifiez-la puis validez."
    return error_response(request, 403, title="Page expirée", text=text)


class ErrorPageMiddleware:
    """Django answers 405 (`require_POST`, `require_GET`) with an empty body: show the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not settings.DEBUG:
            allow = response.get("Allow", "")
            response = error_response(request, 405)
            if allow:
                response["Allow"] = allow
        return response
