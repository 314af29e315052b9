"""Attachments of a report: what is accepted, where it is stored, how it is served.

Accepted: PDF, JPEG, PNG, plain text, DOCX and ODT, up to `MAX_BYTES` (setting
`RELAIS_INFORMATION_MAX_ATTACHMENT_BYTES`, 10 Mo by default). A name longer than `MAX_NAME`
characters is shortened, its extension kept. The type is judged on the content
(first bytes), not only on the name or the type the browser sends. Files go to
`MEDIA_ROOT/information/<random token>` — `MEDIA_ROOT` is outside the static/web root and has
no URL: the only ways to a file are the page `information:attachment` and the API's
`…/reports/<id>/attachments/<n>/`, which check that the user sees the report and write the read
to the access log (`file_response`).
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat

TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".txt": ("text/plain", ()),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
}
ACCEPT = ",".join(TYPES)
TYPE_MESSAGE = (
    "Type de fichier refusé : seuls les fichiers PDF, JPEG, PNG, TXT, DOCX et ODT sont acceptés."
)


#: `Attachment.name`'s length; longer names are shortened (`short_name`).
MAX_NAME = 200
MAX_EXTENSION = 10


def max_bytes() -> int:
    return int(getattr(settings, "RELAIS_INFORMATION_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024))


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int
    sha256: str


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def short_name(raw: str) -> str:
    """The file's own name (no folders), cut to `MAX_NAME` characters keeping its extension: a
    long name is shortened, never refused (nor mistaken for a wrong type)."""
    name = raw.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if len(name) <= MAX_NAME:
        return name
    extension = _extension(name)[:MAX_EXTENSION]
    return name[: MAX_NAME - len(extension)].rstrip(". ") + extension


def check_upload(uploaded) -> CheckedFile:
    """Validate an uploaded file (size, then type judged on its first bytes).

    Raises `ValidationError` with a French message.
    """
    size = uploaded.size or 0
    limit = max_bytes()
    if size > limit:
        raise ValidationError(
            f"Fichier trop volumineux ({filesizeformat(size)}) : la taille maximale est de "
            f"{filesizeformat(limit)}.",
            code="too_large",
        )
    if size == 0:
        raise ValidationError("Le fichier est vide.", code="empty")
    name = short_name(uploaded.name or "")
    spec = TYPES.get(_extension(name))
    if spec is None:
        raise ValidationError(TYPE_MESSAGE, code="type")
    content_type, magics = spec
    uploaded.seek(0)
    digest = hashlib.sha256()
    head = b""
    for chunk in uploaded.chunks():
        if not head:
            head = chunk[:16]
        digest.update(chunk)
    uploaded.seek(0)
    if magics and not any(head.startswith(m) for m in magics):
        raise ValidationError(
            f"Le contenu du fichier ne correspond pas à son extension. {TYPE_MESSAGE}",
            code="type",
        )
    if not magics and b"\x00" in head:
        raise ValidationError(
            f"Le fichier texte contient des données binaires. {TYPE_MESSAGE}", code="type"
        )
    return CheckedFile(name=name, content_type=content_type, size=size, sha256=digest.hexdigest())


def attachment_of(report, attachment_pk):
    """An attachment of `report` (already checked visible), or 404: an attachment id of another
    report is never reachable through this one."""
    from relais.information.models import Attachment

    attachment = Attachment.objects.filter(report=report, pk=attachment_pk).first()
    if attachment is None:
        raise Http404("Pièce jointe introuvable.")
    return attachment


def file_response(user, report, attachment) -> FileResponse:
    """Serve a file of a report the caller sees (checked by the caller): the read goes to the
    access log and the export to the audit trail."""
    from relais.core.audit.events import Action, log_event, log_read

    with transaction.atomic():
        log_read(user, report)
        log_event(
            Action.EXPORT,
            user,
            report,
            extra={"format": "attachment", "attachment": attachment.pk},
        )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
