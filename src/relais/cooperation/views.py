"""Pages of missions b to g: the lists of actions and programmes (filters, CSV/XLSX and IATI
exports), the calendar, an action's page (workflow panel with the MEAE's opinion, funding,
evaluation, comments, history), a programme's page, the portfolio of a directorate, the yearly
statistics, other donors' activities and the IATI import.

Every page starts from `visible_to(request.user)` (`actions_for`, `programmes_for` or
`get_visible_or_404`); writes check `require_change` (403 for a reader) and go through
`services` or a `RecordForm`.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.cooperation import iati, services, stats
from relais.cooperation.filters import (
    ActionFilterSet,
    OtherDonorFilterSet,
    ProgrammeFilterSet,
    actions_for,
    programmes_for,
)
from relais.cooperation.forms import (
    ActionForm,
    CommentForm,
    EvaluationForm,
    FundingForm,
    IatiUploadForm,
    ProgrammeForm,
)
from relais.cooperation.models import (
    CooperationAction,
    Evaluation,
    Funding,
    OtherDonorActivity,
    Programme,
)
from relais.cooperation.workflows import ActionStatus
from relais.core import kit
from relais.core.access import get_visible_or_404, require_create
from relais.core.audit.events import log_export
from relais.core.edit import edit_record
from relais.core.exports.lists import Column, export_response, requested_format
from relais.referential.models import DCI_CODE, Unit, UnitKind

ACTIONS_TITLE = "Actions de coopération technique"
PROGRAMMES_TITLE = "Programmes de coopération"


def legal_basis(record) -> list[str]:
    """The codes of the parts of the article a record rests on, in the article's order, from
    the prefetched missions."""
    return record.legal_basis_codes()


def _fundings_label(action) -> str:
    return " ; ".join(str(line) for line in action.fundings.all())


ACTION_COLUMNS = [
    Column("Référence", "reference"),
    Column("Intitulé", "title"),
    Column("Nature", "kind"),
    Column("Domaine", "domain.label"),
    Column("Pays partenaire", "country.name"),
    Column("Code pays", "country.code"),
    Column("Institution bénéficiaire", lambda a: str(a.beneficiary_institution or "")),
    Column("Direction bénéficiaire", "directorate.code"),
    Column("Poste", lambda a: str(a.post or "")),
    Column("Programme", lambda a: str(a.programme or "Hors programmation")),
    Column("État", "status"),
    Column("Avis du MEAE", "meae_opinion"),
    Column("Début prévu", "planned_start"),
    Column("Fin prévue", "planned_end"),
    Column("Début réel", "actual_start"),
    Column("Fin réelle", "actual_end"),
    Column("Stagiaires", "participants"),
    Column("Experts", "experts"),
    Column("Jours d'expertise", "expert_days"),
    Column("Financement prévu (€)", lambda a: a.planned_funding),
    Column("Financements", _fundings_label),
    Column("Coût réel (€)", "actual_cost"),
    Column("Fondement (article 1)", lambda a: ", ".join(legal_basis(a))),
    Column("Mention", "marking"),
]

PROGRAMME_COLUMNS = [
    Column("Année", "year"),
    Column("Intitulé", "title"),
    Column("Pays", lambda p: str(p.country or "")),
    Column("Zone", lambda p: str(p.zone or "")),
    Column("Thème", lambda p: str(p.theme or "")),
    Column("Poste", lambda p: str(p.post or "")),
    Column("État", "status"),
    Column("Avis du MEAE", "meae_opinion"),
    Column("Actions", lambda p: p.action_count),
    Column("Fondement (article 1)", lambda p: ", ".join(legal_basis(p))),
    Column("Mention", "marking"),
]


_crumbs = kit.Crumbs("Coopération technique", "cooperation:actions")


# --- Actions ------------------------------------------------------------------------------------


def action_list(request):
    """The actions the user may see, filtered, paginated, exported as CSV or XLSX."""
    filterset, rows, valid = kit.filtered(request, ActionFilterSet, actions_for(request.user))
    return kit.list_page(
        request,
        rows,
        filterset=filterset,
        columns=ACTION_COLUMNS,
        filename="actions-cooperation",
        template="cooperation/action_list.html",
        title=ACTIONS_TITLE,
        context={
            "can_create": CooperationAction.can_create(request.user),
            "extra_exports": [("Exporter en IATI (XML)", _iati_url(filterset, valid))],
        },
    )


def _iati_url(filterset, valid) -> str:
    """The IATI export of the list's country and year filters."""
    data = filterset.form.cleaned_data if filterset.is_bound and valid else {}
    parts = []
    if data.get("country"):
        parts.append(f"country={data['country'].code}")
    if data.get("year"):
        parts.append(f"year={int(data['year'])}")
    url = reverse("cooperation:iati-export")
    return f"{url}?{'&'.join(parts)}" if parts else url


