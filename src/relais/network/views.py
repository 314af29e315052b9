"""Pages of the network abroad (mission b): the overview by zone, a post's page (countries,
staff, contacts, activity), taskings (list, form, page, answers side by side, a post's answer)
and annual reports (list, form, page with workflow and history).

Every page starts from `visible_to(request.user)` (`filters.*_for` or `get_visible_or_404`);
writes check `require_change` / `require_create` (403) and go through `services`.
"""

from collections import OrderedDict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.core import kit, records
from relais.core.access import get_visible_or_404, require_change, require_create
from relais.core.audit.history import history_for
from relais.core.edit import edit_record
from relais.core.exports.lists import Column, export_response, requested_format
from relais.network import services
from relais.network.activity import cooperation_activity
from relais.network.filters import (
    ReportFilterSet,
    TaskingFilterSet,
    answers_for,
    reports_for,
    taskings_for,
)
from relais.network.forms import AnswerForm, ReportCreateForm, ReportForm, TaskingForm
from relais.network.models import PostAnnualReport, Tasking, TaskingRecipient
from relais.network.workflows import ReportStatus, TaskingStatus
from relais.referential.filters import headcount
from relais.referential.models import Assignment, Function, Post

STAFF_NOTE = (
    "Les noms et coordonnées du personnel ne sont visibles que du poste lui-même et de "
    "l’administration centrale."
)


_crumbs = kit.Crumbs("Réseau", "network:index")
_TASKINGS = ("Sollicitations", "network:taskings")
_REPORTS = ("Rapports annuels", "network:reports")


def _to(section):
    label, url_name = section
    return (label, reverse(url_name))


def _post_counts(user, today):
    """Per-post annotations over the answers `user` may see: pending and late."""
    rows = TaskingRecipient.objects.visible_to(user).filter(post=OuterRef("pk")).order_by()

    def count(qs):
        return Coalesce(
            Subquery(
                qs.values("post").annotate(n=Count("pk")).values("n"), output_field=IntegerField()
            ),
            0,
        )

    return {
        "pending_count": count(rows.pending()),
        "late_count": count(rows.late(today)),
    }


# --- Overview --------------------------------------------------------------------------------


def index(request):
    """The network by zone: each post, its countries, its staff count, its pending and late
    answers; at the top, the taskings awaiting answers and last year's reports."""
    user = request.user
    today = timezone.localdate()
    posts = list(
        Post.objects.visible_to(user)
        .with_related()
        .annotate(headcount=headcount(), **_post_counts(user, today))
        .order_by("host_country__zone__order", "host_country__zone__name", "city")
    )
    zones = OrderedDict()
    for post in posts:
        zone = post.host_country.zone
        name = zone.name if zone else "Hors zone"
        entry = zones.setdefault(name, {"name": name, "posts": [], "headcount": 0, "late": 0})
        entry["posts"].append(post)
        entry["headcount"] += post.headcount
        entry["late"] += post.late_count
    last_year = today.year - 1
    reports = reports_for(user).filter(year=last_year)
    summary = {
        "posts": len(posts),
        "headcount": sum(p.headcount for p in posts),
        "open_taskings": Tasking.objects.visible_to(user).sent().count(),
        "late_answers": TaskingRecipient.objects.visible_to(user).late(today).count(),
        "reports_year": last_year,
        "reports_transmitted": reports.transmitted().count(),
    }
    return render(
        request,
        "network/index.html",
        {
            "title": "Le réseau des services de sécurité intérieure",
            "breadcrumb": [("Réseau", None)],
            "zones": list(zones.values()),
            "summary": summary,
            "can_create_tasking": Tasking.can_create(user),
        },
    )


# --- A post ----------------------------------------------------------------------------------


def _staff_by_function(staff):
    order = list(Function.values)
    groups = OrderedDict((value, []) for value in order)
    for assignment in staff:
        groups.setdefault(assignment.function, []).append(assignment)
    labels = dict(Function.choices)
    return [
        {"label": labels.get(function, function), "function": function, "people": people}
        for function, people in groups.items()
        if people
    ]


