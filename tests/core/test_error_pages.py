"""Relais's own error pages: French, DSFR, with the header, the menu and a way back; no DEBUG."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import include, path

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _forbidden(request):
    raise PermissionDenied("Réservé aux analystes de la cellule d'information opérationnelle.")


def _bad(request):
    raise SuspiciousOperation("requête forgée")


def _boom(request):
    raise RuntimeError("panne")


urlpatterns = [
    path("essai/interdit/", _forbidden),
    path("essai/incorrect/", _bad),
    path("essai/panne/", _boom),
    path("", include("relais.urls")),
]
handler400 = "relais.core.errors.bad_request"
handler403 = "relais.core.errors.permission_denied"
handler404 = "relais.core.errors.page_not_found"
handler500 = "relais.core.errors.server_error"


def assert_relais_page(response, status, title):
    html = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{title}</h1>" in html
    assert 'class="fr-header' in html  # the site header
    assert 'id="navigation-principale"' in html  # the menu
    assert "Page d’accueil" in html  # a way back
    for english in ("DEBUG", "Django", "Forbidden", "Not Found", "Server Error", "CSRF"):
        assert english not in html, english
    return html


@pytest.fixture
def pilotage(client_for, users):
    return client_for(users.pilotage)


def test_404_page(pilotage):
    assert_relais_page(pilotage.get("/nulle-part/"), 404, "Page introuvable")


@pytest.mark.urls(__name__)
def test_403_page_says_why(pilotage):
    html = assert_relais_page(pilotage.get("/essai/interdit/"), 403, "Accès refusé")
    assert "Réservé aux analystes" in html


@pytest.mark.urls(__name__)
def test_400_page(pilotage):
    assert_relais_page(pilotage.get("/essai/incorrect/"), 400, "Requête incorrecte")


@pytest.mark.urls(__name__)
def test_500_page(users):
    client = Client(raise_request_exception=False)
    client.force_login(users.pilotage)
    assert_relais_page(client.get("/essai/panne/"), 500, "Erreur du serveur")


def test_405_page_keeps_the_allow_header_and_leads_back(pilotage):
    response = pilotage.get("/compte/jetons/", HTTP_REFERER="http://testserver/compte/")
    html = assert_relais_page(response, 405, "Action impossible depuis cette adresse")
    assert response["Allow"] == "POST"
    assert 'href="http://testserver/compte/"' in html


def test_csrf_failure_page(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users.pilotage)
    response = client.post("/compte/jetons/", {"name": "Mon script"})
    assert_relais_page(response, 403, "Page expirée")


def test_api_keeps_json_errors(pilotage):
    response = pilotage.get("/api/v1/nulle-part/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_login_page_still_works_for_anonymous(client, users):
    response = client.post("/compte/connexion/", {"username": "pilotage", "password": PASSWORD})
    assert response.status_code == 302