def _month(value: str | None) -> datetime.date:
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)


CALENDAR_LIMIT = 400


def action_calendar(request):
    """The actions of one month (by start date), with the list's filters."""
    first = _month(request.GET.get("mois"))
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    filterset, rows, _valid = kit.filtered(
        request,
        ActionFilterSet,
        CooperationAction.objects.visible_to(request.user).select_related("country", "directorate"),
    )
    rows = (
        rows.between(first, last)
        .exclude(status=ActionStatus.CANCELLED)
        .order_by("planned_start", "pk")
    )
    items = list(rows[: CALENDAR_LIMIT + 1])
    truncated = len(items) > CALENDAR_LIMIT
    items = items[:CALENDAR_LIMIT]
    by_day = defaultdict(list)
    for action in items:
        day = max(action.start_date, first)
        by_day[day].append(action)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = last + datetime.timedelta(days=1)
    query = request.GET.copy()
    query.pop("mois", None)
    return render(
        request,
        "cooperation/calendar.html",
        {
            "title": "Calendrier des actions",
            "breadcrumb": _crumbs(("Calendrier", None)),
            "filterset": filterset,
            "month": first,
            "days": sorted(by_day.items()),
            "count": len(items),
            "truncated": truncated,
            "limit": CALENDAR_LIMIT,
            "previous": previous,
            "following": following,
            "query": query.urlencode(),
            "filters_keep": [("mois", first.strftime("%Y-%m"))],
        },
    )


def action_detail(request, pk):
    user = request.user
    action = get_visible_or_404(
        CooperationAction.objects.select_related(
            "country",
            "country__zone",
            "directorate",
            "domain",
            "post",
            "post__unit",
            "programme",
            "beneficiary_institution",
        ).prefetch_related("missions", "implementing_services", "fundings__funder"),
        user,
        pk=pk,
    )
    evaluation = Evaluation.objects.filter(action=action).first()
    fundings = list(action.fundings.all())
    answer = services.assess_action(action.directorate, action.cooperation_kind)
    agreement = _agreement_of(action, user)
    context = kit.record_context(
        request,
        action,
        breadcrumb=_crumbs((str(action), None)),
        edit_url=reverse("cooperation:action-edit", args=[action.pk]),
        pdf_url=reverse("cooperation:action-pdf", args=[action.pk]),
        workflow=True,
        action=action,
        fundings=fundings,
        funding_total=sum((f.amount for f in fundings), Decimal("0")),
        evaluation=evaluation,
        comments=list(action.comments.select_related("author")),
        comment_form=CommentForm() if action.can_comment(user) else None,
        liaisons=answer.liaisons,
        needs_meae_opinion="b" in legal_basis(action),
        agreement=agreement,
        agreement_hidden=bool(action.agreement_id and agreement is None),
    )
    context["can_evaluate"] = context["can_change"] and action.status in (
        ActionStatus.COMPLETED,
        ActionStatus.EVALUATED,
    )
    return render(request, "cooperation/action_detail.html", context)


