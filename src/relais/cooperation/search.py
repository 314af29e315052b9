"""Programmes and actions in the global search (docs/dev/search.md)."""

from relais.cooperation.models import CooperationAction, Programme
from relais.core.search.registry import register


def _action_body(action: CooperationAction) -> str:
    return " ".join(
        [
            action.reference,
            action.get_kind_display(),
            action.objectives,
            action.domain.label if action.domain_id else "",
            action.country.name if action.country_id else "",
            action.country.code if action.country_id else "",
            action.directorate.label if action.directorate_id else "",
            str(action.beneficiary_institution or ""),
        ]
    )


register(
    CooperationAction,
    kind="Actions de coopération",
    order=20,
    title=str,
    body=_action_body,
    url=lambda a: a.get_absolute_url(),
    queryset=lambda: CooperationAction.objects.select_related(
        "domain", "country", "directorate", "beneficiary_institution"
    ),
)

register(
    Programme,
    kind="Programmes de coopération",
    order=21,
    title=str,
    body=lambda p: " ".join([p.scope_label, p.summary]),
    url=lambda p: p.get_absolute_url(),
    queryset=lambda: Programme.objects.select_related("country", "zone", "theme"),
)