def post_detail(request, code):
    """A post as the network sees it: countries, staff by function, contacts, activity."""
    user = request.user
    today = timezone.localdate()
    post = get_visible_or_404(
        Post.objects.with_related().annotate(headcount=headcount()), user, unit__code=code
    )
    staff = list(
        Assignment.objects.visible_to(user)
        .current()
        .filter(unit=post.unit)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )
    answers = answers_for(user).filter(post=post)
    recent_answers = list(answers.order_by("-tasking__due_on", "-pk")[:15])
    reports = list(reports_for(user).filter(post=post).order_by("-year")[:5])
    return render(
        request,
        "network/post_detail.html",
        {
            "title": post.unit.name,
            "breadcrumb": _crumbs((post.unit.name, None)),
            "post": post,
            "countries": list(post.countries.all()),
            "staff_groups": _staff_by_function(staff),
            "staff_hidden": bool(post.headcount and not staff),
            "staff_note": STAFF_NOTE,
            "answers": recent_answers,
            "answer_counts": {
                "total": answers.count(),
                "pending": answers.pending().count(),
                "late": answers.late(today).count(),
            },
            "today": today,
            "reports": reports,
            "can_create_report": PostAnnualReport.can_create(user) and user.unit_id == post.unit_id,
            "cooperation": cooperation_activity(post, user),
            "referential_url": reverse("referential:post-detail", args=[post.unit.code]),
        },
    )


# --- Taskings --------------------------------------------------------------------------------

TASKING_COLUMNS = [
    Column("Référence", lambda t: t.reference),
    Column("Objet", "title"),
    Column("Nature", "kind"),
    Column("État", "status"),
    Column("Réponse attendue le", "due_on"),
    Column("Postes destinataires", "recipient_count"),
    Column("Réponses transmises", "answered_count"),
    Column("Réponses en retard", "late_count"),
    Column("Créée par", lambda t: t.created_by.get_full_name() if t.created_by else ""),
    Column("Mention", "marking"),
]


def tasking_list(request):
    """The taskings the user may see, filtered, paginated, exported as CSV or XLSX."""
    return kit.list_page(
        request,
        taskings_for(request.user),
        filterset_class=TaskingFilterSet,
        columns=TASKING_COLUMNS,
        filename="sollicitations",
        template="network/tasking_list.html",
        title="Sollicitations du réseau",
        breadcrumb=_crumbs(("Sollicitations du réseau", None)),
        context={
            "today": timezone.localdate(),
            "can_create": Tasking.can_create(request.user),
        },
    )


def tasking_create(request):
    title = "Nouvelle sollicitation du réseau"
    return kit.create_page(
        request,
        Tasking,
        TaskingForm(request.POST or None, user=request.user),
        title=title,
        breadcrumb=_crumbs(_to(_TASKINGS), (title, None)),
        message=lambda t: (
            f"La sollicitation « {t} » est enregistrée (en préparation) : "
            "vérifiez-la puis envoyez-la aux postes."
        ),
        cancel_url=reverse("network:taskings"),
        legend="La demande et ses destinataires",
    )


def tasking_edit(request, pk):
    return edit_record(
        request,
        Tasking.objects.with_related(),
        {"pk": pk},
        form_class=TaskingForm,
        template_name=kit.FORM_TEMPLATE,
        success_url=lambda t: t.get_absolute_url(),
        breadcrumb_factory=lambda t: _crumbs.to(
            t, "Modifier", parents=[_to(_TASKINGS)], name=t.reference
        ),
        extra_context={"legend": "La demande et ses destinataires"},
    )


def _tasking(request, pk):
    return get_visible_or_404(
        Tasking.objects.with_related().with_progress(request.user), request.user, pk=pk
    )


def tasking_detail(request, pk):
    """A tasking: the request, the posts addressed and where each answer stands (only the
    user's own post for an attaché), the workflow panel and the history."""
    user = request.user
    tasking = _tasking(request, pk)
    recipients = list(answers_for(user).filter(tasking=tasking).order_by("post__city"))
    own = next((r for r in recipients if r.post.unit_id == user.unit_id), None)
    context = kit.record_context(
        request,
        tasking,
        title=f"{tasking.reference} — {tasking}",
        breadcrumb=_crumbs(_to(_TASKINGS), (tasking.reference, None)),
        edit_url=reverse("network:tasking-edit", args=[tasking.pk]),
        workflow=True,
        tasking=tasking,
        recipients=recipients,
        own=own,
        today=timezone.localdate(),
        headquarters_view=not user.is_attache,
    )
    return render(request, "network/tasking_detail.html", context)