def _agreement_of(action, user):
    """The agreement the action is carried out under, if the reader may see it."""
    if not action.agreement_id:
        return None
    from relais.agreements.models import Agreement

    return Agreement.objects.visible_to(user).filter(pk=action.agreement_id).first()


def action_create(request):
    initial = {}
    if request.GET.get("programme"):
        programme = (
            Programme.objects.visible_to(request.user).filter(pk=request.GET["programme"]).first()
            if request.GET["programme"].isdigit()
            else None
        )
        if programme is not None:
            initial = {"programme": programme.pk, "country": programme.country_id}
    form = ActionForm(request.POST or None, user=request.user, initial=initial)
    return kit.create_page(
        request,
        CooperationAction,
        form,
        title="Proposer une action",
        breadcrumb=_crumbs(("Proposer une action", None)),
        message=lambda a: f"L'action « {a} » est proposée (état : proposée).",
        cancel_url=reverse("cooperation:actions"),
        template="cooperation/action_form.html",
    )


def action_edit(request, pk):
    return edit_record(
        request,
        CooperationAction,
        {"pk": pk},
        form_class=ActionForm,
        template_name="cooperation/action_form.html",
        success_url=lambda a: a.get_absolute_url(),
        breadcrumb_factory=lambda a: _crumbs.to(a, "Modifier"),
    )


def _changeable_action(request, pk) -> CooperationAction:
    return kit.changeable(CooperationAction, request.user, pk=pk)


def _part_form(request, parent, form, *, title, saved_message, anchor):
    return kit.part_form(
        request,
        parent,
        form,
        title=title,
        saved_message=saved_message,
        anchor=anchor,
        breadcrumb=_crumbs.to(parent, title),
    )


funding_create = kit.part_create(
    CooperationAction,
    FundingForm,
    field="action",
    crumbs=_crumbs,
    title="Nouvelle ligne de financement",
    saved_message="La ligne de financement est enregistrée.",
    anchor="financement",
)
programme_funding_create = kit.part_create(
    Programme,
    FundingForm,
    field="programme",
    crumbs=_crumbs,
    title="Nouvelle ligne de financement du programme",
    saved_message="La ligne de financement est enregistrée.",
    anchor="financement",
)


def funding_edit(request, pk, funding_pk):
    action = _changeable_action(request, pk)
    return edit_record(
        request,
        Funding.objects.filter(action=action),
        {"pk": funding_pk},
        form_class=FundingForm,
        template_name=kit.FORM_TEMPLATE,
        success_url=lambda f: f"{action.get_absolute_url()}#financement",
        breadcrumb_factory=lambda f: _crumbs.to(action, "Ligne de financement"),
        extra_context={"parent": action},
    )


@require_POST
def funding_delete(request, pk, funding_pk):
    action = _changeable_action(request, pk)
    line = get_visible_or_404(Funding.objects.filter(action=action), request.user, pk=funding_pk)
    services.delete_funding(line, request.user)
    messages.success(request, "La ligne de financement est supprimée.")
    return redirect(f"{action.get_absolute_url()}#financement")


def evaluation_edit(request, pk):
    """Record (or amend) the evaluation of a completed action."""
    action = _changeable_action(request, pk)
    if action.status not in (ActionStatus.COMPLETED, ActionStatus.EVALUATED):
        raise PermissionDenied("Une action ne s'évalue qu'une fois réalisée.")
    evaluation = Evaluation.objects.filter(action=action).first() or Evaluation(action=action)
    form = EvaluationForm(request.POST or None, instance=evaluation, user=request.user)
    return _part_form(
        request,
        action,
        form,
        title="Évaluation de l'action",
        saved_message="L'évaluation est enregistrée. Vous pouvez clore l'évaluation dans le circuit.",
        anchor="evaluation",
    )


