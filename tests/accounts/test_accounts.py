"""Accounts: login (Argon2, throttling, audit), « Mon compte » tokens, Bearer API auth."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.core.management import call_command
from django.utils import timezone

from relais.accounts.models import ApiToken
from relais.core.audit.models import Action, AuditEvent
from tests.factories import PASSWORD
from tests.matrix import Persona, check_matrix


def test_passwords_are_hashed_with_argon2(users):
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert identify_hasher(users.pilotage.password).algorithm == "argon2"


def test_login_logs_in_and_audits(client, users):
    response = client.post("/compte/connexion/", {"username": "pilotage", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert AuditEvent.objects.filter(action=Action.LOGIN, actor=users.pilotage).exists()


def test_wrong_password_shows_french_error(client, users):
    response = client.post("/compte/connexion/", {"username": "pilotage", "password": "faux"})
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect." in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED, object_repr="pilotage").exists()


def test_failed_logins_are_throttled(client, users, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        client.post("/compte/connexion/", {"username": "pilotage", "password": "faux"})
    # Even the right password is refused while the lock holds.
    response = client.post("/compte/connexion/", {"username": "pilotage", "password": PASSWORD})
    assert response.status_code == 200
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_requires_post_and_ends_session(client_for, users):
    client = client_for(users.lecteur)
    assert client.get("/compte/deconnexion/").status_code == 405
    response = client.post("/compte/deconnexion/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_account_page_matrix(users):
    responses = check_matrix("/compte/", right_user=(users.correspondant_dgef, 200))
    html = responses["right_user"].content.decode()
    assert "Mon compte" in html
    assert "Direction générale des étrangers en France" in html


def test_user_creates_and_revokes_own_token(client_for, users):
    client = client_for(users.analyste)
    response = client.post("/compte/jetons/", {"name": "Script d'import"}, follow=True)
    html = response.content.decode()
    token = ApiToken.objects.get(user=users.analyste)
    raw = html.split('id="nouveau-jeton">')[1].split("<")[0]
    assert raw.startswith("rls_")
    assert token.key_hash == ApiToken.digest(raw) and raw not in token.key_hash
    # The clear token is shown once only.
    assert raw not in client.get("/compte/").content.decode()
    api = client.__class__()
    assert api.get("/api/v1/me/", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    client.post(f"/compte/jetons/{token.pk}/revoquer/")
    assert api.get("/api/v1/me/", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_user_cannot_revoke_someone_elses_token(client_for, users):
    token, _raw = ApiToken.issue(users.pilotage)
    response = client_for(users.analyste).post(f"/compte/jetons/{token.pk}/revoquer/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_empty_token_name_is_a_form_error(client_for, users):
    response = client_for(users.analyste).post("/compte/jetons/", {"name": ""})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_api_without_token_answers_401(client, users):
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    check_matrix("/api/v1/me/", anonymous=Persona.UNAUTHORIZED, right_user=(users.lecteur, 200))


def test_expired_or_malformed_token_answers_401(client, users):
    token, raw = ApiToken.issue(users.pilotage)
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get("/api/v1/me/", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    response = client.get("/api/v1/me/", headers={"Authorization": "Bearer a b"})
    assert response.status_code == 401
    assert "Bearer <jeton>" in response.json()["detail"]


def test_create_token_command_prints_only_the_token(users, capsys):
    call_command("create_token", "correspondant.dgpn")
    out = capsys.readouterr().out.strip()
    assert out.startswith("rls_") and "\n" not in out
    token = ApiToken.objects.get(user=users.correspondant_dgpn)
    assert token.key_hash == ApiToken.digest(out)
    assert token.expires_at > timezone.now() + datetime.timedelta(days=30)


def test_create_token_command_unknown_user_fails_cleanly(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Aucun utilisateur « personne »"):
        call_command("create_token", "personne")


def test_me_endpoint_describes_the_token_owner(client, users):
    _token, raw = ApiToken.issue(users.attache_madrid)
    body = client.get("/api/v1/me/", headers={"Authorization": f"Bearer {raw}"}).json()
    assert body["username"] == "attache.madrid"
    assert body["role"] == "attache"
    assert body["unit"] == "SSI-MADRID"
