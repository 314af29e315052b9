"""Browser journey of mission k: a chargé de mission opens an agreement and moves it along its
circuit; a correspondent finds it under « Accords de ma direction ». Every page passes axe-core
(no serious or critical violation)."""

import pytest

from tests.browser.support import assert_accessible, login, screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_open_an_agreement_and_move_it(page, browser, live_server, users, k_org):
    login(page, users.charge_afrique.username, PASSWORD)
    page.goto("/accords/")
    assert_accessible(page, "liste des accords")
    page.get_by_role("link", name="Nouvel accord").click()
    assert_accessible(page, "nouvel accord")
    page.get_by_label("Nature (obligatoire)").select_option("technical_arrangement")
    page.get_by_label("Intitulé (obligatoire)").fill("Arrangement de formation (navigateur)")
    page.get_by_label("Pays partenaires").select_option(label="Algérie")
    page.locator("label", has_text="DGPN — Direction générale de la police nationale").click()
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("heading", level=1, name="Arrangement de formation (navigateur)").wait_for()
    assert_accessible(page, "page de l'accord")
    screenshot(page, "accord-initiative")
    page.get_by_role("button", name="Engager la préparation technique").click()
    assert page.locator("#etat-actuel").text_content().strip() == "Préparation technique"

    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    other = context.new_page()
    login(other, users.correspondant_dgpn.username, PASSWORD)
    other.goto("/accords/ma-direction/")
    assert_accessible(other, "accords de ma direction")
    assert other.get_by_role("link", name="Arrangement de formation (navigateur)").count() == 1
    context.close()