@require_POST
def comment_create(request, pk):
    action = get_visible_or_404(CooperationAction, request.user, pk=pk)
    if not action.can_comment(request.user):
        raise PermissionDenied("Vous pouvez consulter cette action, mais pas la commenter.")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(action, request.user, form.cleaned_data["body"])
            messages.success(
                request,
                "Votre commentaire est enregistré ; les suivants de l'action sont prévenus.",
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, "Le commentaire est vide.")
    return redirect(f"{action.get_absolute_url()}#commentaires")


# --- Programmes ---------------------------------------------------------------------------------


def _programmes_annotated(user):
    # Only the actions the user sees are counted (a correspondent sees their directorate's).
    visible = (
        CooperationAction.objects.visible_to(user)
        .filter(programme=OuterRef("pk"))
        .order_by()
        .values("programme")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        programmes_for(user)
        .annotate(action_count=Coalesce(Subquery(visible, output_field=IntegerField()), 0))
        .order_by("-year", "title", "pk")
    )


def programme_list(request):
    return kit.list_page(
        request,
        _programmes_annotated(request.user),
        filterset_class=ProgrammeFilterSet,
        columns=PROGRAMME_COLUMNS,
        filename="programmes-cooperation",
        template="cooperation/programme_list.html",
        title=PROGRAMMES_TITLE,
        breadcrumb=_crumbs((PROGRAMMES_TITLE, None)),
        context={"can_create": Programme.can_create(request.user)},
    )


