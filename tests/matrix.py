"""The four-persona permission matrix, reusable against any view or endpoint.

    from tests.matrix import Persona, check_matrix

    def test_post_edit_matrix(users, org):
        check_matrix(
            f"/organisation/postes/{org.madrid.unit.code}/modifier/",
            anonymous=Persona.LOGIN,                 # redirected to the login page (API: 401)
            other_unit=(users.attache_bamako, 403),  # in scope but not allowed, or 404 out of scope
            read_only=(users.lecteur, 403),
            right_user=(users.admin, 200),
            method="get",
        )

Each persona is requested with a fresh client; the expected status is asserted with a message that
names the persona, so a failing matrix says who got in where they should not.
"""

import json
from enum import Enum

from django.test import Client


class Persona(Enum):
    LOGIN = "login"  # anonymous page request: redirect to the login page
    UNAUTHORIZED = 401  # anonymous API request


def _request(client: Client, method: str, url: str, data, api: bool, headers: dict | None = None):
    call = getattr(client, method.lower())
    if data is not None and api:
        return call(
            url, data=json.dumps(data), content_type="application/json", headers=headers or {}
        )
    if data is not None:
        return call(url, data=data, headers=headers or {})
    return call(url, headers=headers or {})


def check_matrix(
    url: str,
    *,
    anonymous=Persona.LOGIN,
    other_unit=None,
    read_only=None,
    right_user=None,
    method: str = "get",
    data=None,
    api: bool | None = None,
):
    """Request `url` as each persona and assert the expected status.

    other_unit / read_only / right_user are `(user, expected_status)` pairs (or None to skip).
    Returns the responses by persona name so callers can assert on content as well.
    """
    api = url.startswith("/api/") if api is None else api
    responses = {}
    response = _request(Client(), method, url, data, api)
    responses["anonymous"] = response
    if anonymous is Persona.LOGIN:
        assert response.status_code == 302, (
            f"anonyme : {response.status_code} au lieu d'une redirection"
        )
        assert "/compte/connexion/" in response["Location"], (
            "anonyme : pas renvoyé vers la connexion"
        )
    else:
        expected = anonymous.value if isinstance(anonymous, Persona) else anonymous
        assert response.status_code == expected, (
            f"anonyme : {response.status_code} au lieu de {expected}"
        )
    for name, spec in (
        ("other_unit", other_unit),
        ("read_only", read_only),
        ("right_user", right_user),
    ):
        if spec is None:
            continue
        user, expected = spec
        client = Client()
        client.force_login(user)
        response = _request(client, method, url, data, api)
        responses[name] = response
        assert response.status_code == expected, (
            f"{name} ({user.username}) : {response.status_code} au lieu de {expected} sur {method.upper()} {url}"
        )
    return responses
