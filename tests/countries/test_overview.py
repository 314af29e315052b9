"""The world overview: one row per country, registered counts, filters, sort, chart, exports."""

import csv
import io
import re

from tests.matrix import Persona, check_matrix


def main_of(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def headers_of(main: str) -> list[str]:
    """Column titles (without the screen-reader hint and the sort arrow)."""
    headers = re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", main, re.S)
    return [_text(h).split(" — ")[0] for h in headers]


#: The referential's columns; other modules add theirs, which these tests leave aside.
COLUMNS = ["Pays", "Zone", "Poste(s)", "Postes", "Organismes partenaires"]


def rows_of(main: str, columns=COLUMNS) -> list[list[str]]:
    """The table's body rows as lists of cell texts, for `columns` only."""
    headers = headers_of(main)
    body = main[main.index("<tbody>") : main.index("</tbody>")]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if len(cells) == 1:  # the "no country" row
            rows.append(cells)
            continue
        rows.append([cells[headers.index(column)] for column in columns])
    return rows


def test_overview_matrix(users, sheet_data):
    responses = check_matrix(
        "/pays/",
        anonymous=Persona.LOGIN,
        other_unit=(users.correspondant_dgef, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.pilotage, 200),
    )
    assert "Espagne" in responses["read_only"].content.decode()


def test_one_row_per_country_with_zone_posts_and_counts(users, client_for, sheet_data):
    main = main_of(client_for(users.pilotage).get("/pays/"))
    assert main.count("<h1") == 1
    assert "<caption>" in main
    headers = headers_of(main)
    assert headers[:3] == ["Pays", "Zone", "Poste(s)"]
    assert headers.index("Postes") < headers.index("Organismes partenaires")
    rows = rows_of(main)
    assert rows == [
        ["Andorre AD", "Europe", "SSI Madrid", "1", "0"],
        ["Espagne ES", "Europe", "SSI Madrid", "1", "2"],
        ["Mali ML", "Afrique, Afrique du Nord et Moyen-Orient", "SSI Bamako", "1", "1"],
    ]
    assert 'href="/pays/ES/"' in main


def test_counts_follow_visibility(users, client_for, sheet_data):
    # The administrator does not hold "diffusion restreinte": one partner body in Spain.
    rows = rows_of(main_of(client_for(users.admin).get("/pays/")))
    assert ["Espagne ES", "Europe", "SSI Madrid", "1", "1"] in rows


def test_filter_by_zone_and_text(users, client_for, sheet_data):
    client = client_for(users.pilotage)
    europe = rows_of(main_of(client.get("/pays/", {"zone": "europe"})))
    assert [r[0] for r in europe] == ["Andorre AD", "Espagne ES"]
    mali = rows_of(main_of(client.get("/pays/", {"q": "mal"})))
    assert [r[0] for r in mali] == ["Mali ML"]
    by_code = rows_of(main_of(client.get("/pays/", {"q": "esp"})))
    assert [r[0] for r in by_code] == ["Espagne ES"]
    nothing = main_of(client.get("/pays/", {"q": "atlantide"}))
    assert "Aucun pays ne correspond à ces critères." in nothing


def test_unknown_zone_is_a_form_error_not_a_crash(users, client_for, sheet_data):
    main = main_of(client_for(users.pilotage).get("/pays/", {"zone": "nulle-part"}))
    assert "fr-select-group--error" in main
    assert "fr-error-text" in main
    assert rows_of(main) == [["Aucun pays ne correspond à ces critères."]]


def test_sort_by_count_and_back(users, client_for, sheet_data):
    client = client_for(users.pilotage)
    desc = rows_of(main_of(client.get("/pays/", {"tri": "-partners"})))
    assert [r[0] for r in desc] == ["Espagne ES", "Mali ML", "Andorre AD"]
    asc = rows_of(main_of(client.get("/pays/", {"tri": "partners"})))
    assert [r[0] for r in asc] == ["Andorre AD", "Mali ML", "Espagne ES"]
    main = main_of(client.get("/pays/", {"tri": "-partners", "zone": "europe"}))
    assert [r[0] for r in rows_of(main)] == ["Espagne ES", "Andorre AD"]
    # The sorted column says so, and its link reverses the order, keeping the filters.
    assert 'aria-sort="descending"' in main
    assert 'href="?zone=europe&amp;tri=partners"' in main
    # An unknown sort key falls back to the name order.
    fallback = rows_of(main_of(client.get("/pays/", {"tri": "n_importe_quoi"})))
    assert [r[0] for r in fallback] == ["Andorre AD", "Espagne ES", "Mali ML"]


def test_overview_chart_is_inline_svg(users, client_for, sheet_data):
    main = main_of(client_for(users.pilotage).get("/pays/"))
    svg = re.search(r"<svg\b[^>]*>", main)
    assert svg
    assert 'aria-label="Pays par zone et pays couverts par un poste"' in svg.group(0)
    assert "<script" not in main
    chart = main[main.index("<svg") : main.index("</svg>")]
    assert "Europe" in chart
    assert "Pays couverts par un poste" in chart


def test_export_links_keep_the_filters(users, client_for, sheet_data):
    main = main_of(client_for(users.pilotage).get("/pays/", {"zone": "europe"}))
    assert 'href="?zone=europe&amp;export=csv"' in main
    assert 'href="?zone=europe&amp;export=xlsx"' in main


def test_csv_export_has_what_the_filters_show(users, client_for, sheet_data):
    response = client_for(users.pilotage).get(
        "/pays/", {"zone": "europe", "tri": "-partners", "export": "csv"}
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    text = text.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";" if ";" in text else ","))
    header = next(line for line in lines if "Pays" in line)
    assert header[:4] == ["Pays", "Code ISO", "Zone", "Poste(s)"]
    assert "Organismes partenaires" in header
    data = [line for line in lines if line and line[0] in {"Espagne", "Andorre", "Mali"}]
    assert [line[0] for line in data] == ["Espagne", "Andorre"]
    spain = data[0]
    assert spain[header.index("Organismes partenaires")] == "2"
    assert spain[header.index("Poste(s)")] == "SSI Madrid"


def test_xlsx_export(users, client_for, sheet_data):
    from openpyxl import load_workbook

    response = client_for(users.pilotage).get("/pays/", {"q": "mali", "export": "xlsx"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content if response.streaming else [response.content])
    sheet = load_workbook(io.BytesIO(content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert any(row and row[0] == "Mali" for row in values)
    assert not any(row and row[0] == "Espagne" for row in values)
