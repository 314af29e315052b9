"""Exports: CSV/XLSX of lists (French headers, marking, audit, visible_to only) and PDF prints.

The mechanism is tested through a small view in this module's urlconf; the referential list
pages (/organisation/…/?export=csv|xlsx) prove it on real pages.
"""

import datetime
import io

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, include, path, resolve
from openpyxl import load_workbook
from pypdf import PdfReader

from relais.core.access import get_visible_or_404
from relais.core.audit.models import Action, AuditEvent
from relais.core.exports.lists import Column, export_response, requested_format
from relais.core.exports.pdf import (
    FetchRefused,
    local_url_fetcher,
    record_pdf_view,
    render_pdf,
    static_file_for,
)
from relais.core.markings import Marking
from relais.referential.models import PartnerBody, Person, Unit
from tests.factories import PartnerBodyFactory, PersonFactory, UnitFactory

DR = Marking.DIFFUSION_RESTREINTE

# --- A small list view using the mechanism, in this module's urlconf --------------------------

PEOPLE_COLUMNS = [
    Column("Nom", "last_name"),
    Column("Prénom", "first_name"),
    Column("Corps", "corps"),  # a field with choices: its French label is exported
    Column("Unité", "unit.name"),
    Column("Créé le", "created_at"),
    Column("Mention", "get_marking_display"),
]


def people_list(request):
    queryset = Person.objects.visible_to(request.user).select_related("unit")
    if request.GET.get("grade"):
        queryset = queryset.filter(grade=request.GET["grade"])
    fmt = requested_format(request)
    if fmt:
        return export_response(
            request, queryset, columns=PEOPLE_COLUMNS, filename="agents", fmt=fmt
        )
    return HttpResponse("liste")


def partner_list(request):
    queryset = PartnerBody.objects.visible_to(request.user)
    columns = [Column("Nom", "name"), Column("Nombre", lambda b: -len(b.name))]
    return export_response(request, queryset, columns=columns, filename="partenaires", fmt="csv")


def unit_print(request, code):
    unit = get_visible_or_404(Unit, request.user, code=code)
    return render_pdf(
        request,
        "exports/record_print.html",
        {"title": unit.name, "fields": [("Description", unit.description)]},
        filename=unit.code,
        marking=unit.marking,
    )


urlpatterns = [
    path("essai/agents/", people_list),
    path("essai/partenaires/", partner_list),
    path("essai/agents/<int:pk>/pdf/", record_pdf_view(Person)),
    path("essai/unites/<slug:code>/pdf/", unit_print),
    path("", include("relais.urls")),
]

pytestmark = pytest.mark.urls(__name__)


# --- Helpers ---------------------------------------------------------------------------------


def csv_lines(response) -> list[str]:
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff"), "UTF-8 BOM expected for French Excel"
    return content.lstrip("\ufeff").splitlines()


def workbook(response):
    return load_workbook(io.BytesIO(response.content))


def pdf_pages_text(response) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


def last_export():
    return AuditEvent.objects.filter(action=Action.EXPORT).order_by("-id").first()


@pytest.fixture
def staff(org):
    return {
        "madrid": PersonFactory(
            first_name="Inès", last_name="Garçon", grade="Commissaire", unit=org.madrid.unit
        ),
        "madrid2": PersonFactory(
            first_name="Luis", last_name="Ortega", grade="Capitaine", unit=org.madrid.unit
        ),
        "bamako": PersonFactory(
            first_name="Moussa", last_name="Keïta", grade="Commandant", unit=org.bamako.unit
        ),
    }


# --- CSV -------------------------------------------------------------------------------------


def test_requested_format():
    class Request:
        def __init__(self, value):
            self.GET = {"export": value}

    assert requested_format(Request("csv")) == "csv"
    assert requested_format(Request("xlsx")) == "xlsx"
    assert requested_format(Request("pdf")) is None


def test_csv_marking_headers_rows_and_audit(users, staff, client_for):
    response = client_for(users.pilotage).get(
        "/essai/agents/", {"export": "csv", "grade": "Commissaire"}
    )
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = datetime.date.today().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="agents-{today}.csv"'
    lines = csv_lines(response)
    assert lines[0] == "Mention : Non protégé"
    assert lines[1] == "Nom;Prénom;Corps;Unité;Créé le;Mention"
    assert len(lines) == 3  # only the rows the filter shows
    row = lines[2].split(";")
    assert row[:4] == [
        "Garçon",
        "Inès",
        "Police nationale",
        "Service de sécurité intérieure de Madrid",
    ]
    assert row[4].count("/") == 2  # French date dd/mm/yyyy hh:mm
    event = last_export()
    assert event.actor_username == "pilotage"
    assert event.model == "referential.person"
    assert event.extra == {"format": "csv", "count": 1, "filters": {"grade": "Commissaire"}}


