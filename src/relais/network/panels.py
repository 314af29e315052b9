"""The network's panel on the country sheet and its column on the world overview
(docs/dev/country-sheet.md): the taskings sent to the posts covering the country over the last
year (drafts aside), with where their answers stand, and the priorities those posts set in their latest
annual report. Only what the viewer may see (`visible_to`); three queries whatever the volume.
"""

import datetime

from django.db.models import Count, Subquery
from django.utils import timezone

from relais.countries.panels import CountryCount, Panel, highest_marking, register, register_count
from relais.network.models import PostAnnualReport, TaskingRecipient
from relais.network.workflows import TaskingStatus
from relais.referential.models import Post

#: How far back the panel lists taskings.
PANEL_DAYS = 365


def build_network(country, user):
    today = timezone.localdate()
    posts = Post.objects.filter(countries=country).values("pk")
    answers = list(
        TaskingRecipient.objects.visible_to(user)
        .exclude(tasking__status=TaskingStatus.DRAFT)
        .filter(post__in=posts, tasking__due_on__gte=today - datetime.timedelta(days=PANEL_DAYS))
        .select_related("tasking", "post")
        .order_by("-tasking__due_on", "post__city")
    )
    transmitted = PostAnnualReport.objects.visible_to(user).transmitted().filter(post__in=posts)
    latest = transmitted.order_by("-year").values("year")[:1]
    reports = list(
        transmitted.filter(year=Subquery(latest)).select_related("post").order_by("post__city")
    )
    if not answers and not reports:
        return None
    taskings = []
    for row in answers:
        if row.is_answered:
            state = f"réponse de {row.post} transmise le {row.answered_on:%d/%m/%Y}"
        elif row.is_late(today):
            state = f"réponse de {row.post} en retard"
        else:
            state = f"réponse de {row.post} attendue"
        taskings.append(
            {
                "label": f"{row.tasking.reference} — {row.tasking}",
                "url": row.tasking.get_absolute_url(),
                "detail": f"{row.tasking.get_kind_display()}, échéance le "
                f"{row.tasking.due_on:%d/%m/%Y} ; {state}",
                "late": row.is_late(today),
            }
        )
    return {
        "count": len({row.tasking_id for row in answers}),
        "marking": highest_marking([*(r.marking for r in answers), *(r.marking for r in reports)]),
        "taskings": taskings,
        "reports": [
            {
                "post": str(r.post),
                "year": r.year,
                "for_year": r.year + 1,
                "status": r.get_status_display(),
                "priorities": r.priority_list,
                "url": r.get_absolute_url(),
            }
            for r in reports
        ],
    }


def count_taskings(user):
    rows = (
        TaskingRecipient.objects.visible_to(user)
        .exclude(tasking__status=TaskingStatus.DRAFT)
        .order_by()
        .values("post__countries")
        .annotate(n=Count("tasking", distinct=True))
        .values_list("post__countries", "n")
    )
    return {country_id: n for country_id, n in rows if country_id is not None}


register(
    Panel(
        "network",
        "Réseau : sollicitations et priorités des postes",
        15,
        build_network,
        template="network/panels/network.html",
        letters="b",
    )
)
register_count(CountryCount("network", "Sollicitations", count_taskings, order=15))
