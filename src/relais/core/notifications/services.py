"""`notify`: the one way to tell users something — a row in their inbox, and an e-mail to those
whose preference for that kind says so.

    from relais.core.notifications.services import notify
    notify(users, NotificationKind.DISSEMINATION, "Nouvelle fiche diffusée", body, url,
           key=f"dissemination:{dissemination.pk}")

E-mail leaves the system: titles and bodies must never carry the content of a record marked
*diffusion restreinte* — name the record and link to it, nothing more.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from relais.core.notifications.kinds import get_kind
from relais.core.notifications.models import Notification, NotificationPreference

logger = logging.getLogger(__name__)


def _absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + url


def notify(users, kind: str, title: str, body: str = "", url: str = "", key: str | None = None):
    """Create one inbox notification per active recipient and e-mail those who chose it.

    With a `key`, a recipient who already has a notification with that key gets nothing (the
    call is idempotent). Returns the notifications created. E-mails leave after the surrounding
    transaction commits.
    """
    get_kind(kind)  # an unknown kind is a programming error: fail loudly
    if url and not url.startswith(("/", "https://", "http://")):
        raise ValueError("Le lien d'une notification est un chemin (/…) ou une adresse http(s).")
    recipients, seen = [], set()
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        recipients.append(user)
    if not recipients:
        return []
    key = key[:200] if key else None
    if key:
        already = set(
            Notification.objects.filter(
                key=key, recipient_id__in=[u.pk for u in recipients]
            ).values_list("recipient_id", flat=True)
        )
        recipients = [u for u in recipients if u.pk not in already]
        if not recipients:
            return []
    by_email = NotificationPreference.email_choices(recipients, kind)
    now = timezone.now()
    notifications = [
        Notification(
            recipient=user,
            kind=str(kind),
            title=title[:300],
            body=body,
            url=url[:500],
            key=key,
            created_at=now,
            emailed=user.pk in by_email and bool(user.email),
        )
        for user in recipients
    ]
    Notification.objects.bulk_create(notifications, ignore_conflicts=bool(key))
    emails = [
        (user.email, title, body, url)
        for user, n in zip(recipients, notifications, strict=True)
        if n.emailed
    ]
    if emails:
        transaction.on_commit(lambda: _send_emails(kind, emails))
    return notifications


def _send_emails(kind: str, emails: list[tuple[str, str, str, str]]) -> None:
    label = get_kind(kind).label
    account = _absolute("/compte/")
    messages = []
    for address, title, body, url in emails:
        text = body
        if url:
            text += f"\n\nPour consulter : {_absolute(url)}"
        text += (
            f"\n\n—\nRelais, direction de la coopération internationale. Notification « {label} »."
            f"\nPour choisir les notifications reçues par courriel : {account}"
        )
        messages.append(
            EmailMessage(
                subject=f"[Relais] {title}",
                body=text.strip(),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[address],
            )
        )
    try:
        get_connection().send_messages(messages)
    except Exception:  # the inbox has the notification; a mail outage must not break the caller
        logger.exception("Envoi des courriels de notification impossible (%s)", kind)
