"""Markings: classified input refused (forms, API, free text), the badge, and `visible_to`
enforcing the reader's clearance."""

import pytest
from django.template.loader import render_to_string

from relais.core.access import get_visible_or_404
from relais.core.forms import RecordForm
from relais.core.markings import (
    ABOVE_CLEARANCE_MESSAGE,
    CLASSIFIED_MESSAGE,
    Marking,
    MarkingFormField,
    is_classified_value,
    refuse_classified_text,
)
from relais.referential.models import Person
from tests.factories import PersonFactory, UserFactory

CLASSIFIED = [
    "secret",
    "SECRET",
    "tres_secret",
    "très secret",
    "Très-Secret",
    "TRÈS SECRET",
    "secret défense",
    "Secret-Défense",
    "top secret",
    "confidentiel défense",
]


@pytest.mark.parametrize("value", CLASSIFIED)
def test_classified_values_are_recognised(value):
    assert is_classified_value(value)


@pytest.mark.parametrize("value", ["non_protege", "diffusion_restreinte", "", "secrétariat"])
def test_relais_markings_are_not_classified(value):
    assert not is_classified_value(value)


@pytest.mark.parametrize(
    "text",
    [
        "TRÈS SECRET\nRapport de la réunion",
        "Document classé très-secret",
        "SECRET DÉFENSE",
        "Niveau : top secret",
        "En-tête\n  SECRET  \nCorps du texte",
        "** SECRET **",
    ],
)
def test_classification_headers_in_free_text_are_refused(text):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        refuse_classified_text(text)
    assert excinfo.value.messages == [CLASSIFIED_MESSAGE]


@pytest.mark.parametrize(
    "text",
    [
        "Secrétariat général de la défense et de la sécurité nationale",
        "Le secret professionnel s'applique.",
        "DIFFUSION RESTREINTE",
        "",
    ],
)
def test_ordinary_text_is_accepted(text):
    refuse_classified_text(text)


@pytest.mark.parametrize("value", ["secret", "tres_secret", "très secret"])
def test_marking_form_field_gives_the_classified_message(value):
    field = MarkingFormField()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        field.clean(value)
    assert excinfo.value.messages == [CLASSIFIED_MESSAGE]


def test_marking_form_field_refuses_unknown_values_and_accepts_the_two_levels():
    from django.core.exceptions import ValidationError

    field = MarkingFormField()
    assert field.clean("diffusion_restreinte") == "diffusion_restreinte"
    with pytest.raises(ValidationError) as excinfo:
        field.clean("orange")
    assert CLASSIFIED_MESSAGE not in excinfo.value.messages


def test_marking_form_field_offers_only_what_the_user_may_read(org):
    reader = UserFactory(username="np", role="pilotage", unit=org.cabinet, clearance="non_protege")
    field = MarkingFormField(user=reader)
    assert [v for v, _ in field.choices] == ["non_protege"]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        field.clean("diffusion_restreinte")
    assert excinfo.value.messages == [ABOVE_CLEARANCE_MESSAGE]


class PersonForm(RecordForm):
    classified_text_fields = ("function",)

    class Meta:
        model = Person
        fields = ["first_name", "last_name", "corps", "unit", "function", "marking"]


def _person_data(org, **changes):
    data = {
        "first_name": "Anne",
        "last_name": "Roux",
        "corps": "police",
        "unit": str(org.dcpj.pk),
        "function": "",
        "marking": "non_protege",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("value", ["secret", "tres_secret", "très secret"])
def test_record_form_refuses_classified_marking_with_the_message(org, users, value):
    form = PersonForm(_person_data(org, marking=value), user=users.pilotage)
    assert not form.is_valid()
    assert form.errors["marking"] == [CLASSIFIED_MESSAGE]


def test_record_form_refuses_classified_text_in_opted_in_fields(org, users):
    form = PersonForm(_person_data(org, function="Chef — TRÈS SECRET"), user=users.pilotage)
    assert not form.is_valid()
    assert form.errors["function"] == [CLASSIFIED_MESSAGE]
    form = PersonForm(_person_data(org, last_name="Très Secret"), user=users.pilotage)
    assert form.is_valid()  # last_name did not opt in


def test_record_form_offers_only_visible_related_records(org, users):
    form = PersonForm(user=users.attache_madrid)
    units = set(form.fields["unit"].queryset)
    assert org.madrid.unit in units  # units are public reference data…
    # … whereas a form on assignments would only list the people the user may see.
    from django import forms

    from relais.referential.models import Assignment

    class AssignmentForm(RecordForm):
        class Meta:
            model = Assignment
            fields = ["person", "unit", "function", "start_date"]

    madrid_person = PersonFactory(unit=org.madrid.unit)
    bamako_person = PersonFactory(unit=org.bamako.unit)
    people = set(AssignmentForm(user=users.attache_madrid).fields["person"].queryset)
    assert madrid_person in people and bamako_person not in people
    assert isinstance(AssignmentForm.base_fields["person"], forms.ModelChoiceField)


def test_marking_badge(org):
    restricted = PersonFactory(unit=org.dcpj, marking=Marking.DIFFUSION_RESTREINTE)
    plain = PersonFactory(unit=org.dcpj)
    html = render_to_string("core/_marking_badge.html", {"object": restricted})
    assert "Diffusion restreinte" in html and "fr-badge--warning" in html
    html = render_to_string("core/_marking_badge.html", {"object": plain})
    assert "Non protégé" in html and "fr-badge--warning" not in html


def test_visible_to_enforces_clearance_on_person(org, users):
    restricted = PersonFactory(unit=org.dcpj, marking=Marking.DIFFUSION_RESTREINTE)
    plain = PersonFactory(unit=org.dcpj)
    cleared = users.pilotage  # headquarters, cleared for « diffusion restreinte »
    not_cleared = UserFactory(
        username="pilotage.np", role="pilotage", unit=org.cabinet, clearance="non_protege"
    )
    assert set(Person.objects.visible_to(cleared)) >= {restricted, plain}
    visible = set(Person.objects.visible_to(not_cleared))
    assert plain in visible and restricted not in visible
    from django.http import Http404

    with pytest.raises(Http404):
        get_visible_or_404(Person, not_cleared, pk=restricted.pk)
    # The administrator of the fixture reads up to « non protégé » only.
    assert restricted not in set(Person.objects.visible_to(users.admin))
