"""The country sheet page: assembly from panels, content, visibility per persona, chart, PDF link."""

import re

import pytest

from tests.matrix import Persona, check_matrix


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_sheet_matrix_every_signed_in_user_reads_no_one_writes(users, sheet_data):
    responses = check_matrix(
        "/pays/ES/",
        anonymous=Persona.LOGIN,
        other_unit=(users.attache_bamako, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.attache_madrid, 200),
    )
    assert "Espagne" in responses["read_only"].content.decode()
    # The sheet is a read-only page: writes are refused, whoever asks.
    check_matrix(
        "/pays/ES/",
        method="post",
        data={},
        anonymous=Persona.LOGIN,
        other_unit=(users.attache_bamako, 405),
        read_only=(users.lecteur, 405),
        right_user=(users.pilotage, 405),
    )


def test_sheet_shows_post_zone_and_partners(users, client_for, sheet_data):
    html = html_of(client_for(users.pilotage).get("/pays/ES/"))
    main = main_of(html)
    assert main.count("<h1") == 1
    assert re.search(r"<h1[^>]*>\s*Espagne\s*</h1>", main)
    assert "SSI Madrid" in main
    assert "Ambassade de France en Espagne" in main
    assert "Poste résident à Madrid" in main
    # Zone and the other countries of the zone, linked to their sheets.
    assert "Europe" in main
    assert 'href="/pays/AD/"' in main
    # Partner bodies based in Spain, not those of Mali.
    assert "Guardia Civil" in main
    assert "Institution étrangère" in main
    assert "Police nationale malienne" not in main
    # Breadcrumb: Accueil › Pays › Espagne.
    assert 'class="fr-breadcrumb"' in html
    assert '<a class="fr-breadcrumb__link" href="/pays/">Pays</a>' in html
    assert '<a class="fr-breadcrumb__link" aria-current="page">Espagne</a>' in html
    assert "<title>Fiche pays : Espagne — Relais</title>" in html


def test_panels_come_in_registered_order(users, client_for, sheet_data):
    main = main_of(html_of(client_for(users.pilotage).get("/pays/ES/")))
    positions = [main.index(f'id="rubrique-{key}"') for key in ("posts", "zone", "partners")]
    assert positions == sorted(positions)


def test_iso_code_is_case_insensitive_and_unknown_is_404(users, client_for, sheet_data):
    client = client_for(users.pilotage)
    assert "Espagne" in html_of(client.get("/pays/es/"))
    assert "Espagne" in html_of(client.get("/pays/Es/"))
    assert client.get("/pays/ZZ/").status_code == 404
    assert client.get("/pays/ESP/").status_code == 404
    assert client.get("/pays/1x/").status_code == 404


def test_country_covered_from_another_country_names_the_host(users, client_for, sheet_data):
    main = main_of(html_of(client_for(users.pilotage).get("/pays/AD/")))
    assert "SSI Madrid" in main
    assert "Pays couvert depuis Madrid" in main
    assert '<a href="/pays/ES/">Espagne</a>' in main


def test_country_without_post_or_partner_says_so(users, client_for, org):
    from tests.factories import CountryFactory

    CountryFactory(code="IS", code3="ISL", name="Islande", zone=None)
    main = main_of(html_of(client_for(users.pilotage).get("/pays/IS/")))
    assert "Aucun poste de sécurité intérieure ne couvre ce pays." in main
    assert "Ce pays n’est rattaché à aucune zone." in main
    assert "Aucun organisme partenaire n’a son siège dans ce pays." in main


@pytest.mark.parametrize("who", ["attache_madrid", "pilotage"])
def test_post_staff_visible_to_the_post_and_headquarters(users, client_for, sheet_data, who):
    main = main_of(html_of(client_for(getattr(users, who)).get("/pays/ES/")))
    assert "SSI Madrid" in main
    assert f'<a href="/organisation/agents/{sheet_data.madrid_asi.pk}/">Claire DUMOULIN</a>' in main
    assert "Attaché de sécurité intérieure" in main
    assert "Commissaire divisionnaire, Police nationale" in main
    assert "01/09/2023" in main
    # A past assignment is not current staff.
    assert "Paul ANCIEN" not in main


def test_other_post_sees_the_post_but_not_its_staff(users, client_for, sheet_data):
    main = main_of(html_of(client_for(users.attache_bamako).get("/pays/ES/")))
    assert "SSI Madrid" in main
    assert "Ambassade de France en Espagne" in main
    assert "Claire DUMOULIN" not in main
    assert "Aucun agent en poste que vos droits permettent de consulter." in main
    # …while on Mali's sheet the Bamako attaché sees their own post's staff.
    mali = main_of(html_of(client_for(users.attache_bamako).get("/pays/ML/")))
    assert "Marc KEITA" in mali


def test_restricted_partner_needs_the_clearance_and_raises_the_banner(
    users, client_for, sheet_data
):
    # pilotage holds "diffusion restreinte": the body shows, and so does the marking banner.
    html = html_of(client_for(users.pilotage).get("/pays/ES/"))
    assert "Unité conjointe restreinte" in html
    assert "relais-marking" in html
    # The administrator reads only "non protégé": neither the body nor the banner.
    html = html_of(client_for(users.admin).get("/pays/ES/"))
    assert "Guardia Civil" in html
    assert "Unité conjointe restreinte" not in html
    assert "relais-marking" not in html


def test_sheet_has_inline_svg_chart_and_its_text(users, client_for, sheet_data):
    main = main_of(html_of(client_for(users.pilotage).get("/pays/ES/")))
    svg = re.search(r"<svg\b[^>]*>", main)
    assert svg, "the chart is inline SVG"
    assert 'role="img"' in svg.group(0)
    assert 'aria-label="Nombre d&#x27;éléments par rubrique de la fiche Espagne"' in svg.group(0)
    assert "<script" not in main
    # Same figures as text: 1 post, 2 partner bodies.
    assert "<li>Postes et effectifs : 1</li>" in main
    assert "<li>Organismes partenaires : 2</li>" in main
    # The chart counts what the user may see: 1 partner body for non-cleared admin.
    admin = main_of(html_of(client_for(users.admin).get("/pays/ES/")))
    assert "<li>Organismes partenaires : 1</li>" in admin


def test_sheet_links_to_its_pdf(users, client_for, sheet_data):
    main = main_of(html_of(client_for(users.pilotage).get("/pays/es/")))
    assert '<a class="fr-btn fr-btn--secondary fr-icon-download-line" href="/pays/ES/pdf/">' in main
    assert "Télécharger la fiche en PDF" in main
