"""Export what a list page shows (its filtered queryset) as CSV or XLSX.

    from relais.core.exports.lists import Column, export_response, requested_format

    fmt = requested_format(request)          # "csv", "xlsx" or None (from ?export=csv|xlsx)
    if fmt:
        return export_response(request, filterset.qs, columns=COLUMNS, filename="postes", fmt=fmt)

`columns` is a list of `Column(header, value)` where header is the French column title and value
is an attribute path ("unit.name") or a callable(obj) -> value. A path ending on a field with
choices gives its French label; a many-to-many manager gives its items joined by « , ».

The queryset must already be `visible_to(user)`: the caller scopes, this module formats. Every
export starts with its marking (« Mention : Diffusion restreinte » when any exported row is
restricted, « Mention : Non protégé » otherwise) and is written to the audit trail
(`log_export`) with the filters of the page. CSV (UTF-8 with BOM, « ; » separator, as French
Excel expects) is streamed row by row; XLSX has bold headers, a filter and column widths.
"""

import csv
import datetime
import decimal
from dataclasses import dataclass
from io import BytesIO

from django.db import models
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify

from relais.core.audit.events import log_export
from relais.core.exports.markings import highest_marking, is_restricted, marking_label

FORMATS = {"csv", "xlsx"}
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Cells starting with these characters would be run as formulas by a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CHUNK = 2000


@dataclass(frozen=True)
class Column:
    header: str
    value: object


def requested_format(request) -> str | None:
    fmt = request.GET.get("export", "")
    return fmt if fmt in FORMATS else None


# --- Values ---------------------------------------------------------------------------------


def _resolve(obj, column: Column):
    """The raw value of `column` for `obj`: a callable result or an attribute path."""
    if callable(column.value):
        return column.value(obj)
    value = obj
    for name in str(column.value).split("."):
        if value is None:
            return None
        model = value if isinstance(value, models.Model) else None
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except Exception:
                field = None
        if field is not None and getattr(field, "choices", None) and not field.is_relation:
            value = getattr(value, f"get_{name}_display")()
        else:
            value = getattr(value, name)
        if callable(value) and not isinstance(value, models.Manager):
            value = value()
    if isinstance(value, models.Manager):
        value = ", ".join(str(item) for item in value.all())
    return value


def _for_spreadsheet(value):
    """A value openpyxl can write: dates stay dates (local time), the rest becomes text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, int | float | decimal.Decimal | datetime.date):
        return value
    return str(value)


def _for_csv(value) -> str:
    """Text of a CSV cell: French dates, « Oui »/« Non », no formula injection."""
    value = _for_spreadsheet(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float | decimal.Decimal):
        return str(value).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    value = str(value)
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _filters(request) -> dict:
    """The filters of the page (request.GET without `export`), for the audit trail."""
    return {
        key: values[0] if len(values) == 1 else values
        for key, values in request.GET.lists()
        if key != "export"
    }


def _filename(base: str, ext: str) -> str:
    return f"{slugify(base) or 'export'}-{timezone.localdate():%Y-%m-%d}.{ext}"


# --- CSV ------------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write returns the line: lets csv.writer feed a stream."""

    def write(self, value):
        return value


def _csv_rows(queryset, columns, marking):
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([f"Mention : {marking_label(marking)}"])
    yield writer.writerow([c.header for c in columns])
    for obj in queryset.iterator(chunk_size=_CHUNK):
        yield writer.writerow([_for_csv(_resolve(obj, c)) for c in columns])


# --- XLSX -----------------------------------------------------------------------------------


def _xlsx_bytes(queryset, columns, marking, *, title: str, user) -> bytes:
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    label = marking_label(marking)
    restricted = is_restricted(marking)
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31] or "Export"

    ws.append([f"Mention : {label}"])
    ws["A1"].font = Font(bold=True, color="CE0500" if restricted else "000000")
    ws.append([c.header for c in columns])
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="E3E3FD")
    for cell in ws[2]:
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)

    widths = [len(c.header) for c in columns]
    row_number = ws.max_row  # kept by hand: ws.max_row walks every row (quadratic export)
    for obj in queryset.iterator(chunk_size=_CHUNK):
        row = [_for_spreadsheet(_resolve(obj, c)) for c in columns]
        ws.append(row)
        row_number += 1
        for index, value in enumerate(row, start=1):
            widths[index - 1] = max(widths[index - 1], len(str(value)) if value != "" else 0)
            if isinstance(value, str) and value.startswith("="):
                # A text starting with « = » must stay text, not become a formula.
                ws.cell(row=row_number, column=index).data_type = "s"
            elif isinstance(value, datetime.datetime):
                ws.cell(row=row_number, column=index).number_format = "DD/MM/YYYY HH:MM"
            elif isinstance(value, datetime.date):
                ws.cell(row=row_number, column=index).number_format = "DD/MM/YYYY"

    last_col = get_column_letter(max(len(columns), 1))
    ws.auto_filter.ref = f"A2:{last_col}{max(row_number, 2)}"
    ws.freeze_panes = "A3"
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 60)

    # Printed pages carry the marking too (header and footer), as French practice requires.
    if restricted:
        ws.oddHeader.center.text = "DIFFUSION RESTREINTE"
        ws.oddFooter.center.text = "DIFFUSION RESTREINTE"
    ws.oddFooter.right.text = "Page &P / &N"

    props = wb.properties
    props.title = title
    props.subject = f"Mention : {label}"
    props.keywords = label
    props.category = label
    props.creator = "Relais"
    props.lastModifiedBy = user.get_username() if getattr(user, "is_authenticated", False) else ""
    props.description = f"Export Relais — mention de protection : {label}."
    wb.custom_doc_props.append(StringProperty(name="Mention de protection", value=label))

    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- The response ---------------------------------------------------------------------------


def export_response(request, queryset, *, columns, filename: str, fmt: str, title: str = ""):
    """The CSV or XLSX download of `queryset` (already `visible_to`), logged in the audit trail.

    Costs three queries whatever the size: the marking, the count for the audit trail, and the
    rows (fetched in chunks). `title` names the sheet and the workbook (default: the model's
    French plural).
    """
    if fmt not in FORMATS:
        raise ValueError(f"format d'export inconnu : {fmt}")
    columns = list(columns)
    marking = highest_marking(queryset)
    count = queryset.count()
    log_export(request.user, queryset.model, fmt=fmt, count=count, filters=_filters(request))
    title = title or str(queryset.model._meta.verbose_name_plural).capitalize()

    if fmt == "csv":
        response = StreamingHttpResponse(
            _csv_rows(queryset, columns, marking), content_type=CSV_CONTENT_TYPE
        )
        name = _filename(filename, "csv")
    else:
        response = HttpResponse(
            _xlsx_bytes(queryset, columns, marking, title=title, user=request.user),
            content_type=XLSX_CONTENT_TYPE,
        )
        name = _filename(filename, "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    # A plain str: the WSGI server refuses any other type (a TextChoices member included).
    response["X-Relais-Marking"] = str(marking)
    return response
