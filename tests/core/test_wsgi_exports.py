"""Every list export served through the WSGI reference validator (`wsgiref.validate`).

`make demo` serves Relais with `relais runserver` (wsgiref): a header that is not a plain `str`
(a TextChoices member, say) answers 500 there while the Django test client lets it through.
This walks the URL conf, finds every page that answers `?export=csv` with a download, and serves
it in each format through the validator, which checks status, headers and body as wsgiref does.
"""

import io
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.urls import URLPattern, URLResolver, get_resolver

from relais.core.exports.lists import FORMATS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_db_connection")]

#: Lists that must be among the exports found (the walk finds new ones on its own).
KNOWN_EXPORTS = {
    "/accords/",
    "/cooperation/",
    "/information/",
    "/reseau/sollicitations/",
    "/reseau/rapports/",
    "/organisation/pays/",
    "/organisation/postes/",
}


def _paths_without_arguments(resolver: URLResolver = None, prefix: str = ""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if "<" in route or "(?P" in route or route.startswith(("^", "api/", "admin/")):
            continue
        if isinstance(pattern, URLResolver):
            yield from _paths_without_arguments(pattern, prefix + route)
        elif isinstance(pattern, URLPattern):
            yield "/" + prefix + route


def serve_through_validator(path: str, query: str, cookies) -> tuple[str, list, bytes]:
    """GET `path?query` through wsgiref's validator around Django's WSGI handler."""
    environ = {
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "REQUEST_METHOD": "GET",
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": "; ".join(f"{k}={v.value}" for k, v in cookies.items()),
        "wsgi.errors": io.StringIO(),
    }
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, headers
        return lambda data: None

    result = validator(WSGIHandler())(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        result.close()
    return answer["status"], answer["headers"], body


def test_every_list_export_passes_the_wsgi_validator(client_for, users):
    client = client_for(users.pilotage)
    exports = []
    for path in sorted(set(_paths_without_arguments())):
        response = client.get(path, {"export": "csv"})
        if response.status_code == 200 and "attachment" in response.get("Content-Disposition", ""):
            exports.append(path)
    assert set(exports) >= KNOWN_EXPORTS, f"exports trouvés : {exports}"
    assert settings.SESSION_COOKIE_NAME in client.cookies
    for path in exports:
        for fmt in sorted(FORMATS):
            status, headers, body = serve_through_validator(path, f"export={fmt}", client.cookies)
            assert status.startswith("200"), f"{path}?export={fmt}: {status}"
            names = dict(headers)
            assert "attachment" in names["Content-Disposition"], path
            if "X-Relais-Marking" in names:
                assert names["X-Relais-Marking"] in {"non_protege", "diffusion_restreinte"}
            assert body, f"{path}?export={fmt}: vide"
