"""Edit pages of the referential: administrators only, optimistic locking, markings, history and
audit chain, on units, posts, people and partner bodies."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from relais.core import records
from relais.core.audit.models import Action, AuditEvent
from relais.core.markings import CLASSIFIED_MESSAGE, Marking
from relais.referential.models import PartnerBody, Post, Unit
from tests.factories import PartnerBodyFactory, PersonFactory, UserFactory
from tests.matrix import Persona, check_matrix


@pytest.fixture
def person(org):
    return PersonFactory(unit=org.madrid.unit, first_name="Luis", last_name="Garcia")


@pytest.fixture
def partner(org):
    return PartnerBodyFactory(name="Guardia Civil", country=org.spain, kind="foreign_institution")


def _urls(org, person, partner):
    return {
        "unit": reverse("referential:unit-edit", args=[org.dcpj.code]),
        "post": reverse("referential:post-edit", args=[org.madrid.unit.code]),
        "person": reverse("referential:person-edit", args=[person.pk]),
        "partner": reverse("referential:partner-edit", args=[partner.pk]),
    }


def _hidden_version(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def _post_data(client, url, **changes):
    """The form as the page shows it (every field's current value), with `changes` applied."""
    form = client.get(url).context["form"]
    data = {}
    for name, _field in form.fields.items():
        value = form[name].value()
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    data.update(changes)
    return data


# --- Permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["unit", "post", "person", "partner"])
def test_edit_pages_are_for_administrators(org, users, person, partner, kind):
    url = _urls(org, person, partner)[kind]
    responses = check_matrix(
        url,
        anonymous=Persona.LOGIN,
        other_unit=(users.attache_madrid, 403),  # sees the record, may not change it
        read_only=(users.lecteur, 403),
        right_user=(users.admin, 200),
    )
    html = responses["right_user"].content.decode()
    assert html.count("<h1") == 1
    assert "Modifier" in html and 'name="version" value="1"' in html


def test_person_edit_answers_404_outside_the_scope(org, users, person):
    url = reverse("referential:person-edit", args=[person.pk])
    check_matrix(
        url, other_unit=(users.attache_bamako, 404), read_only=(users.correspondant_dgef, 404)
    )
    missing = reverse("referential:person-edit", args=[999999])
    check_matrix(missing, right_user=(users.admin, 404))


@pytest.mark.parametrize("kind", ["unit", "post", "person", "partner"])
def test_post_by_non_administrators_is_refused_and_changes_nothing(
    org, users, person, partner, client_for, kind
):
    url = _urls(org, person, partner)[kind]
    record = {"unit": org.dcpj, "post": org.madrid, "person": person, "partner": partner}[kind]
    text_field = {"unit": "name", "post": "city", "person": "first_name", "partner": "name"}[kind]
    before = getattr(record, text_field)
    data = _post_data(client_for(users.admin), url, **{text_field: "Piraté"})
    for user in (users.pilotage, users.lecteur, users.attache_madrid):
        assert client_for(user).post(url, data).status_code == 403
    record.refresh_from_db()
    assert (getattr(record, text_field), record.version) == (before, 1)
    assert not AuditEvent.objects.filter(action=Action.UPDATE).exists()


# --- Editing -------------------------------------------------------------------------------------


def test_admin_edits_a_unit_then_sees_the_history_and_the_chain_verifies(org, users, client_for):
    client = client_for(users.admin)
    url = reverse("referential:unit-edit", args=[org.dcpj.code])
    data = _post_data(
        client, url, name="Direction nationale de la police judiciaire", short_name="DNPJ"
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("referential:unit-detail", args=[org.dcpj.code])
    unit = Unit.objects.get(code="DCPJ")
    assert (unit.name, unit.short_name, unit.version, unit.updated_by) == (
        "Direction nationale de la police judiciaire",
        "DNPJ",
        2,
        users.admin,
    )
    event = AuditEvent.objects.for_object(unit).get()
    assert event.action == Action.UPDATE and event.actor_username == "admin"
    assert set(event.changes) == {"name", "short_name"}

    page = client.get(url)
    html = page.content.decode()
    assert "Les modifications de" in html  # the success message
    assert 'name="version" value="2"' in html
    assert "Historique des modifications" in html
    assert "Direction centrale de la police judiciaire" in html  # before
    assert "Direction nationale de la police judiciaire" in html  # after
    assert "Sigle" in html and "par admin" in html
    call_command("audit", "verify")


def test_admin_edits_a_post_countries_and_the_history_names_them(org, users, client_for):
    client = client_for(users.admin)
    url = reverse("referential:post-edit", args=[org.madrid.unit.code])
    data = _post_data(client, url, countries=[str(org.spain.pk)], phone="+34 91 000 00 00")
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(Post.objects.get(pk=org.madrid.pk).countries.all()) == [org.spain]
    history = client.get(url).context["history"]
    changes = {c.label: (c.before, c.after) for c in history[0].changes}
    assert changes["Pays couverts"] == ("Andorre, Espagne", "Espagne") or changes[
        "Pays couverts"
    ] == ("Espagne, Andorre", "Espagne")
    assert changes["Téléphone"] == ("—", "+34 91 000 00 00")


def test_admin_moves_a_person_and_the_history_names_the_units(org, users, person, client_for):
    client = client_for(users.admin)
    url = reverse("referential:person-edit", args=[person.pk])
    response = client.post(
        url, _post_data(client, url, unit=str(org.bamako.unit.pk), corps="gendarmerie")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("referential:person-detail", args=[person.pk])
    changes = {c.label: (c.before, c.after) for c in client.get(url).context["history"][0].changes}
    assert changes["Unité"] == (str(org.madrid.unit), str(org.bamako.unit))
    assert changes["Corps"] == ("Police nationale", "Gendarmerie nationale")


def test_admin_edits_a_partner(org, users, partner, client_for):
    client = client_for(users.admin)
    url = reverse("referential:partner-edit", args=[partner.pk])
    response = client.post(
        url, _post_data(client, url, acronym="GC", website="https://www.guardiacivil.es")
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.acronym, partner.website, partner.version) == (
        "GC",
        "https://www.guardiacivil.es",
        2,
    )


def test_invalid_input_is_shown_with_dsfr_errors_and_saves_nothing(org, users, partner, client_for):
    client = client_for(users.admin)
    url = reverse("referential:partner-edit", args=[partner.pk])
    response = client.post(url, _post_data(client, url, name="", website="pas une adresse"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "fr-input-group--error" in html and "fr-error-text" in html
    assert 'aria-describedby="id_name-erreur"' in html
    partner.refresh_from_db()
    assert partner.name == "Guardia Civil" and partner.version == 1


# --- Optimistic locking through the page -------------------------------------------------------


def test_stale_form_shows_an_error_keeps_the_input_and_changes_nothing(
    org, users, partner, client_for
):
    client = client_for(users.admin)
    url = reverse("referential:partner-edit", args=[partner.pk])
    data = _post_data(client, url, city="Madrid", description="Police à statut militaire")
    assert data["version"] == "1"  # the form was opened at version 1
    meanwhile = PartnerBody.objects.get(pk=partner.pk)
    meanwhile.city = "Barcelone"
    records.update(meanwhile, users.admin, expected_version=1)  # someone saves: version 2

    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "modifié par quelqu&#x27;un d&#x27;autre" in html
    assert 'value="Madrid"' in html  # the input is kept…
    assert "Police à statut militaire</textarea>" in html
    assert "Barcelone" in html  # … and what is stored now is shown
    assert _hidden_version(html) == "2"
    partner.refresh_from_db()
    assert (partner.city, partner.description, partner.version) == ("Barcelone", "", 2)

    # Submitting again (now at version 2) after review saves.
    data["version"] = _hidden_version(html)
    assert client.post(url, data).status_code == 302
    partner.refresh_from_db()
    assert (partner.city, partner.version) == ("Madrid", 3)


# --- Markings through the page -------------------------------------------------------------------


@pytest.mark.parametrize("value", ["secret", "tres_secret", "très secret"])
def test_classified_marking_is_refused_with_the_message(org, users, person, client_for, value):
    client = client_for(users.admin)
    url = reverse("referential:person-edit", args=[person.pk])
    response = client.post(url, _post_data(client, url, marking=value))
    assert response.status_code == 200
    assert CLASSIFIED_MESSAGE.replace("'", "&#x27;") in response.content.decode()
    person.refresh_from_db()
    assert person.marking == Marking.NON_PROTEGE and person.version == 1


def test_classified_header_in_a_description_is_refused(org, users, client_for):
    client = client_for(users.admin)
    url = reverse("referential:unit-edit", args=[org.dcpj.code])
    response = client.post(url, _post_data(client, url, description="TRÈS SECRET\nOrganigramme"))
    assert response.status_code == 200
    assert CLASSIFIED_MESSAGE.replace("'", "&#x27;") in response.content.decode()
    assert Unit.objects.get(code="DCPJ").description == ""


def test_restricted_record_shows_the_banner_and_badge_to_a_cleared_admin(org, client_for):
    admin_dr = UserFactory(
        username="admin.dr",
        role="administrateur",
        unit=org.dci,
        clearance=Marking.DIFFUSION_RESTREINTE,
    )
    restricted = PersonFactory(unit=org.dcpj, marking=Marking.DIFFUSION_RESTREINTE)
    client = client_for(admin_dr)
    url = reverse("referential:person-edit", args=[restricted.pk])
    html = client.get(url).content.decode()
    assert "DIFFUSION RESTREINTE" in html  # banner
    assert "fr-badge--warning" in html  # badge
    response = client.post(url, _post_data(client, url, grade="Commandant divisionnaire"))
    assert response.status_code == 302
    event = AuditEvent.objects.for_object(restricted).get()
    assert event.marking == Marking.DIFFUSION_RESTREINTE


def test_admin_without_clearance_neither_sees_nor_raises_to_restricted(
    org, users, person, client_for
):
    restricted = PersonFactory(unit=org.dcpj, marking=Marking.DIFFUSION_RESTREINTE)
    client = client_for(users.admin)  # reads up to « non protégé »
    assert client.get(reverse("referential:person-edit", args=[restricted.pk])).status_code == 404
    url = reverse("referential:person-edit", args=[person.pk])
    response = client.post(url, _post_data(client, url, marking="diffusion_restreinte"))
    assert response.status_code == 200
    assert "habilitation" in response.content.decode()
    person.refresh_from_db()
    assert person.marking == Marking.NON_PROTEGE
