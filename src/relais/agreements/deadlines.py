"""Deadline reminders of mission k (`relais send-reminders`, docs/dev/notifications.md).

- `agreements.notice`: last day to give notice (denunciation or non-renewal) before the next
  expiry of an agreement in force, at J-90, J-30 and J-7;
- `agreements.renewal`: the expiry itself (tacit renewal or end), at J-60, J-30 and J-7;
- `agreements.committee`: a joint committee meeting, at J-14 and J-2;
- `agreements.comments`: comments requested from a directorate or the MEAE, at J-7 and J-1,
  and once when overdue.

Recipients: the lead at headquarters and the correspondents of the directorates concerned
(`Agreement.followers()`; for comments, the correspondents of the directorate asked). The key
carries the date, so a moved deadline gets fresh reminders.
"""

import datetime

from relais.agreements.models import Agreement, CommentRequest, CommitteeMeeting
from relais.core.notifications.deadlines import Deadline, DeadlineSource, register

KIND = "agreement_deadline"


def _in_force_with_expiry():
    return (
        Agreement.objects.in_force()
        .filter(expires_on__isnull=False)
        .prefetch_related("directorates")
        .select_related("lead")
    )


def notices(today: datetime.date):
    for agreement in _in_force_with_expiry().filter(
        expires_on__lte=today + datetime.timedelta(days=3 * 365)
    ):
        due = agreement.notice_deadline
        if not agreement.notice_months or due is None or due < today - datetime.timedelta(days=1):
            continue
        if due > today + datetime.timedelta(days=90):
            continue
        yield Deadline(
            key=f"agreement:{agreement.pk}:notice:{due.isoformat()}",
            recipients=agreement.followers(),
            due_date=due,
            title=f"préavis de dénonciation de « {agreement} »",
            body=(
                f"Sans dénonciation avant cette date (préavis de {agreement.notice_months} mois), "
                + (
                    "l'accord sera reconduit tacitement"
                    if agreement.tacit_renewal
                    else "l'accord arrivera à échéance"
                )
                + f" le {agreement.expires_on:%d/%m/%Y}."
            ),
            url=agreement.get_absolute_url(),
        )


def renewals(today: datetime.date):
    window = today + datetime.timedelta(days=60)
    for agreement in _in_force_with_expiry().filter(expires_on__gte=today, expires_on__lte=window):
        yield Deadline(
            key=f"agreement:{agreement.pk}:expiry:{agreement.expires_on.isoformat()}",
            recipients=agreement.followers(),
            due_date=agreement.expires_on,
            title=(
                f"reconduction tacite de « {agreement} »"
                if agreement.tacit_renewal
                else f"échéance de « {agreement} »"
            ),
            body=("Enregistrez la reconduction (ou constatez l'expiration) dans Relais."),
            url=agreement.get_absolute_url(),
        )


def committee_meetings(today: datetime.date):
    window = today + datetime.timedelta(days=14)
    meetings = (
        CommitteeMeeting.objects.filter(held_on__gte=today, held_on__lte=window)
        .select_related("committee__agreement")
        .prefetch_related("committee__agreement__directorates")
    )
    for meeting in meetings:
        agreement = meeting.committee.agreement
        yield Deadline(
            key=f"meeting:{meeting.pk}:{meeting.held_on.isoformat()}",
            recipients=agreement.followers(),
            due_date=meeting.held_on,
            title=f"réunion du {meeting.committee.name}",
            body=f"Accord : {agreement}." + (f" Lieu : {meeting.place}." if meeting.place else ""),
            url=agreement.get_absolute_url(),
        )


def comments_due(today: datetime.date):
    window = today + datetime.timedelta(days=7)
    requests = (
        CommentRequest.objects.open()
        .filter(due_on__lte=window)
        .select_related("agreement", "directorate")
    )
    for item in requests:
        yield Deadline(
            key=f"comments:{item.pk}:{item.due_on.isoformat()}",
            recipients=item.recipients(),
            due_date=item.due_on,
            title=f"observations de {item.addressee_label} sur « {item.agreement} »",
            body=f"Objet : {item.subject}.",
            url=item.agreement.get_absolute_url() + "#observations",
        )


NOTICE = register(
    DeadlineSource(
        "agreements.notice",
        notices,
        days_before=(90, 30, 7),
        overdue=False,
        label="Préavis de dénonciation des accords",
        kind=KIND,
    )
)
RENEWAL = register(
    DeadlineSource(
        "agreements.renewal",
        renewals,
        days_before=(60, 30, 7),
        overdue=False,
        label="Échéances et reconductions des accords",
        kind=KIND,
    )
)
COMMITTEE = register(
    DeadlineSource(
        "agreements.committee",
        committee_meetings,
        days_before=(14, 2),
        overdue=False,
        label="Réunions des comités mixtes",
        kind=KIND,
    )
)
COMMENTS = register(
    DeadlineSource(
        "agreements.comments",
        comments_due,
        days_before=(7, 1),
        overdue=True,
        label="Observations attendues sur les accords",
        kind=KIND,
    )
)
