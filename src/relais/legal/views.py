"""« L'article 1 » (the article letter by letter, with the records Relais holds for each part)
and « Tester la compétence » (the competence assessment as a form)."""

from dataclasses import dataclass

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from relais.legal.article import load_article, segments
from relais.legal.assessment import assess
from relais.legal.counts import CountLine, counts_for
from relais.legal.directory import current_directory
from relais.legal.forms import AssessmentForm
from relais.legal.models import Mission


@dataclass(frozen=True)
class MissionPanel:
    """What the article page shows for one mission: labels resolved, counts evaluated."""

    mission: Mission
    kinds: list[str]
    #: The matters this part covers (French labels), as the assessment reads them.
    matters: list[str]
    beneficiaries: list[tuple[str, str]]  # (acronym, full name)
    liaisons: list[str]
    counts: list[CountLine]


def _panels(user) -> list[MissionPanel]:
    article = load_article()
    lines = counts_for(user)
    return [
        MissionPanel(
            mission=mission,
            kinds=[article.kind_label(code) for code in mission.cooperation_kinds],
            matters=[
                article.matter(code).label
                for code in (
                    article.mission(mission.code).matters
                    if mission.code in article.mission_codes
                    else ()
                )
            ],
            beneficiaries=[
                (code, article.beneficiary(code).label) for code in mission.beneficiaries
            ],
            liaisons=[article.liaison_label(code) for code in mission.liaisons],
            counts=lines.get(mission.code, []),
        )
        for mission in Mission.objects.visible_to(user)
    ]


@require_GET
def article(request):
    encoded = load_article()
    return render(
        request,
        "legal/article.html",
        {
            "title": "L'article 1",
            "breadcrumb": [("L'article 1", None)],
            "panels": _panels(request.user),
            "source": encoded.source,
            "version": encoded.version,
            "connector": encoded.connector,
            "exclusion": encoded.exclusion_label,
        },
    )


@dataclass(frozen=True)
class DetailPanel:
    """One part of the answer: the part of the article, and its quote cut for highlighting."""

    detail: object
    mission: object
    quote: list[tuple[str, bool]]


@require_GET
def assessment(request):
    """GET form (shareable, no write): the answer shows beside the form. With JavaScript, htmx
    refreshes the answer on every change; submitting reloads the page (errors shown inline)."""
    form = AssessmentForm(request.GET or None, user=request.user)
    directory = current_directory()
    answer = None
    if form.is_bound and form.is_valid():
        answer = assess(form.to_request(), directory=directory)
    context = {
        "title": "Tester la compétence",
        "breadcrumb": [("L'article 1", reverse("legal:article")), ("Tester la compétence", None)],
        "form": form,
        "answer": answer,
        "answer_details": _answer_details(answer),
        "unit_names": directory.names(),
        # A live update (htmx, on each change) does not scold an unfinished question.
        "live": bool(request.htmx),
    }
    if request.htmx:
        return render(request, "legal/_assessment_result.html", context)
    return render(request, "legal/assess.html", context)


def _answer_details(answer) -> list[DetailPanel]:
    if answer is None:
        return []
    article = load_article()
    return [
        DetailPanel(detail, article.mission(detail.letter), segments(detail.quote, detail.verbs))
        for detail in answer.details
    ]
