"""Two roles walk Relais in Chromium: navigation, « L'article 1 », a post and its staff.

The attaché of Bamako and the pilotage user see the same post page differently: staff details
are for the post itself and DCI headquarters only. Every page visited is checked with axe-core
and saved as a screenshot (test-artifacts/screenshots/).
"""

import re

import pytest

from tests.browser.support import assert_accessible, login, screenshot
from tests.factories import PASSWORD, AssignmentFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAV_LABELS = ["Accueil", "Organisation", "Pays", "L'article 1"]


@pytest.fixture
def madrid_staff(org):
    person = PersonFactory(
        first_name="Hélène",
        last_name="Garnier",
        unit=org.madrid.unit,
        grade="Commissaire divisionnaire",
    )
    AssignmentFactory(person=person, unit=org.madrid.unit, function="asi")
    return person


def _nav(page):
    return page.locator("#navigation-principale")


def test_pilotage_walks_navigation_article_and_post(page, users, madrid_staff):
    login(page, "pilotage", PASSWORD)
    nav = _nav(page)
    for label in NAV_LABELS:
        assert nav.get_by_role("link", name=re.compile(re.escape(label))).count() >= 1, label
    # Pilotage has the audit page in its navigation; the attaché will not.
    assert nav.get_by_role("link", name="Audit").count() == 1
    screenshot(page, "pilotage-accueil")

    nav.get_by_role("link", name=re.compile("L'article 1")).click()
    page.wait_for_url(re.compile(r".*/article-1/$"))
    assert page.get_by_role("heading", level=1).inner_text().strip().startswith("L")
    assert page.locator("mark.relais-verb").count() > 10
    assert_accessible(page, "article 1 (pilotage)")
    screenshot(page, "pilotage-article-1")

    nav.get_by_role("link", name="Organisation").click()
    page.goto("/organisation/postes/")
    assert_accessible(page, "liste des postes")
    page.get_by_role("link", name=re.compile("Madrid")).first.click()
    page.wait_for_url(re.compile(r".*/organisation/postes/SSI-MADRID/$"))
    content = page.locator("main")
    assert content.get_by_text("Hélène").count() >= 1
    assert content.get_by_text("Andorre").count() >= 1
    assert_accessible(page, "poste de Madrid (pilotage)")
    screenshot(page, "pilotage-poste-madrid")


def test_attache_of_another_post_sees_the_post_but_not_its_staff(page, users, madrid_staff):
    login(page, "attache.bamako", PASSWORD)
    nav = _nav(page)
    assert nav.get_by_role("link", name="Audit").count() == 0
    # The attaché's home page leads to their own post.
    assert page.locator("main").get_by_text(re.compile("Mon poste")).count() >= 1
    screenshot(page, "attache-bamako-accueil")

    page.goto("/organisation/postes/SSI-MADRID/")
    content = page.locator("main")
    assert content.get_by_text("Espagne").count() >= 1
    assert content.get_by_text("Hélène").count() == 0
    assert content.get_by_text(re.compile("ne sont visibles que du poste")).count() == 1
    assert_accessible(page, "poste de Madrid (attaché de Bamako)")
    screenshot(page, "attache-bamako-poste-madrid")

    # Their own post shows its page and the article page is there for every role.
    page.goto("/organisation/postes/SSI-BAMAKO/")
    assert page.locator("main").get_by_text("Mali").count() >= 1
    nav.get_by_role("link", name=re.compile("L'article 1")).click()
    page.wait_for_url(re.compile(r".*/article-1/$"))
    assert_accessible(page, "article 1 (attaché)")


def test_keyboard_user_can_skip_to_content(page, users):
    login(page, "lecteur", PASSWORD)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#contenu"
