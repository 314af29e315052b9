"""Pages of mission a: reports (list, intake, page, edit), the analyst queue, the recipients'
inbox, the follow-up board, statistics, analysis files, syntheses, routing rules, receipts and
purge traces.

Every page starts from `visible_to(request.user)` (`get_visible_or_404` for one record);
writes go through `relais.information.services` (or `RecordForm` for analysis files and
routing rules). Each read of a report is written to the access log.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.core import kit, records
from relais.core.access import get_visible_or_404, require_change
from relais.core.audit.events import Action, log_event, log_read
from relais.core.audit.history import history_for
from relais.core.edit import edit_record
from relais.core.exports.lists import Column
from relais.core.workflow.engine import TransitionRefused
from relais.core.workflow.engine import history as workflow_history
from relais.information import import_files, services
from relais.information import statistics as report_statistics
from relais.information.attachments import attachment_of, file_response
from relais.information.filters import InboxFilterSet, ReportFilterSet
from relais.information.forms import (
    AddToFileForm,
    AnalysisFileForm,
    AttachmentForm,
    DisseminateForm,
    FeedbackForm,
    ImportForm,
    IntakeForm,
    LinkForm,
    NoteForm,
    RegradeForm,
    ReportForm,
    RoutingRuleForm,
    SynthesisForm,
    TriageForm,
    recipient_units,
)
from relais.information.models import (
    AnalysisFile,
    AnalystNote,
    Attachment,
    Dissemination,
    InformationReport,
    PurgeRecord,
    RedirectionReceipt,
    Regrading,
    ReportLink,
    RoutingRule,
    is_analyst,
    is_analyst_or_pilotage,
)
from relais.information.stix import report_bundle
from relais.information.workflows import PANEL_TRANSITIONS, REPORT_WORKFLOW, ReportStatus
from relais.referential.models import Unit

SECTION = "Renseignement opérationnel"

COLUMNS = [
    Column("Référence", "reference"),
    Column("Nature", "kind"),
    Column("Titre", "title"),
    Column("Pays", "countries"),
    Column("Thèmes", "themes"),
    Column("Fiabilité", "source_reliability"),
    Column("Crédibilité", "information_credibility"),
    Column("Code de traitement", "handling_code"),
    Column("État", "status"),
    Column("Unité d'origine", lambda r: r.unit.label),
    Column("Rédigée le", "created_at"),
    Column("Mention", "marking"),
]


_crumbs = kit.Crumbs(SECTION, "information:list")
_page = kit.paginate
_errors_to_form = kit.errors_to_form


def _require_analyst(user):
    if not is_analyst(user):
        raise PermissionDenied("Réservé aux analystes de la cellule d'information opérationnelle.")


def _require_analyst_or_pilotage(user):
    if not is_analyst_or_pilotage(user):
        raise PermissionDenied("Réservé aux analystes et au pilotage.")


# --- Reports -------------------------------------------------------------------------------------


def report_list(request):
    return kit.list_page(
        request,
        InformationReport.objects.visible_to(request.user).with_related(),
        filterset_class=ReportFilterSet,
        columns=COLUMNS,
        filename="fiches",
        template="information/list.html",
        title="Fiches d'information",
        breadcrumb=[(SECTION, None)],
        context={"can_create": InformationReport.can_create(request.user)},
    )


def report_create(request):
    if not InformationReport.can_create(request.user):
        raise PermissionDenied("Votre rôle ne permet pas de rédiger une fiche d'information.")
    triage = TriageForm(request.POST or None)
    form = IntakeForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and triage.is_valid():
        if triage.cleaned_data["exclusively_intelligence"]:
            # Triage first: nothing of the form is validated, let alone stored.
            receipt = services.create_report(request.user, exclusively_intelligence=True)
            messages.warning(
                request,
                "Fiche non enregistrée : elle relève exclusivement des services de "
                f"renseignement. Adressez-la à : {receipt.redirect_to}.",
            )
            return redirect(receipt.get_absolute_url())
        if form.is_valid():
            data = {
                k: v for k, v in form.cleaned_data.items() if k not in ("version", "attachment")
            }
            countries, themes = data.pop("countries"), data.pop("themes")
            uploads = (
                [form.cleaned_data["attachment"]] if form.cleaned_data.get("attachment") else []
            )
            try:
                report = services.create_report(
                    request.user,
                    countries=countries,
                    themes=themes,
                    attachments=uploads,
                    submit=request.POST.get("action") == "submit",
                    **data,
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(
                    request, f"Fiche {report} enregistrée ({report.get_status_display()})."
                )
                return redirect(report.get_absolute_url())
    return render(
        request,
        "information/report_form.html",
        {
            "title": "Rédiger une fiche d'information",
            "breadcrumb": _crumbs(("Rédiger une fiche", None)),
            "form": form,
            "triage": triage,
            "intake": True,
        },
    )


def report_import(request):
    """Import reports from a JSON or CSV file (same permission as the intake form): check
    only, or create them all in one transaction; errors are listed per line and field."""
    if not InformationReport.can_create(request.user):
        raise PermissionDenied("Votre rôle ne permet pas de rédiger une fiche d'information.")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = import_files.read_file(upload.read(), upload.name)
        except import_files.BadFile as exc:
            form.add_error("file", str(exc))
        else:
            result = import_files.import_reports(
                request.user, rows, dry_run=form.cleaned_data["dry_run"]
            )
            if result.ok and not result.dry_run:
                messages.success(request, result.summary())
                for receipt in result.receipts:
                    messages.warning(
                        request,
                        f"{receipt} : fiche non enregistrée, elle relève exclusivement des "
                        f"services de renseignement. Adressez-la à : {receipt.redirect_to}.",
                    )
                return redirect(reverse("information:list"))
    return render(
        request,
        "information/import.html",
        {
            "title": "Importer des fiches",
            "breadcrumb": _crumbs(("Importer des fiches", None)),
            "form": form,
            "result": result,
            "fields": import_files.import_fields(),
            "required": import_files.required_fields(),
        },
    )


def report_edit(request, pk):
    report = get_visible_or_404(InformationReport, request.user, pk=pk)
    require_change(request.user, report)
    if not report.can_edit_content(request.user):
        raise PermissionDenied("Seul un brouillon se modifie, par son unité d'origine.")
    return edit_record(
        request,
        InformationReport,
        {"pk": pk},
        form_class=ReportForm,
        template_name="information/report_form.html",
        success_url=lambda r: r.get_absolute_url(),
        title=f"Modifier la fiche {report}",
        breadcrumb_factory=lambda r: _crumbs.to(r, "Modifier"),
        success_message="La fiche {obj} est enregistrée.",
    )


def report_detail(request, pk):
    user = request.user
    report = get_visible_or_404(
        InformationReport.objects.select_related(
            "unit", "created_by", "validated_by", "possible_duplicate_of"
        ).prefetch_related("countries", "themes", "sources", "missions"),
        user,
        pk=pk,
    )
    log_read(user, report)
    analyst_view = is_analyst_or_pilotage(user)
    disseminations = report.disseminations_seen_by(
        user,
        Dissemination.objects.filter(report=report)
        .select_related("unit", "acknowledged_by", "disseminated_by", "parent__unit")
        .prefetch_related("feedbacks")
        .order_by("disseminated_at", "pk"),
    )
    mine = next((d for d in disseminations if d.unit_id == user.unit_id), None)
    context = {
        "title": f"Fiche {report}",
        "report": report,
        "object": report,
        "breadcrumb": _crumbs((str(report), None)),
        "page_marking": report.marking,
        "disseminations": disseminations,
        "mine": mine,
        "attachments": list(Attachment.objects.filter(report=report)),
        "transitions": [
            t for t in REPORT_WORKFLOW.allowed(report, user) if t.name in PANEL_TRANSITIONS
        ],
        "transition_log": workflow_history(report),
        "history": history_for(report, user),
        "can_edit": report.can_edit_content(user),
        "can_analyse": report.can_analyse(user),
        "analyst_view": analyst_view,
        "syntheses": list(report.syntheses.visible_to(user)),
        "today": timezone.localdate(),
    }
    if context["can_edit"]:
        context["attachment_form"] = AttachmentForm()
    if mine and not user.is_read_only:
        context["feedback_form"] = FeedbackForm()
        refusal = services.redissemination_refusal(report, user)
        context["redissemination_refusal"] = refusal
        if refusal is None:
            context["redisseminate_form"] = DisseminateForm(
                units=recipient_units().exclude(pk__in=[d.unit_id for d in disseminations])
            )
    if analyst_view:
        context.update(
            notes=list(
                AnalystNote.objects.visible_to(user)
                .filter(report=report)
                .select_related("created_by")
            ),
            regradings=list(
                Regrading.objects.visible_to(user)
                .filter(report=report)
                .select_related("created_by")
            ),
            links=list(
                ReportLink.objects.visible_to(user).filter(source=report).select_related("target")
            )
            + list(
                ReportLink.objects.visible_to(user).filter(target=report).select_related("source")
            ),
            files=list(report.analysis_files.visible_to(user)),
        )
    if context["can_analyse"]:
        context.update(
            regrade_form=RegradeForm(report=report),
            note_form=NoteForm(),
            link_form=LinkForm(),
            file_form=AddToFileForm(user=user),
        )
        if report.status in (ReportStatus.VALIDATED, ReportStatus.DISSEMINATED):
            proposed = services.propose_units(report)
            sent = {d.unit_id for d in disseminations}
            context["proposed_units"] = proposed
            context["disseminate_form"] = DisseminateForm(
                initial={"units": [u.pk for u in proposed if u.pk not in sent]},
                units=recipient_units().exclude(pk__in=sent),
            )
    context["can_redirect"] = report.status not in (
        ReportStatus.DISSEMINATED,
        ReportStatus.CLOSED,
    ) and (context["can_edit"] or context["can_analyse"])
    return render(request, "information/detail.html", context)


def _report_action(view):
    """POST actions of the report page: fetch (404), run, turn refusals into messages."""

    @wraps(view)
    @require_POST
    def wrapper(request, pk, *args, **kwargs):
        report = get_visible_or_404(InformationReport, request.user, pk=pk)
        try:
            response = view(request, report, *args, **kwargs)
        except TransitionRefused as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from exc
            messages.error(request, exc.message)
        except records.StaleVersion as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if response is not None:
                return response
        return redirect(report.get_absolute_url())

    return wrapper


@_report_action
def transition(request, report, name):
    if name not in PANEL_TRANSITIONS:
        raise Http404("Action inconnue.")
    version = request.POST.get("version")
    services.apply(
        report,
        name,
        request.user,
        request.POST.get("comment", ""),
        expected_version=int(version) if version and version.isdigit() else None,
    )
    messages.success(request, f"Fiche {report} : {report.get_status_display()}.")


@_report_action
def disseminate(request, report):
    # Any unit is read here: the service refuses, quoting letter a, what may not be sent.
    form = DisseminateForm(request.POST, units=Unit.objects.all())
    if not form.is_valid():
        messages.error(
            request,
            "Diffusion impossible : "
            + " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
        return None
    created = services.disseminate(
        report,
        request.user,
        form.cleaned_data["units"],
        deadline=form.cleaned_data["deadline"],
        comment=form.cleaned_data["comment"],
    )
    messages.success(
        request,
        f"Fiche {report} diffusée à : {', '.join(d.unit.label for d in created)}.",
    )


@_report_action
def acknowledge(request, report):
    services.acknowledge(report, request.user)
    messages.success(request, f"Réception de la fiche {report} accusée.")


@_report_action
def feedback(request, report):
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Retour incomplet : indiquez l'utilité et la suite donnée.")
        return None
    services.give_feedback(report, request.user, **form.cleaned_data)
    messages.success(request, "Votre retour a été transmis à l'auteur de la fiche.")


@_report_action
def regrade(request, report):
    form = RegradeForm(request.POST, report=report)
    if not form.is_valid():
        messages.error(request, "Recotation impossible : le motif est obligatoire.")
        return None
    services.regrade(
        report,
        request.user,
        reliability=form.cleaned_data["source_reliability"],
        credibility=form.cleaned_data["information_credibility"],
        reason=form.cleaned_data["reason"],
        expected_version=form.cleaned_data["version"],
    )
    messages.success(request, f"Fiche {report} recotée {report.grading}.")


@_report_action
def add_note(request, report):
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "La note est vide.")
        return None
    services.add_note(report, request.user, form.cleaned_data["text"])
    messages.success(request, "Note ajoutée.")


@_report_action
def add_link(request, report):
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("target", ["Lien incomplet."])))
        return None
    target = (
        InformationReport.objects.visible_to(request.user)
        .filter(pk=form.cleaned_data["target"])
        .first()
    )
    if target is None:
        messages.error(request, "Aucune fiche visible ne porte cette référence.")
        return None
    services.link_reports(report, target, request.user, form.cleaned_data["kind"])
    messages.success(request, f"Lien ajouté avec la fiche {target}.")


@_report_action
def add_to_file(request, report):
    form = AddToFileForm(request.POST, user=request.user)
    if not report.can_analyse(request.user):
        raise PermissionDenied("Réservé aux analystes.")
    if not form.is_valid():
        messages.error(request, "Choisissez un dossier d'analyse ouvert.")
        return None
    analysis_file = form.cleaned_data["analysis_file"]
    require_change(request.user, analysis_file)
    reports = [*analysis_file.reports.all(), report]
    records.update(analysis_file, request.user, m2m={"reports": reports})
    messages.success(request, f"Fiche {report} ajoutée au dossier « {analysis_file} ».")


@_report_action
def clear_duplicate(request, report):
    services.clear_duplicate(report, request.user)
    messages.success(request, "Signalement de doublon levé.")


@_report_action
def redirect_to_intelligence(request, report):
    receipt = services.redirect_to_intelligence(report, request.user)
    messages.warning(
        request,
        f"Fiche {receipt.former_reference} écartée : elle relève exclusivement des services de "
        f"renseignement ({receipt.redirect_to}). Son contenu a été supprimé.",
    )
    return redirect(receipt.get_absolute_url())


@_report_action
def attachment_add(request, report):
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choisissez un fichier.")
        return None
    services.add_attachment(report, request.user, form.cleaned_data["file"])
    messages.success(request, "Pièce jointe ajoutée.")


def attachment_download(request, pk, attachment_pk):
    """The page's way to an attachment: the user must see the report; the read is logged."""
    report = get_visible_or_404(InformationReport, request.user, pk=pk)
    return file_response(request.user, report, attachment_of(report, attachment_pk))