ANSWER_COLUMNS = [
    Column("Poste", lambda r: str(r.post)),
    Column("Pays de résidence", "post.host_country.name"),
    Column("Réponse transmise le", "answered_on"),
    Column("Réponse", lambda r: r.answer if r.is_answered else ""),
]


def tasking_answers(request, pk):
    """The answers side by side (transmitted answers only), exportable."""
    user = request.user
    tasking = _tasking(request, pk)
    answers = answers_for(user).filter(tasking=tasking).order_by("post__city")
    fmt = requested_format(request)
    if fmt:
        return export_response(
            request,
            answers.answered(),
            columns=ANSWER_COLUMNS,
            filename=f"reponses-{tasking.reference.lower()}",
            fmt=fmt,
        )
    answers = list(answers)
    today = timezone.localdate()
    return render(
        request,
        "network/tasking_answers.html",
        {
            "title": f"Réponses côte à côte — {tasking.reference}",
            "breadcrumb": _crumbs(
                _to(_TASKINGS),
                (tasking.reference, tasking.get_absolute_url()),
                ("Réponses", None),
            ),
            "tasking": tasking,
            "answered": [a for a in answers if a.is_answered],
            "waiting": [a for a in answers if not a.is_answered],
            "today": today,
            "page_marking": tasking.marking,
        },
    )


def answer(request, pk, code):
    """A post's answer: the form for the post's attachés while the tasking is open, the answer
    as transmitted for everyone else who may see it."""
    user = request.user
    recipient = get_visible_or_404(answers_for(user), user, tasking_id=pk, post__unit__code=code)
    tasking = recipient.tasking
    editable = recipient.can_change(user)
    form = None
    if request.method == "POST":
        require_change(user, recipient)
        form = AnswerForm(request.POST, instance=recipient, user=user)
        if form.is_valid():
            submit = "transmettre" in request.POST
            try:
                services.save_answer(
                    recipient,
                    user,
                    form.cleaned_data["answer"],
                    submit=submit,
                    expected_version=form.cleaned_data["version"],
                )
            except records.StaleVersion as exc:
                form._keep_input_after_conflict(exc)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    "Votre réponse est transmise à l’administration centrale."
                    if submit
                    else "Le brouillon de réponse est enregistré (non transmis).",
                )
                return redirect(tasking.get_absolute_url())
    elif editable:
        form = AnswerForm(instance=recipient, user=user)
    saved = TaskingRecipient.objects.with_related().get(pk=recipient.pk)
    return render(
        request,
        "network/answer.html",
        {
            "title": f"Réponse de {recipient.post} — {tasking.reference}",
            "breadcrumb": _crumbs(
                _to(_TASKINGS),
                (tasking.reference, tasking.get_absolute_url()),
                (str(recipient.post), None),
            ),
            "tasking": tasking,
            "recipient": saved,
            "form": form,
            "editable": editable,
            "today": timezone.localdate(),
            "page_marking": tasking.marking,
            "history": history_for(saved, user),
        },
    )


@require_POST
def tasking_remind(request, pk):
    """Remind the posts whose answer is late (once a day per post)."""
    tasking = get_visible_or_404(Tasking, request.user, pk=pk)
    require_change(request.user, tasking)
    if tasking.status != TaskingStatus.SENT:
        messages.error(request, "Seule une sollicitation envoyée peut donner lieu à une relance.")
        return redirect(tasking.get_absolute_url())
    created = services.remind_late_posts(tasking, request.user)
    if created:
        messages.success(
            request, f"Relance envoyée ({created} destinataire{'s' if created > 1 else ''})."
        )
    else:
        messages.info(
            request, "Aucune relance à envoyer : pas de retard, ou relance déjà faite aujourd’hui."
        )
    return redirect(tasking.get_absolute_url())


# --- Annual reports --------------------------------------------------------------------------

REPORT_COLUMNS = [
    Column("Poste", lambda r: str(r.post)),
    Column("Année", "year"),
    Column("État", "status"),
    Column("Contexte", "context"),
    Column("Coopération réalisée", "cooperation_summary"),
    Column("Priorités pour l'année suivante", "priorities"),
    Column("Mention", "marking"),
]


def report_list(request):
    return kit.list_page(
        request,
        reports_for(request.user),
        filterset_class=ReportFilterSet,
        columns=REPORT_COLUMNS,
        filename="rapports-annuels",
        template="network/report_list.html",
        title="Rapports annuels des postes",
        breadcrumb=_crumbs(("Rapports annuels des postes", None)),
        context={"can_create": PostAnnualReport.can_create(request.user)},
    )


