"""Year-0001 dates refused by the cooperation API and the IATI import (relais.core.dates)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from relais.cooperation.models import CooperationAction, OtherDonorActivity
from relais.core.dates import MESSAGE
from tests.cooperation.test_api import NEW
from tests.cooperation.test_iati import activity, document, write

pytestmark = pytest.mark.django_db


def test_cooperation_action_api_refuses_year_one(coop, users, client_for):
    response = client_for(users.pilotage).post(
        "/api/v1/cooperation/actions/",
        data=json.dumps({**NEW, "start_date": "0001-03-01", "end_date": "0001-03-11"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["start_date"] == [MESSAGE]
    assert not CooperationAction.objects.exists()


def test_iati_import_refuses_an_activity_dated_year_one(coop, tmp_path):
    data = document(activity("EU-1")).replace(b"2024-01-01", b"0001-01-01")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_iati", write(tmp_path, data), stdout=out)
    assert "Date invraisemblable" in out.getvalue()
    assert not OtherDonorActivity.objects.exists()
