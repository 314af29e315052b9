"""Reports in the global search (docs/dev/search.md). Results are filtered by
`InformationReport.objects.visible_to(user)`: need to know and markings apply."""

from relais.core.search.registry import register
from relais.information.models import InformationReport


def _body(report: InformationReport) -> str:
    return " ".join(
        [
            report.reference,
            report.summary,
            report.body,
            report.facts_place,
            " ".join(c.name for c in report.countries.all()),
            " ".join(c.code for c in report.countries.all()),
            " ".join(t.label for t in report.themes.all()),
        ]
    )


register(
    InformationReport,
    kind="Fiches d'information",
    order=10,
    title=lambda r: f"{r.reference} – {r.title}",
    body=_body,
    url=lambda r: r.get_absolute_url(),
    queryset=lambda: InformationReport.objects.prefetch_related("countries", "themes"),
)
