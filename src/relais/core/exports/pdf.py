"""Print a record page as PDF (WeasyPrint) with its marking banner.

    from relais.core.exports.pdf import render_pdf
    return render_pdf(request, "referential/post_detail.html", context, filename="ssi-madrid",
                      marking=post.marking)

Print templates extend `exports/print_base.html` (A4, system fonts, the marking at the top and
bottom of every page when the record is *diffusion restreinte*). A module that only needs a
« Imprimer en PDF » link for a record adds one URL with `record_pdf_view`:

    path("postes/<slug:code>/pdf/", record_pdf_view(Post, lookup="unit__code", url_kwarg="code"),
         name="post-pdf")

Nothing is fetched from the network: the URL fetcher only serves the project's static files
(and `data:` URIs); any other address is refused.
"""

import datetime
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import models
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from relais.core.access import get_visible_or_404
from relais.core.audit.events import Action, log_event, log_read
from relais.core.exports.markings import is_restricted, marking_label
from relais.core.markings import Marking

try:  # WeasyPrint ≥ 66: fetchers are URLFetcher subclasses returning URLFetcherResponse.
    from weasyprint.urls import URLFetcher, URLFetcherResponse
except ImportError:  # pragma: no cover - older WeasyPrint: plain functions returning dicts
    URLFetcher = URLFetcherResponse = None


class FetchRefused(ValueError):
    """A print template asked for something that is not a local static file."""


def static_file_for(url: str) -> Path | None:
    """The local file behind a static URL (`/static/…`, relative or absolute), or None."""
    path = unquote(urlsplit(url).path)
    if not path.startswith(settings.STATIC_URL):
        return None
    relative = path[len(settings.STATIC_URL) :]
    if ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    candidate = Path(settings.STATIC_ROOT) / relative
    return candidate if candidate.is_file() else None


def _local_resource(url: str):
    if url.startswith("data:"):
        return None  # handled by WeasyPrint's own data: support
    file = static_file_for(url)
    if file is None:
        raise FetchRefused(f"ressource hors des fichiers statiques refusée : {url}")
    return file, mimetypes.guess_type(file.name)[0] or "application/octet-stream"


if URLFetcher is not None:

    class LocalURLFetcher(URLFetcher):
        """Serves static files from disk and `data:` URIs; refuses every other address."""

        def fetch(self, url, headers=None):
            resource = _local_resource(url)
            if resource is None:
                return super().fetch(url, headers)
            file, mime_type = resource
            return URLFetcherResponse(
                url, file.read_bytes(), headers={"Content-Type": mime_type}, status=200
            )

    def local_url_fetcher():
        return LocalURLFetcher(allowed_protocols={"data", "http", "https", "file"})

else:  # pragma: no cover

    def local_url_fetcher():
        from weasyprint import default_url_fetcher

        def fetch(url):
            resource = _local_resource(url)
            if resource is None:
                return default_url_fetcher(url)
            file, mime_type = resource
            return {"string": file.read_bytes(), "mime_type": mime_type}

        return fetch


def pdf_bytes(html: str, *, base_url: str) -> bytes:
    """Render HTML to PDF with the local-only fetcher, tagged (structure tree, language) so that
    screen readers can read it (RGAA)."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=base_url, url_fetcher=local_url_fetcher())
    return document.write_pdf(pdf_tags=True)


def render_pdf(
    request,
    template_name: str,
    context: dict,
    *,
    filename: str,
    marking: str,
    obj: models.Model | None = None,
    inline: bool = True,
):
    """A PDF response of `template_name` rendered with `context` and the marking of the record.

    The template receives `marking`, `marking_label`, `restricted` and `printed_at`. When `obj`
    is given, the print is written to the audit trail (an export of that record).
    """
    context = {
        **context,
        "marking": marking,
        "marking_label": marking_label(marking),
        "restricted": is_restricted(marking),
        "printed_at": timezone.localtime(),
        "printed_by": request.user,
    }
    html = render_to_string(template_name, context, request=request)
    content = pdf_bytes(html, base_url=request.build_absolute_uri("/"))
    if obj is not None:
        log_event(Action.EXPORT, request.user, obj, extra={"format": "pdf"})
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    name = f"{slugify(filename) or 'impression'}-{timezone.localdate():%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    # A plain str: the WSGI server refuses any other type (a TextChoices member included).
    response["X-Relais-Marking"] = str(marking)
    return response


# --- Printing any record -----------------------------------------------------------------

_HIDDEN = {"id", "created_by", "updated_by", "version", "marking", "path", "depth"}


def _display(obj, field) -> str:
    if field.choices and not field.is_relation:
        return getattr(obj, f"get_{field.name}_display")()
    value = getattr(obj, field.name)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y à %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def record_fields(obj: models.Model) -> list[tuple[str, str]]:
    """(French label, displayed value) of the fields of `obj`, for a generic print."""
    rows = []
    for field in obj._meta.concrete_fields:
        if field.name in _HIDDEN or field.name in getattr(obj, "print_exclude", ()):
            continue
        rows.append((str(field.verbose_name).capitalize(), _display(obj, field)))
    for field in obj._meta.many_to_many:
        values = ", ".join(str(v) for v in getattr(obj, field.name).all()) or "—"
        rows.append((str(field.verbose_name).capitalize(), values))
    return rows


def record_pdf_view(
    model_or_queryset,
    template_name: str = "exports/record_print.html",
    *,
    lookup: str = "pk",
    url_kwarg: str | None = None,
    filename=None,
    extra_context=None,
):
    """A view printing one record as PDF, for a one-line « Imprimer en PDF » URL.

    The record is fetched with `get_visible_or_404` (404 out of scope), its read is logged for
    sensitive models, and the PDF carries its marking. `filename(obj)` and `extra_context(obj)`
    are optional callables.
    """
    url_kwarg = url_kwarg or lookup

    def view(request, **kwargs):
        obj = get_visible_or_404(model_or_queryset, request.user, **{lookup: kwargs[url_kwarg]})
        log_read(request.user, obj)
        meta = obj._meta
        context = {
            "object": obj,
            "title": str(obj),
            "kind": str(meta.verbose_name).capitalize(),
            "fields": record_fields(obj),
            **(extra_context(obj) if extra_context else {}),
        }
        name = filename(obj) if filename else f"{meta.model_name}-{obj.pk}"
        return render_pdf(
            request,
            template_name,
            context,
            filename=name,
            marking=getattr(obj, "marking", Marking.NON_PROTEGE),
            obj=obj,
        )

    return view
