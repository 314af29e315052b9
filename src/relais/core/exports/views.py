"""Calendar feed (public path, secret token) and the reset of the token (« Mon compte »)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from relais.accounts.services import reset_calendar_token
from relais.core.exports.calendar import events_for, ical_bytes

#: Tokens are `secrets.token_urlsafe(32)` (43 characters); anything shorter is refused outright.
MIN_TOKEN_LENGTH = 32


@never_cache
@require_GET
def feed(request, token):
    """The .ics feed of the user holding `token`; 404 for any other token."""
    user = None
    if len(token) >= MIN_TOKEN_LENGTH:
        user = get_user_model().objects.filter(calendar_token=token, is_active=True).first()
    if user is None or not constant_time_compare(user.calendar_token, token):
        raise Http404("Calendrier introuvable.")
    # Links point to the server the calendar application asked, whatever its host and port.
    body = ical_bytes(user, events_for(user), base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar")
    response["Content-Type"] = "text/calendar; charset=utf-8"
    response["Content-Disposition"] = 'inline; filename="relais.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def reset(request):
    """Issue a new feed address; the old one stops working at once."""
    had_token = bool(request.user.calendar_token)
    reset_calendar_token(request.user)
    messages.success(
        request,
        "Nouveau lien de calendrier créé : l’ancien ne fonctionne plus."
        if had_token
        else "Lien de calendrier créé.",
    )
    return redirect("accounts:account")
