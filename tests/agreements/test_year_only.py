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


def test_expiry_is_computed_from_entry_into_force_and_duration(make_agreement):
    agreement = make_agreement()
    agreement.in_force_on = datetime.date(2010, 3, 1)
    agreement.duration_years = 5
    assert agreement.current_expiry(datetime.date(2012, 1, 1)) == datetime.date(2015, 3, 1)
    # Tacit renewal: rolled forward by the duration until it is in the future.
    agreement.tacit_renewal = True
    assert agreement.current_expiry(datetime.date(2026, 12, 2)) == datetime.date(2030, 3, 1)
    agreement.renewal_years = 1
    assert agreement.current_expiry(datetime.date(2026, 12, 2)) == datetime.date(2027, 3, 1)
    agreement.duration_years = None  # indefinite
    assert agreement.current_expiry(datetime.date(2026, 12, 2)) is None
