"""Pages of mission k: the list (filters, exports), an agreement's page (timeline, workflow
panel, negotiation, follow-up, history), the forms of its parts, the agreements in force by
country, the calendar of deadlines and « Accords de ma direction ».

Every page starts from `visible_to(request.user)` (`agreements_for` or `get_visible_or_404`);
writes check `require_change` (403 for a reader) and go through `services` or `RecordForm`.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.agreements import services
from relais.agreements.documents import compare_versions, version_file_response
from relais.agreements.filters import AgreementFilterSet, agreements_for
from relais.agreements.forms import (
    AgreementForm,
    CommentAnswerForm,
    CommentRequestForm,
    CommitteeMeetingForm,
    JointCommitteeForm,
    NegotiationRoundForm,
    RenewalForm,
    TextVersionForm,
)
from relais.agreements.links import activities_for, activity_counts
from relais.agreements.models import (
    Agreement,
    CommentRequest,
    CommitteeMeeting,
    JointCommittee,
    NegotiationRound,
    TextVersion,
)
from relais.core import kit, records
from relais.core.access import get_visible_or_404, require_change
from relais.core.edit import edit_record
from relais.core.exports.lists import Column
from relais.core.workflow.views import panel_context
from relais.referential.models import Country

LIST_TITLE = "Accords de sécurité intérieure"

COLUMNS = [
    Column("Intitulé", "title"),
    Column("Nature", "kind"),
    Column("État", "status"),
    Column("Pays partenaires", "countries"),
    Column("Organismes partenaires", "partner_bodies"),
    Column("Directions bénéficiaires", lambda a: ", ".join(a.directorate_codes)),
    Column("Domaines", "domains"),
    # A date known by its year only (« 2002 ») is exported as the year, not as 1 January.
    Column("Signé le", lambda a: a.signed_on_known),
    Column("Lieu de signature", "signed_place"),
    Column("En vigueur depuis le", "in_force_on"),
    Column("Échéance", "expires_on"),
    Column("Reconduction tacite", "tacit_renewal"),
    Column("Responsable à la DCI", lambda a: a.lead.get_full_name() if a.lead else ""),
    Column("Poste concerné", lambda a: str(a.post) if a.post else ""),
    Column("Fondement (article 1)", lambda a: ", ".join(m.code for m in a.missions.all())),
    Column("Mention", "marking"),
]


_crumbs = kit.Crumbs("Accords", "agreements:list")


def _with_activity_counts(user):
    """What is carried out under each agreement of the page (« Vie de l'accord »), counted."""

    def decorate(agreements):
        counts = activity_counts(agreements, user)
        for agreement in agreements:
            agreement.activity_count = counts.get(agreement.pk, 0)

    return decorate


def _list(request, queryset, *, template, title, filename, extra=None, crumbs=None):
    return kit.list_page(
        request,
        queryset,
        filterset_class=AgreementFilterSet,
        columns=COLUMNS,
        filename=filename,
        template=template,
        title=title,
        breadcrumb=crumbs,
        on_page=_with_activity_counts(request.user),
        context={"can_create": Agreement.can_create(request.user), **(extra or {})},
    )


# --- Lists ---------------------------------------------------------------------------------------


def agreement_list(request):
    """All the agreements the user may see, filtered, paginated, exported as CSV or XLSX."""
    return _list(
        request,
        agreements_for(request.user),
        template="agreements/list.html",
        title=LIST_TITLE,
        filename="accords",
    )


def my_directorate(request):
    """« Accords de ma direction »: for a correspondent, the agreements negotiated for their
    directorate and the comment requests addressed to it."""
    user = request.user
    directorate = user.directorate
    if not user.is_correspondent or directorate is None:
        raise PermissionDenied("Cette page est celle des correspondants des directions.")
    queryset = agreements_for(user).for_directorate(directorate)
    requests = (
        CommentRequest.objects.visible_to(user)
        .open()
        .filter(directorate=directorate)
        .select_related("agreement", "directorate")
        .order_by("due_on")
    )
    return _list(
        request,
        queryset,
        template="agreements/my_directorate.html",
        title=f"Accords de ma direction ({directorate.label})",
        filename=f"accords-{directorate.code.lower()}",
        extra={"directorate": directorate, "requests": requests, "today": timezone.localdate()},
        crumbs=_crumbs(("Accords de ma direction", None)),
    )


def _parse_day(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def by_country(request):
    """Agreements in force on a date (today by default), country by country."""
    raw = request.GET.get("date")
    day = _parse_day(raw)
    error = "Date invalide : utilisez le format AAAA-MM-JJ." if raw and day is None else ""
    day = day or timezone.localdate()
    in_force = (
        Agreement.objects.visible_to(request.user)
        .in_force_on(day)
        .prefetch_related("directorates")
        .order_by("signed_on", "title")
    )
    countries = (
        Country.objects.visible_to(request.user)
        .filter(agreements__in=in_force)
        .distinct()
        .prefetch_related(Prefetch("agreements", queryset=in_force, to_attr="in_force"))
        .order_by("name")
    )
    rows = [(country, country.in_force) for country in countries]
    return render(
        request,
        "agreements/by_country.html",
        {
            "title": "Accords en vigueur par pays",
            "breadcrumb": _crumbs(("En vigueur par pays", None)),
            "rows": rows,
            "day": day,
            "date_error": error,
            "total": sum(len(a) for _, a in rows),
        },
    )


@dataclass(frozen=True)
class Deadline:
    day: datetime.date
    label: str
    agreement: Agreement
    kind: str  # "expiry", "notice", "committee", "comments"
    ref: str = ""  # stable identifier (calendar UIDs)


def upcoming_deadlines(user, start: datetime.date, end: datetime.date) -> list[Deadline]:
    """The dates to watch between `start` and `end`: expiries and notice deadlines of agreements
    in force, joint committee meetings, comments due. A fixed number of queries."""
    visible = Agreement.objects.visible_to(user)
    items: list[Deadline] = []
    in_force = list(visible.in_force().filter(expires_on__isnull=False))
    for agreement in in_force:
        if start <= agreement.expires_on <= end:
            label = "Reconduction tacite" if agreement.tacit_renewal else "Échéance (expiration)"
            items.append(
                Deadline(agreement.expires_on, label, agreement, "expiry", f"{agreement.pk}")
            )
        notice = agreement.notice_deadline
        if notice and agreement.notice_months and start <= notice <= end:
            items.append(
                Deadline(
                    notice,
                    "Date limite de préavis (dénonciation)",
                    agreement,
                    "notice",
                    f"{agreement.pk}",
                )
            )
    meetings = (
        CommitteeMeeting.objects.visible_to(user)
        .filter(held_on__range=(start, end))
        .select_related("committee__agreement")
    )
    for meeting in meetings:
        items.append(
            Deadline(
                meeting.held_on,
                f"Réunion : {meeting.committee.name}"
                + (f" ({meeting.place})" if meeting.place else ""),
                meeting.committee.agreement,
                "committee",
                f"{meeting.pk}",
            )
        )
    requests = (
        CommentRequest.objects.visible_to(user)
        .open()
        .filter(due_on__range=(start, end))
        .select_related("agreement", "directorate")
    )
    for item in requests:
        items.append(
            Deadline(
                item.due_on,
                f"Observations attendues : {item.addressee_label}",
                item.agreement,
                "comments",
                f"{item.pk}",
            )
        )
    return sorted(items, key=lambda d: (d.day, d.label))


def calendar(request):
    """The deadlines of the coming months (12 by default), with the link to the feed."""
    today = timezone.localdate()
    try:
        months = max(1, min(36, int(request.GET.get("mois", 12))))
    except ValueError:
        months = 12
    end = today + datetime.timedelta(days=31 * months)
    items = upcoming_deadlines(request.user, today, end)
    by_month: dict[tuple[int, int], list[Deadline]] = defaultdict(list)
    for item in items:
        by_month[(item.day.year, item.day.month)].append(item)
    return render(
        request,
        "agreements/calendar.html",
        {
            "title": "Échéances des accords",
            "breadcrumb": _crumbs(("Échéances", None)),
            "months": [
                (datetime.date(year, month, 1), entries)
                for (year, month), entries in sorted(by_month.items())
            ],
            "count": len(items),
            "horizon": months,
            "today": today,
        },
    )


# --- One agreement ------------------------------------------------------------------------------


def _timeline(agreement, rounds, versions, requests, renewals, committees, transitions):
    """The life of the text, oldest first: (date, label, detail)."""
    events = [(timezone.localtime(agreement.created_at).date(), "Initiative enregistrée", "")]
    for entry in transitions:
        events.append(
            (
                timezone.localtime(entry.timestamp).date(),
                f"{entry.transition_label} ({entry.from_label} → {entry.to_label})",
                entry.comment,
            )
        )
    for item in rounds:
        events.append((item.held_on, f"Tour de négociation à {item.place}", item.outcome))
    for item in versions:
        events.append((timezone.localtime(item.created_at).date(), str(item), ""))
    for item in requests:
        events.append((item.requested_on, f"Observations demandées : {item.addressee_label}", ""))
        if item.answered_on:
            events.append((item.answered_on, f"Observations reçues : {item.addressee_label}", ""))
    if agreement.signed_on:
        place = f" à {agreement.signed_place}" if agreement.signed_place else ""
        # Known by its year only: shown as the year (4th item: the date as shown).
        events.append((agreement.signed_on, f"Signature{place}", "", agreement.signed_display))
    if agreement.approval_law_on:
        events.append(
            (
                agreement.approval_law_on,
                "Loi autorisant l'approbation",
                agreement.approval_law_reference,
            )
        )
    if agreement.publication_decree_on:
        events.append(
            (
                agreement.publication_decree_on,
                "Décret de publication",
                agreement.publication_decree_reference,
            )
        )
    if agreement.in_force_on:
        events.append((agreement.in_force_on, "Entrée en vigueur", ""))
    for item in renewals:
        events.append((item.renewed_on, item.get_kind_display(), item.comment))
    for committee in committees:
        for meeting in committee.meetings.all():
            events.append((meeting.held_on, f"Réunion : {committee.name}", meeting.place))
    if agreement.ended_on:
        events.append((agreement.ended_on, agreement.get_status_display(), ""))
    elif agreement.expires_on:
        events.append((agreement.expires_on, "Échéance", ""))
    return [
        (day, label, detail, shown[0] if shown else day.strftime("%d/%m/%Y"))
        for day, label, detail, *shown in sorted(events, key=lambda e: e[0])
    ]


def agreement_detail(request, pk):
    user = request.user
    agreement = get_visible_or_404(Agreement.objects.with_related(), user, pk=pk)
    rounds = list(agreement.rounds.all())
    versions = list(agreement.versions.all())
    requests = list(agreement.comment_requests.select_related("directorate", "text_version"))
    renewals = list(agreement.renewals.all())
    committees = list(agreement.committees.prefetch_related("meetings"))
    panel = panel_context(agreement, user, next_url=request.get_full_path())
    for item in requests:
        item.answerable = item.is_open and item.can_answer(user)
    activities = {
        title: rows.get(agreement.pk, [])
        for title, rows in activities_for([agreement], user).items()
    }
    context = kit.record_context(
        request,
        agreement,
        breadcrumb=_crumbs((str(agreement), None)),
        edit_url=reverse("agreements:edit", args=[agreement.pk]),
        pdf_url=reverse("agreements:pdf", args=[agreement.pk]),
        panel=panel,
        agreement=agreement,
        rounds=rounds,
        versions=versions,
        requests=requests,
        renewals=renewals,
        committees=committees,
        current_expiry=agreement.current_expiry(timezone.localdate()),
        timeline=_timeline(
            agreement, rounds, versions, requests, renewals, committees, panel["history"]
        ),
        activities=activities,
        amendments=list(Agreement.objects.visible_to(user).filter(amends=agreement)),
        today=timezone.localdate(),
    )
    return render(request, "agreements/detail.html", context)


def agreement_create(request):
    return kit.create_page(
        request,
        Agreement,
        AgreementForm(request.POST or None, user=request.user),
        title="Nouvel accord",
        breadcrumb=_crumbs(("Nouvel accord", None)),
        message=lambda a: f"L'accord « {a} » est ouvert (état : initiative).",
        cancel_url=reverse("agreements:list"),
        template="agreements/agreement_form.html",
    )


def agreement_edit(request, pk):
    return edit_record(
        request,
        Agreement,
        {"pk": pk},
        form_class=AgreementForm,
        template_name="agreements/agreement_form.html",
        success_url=lambda a: a.get_absolute_url(),
        breadcrumb_factory=lambda a: _crumbs.to(a, "Modifier"),
    )


# --- Parts of an agreement ----------------------------------------------------------------------


def _changeable_agreement(request, pk) -> Agreement:
    return kit.changeable(Agreement, request.user, pk=pk)


def _part_form(request, agreement, form, *, title, saved_message, anchor):
    """Render or save the form of a part of `agreement` (round, committee…)."""
    return kit.part_form(
        request,
        agreement,
        form,
        title=title,
        saved_message=saved_message,
        anchor=anchor,
        breadcrumb=_crumbs.to(agreement, title),
    )


def _service_form(request, agreement, form, save, *, message, anchor, title, crumb, **extra):
    """A form of a part whose write is a service call `save(cleaned_data)`: its refusals go on
    the form's fields; success goes back to the agreement's page at `#anchor`."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except records.StaleVersion as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            kit.errors_to_form(form, exc)
        else:
            messages.success(request, message(saved) if callable(message) else message)
            return redirect(f"{agreement.get_absolute_url()}#{anchor}")
    return kit.form_page(
        request,
        form,
        title=title,
        breadcrumb=_crumbs.to(agreement, crumb),
        parent=agreement,
        page_marking=agreement.marking,
        cancel_url=f"{agreement.get_absolute_url()}#{anchor}",
        **extra,
    )


round_create = kit.part_create(
    Agreement,
    NegotiationRoundForm,
    field="agreement",
    crumbs=_crumbs,
    title="Nouveau tour de négociation",
    saved_message="Le tour de négociation est enregistré.",
    anchor="negociation",
)


def round_edit(request, pk, round_pk):
    agreement = _changeable_agreement(request, pk)
    return edit_record(
        request,
        NegotiationRound.objects.filter(agreement=agreement),
        {"pk": round_pk},
        form_class=NegotiationRoundForm,
        template_name=kit.FORM_TEMPLATE,
        success_url=lambda r: f"{agreement.get_absolute_url()}#negociation",
        breadcrumb_factory=lambda r: _crumbs.to(agreement, str(r)),
        extra_context={"parent": agreement},
    )


committee_create = kit.part_create(
    Agreement,
    JointCommitteeForm,
    field="agreement",
    crumbs=_crumbs,
    title="Nouveau comité mixte",
    saved_message="Le comité mixte est enregistré.",
    anchor="suivi",
)


def meeting_create(request, pk, committee_pk):
    agreement = _changeable_agreement(request, pk)
    committee = get_visible_or_404(
        JointCommittee.objects.filter(agreement=agreement), request.user, pk=committee_pk
    )
    form = CommitteeMeetingForm(
        request.POST or None,
        instance=CommitteeMeeting(committee=committee, marking=agreement.marking),
        user=request.user,
    )
    return _part_form(
        request,
        agreement,
        form,
        title=f"Nouvelle réunion : {committee.name}",
        saved_message="La réunion est enregistrée ; elle figure dans le calendrier des échéances.",
        anchor="suivi",
    )


def version_create(request, pk):
    agreement = _changeable_agreement(request, pk)
    form = TextVersionForm(request.POST or None, request.FILES or None)
    return _service_form(
        request,
        agreement,
        form,
        lambda data: services.add_text_version(
            agreement,
            request.user,
            label=data["label"],
            document=data.get("document"),
            pasted_text=data.get("pasted_text", ""),
        ),
        message=lambda version: f"{version} : enregistrée.",
        anchor="versions",
        title="Nouvelle version du texte",
        crumb="Nouvelle version",
        template="agreements/version_form.html",
        submit_label="Enregistrer la version",
    )


def version_download(request, pk, number):
    """The uploaded document, only through this access-checked view (never served directly)."""
    version = get_visible_or_404(
        TextVersion.objects.select_related("agreement"),
        request.user,
        agreement_id=pk,
        number=number,
    )
    return version_file_response(request.user, version)


def version_compare(request, pk):
    """A line-by-line comparison of the text of two versions (`?de=1&a=2`)."""
    agreement = get_visible_or_404(Agreement, request.user, pk=pk)
    versions = list(agreement.versions.all())
    picked = compare_versions(versions, request.GET.get("de"), request.GET.get("a"))
    return render(
        request,
        "agreements/compare.html",
        {
            "title": f"Comparer deux versions : {agreement}",
            "breadcrumb": _crumbs(
                (str(agreement), agreement.get_absolute_url()), ("Comparer deux versions", None)
            ),
            "agreement": agreement,
            "page_marking": agreement.marking,
            "versions": versions,
            "old": picked.old,
            "new": picked.new,
            "comparison": picked.comparison,
            "error": picked.error,
        },
    )


def comment_request_create(request, pk):
    agreement = _changeable_agreement(request, pk)
    form = CommentRequestForm(
        request.POST or None,
        instance=CommentRequest(agreement=agreement, marking=agreement.marking),
        user=request.user,
        agreement=agreement,
    )
    return _part_form(
        request,
        agreement,
        form,
        title="Demander des observations",
        saved_message="La demande d'observations est enregistrée ; un rappel précédera l'échéance.",
        anchor="observations",
    )


def comment_answer(request, pk, request_pk):
    """A correspondent (for their directorate) or headquarters records the answer."""
    item = get_visible_or_404(
        CommentRequest.objects.select_related("agreement", "directorate"),
        request.user,
        pk=request_pk,
        agreement_id=pk,
    )
    if not item.can_answer(request.user):
        raise PermissionDenied("Vous ne pouvez pas répondre à cette demande d'observations.")
    agreement = item.agreement
    form = CommentAnswerForm(request.POST or None, initial={"version": item.version})
    return _service_form(
        request,
        agreement,
        form,
        lambda data: services.answer_comment_request(
            item,
            request.user,
            answer=data["answer"],
            answered_on=data.get("answered_on"),
            expected_version=data.get("version"),
        ),
        message="La réponse est enregistrée.",
        anchor="observations",
        title=f"Répondre : {item.subject}",
        crumb="Répondre",
        intro=f"Demande adressée à {item.addressee_label}, réponse attendue le "
        f"{item.due_on:%d/%m/%Y}.",
    )


def renewal_create(request, pk):
    agreement = _changeable_agreement(request, pk)
    return _service_form(
        request,
        agreement,
        RenewalForm(request.POST or None),
        lambda data: services.record_renewal(agreement, request.user, **data),
        message="Le renouvellement est enregistré ; l'échéance est reportée.",
        anchor="suivi",
        title="Enregistrer un renouvellement",
        crumb="Renouvellement",
        intro=(
            f"Échéance actuelle : {agreement.expires_on:%d/%m/%Y}."
            if agreement.expires_on
            else "Cet accord n'a pas d'échéance enregistrée."
        ),
    )


@require_POST
def part_delete(request, pk, kind, part_pk):
    """Delete a round, a committee, a meeting or a comment request (not versions: the texts
    exchanged stay on file)."""
    models = {
        "tour": NegotiationRound.objects.filter(agreement_id=pk),
        "comite": JointCommittee.objects.filter(agreement_id=pk),
        "reunion": CommitteeMeeting.objects.filter(committee__agreement_id=pk),
        "observations": CommentRequest.objects.filter(agreement_id=pk),
    }
    if kind not in models:
        raise Http404("Élément inconnu.")
    obj = get_visible_or_404(models[kind], request.user, pk=part_pk)
    require_change(request.user, obj)
    services.delete_child(obj, request.user)
    messages.success(request, f"« {obj} » est supprimé.")
    return redirect(reverse("agreements:detail", args=[pk]))


# --- Home and counts ----------------------------------------------------------------------------
