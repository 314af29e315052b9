"""Pages of the country sheet: the world overview, one country's sheet and its PDF."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from relais.core.audit.events import Action, log_event
from relais.core.exports.lists import Column, export_response, requested_format
from relais.core.exports.pdf import render_pdf
from relais.countries import charts
from relais.countries.sheet import country_sheet, get_country_or_404, world_overview

OVERVIEW_TITLE = "Pays"


def _posts_label(row) -> str:
    return ", ".join(str(post) for post in row.posts)


def _overview_columns(overview) -> list[Column]:
    rows = {row.country.pk: row for row in overview.rows}
    columns = [
        Column("Pays", "name"),
        Column("Code ISO", "code"),
        Column("Zone", lambda c: rows[c.pk].zone_name),
        Column("Poste(s)", lambda c: _posts_label(rows[c.pk])),
    ]
    for count in overview.columns:
        columns.append(Column(count.label, lambda c, key=count.key: rows[c.pk].counts[key]))
    return columns


def _sort_headers(overview, base_query: str) -> list[dict]:
    """Column headers of the overview table: label, link that sorts by it, aria-sort value."""
    prefix = f"?{base_query}&" if base_query else "?"
    headers = []
    columns = [("nom", "Pays", False), ("zone", "Zone", False), (None, "Poste(s)", False)]
    columns += [(c.key, c.label, True) for c in overview.columns]
    for key, label, numeric in columns:
        header = {"label": label, "numeric": numeric, "url": None, "aria_sort": None}
        if key is not None:
            current = overview.sort.key == key
            if current:
                header["aria_sort"] = "descending" if overview.sort.descending else "ascending"
                descending = not overview.sort.descending
            else:
                descending = numeric  # counts: most first
            header["url"] = f"{prefix}tri={'-' if descending else ''}{key}"
        headers.append(header)
    return headers


@require_GET
def overview(request):
    """One row per country with the counts each app registers; filters, sort, chart, export."""
    data = world_overview(request.user, request.GET, request=request)
    fmt = requested_format(request)
    if fmt:
        return export_response(
            request,
            data.ordered_queryset(),
            columns=_overview_columns(data),
            filename="pays",
            fmt=fmt,
        )
    query = request.GET.copy()
    query.pop("export", None)
    export_query = query.urlencode()
    query.pop("tri", None)
    headers = _sort_headers(data, query.urlencode())
    sort_label = ""
    if data.sort.param != "nom":
        order = "décroissant" if data.sort.descending else "croissant"
        label = next(h["label"] for h in headers if h["aria_sort"])
        sort_label = f"{label.lower()}, ordre {order}"
    return render(
        request,
        "countries/overview.html",
        {
            "title": OVERVIEW_TITLE,
            "breadcrumb": [(OVERVIEW_TITLE, None)],
            "overview": data,
            "filter": data.filterset,
            "headers": headers,
            "sort_label": sort_label,
            "export_query": export_query,
        },
    )


def _sheet_context(request, iso: str) -> dict:
    country = get_country_or_404(request.user, iso)
    sheet = country_sheet(country, request.user)
    return {
        "title": f"Fiche pays : {country.name}",
        "breadcrumb": [(OVERVIEW_TITLE, reverse("countries:overview")), (country.name, None)],
        "country": country,
        "sheet": sheet,
        "page_marking": sheet.marking,
    }


@require_GET
def sheet(request, iso: str):
    """The *fiche pays*: the registered panels, in order, for what the user may see."""
    return render(request, "countries/sheet.html", _sheet_context(request, iso))


@require_GET
def sheet_pdf(request, iso: str):
    """The whole sheet as PDF, with its marking; the export is written to the audit trail."""
    context = _sheet_context(request, iso)
    context["charts_css"] = charts.STYLESHEET.read_text()
    country, marking = context["country"], context["sheet"].marking
    response = render_pdf(
        request,
        "countries/sheet_pdf.html",
        context,
        filename=f"fiche-pays-{country.code.lower()}",
        marking=marking,
    )
    log_event(
        Action.EXPORT,
        request.user,
        country,
        object_repr=f"Fiche pays {country.name} (PDF)",
        extra={"format": "pdf", "document": "fiche pays"},
        marking=marking,
    )
    return response