def test_csv_carries_diffusion_restreinte_when_any_row_is(users, staff, client_for):
    PersonFactory(last_name="Réservé", grade="Commissaire", unit=staff["madrid"].unit, marking=DR)
    response = client_for(users.pilotage).get(
        "/essai/agents/", {"export": "csv", "grade": "Commissaire"}
    )
    lines = csv_lines(response)
    assert lines[0] == "Mention : Diffusion restreinte"
    assert response["X-Relais-Marking"] == DR
    # A user without the clearance never gets the restricted row, nor the restricted marking.
    users.pilotage.clearance = Marking.NON_PROTEGE
    users.pilotage.save(update_fields=["clearance"])
    lines = csv_lines(
        client_for(users.pilotage).get("/essai/agents/", {"export": "csv", "grade": "Commissaire"})
    )
    assert lines[0] == "Mention : Non protégé"
    assert not any("Réservé" in line for line in lines)


def test_csv_never_leaves_visible_to(users, staff, client_for):
    lines = csv_lines(client_for(users.attache_bamako).get("/essai/agents/", {"export": "csv"}))
    assert [line.split(";")[0] for line in lines[2:]] == ["Keïta"]
    lines = csv_lines(client_for(users.attache_madrid).get("/essai/agents/", {"export": "csv"}))
    assert sorted(line.split(";")[0] for line in lines[2:]) == ["Garçon", "Ortega"]
    assert last_export().extra["count"] == 2


def test_csv_defuses_formulas_but_keeps_numbers(users, client_for):
    PartnerBodyFactory(name='=HYPERLINK("http://x")')
    lines = csv_lines(client_for(users.pilotage).get("/essai/partenaires/"))
    assert lines[1] == "Nom;Nombre"
    assert lines[2].startswith("\"'=HYPERLINK(")
    assert lines[2].endswith(";-22")  # a negative number is not a formula


def test_export_requires_login(client, db):
    response = client.get("/essai/agents/", {"export": "csv"})
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_query_budget(users, org, client_for, fmt):
    def queries(count):
        Person.objects.all().delete()
        for i in range(count):
            PersonFactory(last_name=f"Nom{i}", grade="Brigadier", unit=org.madrid.unit)
        client = client_for(users.pilotage)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/essai/agents/", {"export": fmt})
            body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body
        return len(ctx.captured_queries)

    assert queries(10) == queries(200)


# --- XLSX ------------------------------------------------------------------------------------


