"""A button on an action's page appears only when the server would accept the click: the panel
asks the workflow the same question as the transition view (state, role and guard)."""

import datetime

import pytest
from django.urls import reverse

from relais.cooperation import services
from relais.core.workflow.engine import TransitionRefused
from tests.cooperation.conftest import walk

pytestmark = pytest.mark.django_db


def test_program_is_offered_only_once_the_meae_opinion_is_recorded(make_action, users, client_for):
    action = walk(make_action(), users.pilotage, "review", "request_opinion")
    client = client_for(users.pilotage)
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Enregistrer l&#x27;avis du MEAE" in page or "Enregistrer l'avis du MEAE" in page
    assert ">Programmer</button>" not in page
    # The server refuses the click the page no longer offers.
    with pytest.raises(TransitionRefused):
        services.move(action, "program", users.pilotage)

    walk(
        action,
        users.pilotage,
        (
            "record_opinion",
            {"meae_opinion": "favorable", "meae_opinion_on": datetime.date(2025, 2, 1)},
            "Avis favorable.",
        ),
    )
    page = client.get(action.get_absolute_url()).content.decode()
    assert ">Programmer</button>" in page


def test_refused_transition_keeps_the_input_and_shows_the_error_beside_the_form(
    make_action, users, client_for
):
    action = walk(make_action(), users.pilotage, "review")
    client = client_for(users.pilotage)
    page_url = action.get_absolute_url()
    response = client.post(
        reverse("cooperation:action-transition", args=[action.pk, "postpone"]),
        {"postpone-comment": "Élections législatives", "next": page_url},
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == page_url
    assert "Élections législatives</textarea>" in html  # what was typed
    form = html[html.index("/circuit/postpone/") :]
    form = form[: form.index("</form>")]
    assert "fr-error-text" in form  # the error beside the field, in the form
    assert html.count("Ce champ est obligatoire") == 1  # one message per error
