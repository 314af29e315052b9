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
from django.core.paginator import Paginator
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
from relais.core.access import get_visible_or_404, require_change, require_create
from relais.core.audit.events import log_export
from relais.core.audit.history import history_for
from relais.core.edit import edit_record
from relais.core.exports.lists import Column, export_response, requested_format
from relais.core.workflow.views import panel_context
from relais.referential.models import Beneficiary, Unit, UnitKind

PER_PAGE = 50
ACTIONS_TITLE = "Actions de coopération technique"
PROGRAMMES_TITLE = "Programmes de coopération"


def legal_basis(record) -> list[str]:
    """The codes of the parts of the article a record rests on, in the article's order, from
    the prefetched missions."""
    return [m.code for m in sorted(record.missions.all(), key=lambda m: m.order)]


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


def _crumbs(*items):
    return [("Coopération technique", reverse("cooperation:actions")), *items]


def _page(request, queryset):
    paginator = Paginator(queryset, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    page.elided_range = list(
        paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    )
    return page


def _filtered(request, filterset_class, queryset):
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    valid = filterset.is_valid() if filterset.is_bound else True
    return filterset, (filterset.qs if valid else queryset.none()), valid


# --- Actions ------------------------------------------------------------------------------------


def action_list(request):
    """The actions the user may see, filtered, paginated, exported as CSV or XLSX."""
    filterset, rows, valid = _filtered(request, ActionFilterSet, actions_for(request.user))
    fmt = requested_format(request)
    if fmt and valid:
        return export_response(
            request, rows, columns=ACTION_COLUMNS, filename="actions-cooperation", fmt=fmt
        )
    page = _page(request, rows)
    return render(
        request,
        "cooperation/action_list.html",
        {
            "title": ACTIONS_TITLE,
            "breadcrumb": [(ACTIONS_TITLE, None)],
            "filterset": filterset,
            "page": page,
            "result_count": page.paginator.count,
            "can_create": CooperationAction.can_create(request.user),
            "iati_query": _iati_query(filterset) if valid else "",
        },
    )


def _iati_query(filterset) -> str:
    data = filterset.form.cleaned_data if filterset.is_bound else {}
    parts = []
    if data.get("country"):
        parts.append(f"country={data['country'].code}")
    if data.get("year"):
        parts.append(f"year={int(data['year'])}")
    return "&".join(parts)


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
    filterset, rows, _valid = _filtered(
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
    comments = list(action.comments.select_related("author"))
    fundings = list(action.fundings.all())
    can_change = action.can_change(user)
    answer = services.assess_action(action.directorate, action.cooperation_kind)
    agreement = _agreement_of(action, user)
    return render(
        request,
        "cooperation/action_detail.html",
        {
            "title": str(action),
            "breadcrumb": _crumbs((str(action), None)),
            "action": action,
            "page_marking": action.marking,
            "panel": panel_context(action, user, next_url=request.get_full_path()),
            "fundings": fundings,
            "funding_total": sum((f.amount for f in fundings), Decimal("0")),
            "evaluation": evaluation,
            "can_evaluate": can_change
            and action.status in (ActionStatus.COMPLETED, ActionStatus.EVALUATED),
            "comments": comments,
            "comment_form": CommentForm() if action.can_comment(user) else None,
            "can_change": can_change,
            "liaisons": answer.liaisons,
            "needs_meae_opinion": "b" in legal_basis(action),
            "agreement": agreement,
            "agreement_hidden": bool(action.agreement_id and agreement is None),
            "history": history_for(action, user),
        },
    )


def _agreement_of(action, user):
    """The agreement the action is carried out under, if the reader may see it."""
    if not action.agreement_id:
        return None
    from relais.agreements.models import Agreement

    return Agreement.objects.visible_to(user).filter(pk=action.agreement_id).first()


def action_create(request):
    require_create(request.user, CooperationAction)
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
    if request.method == "POST" and form.is_valid():
        action = form.save()
        if action is not None:
            messages.success(request, f"L'action « {action} » est proposée (état : proposée).")
            return redirect(action.get_absolute_url())
    return render(
        request,
        "cooperation/form.html",
        {
            "title": "Proposer une action",
            "breadcrumb": _crumbs(("Proposer une action", None)),
            "form": form,
            "intro": "action",
            "cancel_url": reverse("cooperation:actions"),
        },
    )


def action_edit(request, pk):
    return edit_record(
        request,
        CooperationAction,
        {"pk": pk},
        form_class=ActionForm,
        template_name="cooperation/form.html",
        success_url=lambda a: a.get_absolute_url(),
        breadcrumb_factory=lambda a: _crumbs((str(a), a.get_absolute_url()), ("Modifier", None)),
        extra_context={"intro": "action"},
    )


def _changeable_action(request, pk) -> CooperationAction:
    action = get_visible_or_404(CooperationAction, request.user, pk=pk)
    require_change(request.user, action)
    return action


def _part_form(request, parent, form, *, title, saved_message, anchor):
    if request.method == "POST" and form.is_valid():
        try:
            obj = form.save()
        except ValidationError as exc:
            form.add_error(None, exc)
            obj = None
        if obj is not None:
            messages.success(request, saved_message)
            return redirect(f"{parent.get_absolute_url()}#{anchor}")
    return render(
        request,
        "cooperation/form.html",
        {
            "title": title,
            "breadcrumb": _crumbs((str(parent), parent.get_absolute_url()), (title, None)),
            "form": form,
            "page_marking": parent.marking,
            "cancel_url": f"{parent.get_absolute_url()}#{anchor}",
        },
    )


def funding_create(request, pk):
    action = _changeable_action(request, pk)
    form = FundingForm(
        request.POST or None,
        instance=Funding(action=action, marking=action.marking),
        user=request.user,
    )
    return _part_form(
        request,
        action,
        form,
        title="Nouvelle ligne de financement",
        saved_message="La ligne de financement est enregistrée.",
        anchor="financement",
    )


def programme_funding_create(request, pk):
    programme = get_visible_or_404(Programme, request.user, pk=pk)
    require_change(request.user, programme)
    form = FundingForm(
        request.POST or None,
        instance=Funding(programme=programme, marking=programme.marking),
        user=request.user,
    )
    return _part_form(
        request,
        programme,
        form,
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
        template_name="cooperation/form.html",
        success_url=lambda f: f"{action.get_absolute_url()}#financement",
        breadcrumb_factory=lambda f: _crumbs(
            (str(action), action.get_absolute_url()), ("Ligne de financement", None)
        ),
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
    filterset, rows, valid = _filtered(
        request, ProgrammeFilterSet, _programmes_annotated(request.user)
    )
    fmt = requested_format(request)
    if fmt and valid:
        return export_response(
            request, rows, columns=PROGRAMME_COLUMNS, filename="programmes-cooperation", fmt=fmt
        )
    page = _page(request, rows)
    return render(
        request,
        "cooperation/programme_list.html",
        {
            "title": PROGRAMMES_TITLE,
            "breadcrumb": _crumbs((PROGRAMMES_TITLE, None)),
            "filterset": filterset,
            "page": page,
            "result_count": page.paginator.count,
            "can_create": Programme.can_create(request.user),
        },
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
    page = _page(request, actions)
    return render(
        request,
        "cooperation/programme_detail.html",
        {
            "title": str(programme),
            "breadcrumb": _crumbs(
                (PROGRAMMES_TITLE, reverse("cooperation:programmes")), (str(programme), None)
            ),
            "programme": programme,
            "page_marking": programme.marking,
            "panel": panel_context(programme, user, next_url=request.get_full_path()),
            "page": page,
            "totals": totals,
            "by_status": [
                (s.label, by_status.get(s.value, 0)) for s in ActionStatus if by_status.get(s.value)
            ],
            "action_funding": action_funding,
            "fundings": lines,
            "programme_funding": sum((f.amount for f in lines), Decimal("0")),
            "can_change": programme.can_change(user),
            "can_add_action": CooperationAction.can_create(user),
            "history": history_for(programme, user),
        },
    )


def programme_create(request):
    require_create(request.user, Programme)
    form = ProgrammeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        programme = form.save()
        if programme is not None:
            messages.success(request, f"Le programme « {programme} » est créé (en préparation).")
            return redirect(programme.get_absolute_url())
    return render(
        request,
        "cooperation/form.html",
        {
            "title": "Nouveau programme",
            "breadcrumb": _crumbs(
                (PROGRAMMES_TITLE, reverse("cooperation:programmes")), ("Nouveau programme", None)
            ),
            "form": form,
            "cancel_url": reverse("cooperation:programmes"),
        },
    )


def programme_edit(request, pk):
    return edit_record(
        request,
        Programme,
        {"pk": pk},
        form_class=ProgrammeForm,
        template_name="cooperation/form.html",
        success_url=lambda p: p.get_absolute_url(),
        breadcrumb_factory=lambda p: _crumbs((str(p), p.get_absolute_url()), ("Modifier", None)),
    )


# --- Portfolio of a directorate -----------------------------------------------------------------


def portfolio(request):
    """What the DCI does for one directorate: where, what, at what cost. A correspondent sees
    their own directorate; headquarters may choose one (`?direction=DGEF`)."""
    user = request.user
    if user.is_correspondent:
        directorate = user.directorate
        if directorate is None or not directorate.beneficiary:
            raise PermissionDenied("Votre unité n'est rattachée à aucune direction bénéficiaire.")
    else:
        code = (request.GET.get("direction") or "").upper()
        if code and code not in Beneficiary.values:
            code = ""
        directorate = (
            Unit.objects.filter(kind=UnitKind.DIRECTORATE, beneficiary=code).first()
            if code
            else None
        )
    visible = CooperationAction.objects.visible_to(user)
    base = visible.for_directorate(directorate) if directorate else visible.none()
    data = request.GET.copy()
    data.pop("direction", None)
    filterset = ActionFilterSet(data or None, queryset=base.with_related(), request=request)
    valid = filterset.is_valid() if filterset.is_bound else True
    rows = filterset.qs if valid else base.none()
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
    page = _page(request, rows)
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
            "beneficiaries": Beneficiary.choices,
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
    if country:
        qs = qs.filter(
            pk__in=OtherDonorActivity.objects.filter(countries__code=country).values("pk")
        )
    page = _page(request, qs)
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
