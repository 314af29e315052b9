"""Export what a list page shows (its filtered queryset) as CSV or XLSX.

    from relais.core.exports.lists import Column, export_response, requested_format

    fmt = requested_format(request)          # "csv", "xlsx" or None (from ?export=csv|xlsx)
    if fmt:
        return export_response(request, filterset.qs, columns=COLUMNS, filename="postes", fmt=fmt)

`columns` is a list of `Column(header, value)` where header is the French column title and value
is an attribute path ("unit.name") or a callable(obj) -> value.
"""

from dataclasses import dataclass

# STUB interface — implemented by the exports work (CSV/XLSX, marking line, export audit log).


@dataclass(frozen=True)
class Column:
    header: str
    value: object


def requested_format(request) -> str | None:
    fmt = request.GET.get("export", "")
    return fmt if fmt in {"csv", "xlsx"} else None


def export_response(request, queryset, *, columns, filename: str, fmt: str):
    raise NotImplementedError
