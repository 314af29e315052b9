"""Against the server `make demo` starts (runserver, wsgiref, SQLite prepared by setup-demo):
every list exports in each format, and each demo role clicks through every home tile, landing
on a list whose total is the tile's count — never on an error page.

The Django test client and pytest-django's live server do not check what wsgiref checks (a
header that is not a `str` answered 500 there); this suite uses the real thing.
"""

import re

import pytest

from tests.browser.support import login

pytestmark = pytest.mark.browser

PASSWORD = "Relais-Demo-2026!"
ROLES = [
    "pilotage",
    "charge.afrique",
    "analyste",
    "attache.madrid",
    "attache.bamako",
    "correspondant.dgpn",
    "correspondant.dgef",
    "lecteur",
    "admin",
]
LISTS = [
    "/accords/",
    "/cooperation/",
    "/cooperation/programmes/",
    "/information/",
    "/reseau/sollicitations/",
    "/reseau/rapports/",
    "/organisation/postes/",
    "/organisation/pays/",
    "/organisation/unites/",
    "/organisation/partenaires/",
    "/organisation/agents/",
    "/pays/",
]
TOTAL = re.compile(r"([\d\s\u202f\u00a0]+)\s*résultat")
ERROR_TITLES = ("Page introuvable", "Accès refusé", "Erreur du serveur", "Requête incorrecte")


def test_every_list_exports_in_each_format(demo_page):
    login(demo_page, "pilotage", PASSWORD)
    for url in LISTS:
        for fmt in ("csv", "xlsx"):
            response = demo_page.request.get(f"{url}?export={fmt}")
            assert response.status == 200, f"{url}?export={fmt}: {response.status}"
            assert "attachment" in response.headers["content-disposition"], url
            assert response.headers["x-relais-marking"] in {"non_protege", "diffusion_restreinte"}
            assert len(response.body()) > 100, url


@pytest.mark.parametrize("username", ROLES)
def test_every_home_tile_opens_a_list_of_its_count(demo_page, username):
    page = demo_page
    login(page, username, PASSWORD)
    tiles = page.locator(".fr-tile")
    wanted = []
    for index in range(tiles.count()):
        tile = tiles.nth(index)
        link = tile.locator("a").first
        count = tile.locator(".relais-count")
        wanted.append(
            (
                link.inner_text().strip(),
                link.get_attribute("href"),
                int(re.sub(r"\D", "", count.inner_text())) if count.count() else None,
            )
        )
    assert wanted, f"{username}: aucune tuile"
    for label, href, count in wanted:
        page.goto("/")
        page.locator(".fr-tile").filter(has_text=label).first.locator("a").first.click()
        page.wait_for_load_state()
        title = page.locator("h1").first.inner_text().strip()
        assert title not in ERROR_TITLES, f"{username} « {label} » → {page.url} : {title}"
        status = page.locator('[role="status"]').filter(has_text="résultat")
        if count is None or "#" in href or not status.count():
            continue
        total = int(re.sub(r"\D", "", TOTAL.search(status.first.inner_text()).group(1)))
        assert total == count, f"{username} « {label} » : {count} sur l'accueil, {total} ici"
