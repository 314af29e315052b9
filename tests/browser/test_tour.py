"""A tour of Relais on the full demo data, as five roles would take it, in Chromium.

Every page visited must answer, have exactly one <h1>, speak French (no Django or DRF English
boilerplate) and pass axe-core without serious or critical violations. Screenshots of each page
are saved in test-artifacts/screenshots/ for a human look.
"""

import re

import pytest
import yaml
from django.core.management import call_command

from relais.referential.loaders import DATA_DIR
from tests.browser.support import assert_accessible, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENGLISH = re.compile(
    r"\b(Page not found|Server Error|Forbidden|Not Found|Submit|Save|Search|Log ?out|Cancel|"
    r"Previous|Next|This field is required)\b"
)

TOURS = {
    "pilotage": [
        "/",
        "/organisation/",
        "/organisation/unites/",
        "/organisation/postes/",
        "/pays/",
        "/pays/ES/",
        "/article-1/",
        "/article-1/competence/",
        "/recherche/?q=madrid",
        "/audit/",
        "/notifications/",
        "/compte/",
        "/information/",
        "/reseau/",
        "/accords/",
        "/cooperation/",
    ],
    "analyste": ["/", "/information/", "/information/file-analyste/", "/recherche/?q=stupefiants"],
    "attache.madrid": ["/", "/organisation/postes/SSI-MADRID/", "/reseau/", "/pays/AD/"],
    "correspondant.dgpn": ["/", "/information/reception/", "/accords/", "/cooperation/"],
    "admin": ["/", "/organisation/unites/DGPN/", "/organisation/unites/DGPN/modifier/"],
}


@pytest.fixture
def demo_data():
    call_command("load_reference", verbosity=0)
    call_command("load_demo", verbosity=0)
    accounts = yaml.safe_load((DATA_DIR / "demo" / "accounts.yaml").read_text(encoding="utf-8"))
    return accounts["password"]


@pytest.mark.parametrize("username", list(TOURS))
def test_tour(page, demo_data, username):
    login(page, username, demo_data)
    for url in TOURS[username]:
        response = page.goto(url)
        assert response is not None and response.status < 400, (
            f"{username} {url}: {response and response.status}"
        )
        assert page.locator("h1").count() == 1, f"{username} {url}: un seul <h1> attendu"
        text = page.locator("main").inner_text()
        assert not ENGLISH.search(text), (
            f"{username} {url}: texte anglais « {ENGLISH.search(text).group(0)} »"
        )
        assert_accessible(page, f"{username} {url}")
        screenshot(page, f"tour-{username}-{url}")