def test_xlsx_layout_marking_and_properties(users, staff, client_for):
    PersonFactory(last_name="Réservé", grade="Capitaine", unit=staff["madrid"].unit, marking=DR)
    response = client_for(users.attache_madrid).get("/essai/agents/", {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].endswith('.xlsx"')
    wb = workbook(response)
    ws = wb.active
    assert ws["A1"].value == "Mention : Diffusion restreinte"
    headers = [c.value for c in ws[2]]
    assert headers == ["Nom", "Prénom", "Corps", "Unité", "Créé le", "Mention"]
    assert all(c.font.bold for c in ws[2])
    assert ws.auto_filter.ref == "A2:F5"
    assert ws.freeze_panes == "A3"
    assert ws.column_dimensions["D"].width > ws.column_dimensions["C"].width
    names = sorted(ws.cell(row=r, column=1).value for r in range(3, ws.max_row + 1))
    assert names == ["Garçon", "Ortega", "Réservé"]  # no Bamako staff
    assert isinstance(ws["E3"].value, datetime.datetime)
    assert wb.properties.subject == "Mention : Diffusion restreinte"
    assert wb.properties.keywords == "Diffusion restreinte"
    assert "DIFFUSION RESTREINTE" in ws.oddHeader.center.text
    assert last_export().extra["format"] == "xlsx"


def test_xlsx_non_protege(users, staff, client_for):
    ws = workbook(client_for(users.pilotage).get("/essai/agents/", {"export": "xlsx"})).active
    assert ws["A1"].value == "Mention : Non protégé"
    assert ws.max_row == 2 + 3


# --- The referential list pages (proof on real pages) -----------------------------------------


def _page_exists(url: str) -> bool:
    try:
        resolve(url)
    except Resolver404:
        return False
    return True


needs_page = pytest.mark.skipif(
    not _page_exists("/organisation/agents/"), reason="pages du référentiel absentes"
)


@needs_page
@pytest.mark.parametrize(
    ("url", "header"),
    [
        ("/organisation/postes/", "Ville"),
        ("/organisation/pays/", "Code ISO"),
        ("/organisation/partenaires/", "Nature"),
        ("/organisation/agents/", "Prénom"),
    ],
)
def test_referential_lists_export_csv_and_xlsx(users, staff, client_for, url, header):
    client = client_for(users.pilotage)
    response = client.get(url, {"export": "csv"})
    assert response.status_code == 200
    lines = csv_lines(response)
    assert lines[0].startswith("Mention : ")
    assert header in lines[1].split(";")
    response = client.get(url, {"export": "xlsx"})
    ws = workbook(response).active
    assert ws["A1"].value.startswith("Mention : ")
    assert header in [c.value for c in ws[2]]
    assert AuditEvent.objects.filter(action=Action.EXPORT).count() == 2


@needs_page
def test_referential_posts_export_follows_filters(users, org, client_for):
    response = client_for(users.pilotage).get(
        "/organisation/postes/", {"export": "csv", "q": "bamako"}
    )
    lines = csv_lines(response)
    assert len(lines) == 3
    assert "Bamako" in lines[2]
    assert "Madrid" not in lines[2]
    assert last_export().extra["filters"] == {"q": "bamako"}


@needs_page
def test_referential_people_export_stays_in_scope(users, staff, client_for):
    text = "\n".join(
        csv_lines(client_for(users.attache_bamako).get("/organisation/agents/", {"export": "csv"}))
    )
    assert "Keïta" in text
    assert "Garçon" not in text and "Ortega" not in text
    ws = workbook(
        client_for(users.attache_bamako).get("/organisation/agents/", {"export": "xlsx"})
    ).active
    values = {str(c.value) for row in ws.iter_rows(min_row=3) for c in row}
    assert "Keïta" in values
    assert "Garçon" not in values
    event = last_export()
    assert event.actor_username == "attache.bamako"
    assert event.extra["count"] == 1


# --- PDF -------------------------------------------------------------------------------------


def test_pdf_of_a_restricted_record_carries_the_marking_on_every_page(users, org, client_for):
    UnitFactory(
        code="DCI-LONG",
        name="Bureau des longues notes",
        parent=org.dci,
        marking=DR,
        description="\n".join(f"Paragraphe {i} de la note." for i in range(200)),
    )
    response = client_for(users.pilotage).get("/essai/unites/DCI-LONG/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pages = pdf_pages_text(response)
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert text.count("DIFFUSION RESTREINTE") >= 2, f"page {number}: haut et bas"
        assert f"Page {number} / {len(pages)}" in text
    assert "Bureau des longues notes" in pages[0]
    assert "Mention : Diffusion restreinte" in pages[0]


def test_pdf_of_a_non_protege_record_has_no_banner(users, org, client_for):
    response = client_for(users.pilotage).get(f"/essai/unites/{org.cabinet.code}/pdf/")
    text = "\n".join(pdf_pages_text(response))
    assert "DIFFUSION RESTREINTE" not in text
    assert "Mention : Non protégé" in text


def test_pdf_is_tagged_for_screen_readers(users, org, client_for):
    response = client_for(users.pilotage).get(f"/essai/unites/{org.cabinet.code}/pdf/")
    root = PdfReader(io.BytesIO(response.content)).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "fr"


def test_record_pdf_view_prints_fields_checks_scope_and_logs(users, staff, client_for):
    person = staff["madrid"]
    person.marking = DR
    person.save()
    url = f"/essai/agents/{person.pk}/pdf/"
    response = client_for(users.attache_madrid).get(url)
    assert response.status_code == 200
    text = "\n".join(pdf_pages_text(response))
    assert "DIFFUSION RESTREINTE" in text
    assert "Inès GARÇON" in text
    assert "Commissaire" in text and "Grade" in text
    event = AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(person.pk)).get()
    assert event.extra == {"format": "pdf"}
    assert event.actor_username == "attache.madrid"
    # Out of scope: 404; without the clearance: 404; anonymous: login.
    assert client_for(users.attache_bamako).get(url).status_code == 404
    users.attache_madrid.clearance = Marking.NON_PROTEGE
    users.attache_madrid.save(update_fields=["clearance"])
    assert client_for(users.attache_madrid).get(url).status_code == 404
    from django.test import Client

    assert Client().get(url).status_code == 302


def test_url_fetcher_serves_static_files_and_refuses_the_network():
    fetcher = local_url_fetcher()
    response = fetcher("http://testserver/static/relais/relais.css")
    assert b".relais-marking" in response.read()
    assert response.content_type == "text/css"
    with pytest.raises(FetchRefused):
        fetcher("https://fonts.example.org/marianne.woff2")
    with pytest.raises(FetchRefused):
        fetcher("http://testserver/static/../settings.py")
    assert static_file_for("/static/dsfr/dist/fonts/Marianne-Regular.woff") is not None
