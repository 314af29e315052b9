"""The client address behind reverse proxies: X-Forwarded-For is read only through the configured
number of trusted proxies (rightmost minus N), for the login lock and the audit trail."""

import pytest
from django.test import RequestFactory

from relais.core.audit.models import Action, AuditEvent
from relais.core.middleware import client_ip
from tests.core.test_settings import _relais
from tests.factories import PASSWORD

PROXY = "10.0.0.2"


def _ip(forwarded=None, remote=PROXY):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", PROXY),  # default: the header is ignored
        (0, None, PROXY),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the client's own value is not trusted
        (1, "6.6.6.6,7.7.7.7 , 203.0.113.9", "203.0.113.9"),
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (2, "203.0.113.9", PROXY),  # fewer values than proxies: not through them
        (1, "", PROXY),
        (1, None, PROXY),
    ],
)
def test_client_address_is_the_rightmost_minus_n(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    assert _ip(forwarded) == expected


def _fail_login(client, username, forwarded):
    return client.post(
        "/compte/connexion/",
        {"username": username, "password": "faux"},
        HTTP_X_FORWARDED_FOR=forwarded,
        REMOTE_ADDR=PROXY,
    )


@pytest.mark.parametrize("proxies", [0, 1])
def test_rotating_forwarded_for_neither_escapes_the_lock_nor_forges_the_audit(
    client, users, settings, proxies
):
    settings.TRUSTED_PROXIES = proxies
    settings.LOGIN_MAX_FAILURES = 3
    real = "203.0.113.9" if proxies else PROXY
    for n in range(3):  # a new username and a new forged address each time
        _fail_login(client, f"inconnu{n}", f"198.51.100.{n}, 203.0.113.9")
    response = _fail_login(client, "pilotage", "198.51.100.77, 203.0.113.9")
    assert "Trop de tentatives" in response.content.decode()
    addresses = set(
        AuditEvent.objects.filter(action=Action.LOGIN_FAILED).values_list("ip_address", flat=True)
    )
    assert addresses == {real}
    # Another client behind the same proxy is not locked out.
    other = client.post(
        "/compte/connexion/",
        {"username": "analyste", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.50",
        REMOTE_ADDR=PROXY if proxies else "192.0.2.50",
    )
    assert other.status_code == 302


@pytest.mark.parametrize("value", ["deux", "-1", "11"])
def test_bad_trusted_proxies_value_fails_loudly(tmp_path, value):
    result = _relais(["check"], RELAIS_TRUSTED_PROXIES=value, RELAIS_DATA_DIR=str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip().startswith(
        "relais : configuration invalide : RELAIS_TRUSTED_PROXIES"
    )
    assert "\n" not in result.stderr.strip()
