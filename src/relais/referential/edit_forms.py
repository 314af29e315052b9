"""Edit forms of the referential (administrators): `RecordForm`s, so they carry the version
check, the marking field and the DSFR widgets.

The code of a unit or a post and a unit's place in the tree are not edited here: they key the
materialized path of the whole subtree and the addresses other records use.
"""

from django import forms

from relais.core.forms import RecordForm
from relais.referential.models import PartnerBody, Person, Post, Unit


class UnitForm(RecordForm):
    classified_text_fields = ("name", "description")

    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "kind",
            "beneficiary",
            "is_intelligence",
            "description",
            "marking",
        ]


class PostForm(RecordForm):
    classified_text_fields = ("regional_role", "address")

    class Meta:
        model = Post
        fields = [
            "city",
            "embassy",
            "host_country",
            "countries",
            "regional_role",
            "email",
            "phone",
            "address",
            "opened_year",
            "marking",
        ]


class PersonForm(RecordForm):
    classified_text_fields = ("function",)

    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "corps",
            "grade",
            "unit",
            "function",
            "email",
            "phone",
            "marking",
        ]


class PartnerBodyForm(RecordForm):
    classified_text_fields = ("name", "description")

    website = forms.URLField(label="Site", required=False, assume_scheme="https")

    class Meta:
        model = PartnerBody
        fields = ["name", "acronym", "kind", "country", "city", "website", "description", "marking"]
