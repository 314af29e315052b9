"""Content-Security-Policy: every response carries the header (no inline script or style
allowed, never framed), and the main pages, walked as several roles, hold no inline script, no
`<style>` block and no `style=` attribute — so the policy breaks nothing."""

import re

import pytest
from django.test import Client

from relais.information.workflows import ReportStatus

PAGES = [
    "/",
    "/information/",
    "/information/nouvelle/",
    "/information/file-analyste/",
    "/information/reception/",
    "/information/suivi/",
    "/information/statistiques/",
    "/information/dossiers/",
    "/cooperation/",
    "/cooperation/actions/nouvelle/",
    "/cooperation/portefeuille/",
    "/cooperation/statistiques/",
    "/cooperation/autres-bailleurs/",
    "/cooperation/programmes/",
    "/accords/",
    "/accords/echeances/",
    "/reseau/",
    "/reseau/sollicitations/",
    "/reseau/rapports/",
    "/article-1/",
    "/article-1/competence/",
    "/organisation/",
    "/organisation/unites/",
    "/organisation/postes/",
    "/organisation/pays/",
    "/organisation/partenaires/",
    "/organisation/agents/",
    "/pays/",
    "/pays/ES/",
    "/pays/ML/",
    "/recherche/?q=cannabis",
    "/notifications/",
    "/audit/",
    "/compte/",
    "/api/v1/docs/",
]
ROLES = ["pilotage", "analyste", "attache_madrid", "correspondant_ofast", "lecteur", "admin"]
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
)
STYLE_BLOCK = re.compile(r"<style\b", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()
    }


def _inline(html: str) -> list[str]:
    found = []
    for name, pattern in (
        ("script", INLINE_SCRIPT),
        ("<style>", STYLE_BLOCK),
        ("style=", STYLE_ATTRIBUTE),
        ("on…=", EVENT_HANDLER),
    ):
        found += [f"{name}: {m.group(0)[:120]}" for m in pattern.finditer(html)]
    return found


def test_every_response_carries_the_policy(client, db):
    for url in ("/compte/connexion/", "/healthz", "/api/v1/information/reports/", "/nulle-part/"):
        policy = _policy(client.get(url))
        assert policy["frame-ancestors"] == "'none'"
        assert policy["script-src"] == "'self'"
        assert policy["style-src"] == "'self'"
        assert "unsafe-inline" not in " ".join(policy.values())


@pytest.mark.parametrize("role", ROLES)
def test_main_pages_hold_no_inline_script_nor_style(role, a_users, a_org, make_report):
    make_report(status=ReportStatus.DISSEMINATED, recipients=[a_org.ofast])
    make_report(status=ReportStatus.SUBMITTED, countries=[a_org.mali], theme_codes=("terrorism",))
    client = Client()
    client.force_login(getattr(a_users, role))
    problems = {}
    report_pages = [f"/information/{pk}/" for pk in _visible_reports(a_users, role)]
    for url in [*PAGES, *report_pages]:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        assert _policy(response)["frame-ancestors"] == "'none'"
        found = _inline(response.content.decode())
        if found:
            problems[url] = found[:3]
    assert problems == {}, "\n".join(f"{u}: {p}" for u, p in problems.items())


def _visible_reports(a_users, role):
    from relais.information.models import InformationReport

    return InformationReport.objects.visible_to(getattr(a_users, role)).values_list("pk", flat=True)