@_report_action
def attachment_remove(request, report, attachment_pk):
    attachment = attachment_of(report, attachment_pk)
    services.remove_attachment(report, request.user, attachment)
    messages.success(request, f"Pièce jointe « {attachment.name} » retirée.")


def report_stix(request, pk):
    report = get_visible_or_404(
        InformationReport.objects.select_related("unit").prefetch_related("countries", "themes"),
        request.user,
        pk=pk,
    )
    log_event(Action.EXPORT, request.user, report, extra={"format": "stix"})
    response = JsonResponse(
        report_bundle(report), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="{report.reference}.stix.json"'
    return response


# --- Queue, inbox, follow-up board ---------------------------------------------------------------


def queue(request):
    """The analysts' queue: reports to validate, to disseminate, possible duplicates."""
    _require_analyst_or_pilotage(request.user)
    base = InformationReport.objects.visible_to(request.user).with_related()
    to_validate = base.to_validate().order_by("submitted_at", "pk")
    to_disseminate = base.to_disseminate().order_by("validated_at", "pk")
    duplicates = base.possible_duplicates().select_related("possible_duplicate_of")[:20]
    return render(
        request,
        "information/queue.html",
        {
            "title": "File de l'analyste",
            "breadcrumb": _crumbs(("File de l'analyste", None)),
            "to_validate": _page(request, to_validate, 25),
            "to_disseminate": list(to_disseminate[:25]),
            "to_disseminate_count": to_disseminate.count(),
            "duplicates": list(duplicates),
            # The same check as synthesis_create: pilotage reads the queue but writes no synthesis.
            "can_write_synthesis": is_analyst(request.user),
        },
    )


def inbox(request):
    """Reports disseminated to the user's unit."""
    user = request.user
    qs = (
        Dissemination.objects.received_by(user)
        .select_related("report", "report__unit")
        .prefetch_related("report__countries", "report__themes", "feedbacks")
        .order_by("-disseminated_at", "-pk")
    )
    return kit.list_page(
        request,
        qs,
        filterset_class=InboxFilterSet,
        template="information/inbox.html",
        title="Fiches reçues",
        breadcrumb=_crumbs(("Fiches reçues", None)),
        context={
            "pending": Dissemination.objects.received_by(user).pending().count(),
            "today": timezone.localdate(),
        },
    )


def board(request):
    """Follow-up: overdue acknowledgements, answers awaited, feedback received."""
    user = request.user
    today = timezone.localdate()
    if is_analyst_or_pilotage(user):
        visible = Dissemination.objects.visible_to(user)
    else:  # a post follows the reports it wrote
        visible = Dissemination.objects.of_own_reports(user)
    related = visible.select_related("report", "unit").order_by("acknowledgement_due", "pk")
    overdue = related.overdue(today)
    answers = related.filter(
        deadline__isnull=False, deadline__gte=today, feedbacks__isnull=True
    ).order_by("deadline", "pk")
    return render(
        request,
        "information/board.html",
        {
            "title": "Suivi des diffusions",
            "breadcrumb": _crumbs(("Suivi des diffusions", None)),
            "overdue": _page(request, overdue),
            "answers": list(answers[:50]),
            "today": today,
        },
    )


# --- Statistics -----------------------------------------------------------------------------------


def statistics(request):
    """Reports per theme, country, unit and month, delays — over what the user may see."""
    from relais.countries.charts import counts_bar

    figures = report_statistics.for_user(request.user)
    return render(
        request,
        "information/statistics.html",
        {
            "title": "Statistiques du renseignement opérationnel",
            "breadcrumb": _crumbs(("Statistiques", None)),
            **figures,
            "cache_minutes": report_statistics.CACHE_SECONDS // 60,
            "charts": {
                "themes": counts_bar("Fiches par thème", figures["themes"]),
                "countries": counts_bar("Fiches par pays (15 premiers)", figures["countries"]),
                "units": counts_bar("Fiches par unité d'origine (15 premières)", figures["units"]),
                "months": counts_bar("Fiches par mois (12 derniers mois)", figures["months"]),
            },
        },
    )


# --- Syntheses and analysis files ----------------------------------------------------------------


def synthesis_create(request):
    _require_analyst(request.user)
    form = SynthesisForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        sources = data.pop("sources")
        try:
            report = services.create_synthesis(request.user, sources=sources, **data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, f"Synthèse {report} enregistrée (brouillon).")
            return redirect(report.get_absolute_url())
    return kit.form_page(
        request,
        form,
        title="Rédiger une synthèse",
        breadcrumb=_crumbs(("Rédiger une synthèse", None)),
        submit_label="Enregistrer la synthèse",
        intro="Une synthèse suit le même circuit qu'une fiche : validée par un autre analyste, "
        "puis diffusée.",
    )


def file_list(request):
    _require_analyst_or_pilotage(request.user)
    files = (
        AnalysisFile.objects.visible_to(request.user)
        .annotate(n=Count("reports"))
        .prefetch_related("themes")
        .order_by("-updated_at", "-id")
    )
    return render(
        request,
        "information/file_list.html",
        {
            "title": "Dossiers d'analyse",
            "breadcrumb": _crumbs((_FILES[0], None)),
            "page": _page(request, files),
            "can_create": is_analyst(request.user),
        },
    )


_FILES = ("Dossiers d'analyse", "information:files")
_RULES = ("Règles d'orientation", "information:rules")


def _to(section):
    label, url_name = section
    return (label, reverse(url_name))


def file_create(request):
    _require_analyst(request.user)
    form = AnalysisFileForm(request.POST or None, user=request.user)
    done = kit.save_form(
        request,
        form,
        message=lambda f: f"Dossier « {f} » ouvert.",
        success_url=lambda f: f.get_absolute_url(),
    )
    return done or kit.form_page(
        request,
        form,
        title="Ouvrir un dossier d'analyse",
        breadcrumb=_crumbs(_to(_FILES), ("Nouveau", None)),
        submit_label="Ouvrir le dossier",
        cancel_url=reverse("information:files"),
    )


def file_detail(request, pk):
    analysis_file = get_visible_or_404(AnalysisFile, request.user, pk=pk)
    reports = (
        InformationReport.objects.visible_to(request.user)
        .filter(pk__in=analysis_file.reports.values("pk"))
        .with_related()
    )
    context = kit.record_context(
        request,
        analysis_file,
        title=f"Dossier « {analysis_file} »",
        breadcrumb=_crumbs(_to(_FILES), (str(analysis_file), None)),
        page=_page(request, reports),
    )
    return render(request, "information/file_detail.html", context)


def file_edit(request, pk):
    return edit_record(
        request,
        AnalysisFile,
        {"pk": pk},
        form_class=AnalysisFileForm,
        template_name=kit.FORM_TEMPLATE,
        success_url=lambda f: f.get_absolute_url(),
        breadcrumb_factory=lambda f: _crumbs.to(f, "Modifier", parents=[_to(_FILES)]),
    )


# --- Routing rules, receipts, purges ------------------------------------------------------------


def rule_list(request):
    rules = (
        RoutingRule.objects.visible_to(request.user)
        .select_related("theme", "country")
        .prefetch_related("units")
    )
    if not request.user.in_headquarters or request.user.is_administrator:
        raise PermissionDenied("Réservé à l'administration centrale de la DCI.")
    return render(
        request,
        "information/rule_list.html",
        {
            "title": "Règles d'orientation",
            "breadcrumb": _crumbs(("Règles d'orientation", None)),
            "rules": rules,
            "can_create": RoutingRule().can_change(request.user),
        },
    )


def rule_create(request):
    if not RoutingRule().can_change(request.user):
        raise PermissionDenied("Les règles d'orientation sont tenues par le pilotage.")
    form = RoutingRuleForm(request.POST or None, user=request.user)
    done = kit.save_form(
        request,
        form,
        message=lambda r: f"Règle « {r} » créée.",
        success_url=reverse("information:rules"),
    )
    return done or kit.form_page(
        request,
        form,
        title="Nouvelle règle d'orientation",
        breadcrumb=_crumbs(_to(_RULES), ("Nouvelle", None)),
        submit_label="Créer la règle",
        cancel_url=reverse("information:rules"),
    )


def rule_edit(request, pk):
    return edit_record(
        request,
        RoutingRule,
        {"pk": pk},
        form_class=RoutingRuleForm,
        template_name=kit.FORM_TEMPLATE,
        success_url=lambda r: reverse("information:rules"),
        breadcrumb_factory=lambda r: _crumbs(_to(_RULES), (str(r), None)),
    )


def receipt_detail(request, pk):
    receipt = get_visible_or_404(
        RedirectionReceipt.objects.select_related("unit", "author"), request.user, pk=pk
    )
    return render(
        request,
        "information/receipt.html",
        {
            "title": f"Récépissé {receipt}",
            "receipt": receipt,
            "breadcrumb": _crumbs((f"Récépissé {receipt}", None)),
        },
    )


def purge_list(request):
    traces = PurgeRecord.objects.visible_to(request.user)
    if not (
        request.user.in_headquarters and request.user.role in ("pilotage", "lecteur", "analyste")
    ):
        raise PermissionDenied("Réservé au pilotage, aux analystes et aux lecteurs.")
    receipts = RedirectionReceipt.objects.visible_to(request.user).select_related("unit", "author")
    return render(
        request,
        "information/purges.html",
        {
            "title": "Purges et récépissés",
            "breadcrumb": _crumbs(("Purges et récépissés", None)),
            "page": _page(request, traces),
            "receipts": list(receipts[:50]),
        },
    )