_REPORT_LEGEND = "Rapport annuel"
_REPORT_INTRO = (
    "Le rapport annuel décrit le contexte des pays du poste, la coopération réalisée et les "
    "priorités pour l’année suivante, qui alimentent la programmation. Écrivez une priorité par "
    "ligne."
)


def report_create(request):
    user = request.user
    require_create(user, PostAnnualReport)
    post = user.post
    title = f"Nouveau rapport annuel — {post}"
    return kit.create_page(
        request,
        PostAnnualReport,
        ReportCreateForm(request.POST or None, user=user, post=post),
        title=title,
        breadcrumb=_crumbs(_to(_REPORTS), (title, None)),
        message=lambda r: f"Le {r} est ouvert : rédigez-le puis transmettez-le.",
        cancel_url=reverse("network:reports"),
        legend=_REPORT_LEGEND,
        intro=_REPORT_INTRO,
    )


def report_detail(request, pk):
    user = request.user
    report = get_visible_or_404(reports_for(user), user, pk=pk)
    context = kit.record_context(
        request,
        report,
        breadcrumb=_crumbs(_to(_REPORTS), (str(report), None)),
        edit_url=reverse("network:report-edit", args=[report.pk]),
        pdf_url=reverse("network:report-pdf", args=[report.pk]),
        workflow=True,
        report=report,
        feeds_year=report.year + 1,
        accepted=report.status == ReportStatus.ACCEPTED,
    )
    return render(request, "network/report_detail.html", context)


def report_edit(request, pk):
    return edit_record(
        request,
        PostAnnualReport.objects.with_related(),
        {"pk": pk},
        form_class=ReportForm,
        template_name=kit.FORM_TEMPLATE,
        success_url=lambda r: r.get_absolute_url(),
        breadcrumb_factory=lambda r: _crumbs.to(r, "Modifier", parents=[_to(_REPORTS)]),
        extra_context={"legend": _REPORT_LEGEND, "intro": _REPORT_INTRO},
    )


# --- Home page sections (registered in registrations.py) -------------------------------------


def _tiles(user, url_name, filterset, queryset):
    """`list_tile` on one of the network's lists (same FilterSet, same base queryset)."""
    from types import SimpleNamespace

    from relais.core.home import list_tile

    def tile(label, params, description):
        return list_tile(
            label,
            url_name,
            filterset=filterset,
            queryset=queryset,
            params=params,
            description=description,
            request=SimpleNamespace(user=user),
        )

    return tile


def home_attache(user):
    from relais.core.home import HomeItem

    if user.post is None:
        return []
    today = timezone.localdate()
    late = TaskingRecipient.objects.visible_to(user).late(today).count()
    last_year = today.year - 1
    report = PostAnnualReport.objects.visible_to(user).filter(year=last_year).first()
    tasking_tile = _tiles(user, "network:taskings", TaskingFilterSet, taskings_for(user, today))
    return [
        tasking_tile(
            "Sollicitations à traiter",
            {"awaiting": "true"},
            f"Dont {late} en retard." if late else "Demandes de l’administration centrale.",
        ),
        HomeItem(
            f"Rapport annuel {last_year}",
            report.get_absolute_url() if report else reverse("network:report-create"),
            None,
            f"État : {report.get_status_display()}." if report else "Pas encore ouvert.",
        ),
    ]


def home_headquarters(user):
    today = timezone.localdate()
    late = TaskingRecipient.objects.visible_to(user).late(today).count()
    tasking_tile = _tiles(user, "network:taskings", TaskingFilterSet, taskings_for(user, today))
    report_tile = _tiles(user, "network:reports", ReportFilterSet, reports_for(user))
    return [
        tasking_tile(
            "Sollicitations aux réponses en retard",
            {"late": "true"},
            f"{late} réponse(s) de poste attendue(s) après l’échéance.",
        ),
        tasking_tile(
            "Sollicitations en cours",
            {"status": TaskingStatus.SENT},
            "Envoyées aux postes, en attente de réponses.",
        ),
        report_tile(
            "Rapports annuels à valider",
            {"status": ReportStatus.SUBMITTED},
            "Transmis par les postes.",
        ),
    ]
