"""A button on an action's page appears only when the server would accept the click: the panel
asks the workflow the same question as the transition view (state, role and guard)."""

import datetime

import pytest

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
