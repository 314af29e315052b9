"""The network in the global search (docs/dev/search.md): taskings, transmitted answers and
annual reports, each found only by those who may see it (`visible_to`)."""

from relais.core.search.registry import register
from relais.network.models import PostAnnualReport, Tasking, TaskingRecipient

register(
    Tasking,
    kind="Sollicitations du réseau",
    order=25,
    title=lambda t: f"{t.reference} — {t}",
    body=lambda t: " ".join([t.get_kind_display(), t.body]),
    url=lambda t: t.get_absolute_url(),
    queryset=lambda: Tasking.objects.all(),
)
register(
    TaskingRecipient,
    kind="Réponses des postes",
    order=26,
    title=lambda r: f"Réponse de {r.post} — {r.tasking}",
    # A draft stays at the post: only a transmitted answer is searchable.
    body=lambda r: r.answer if r.answered_on else "",
    url=lambda r: r.get_absolute_url(),
    queryset=lambda: TaskingRecipient.objects.select_related("tasking", "post__unit"),
)
register(
    PostAnnualReport,
    kind="Rapports annuels des postes",
    order=27,
    title=str,
    body=lambda r: " ".join([r.context, r.cooperation_summary, r.priorities]),
    url=lambda r: r.get_absolute_url(),
    queryset=lambda: PostAnnualReport.objects.select_related("post"),
)
