"""Plausible dates: every date entered in Relais lies between `MIN_DATE` and `MAX_DATE`.

A year-0001 date is a typing slip, never a fact (it made references such as `CT-1-03011`), and
a date near year 9999 overflows the deadline arithmetic. `validate_plausible_date` is the one
rule; `CoreConfig.ready()` makes it a default validator of every date and date-time field of
Django forms (model forms, plain forms, filters, the admin) and of DRF serializers, so that a
page, the API and the import files refuse the same dates with the same French message.
"""

import datetime

from django.core.exceptions import ValidationError

MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2199, 12, 31)
MESSAGE = (
    f"Date invraisemblable : saisissez une date entre le {MIN_DATE:%d/%m/%Y} et le "
    f"{MAX_DATE:%d/%m/%Y}."
)


def validate_plausible_date(value) -> None:
    if value is None:
        return
    day = value.date() if isinstance(value, datetime.datetime) else value
    if isinstance(day, datetime.date) and not MIN_DATE <= day <= MAX_DATE:
        raise ValidationError(MESSAGE, code="implausible_date")


def install() -> None:
    """Make the rule a default validator of the date fields of forms and serializers."""
    from django import forms
    from rest_framework import fields

    for field_class in (
        forms.DateField,
        forms.DateTimeField,
        fields.DateField,
        fields.DateTimeField,
    ):
        if validate_plausible_date not in field_class.default_validators:
            field_class.default_validators = [
                *field_class.default_validators,
                validate_plausible_date,
            ]
