"""Browser journey: from the menu to the world overview, filter, open a sheet (accessible)."""

import pytest

# The `browser` and `page` fixtures live in tests/browser/support.py; importing them registers
# them for this module only.
from tests.browser.support import assert_accessible, login, screenshot
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_overview_then_sheet(live_server, request, users, sheet_data):
    tab = request.getfixturevalue("page")
    login(tab, "attache.bamako", PASSWORD)
    tab.get_by_role("link", name="Pays", exact=True).first.click()
    assert tab.get_by_role("heading", level=1).inner_text() == "Pays"
    assert_accessible(tab, "vue d'ensemble des pays")
    screenshot(tab, "pays-vue-ensemble")
    tab.get_by_label("Zone", exact=True).select_option("europe")
    tab.get_by_role("button", name="Filtrer").click()
    assert "zone=europe" in tab.url
    assert tab.get_by_role("link", name="Mali").count() == 0
    tab.get_by_role("link", name="Espagne").click()
    assert tab.get_by_role("heading", level=1).inner_text() == "Espagne"
    assert tab.get_by_role("img", name="Nombre d'éléments par rubrique de la fiche Espagne")
    assert tab.get_by_text("SSI Madrid").count() >= 1
    assert tab.get_by_text("Claire DUMOULIN").count() == 0
    assert_accessible(tab, "fiche pays Espagne")
    screenshot(tab, "fiche-pays-espagne")
