"""The platform's front door: health check, login required, home page per role."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}


@pytest.mark.django_db
def test_healthz_503_when_database_unreachable(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise connection.Database.OperationalError("connexion refusée")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert "injoignable" in body["reason"]


@pytest.mark.django_db
def test_pages_require_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/?next=/")


def test_home_page_shows_role_and_unit(users, client_for):
    response = client_for(users.attache_madrid).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "Service de sécurité intérieure de Madrid" in html
    assert "Attaché de sécurité intérieure" in html
