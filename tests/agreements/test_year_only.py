"""A signature known by its year only (Bulgaria 2002) is shown and exported as the year."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from relais.agreements.models import Agreement, DatePrecision

pytestmark = pytest.mark.django_db


def test_year_only_signature_is_shown_and_exported_as_the_year(make_agreement, users, client_for):
    agreement = make_agreement(title="Accord avec la Bulgarie")
    Agreement.objects.filter(pk=agreement.pk).update(
        signed_on=datetime.date(2002, 1, 1), signed_on_precision=DatePrecision.YEAR
    )
    client = client_for(users.pilotage)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "<dd>2002" in page and "01/01/2002" not in page
    csv = b"".join(client.get("/accords/", {"export": "csv"}).streaming_content).decode()
    assert ";2002;" in csv and "01/01/2002" not in csv
    sheet = load_workbook(io.BytesIO(client.get("/accords/", {"export": "xlsx"}).content)).active
    headers = [cell.value for cell in sheet[2]]
    assert sheet.cell(row=3, column=headers.index("Signé le") + 1).value == 2002
