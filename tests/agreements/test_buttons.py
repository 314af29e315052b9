"""« Constater l'entrée en vigueur » is not offered for an agreement that needs the approval
procedure: the panel runs the transition's guard, as the server does."""

import datetime

import pytest

from tests.agreements.conftest import walk

pytestmark = pytest.mark.django_db


def test_entry_into_force_is_offered_only_without_an_approval_procedure(
    make_agreement, users, client_for
):
    agreement = make_agreement()  # intergovernmental: approved by law before it is in force
    assert agreement.requires_approval
    walk(
        agreement,
        users.pilotage,
        "prepare",
        "negotiate",
        "stabilise",
        ("sign", {"signed_on": datetime.date(2020, 3, 1), "signed_place": "Alger"}),
    )
    page = client_for(users.pilotage).get(agreement.get_absolute_url()).content.decode()
    assert "Engager la procédure d&#x27;approbation" in page
    assert "Constater l&#x27;entrée en vigueur</button>" not in page
    # The server refuses it too.
    refused = client_for(users.pilotage).post(
        f"/accords/{agreement.pk}/circuit/enter_into_force/",
        {"enter_into_force-in_force_on": "2021-01-01", "version": agreement.version},
    )
    agreement.refresh_from_db()
    assert agreement.status == "signed", refused
