"""Browser test of the module kit's list page on the information list (issue 15, point 6): the
filters are DSFR-styled, country and unit are selects of the referential (not free-text codes),
filtering by them works, and the page does not overflow a 1,280-pixel-wide window."""

import pytest

from relais.information import services
from relais.information.models import Theme
from tests.browser.support import assert_accessible, login, screenshot
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

WIDTH = 1280


def _report(author, country, title):
    return services.create_report(
        author,
        countries=[country],
        themes=list(Theme.objects.filter(code="drugs")),
        title=title,
        summary="Un go-fast doit livrer une cargaison la semaine prochaine.",
        source_reliability="B",
        information_credibility="2",
    )


def _page_width(page) -> int:
    return page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
    )


def test_information_filters_are_dsfr_selects_within_1280px(page, users, org):
    author = users.attache_madrid
    _report(author, org.spain, "Cargaison de résine de cannabis attendue à Algésiras")
    _report(author, org.mali, "Convoi de cocaïne signalé entre Gao et la frontière")
    login(page, "attache.madrid", PASSWORD)

    page.goto("/information/")
    assert page.get_by_role("heading", level=1).inner_text() == "Fiches d'information"
    filters = page.get_by_role("search")
    # Every widget of the filter form carries its DSFR class.
    for field in filters.locator("input:not([type=hidden]), select").all():
        assert {"fr-input", "fr-select"} & set(field.get_attribute("class").split())
    # Country and unit are selects of the referential, labelled in French.
    country = filters.get_by_label("Pays", exact=True)
    unit = filters.get_by_label("Unité d'origine", exact=True)
    assert country.evaluate("e => e.tagName") == "SELECT"
    assert unit.evaluate("e => e.tagName") == "SELECT"
    assert "Mali" in country.locator("option").all_inner_texts()
    assert org.madrid.unit.name in unit.locator("option").all_inner_texts()
    assert _page_width(page) <= WIDTH, f"la page déborde : {_page_width(page)} px > {WIDTH} px"
    screenshot(page, "information-liste-filtres")
    assert_accessible(page, "liste des fiches")

    country.select_option("ML")
    filters.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**country=ML**")
    table = page.locator("#table-fiches tbody")
    assert "Convoi de cocaïne" in table.inner_text()
    assert "Algésiras" not in table.inner_text()
    assert page.get_by_role("status").first.inner_text() == "1 résultat"
    assert page.get_by_role("search").get_by_label("Pays", exact=True).input_value() == "ML"
    assert _page_width(page) <= WIDTH
    screenshot(page, "information-liste-filtree-mali")
