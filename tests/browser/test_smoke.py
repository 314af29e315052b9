"""Browser smoke test: login page and home page render in Chromium, in French, accessibly."""

import pytest

from tests.browser.support import assert_accessible, login, screenshot
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_login_then_home(page, users):
    page.goto("/")
    assert "/compte/connexion/" in page.url
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_accessible(page, "connexion")
    screenshot(page, "connexion")
    login(page, "pilotage", PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Bonjour")
    assert_accessible(page, "accueil pilotage")
    screenshot(page, "accueil-pilotage")
