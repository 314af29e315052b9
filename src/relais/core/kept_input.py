"""Input kept across a lost session, an expired page or a refused transition, offered back.

A form sent when the session has expired (logged out in another tab, session timed out) or from
a page whose CSRF token is stale (a new login in another tab) is not lost: `keep_post` stores the
POST body in the session — without passwords, files or the CSRF token — for the page the form was
on (the `Referer` on this site, else the address posted to). The login keeps the session's data
(`django.contrib.auth.login` cycles the key of an anonymous session), and `KeptInputMiddleware`
hands the input back on the next GET of that page: forms built there without data
(`KeptInputMixin`: `RecordForm`, `TransitionForm`…) take it as their initial values, and a message
says so. A refused transition uses the same path to show its form again, filled in, with the
errors next to it.
"""

import json
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import QueryDict

SESSION_KEY = "relais.kept_input"
MAX_CHARS = 64 * 1024
MAX_AGE_SECONDS = 3600
SKIPPED = {"csrfmiddlewaretoken", "next"}

MESSAGES = {
    "session": (
        "Votre session avait expiré : ce que vous aviez saisi n'a pas été enregistré. Votre "
        "saisie est reprise ci-dessous : vérifiez-la puis validez à nouveau."
    ),
    "csrf": (
        "Le formulaire venait d'une page expirée : il n'a pas été enregistré. Votre saisie est "
        "reprise ci-dessous : vérifiez-la puis validez à nouveau."
    ),
}


@dataclass
class KeptInput:
    data: QueryDict
    form: str = ""
    errors: dict = field(default_factory=dict)


_current: ContextVar[KeptInput | None] = ContextVar("relais_kept_input", default=None)


def kept_input() -> KeptInput | None:
    """The input handed back to this request, if any."""
    return _current.get()


def page_of(request) -> str:
    """The page a POST came from: the `Referer` on this site, else the address posted to."""
    from relais.core.errors import safe_referer

    referer = safe_referer(request)
    if referer:
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def keep_post(
    request, *, reason: str, form: str = "", errors: dict | None = None, page: str = ""
) -> str:
    """Keep `request.POST` for `page` (default: the page it came from); return that page ("" when
    nothing was kept)."""
    page = page or page_of(request)
    data = {
        key: values
        for key, values in request.POST.lists()
        if key not in SKIPPED and "password" not in key.lower()
    }
    if not data or len(json.dumps(data)) > MAX_CHARS:
        return page if data else ""
    request.session[SESSION_KEY] = {
        "page": page,
        "data": data,
        "reason": reason,
        "form": form,
        "errors": errors or {},
        "at": time.time(),
    }
    return page


class KeptInputMiddleware:
    """Hand kept input back on the GET of its page (after authentication and messages)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = None
        session = getattr(request, "session", None)
        if (
            request.method == "GET"
            and session is not None
            and SESSION_KEY in session
            and request.user.is_authenticated
        ):
            kept = session[SESSION_KEY]
            if time.time() - kept.get("at", 0) > MAX_AGE_SECONDS:
                del session[SESSION_KEY]
            elif kept.get("page") in (request.get_full_path(), request.path):
                del session[SESSION_KEY]
                data = QueryDict(mutable=True)
                for key, values in kept["data"].items():
                    data.setlist(key, values)
                token = _current.set(
                    KeptInput(data=data, form=kept.get("form", ""), errors=kept.get("errors", {}))
                )
                if kept.get("reason") in MESSAGES:
                    messages.warning(request, MESSAGES[kept["reason"]])
        try:
            return self.get_response(request)
        finally:
            if token is not None:
                _current.reset(token)


class KeptInputMixin:
    """A form built without data takes the kept input of this request as its initial values."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kept = kept_input()
        if kept is None or self.is_bound:
            return
        for name, formfield in self.fields.items():
            key = self.add_prefix(name)
            if key in kept.data:
                self.initial[name] = formfield.widget.value_from_datadict(kept.data, {}, key)
