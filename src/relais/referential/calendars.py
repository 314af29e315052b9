"""The referential's calendar source: start and end dates of current assignments.

Imported by the calendar registry's autodiscovery (relais.core.exports.calendar.sources()).
Only assignments `visible_to(user)` are given (people of the user's unit and below, or all for
DCI headquarters and administrators).
"""

from django.urls import NoReverseMatch, reverse

from relais.core.exports.calendar import CalendarEvent, register
from relais.core.markings import MARKING_LEVEL
from relais.referential.models import Assignment


def _person_url(person) -> str:
    try:
        return reverse("referential:person-detail", args=[person.pk])
    except NoReverseMatch:
        return ""


@register
def current_assignments(user):
    """Taking up and end of duty of the assignments in progress the user may see."""
    assignments = (
        Assignment.objects.visible_to(user).current().select_related("person", "unit").order_by()
    )
    for assignment in assignments:
        person, unit = assignment.person, assignment.unit
        function = assignment.get_function_display()
        description = f"{person} — {function}, {unit.name}."
        common = {
            "description": description,
            "url": _person_url(person),
            # The event names the person: it is as sensitive as the more sensitive of the two.
            "marking": max(assignment.marking, person.marking, key=MARKING_LEVEL.get),
        }
        yield CalendarEvent(
            uid=f"referential-assignment-{assignment.pk}-start",
            summary=f"Prise de fonctions : {person} ({function}, {unit.label})",
            start=assignment.start_date,
            **common,
        )
        if assignment.end_date:
            yield CalendarEvent(
                uid=f"referential-assignment-{assignment.pk}-end",
                summary=f"Fin d'affectation : {person} ({function}, {unit.label})",
                start=assignment.end_date,
                **common,
            )
