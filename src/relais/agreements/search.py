"""Agreements in the global search (docs/dev/search.md)."""

from relais.agreements.models import Agreement
from relais.core.search.registry import register


def _body(agreement: Agreement) -> str:
    return " ".join(
        [
            agreement.get_kind_display(),
            agreement.reference,
            agreement.summary,
            agreement.signed_place,
            " ".join(c.name for c in agreement.countries.all()),
            " ".join(c.code for c in agreement.countries.all()),
            " ".join(str(p) for p in agreement.partner_bodies.all()),
            " ".join(d.label for d in agreement.directorates.all()),
            " ".join(d.label for d in agreement.domains.all()),
        ]
    )


register(
    Agreement,
    kind="Accords",
    order=60,
    title=str,
    body=_body,
    url=lambda a: a.get_absolute_url(),
    queryset=lambda: Agreement.objects.prefetch_related(
        "countries", "partner_bodies", "directorates", "domains"
    ),
)