def programme_detail(request, pk):
    user = request.user
    programme = get_visible_or_404(Programme.objects.with_related(), user, pk=pk)
    actions = (
        CooperationAction.objects.visible_to(user)
        .filter(programme=programme)
        .select_related("country", "directorate", "domain")
        .prefetch_related("fundings")
        .order_by("planned_start", "pk")
    )
    totals = actions.order_by().aggregate(
        n=Count("pk"), participants=Sum("participants"), expert_days=Sum("expert_days")
    )
    by_status = dict(
        actions.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    action_funding = Funding.objects.filter(action__in=actions.values("pk")).order_by().aggregate(
        t=Sum("amount")
    )["t"] or Decimal("0")
    lines = list(programme.fundings.select_related("funder"))
    context = kit.record_context(
        request,
        programme,
        breadcrumb=_crumbs(
            (PROGRAMMES_TITLE, reverse("cooperation:programmes")), (str(programme), None)
        ),
        workflow=True,
        programme=programme,
        page=kit.paginate(request, actions),
        totals=totals,
        by_status=[
            (s.label, by_status.get(s.value, 0)) for s in ActionStatus if by_status.get(s.value)
        ],
        action_funding=action_funding,
        fundings=lines,
        programme_funding=sum((f.amount for f in lines), Decimal("0")),
        can_add_action=CooperationAction.can_create(user),
    )
    return render(request, "cooperation/programme_detail.html", context)


def programme_create(request):
    return kit.create_page(
        request,
        Programme,
        ProgrammeForm(request.POST or None, user=request.user),
        title="Nouveau programme",
        breadcrumb=_crumbs(
            (PROGRAMMES_TITLE, reverse("cooperation:programmes")), ("Nouveau programme", None)
        ),
        message=lambda p: f"Le programme « {p} » est créé (en préparation).",
        cancel_url=reverse("cooperation:programmes"),
    )


def programme_edit(request, pk):
    return edit_record(
        request,
        Programme,
        {"pk": pk},
        form_class=ProgrammeForm,
        template_name=kit.FORM_TEMPLATE,
        success_url=lambda p: p.get_absolute_url(),
        breadcrumb_factory=lambda p: _crumbs.to(p, "Modifier"),
    )


# --- Portfolio of a directorate -----------------------------------------------------------------


def portfolio(request):
    """What the DCI does for one directorate: where, what, at what cost. A correspondent sees
    their own directorate; headquarters may choose one (`?direction=DGEF`)."""
    user = request.user
    if user.is_correspondent:
        directorate = user.directorate
        if directorate is None or not directorate.in_ministry:
            raise PermissionDenied("Votre unité n'est rattachée à aucune direction bénéficiaire.")
    else:
        # A directorate of the ministry by its code (DGPN, DGEF, DMAT…): its own actions and
        # those of its services, as the statistics count them.
        code = (request.GET.get("direction") or "").upper()
        directorate = (
            Unit.objects.of_ministry().filter(kind=UnitKind.DIRECTORATE, code=code).first()
            if code
            else None
        )
    visible = CooperationAction.objects.visible_to(user)
    base = visible.for_directorate(directorate) if directorate else visible.none()
    data = request.GET.copy()
    data.pop("direction", None)
    filterset, rows, valid = kit.filtered(request, ActionFilterSet, base.with_related(), data)
    fmt = requested_format(request)
    if fmt and valid and directorate:
        return export_response(
            request,
            rows,
            columns=ACTION_COLUMNS,
            filename=f"portefeuille-{directorate.code.lower()}",
            fmt=fmt,
        )
    plain = rows.order_by()
    by_country = list(
        plain.values("country__code", "country__name")
        .annotate(n=Count("pk"), participants=Sum("participants"))
        .order_by("-n", "country__name")[:30]
    )
    funding_by_country = dict(
        Funding.objects.filter(action__in=plain.values("pk"))
        .order_by()
        .values("action__country__code")
        .annotate(t=Sum("amount"))
        .values_list("action__country__code", "t")
    )
    for row in by_country:
        row["funding"] = funding_by_country.get(row["country__code"]) or Decimal("0")
    totals = plain.aggregate(
        n=Count("pk"),
        participants=Sum("participants"),
        expert_days=Sum("expert_days"),
        cost=Sum("actual_cost"),
    )
    totals["funding"] = sum(funding_by_country.values(), Decimal("0"))
    by_kind = list(plain.values("kind").annotate(n=Count("pk")).order_by("-n"))
    from relais.cooperation.models import ActionKind

    kinds = dict(ActionKind.choices)
    for row in by_kind:
        row["label"] = kinds.get(row["kind"], row["kind"])
    page = kit.paginate(request, rows)
    title = (
        f"Portefeuille de coopération — {directorate.label}"
        if directorate
        else "Portefeuille de coopération par direction"
    )
    return render(
        request,
        "cooperation/portfolio.html",
        {
            "title": title,
            "breadcrumb": _crumbs(("Portefeuille", None)),
            "directorate": directorate,
            "choose": not user.is_correspondent,
            "filters_keep": (
                [("direction", directorate.code)]
                if directorate and not user.is_correspondent
                else []
            ),
            "beneficiaries": [
                (u.code, u.name)
                for u in Unit.objects.of_ministry()
                .filter(kind=UnitKind.DIRECTORATE)
                .exclude(code=DCI_CODE)
                .order_by("code")
            ],
            "filterset": filterset,
            "page": page,
            "result_count": page.paginator.count,
            "totals": totals,
            "by_country": by_country,
            "by_kind": by_kind,
        },
    )


# --- Statistics ---------------------------------------------------------------------------------


def statistics(request):
    from relais.countries.charts import counts_bar, grouped_bar

    raw = request.GET.get("annee", "")
    year = int(raw) if raw.isdigit() else None
    figures = stats.compute(request.user, year)
    if year is None and raw == "" and figures.years:
        year = figures.years[0]
        figures = stats.compute(request.user, year)
    charts = {
        "status": counts_bar("Actions par état", [r for r in figures.by_status if r[1]]),
        "kind": counts_bar("Actions par nature", [r for r in figures.by_kind if r[1]]),
        "years": grouped_bar(
            "Actions par année",
            [str(r["year"]) for r in figures.by_year],
            [
                ("Actions", [r["actions"] for r in figures.by_year]),
                ("Réalisées ou évaluées", [r["done"] for r in figures.by_year]),
            ],
        ),
        "funders": counts_bar(
            "Financement par financeur (k€)",
            [(r["label"], int(r["total"] / 1000)) for r in figures.by_funder[:10]],
        ),
        "directorates": counts_bar(
            "Actions par direction bénéficiaire",
            [(r["label"], r["actions"]) for r in figures.by_directorate],
        ),
    }
    return render(
        request,
        "cooperation/statistics.html",
        {
            "title": "Statistiques de la coopération technique",
            "breadcrumb": _crumbs(("Statistiques", None)),
            "stats": figures,
            "year": year,
            "charts": charts,
            "euros": stats.euros,
        },
    )


# --- Other donors and IATI ----------------------------------------------------------------------


def other_donors(request):
    qs = (
        OtherDonorActivity.objects.visible_to(request.user)
        .prefetch_related("countries")
        .order_by("-start_date", "title")
    )
    country = (request.GET.get("country") or "").strip().upper()
    # The FilterSet of the API (`country`, `q`): one filter for the page and the API.
    qs = OtherDonorFilterSet(request.GET or None, queryset=qs).qs
    page = kit.paginate(request, qs)
    return render(
        request,
        "cooperation/other_donors.html",
        {
            "title": "Activités des autres bailleurs (IATI)",
            "breadcrumb": _crumbs(("Autres bailleurs", None)),
            "page": page,
            "result_count": page.paginator.count,
            "country": country,
            "can_import": OtherDonorActivity.can_create(request.user),
        },
    )


def iati_import(request):
    """Upload an IATI file of other donors' activities: check (dry run) or import."""
    require_create(request.user, OtherDonorActivity)
    form = IatiUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = iati.import_activities(
            upload.read(),
            user=request.user,
            dry_run=form.cleaned_data["dry_run"],
            valid_only=form.cleaned_data["valid_only"],
            source=upload.name,
        )
        if result.imported:
            messages.success(request, f"{result.imported} activité(s) importée(s).")
    return render(
        request,
        "cooperation/iati_import.html",
        {
            "title": "Importer un fichier IATI",
            "breadcrumb": _crumbs(
                ("Autres bailleurs", reverse("cooperation:other-donors")), ("Import IATI", None)
            ),
            "form": form,
            "result": result,
        },
    )


def iati_export(request):
    """The IATI 2.03 file of the actions the user sees (same filters as the API)."""
    country = (request.GET.get("country") or "").strip()[:2]
    year = request.GET.get("year", "")
    actions = list(
        iati.export_queryset(
            request.user, country=country or None, year=int(year) if year.isdigit() else None
        )
    )
    log_export(
        request.user,
        CooperationAction,
        fmt="iati",
        count=len(actions),
        filters={"country": country, "year": year},
    )
    response = HttpResponse(
        iati.export_activities(actions), content_type="application/xml; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="actions-iati-{stamp}.xml"'
    return response


# --- Home -----------------------------------------------------------------------------------------


def home_counts(user) -> dict:
    """Counts for the home page sections, in one query."""
    visible = CooperationAction.objects.visible_to(user).order_by()
    return visible.aggregate(
        proposed=Count("pk", filter=Q(status=ActionStatus.PROPOSED)),
        review=Count("pk", filter=Q(status=ActionStatus.UNDER_REVIEW)),
        opinion=Count("pk", filter=Q(status=ActionStatus.MEAE_OPINION)),
        programmed=Count("pk", filter=Q(status=ActionStatus.PROGRAMMED)),
        in_progress=Count("pk", filter=Q(status=ActionStatus.IN_PROGRESS)),
        to_evaluate=Count("pk", filter=Q(status=ActionStatus.COMPLETED)),
        total=Count("pk"),
    )
