"""Year-0001-style dates are refused wherever a date is entered (one rule, relais.core.dates):
pages, API, import files — so that no reference such as `CT-1-03011` can be made. The pages,
API and import files that apply it: tests/cooperation/test_dates.py, tests/information/test_dates.py."""

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from rest_framework import serializers

from relais.core.dates import MESSAGE, validate_plausible_date
from tests.cooperation.conftest import coop  # noqa: F401 (fixture)
from tests.information.conftest import a_org, a_users  # noqa: F401 (fixtures)


@pytest.mark.parametrize("value", ["0001-01-01", "1899-12-31", "9999-12-31", "2200-01-01"])
def test_every_form_and_serializer_date_field_refuses_implausible_dates(value):
    with pytest.raises(ValidationError) as exc:
        forms.DateField().clean(value)
    assert exc.value.messages == [MESSAGE]
    with pytest.raises(ValidationError):
        forms.DateTimeField().clean(f"{value} 10:00")
    with pytest.raises(serializers.ValidationError) as exc:
        serializers.DateField().run_validation(value)
    assert exc.value.detail == [MESSAGE]
    with pytest.raises(serializers.ValidationError):
        serializers.DateTimeField().run_validation(f"{value}T10:00:00Z")


def test_plausible_dates_pass():
    for day in (datetime.date(1900, 1, 1), datetime.date(2026, 12, 2), datetime.date(2199, 12, 31)):
        validate_plausible_date(day)
        assert forms.DateField().clean(day.isoformat()) == day
