"""Losing the session loses nothing: the login returns to the page (never to a POST-only
address), the input of a form sent with an expired session or a stale page is offered back,
a refused transition shows its form again filled in with the error beside it, and logging out
says so."""

import pytest
from django.test import Client
from django.urls import reverse

from relais.referential.models import PartnerBody
from tests.factories import PASSWORD, PartnerBodyFactory
from tests.referential.test_edit import _post_data

pytestmark = pytest.mark.django_db

LOGIN = "/compte/connexion/"


@pytest.fixture
def partner(org):
    return PartnerBodyFactory(name="Guardia Civil", country=org.spain, kind="foreign_institution")


def _login(client, username, next_url):
    return client.post(
        LOGIN, {"username": username, "password": PASSWORD, "next": next_url}, follow=True
    )


def test_form_sent_after_logout_is_offered_back_after_login(users, partner):
    client = Client()
    client.force_login(users.admin)
    url = reverse("referential:partner-edit", args=[partner.pk])
    data = _post_data(client, url, description="Compte rendu de la réunion de Madrid")
    client.post("/compte/deconnexion/")  # « another tab »

    lost = client.post(url, data, HTTP_REFERER=f"http://testserver{url}")
    assert lost.status_code == 302
    assert lost["Location"].startswith(f"{LOGIN}?next=")
    assert url in lost["Location"]

    page = _login(client, "admin", url)
    assert page.redirect_chain[-1][0] == url
    html = page.content.decode()
    assert "Votre session avait expiré" in html
    assert "Compte rendu de la réunion de Madrid" in html  # the form, filled in again
    assert PartnerBody.objects.get(pk=partner.pk).description != data["description"]
    # Offered once: the next visit shows the saved record.
    assert "Compte rendu de la réunion" not in client.get(url).content.decode()


def test_password_fields_are_never_kept(users):
    client = Client()
    client.post(
        "/compte/jetons/",
        {"name": "script", "password": "secret-123"},
        HTTP_REFERER="http://testserver/compte/",
    )
    kept = client.session["relais.kept_input"]
    assert kept["data"] == {"name": ["script"]}
    assert kept["page"] == "/compte/"


def test_button_clicked_after_logout_returns_to_the_record_page(users, org):
    client = Client()
    record = "/organisation/postes/SSI-MADRID/"
    response = client.post(
        "/organisation/affectations/1/circuit/approve/",
        {"approve-comment": "ok"},
        HTTP_REFERER=f"http://testserver{record}",
    )
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={record}"
    page = _login(client, "pilotage", record)
    assert page.redirect_chain[-1][0] == record
    assert page.status_code == 200


def test_stale_page_after_a_new_login_keeps_the_input(users, partner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users.admin)
    url = reverse("referential:partner-edit", args=[partner.pk])
    response = client.post(
        url,
        {"name": "Guardia Civil", "description": "Saisie longue"},
        HTTP_REFERER=f"http://testserver{url}",
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Page expirée</h1>" in html and f'href="http://testserver{url}"' in html
    back = client.get(url).content.decode()
    assert "Saisie longue" in back and "page expirée" in back


def test_logout_says_so(client_for, users):
    client = client_for(users.lecteur)
    page = client.post("/compte/deconnexion/", follow=True)
    assert "Vous avez été déconnecté." in page.content.decode()
