"""Browser-test support, a pytest plugin loaded by tests/conftest.py: Playwright for Python
driving Debian's Chromium against the live server.

Screenshots are saved under test-artifacts/screenshots/ (kept by CI as artefacts). Every page a
test visits can be checked with `assert_accessible(page)` (axe-core: no serious or critical
violation), and no page may break the Content-Security-Policy (the `page` fixture fails the test
on any violation reported).
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("RELAIS_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread, while the test still uses the ORM.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium introuvable ({CHROMIUM}) : lancez `make test`, qui l'installe.")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


#: Reports every Content-Security-Policy violation of a page to the console (the init script is
#: Playwright's own, not subject to the policy).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.set_default_timeout(15000)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url} : {message.text}")
            if "CSP violation" in message.text or "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert not violations, "Content-Security-Policy enfreinte : " + " ; ".join(violations[:5])


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_accessible(page, name: str = "") -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [
        v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}
    ]
    details = "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in serious
    )
    assert not serious, f"Accessibilité {name or page.url} : {details}"


def login(page, username: str, password: str) -> None:
    page.goto("/compte/connexion/")
    page.get_by_label("Identifiant", exact=True).fill(username)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r".*/$"))


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """Relais served as `make demo` serves it: `relais setup-demo` on a fresh data folder (SQLite,
    whatever DATABASE_URL says), then `relais runserver --noreload` (wsgiref) on a free port.
    Yields the base URL; the server is stopped at the end of the session."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    data = tmp_path_factory.mktemp("demo-server")
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(RELAIS_DATA_DIR=str(data), RELAIS_ENV="demo")
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    relais = [sys.executable, "-m", "relais.cli"]
    subprocess.run([*relais, "setup-demo"], env=env, check=True, capture_output=True, timeout=600)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (data / "server.log").open("w")
    server = subprocess.Popen(
        [*relais, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"Le serveur de démonstration ne répond pas : {data / 'server.log'}")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture
def demo_page(browser, demo_server):
    """A page on the server `make demo` starts (see `demo_server`)."""
    context = browser.new_context(
        base_url=demo_server, locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(30000)
    yield page
    context.close()
