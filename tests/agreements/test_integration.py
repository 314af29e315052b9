"""Mission k in the shared mechanisms: country sheet panel and overview count, « L'article 1 »
count, search, navigation and home sections — each scoped by `visible_to`."""

import pytest

from relais.agreements.models import Agreement
from relais.core.search.index import rebuild
from relais.legal.counts import counts_for
from tests.agreements.conftest import to_in_force


@pytest.fixture
def mali_agreement(make_agreement, k_org, users):
    agreement = make_agreement(title="Accord de test avec le Mali", countries=[k_org.mali])
    return to_in_force(agreement, users.pilotage)


def test_country_sheet_panel_is_scoped(mali_agreement, users, client_for):
    bamako = client_for(users.attache_bamako).get("/pays/ML/").content.decode()
    assert "Accords de sécurité intérieure et arrangements techniques" in bamako
    assert "Accord de test avec le Mali" in bamako
    other = client_for(users.correspondant_dgef).get("/pays/ML/").content.decode()
    assert "Accord de test avec le Mali" not in other
    data = client_for(users.pilotage).get("/api/v1/countries/ML/sheet/").json()
    text = str(data)
    assert "Accord de test avec le Mali" in text and "en vigueur" in text


def test_overview_count(mali_agreement, users, client_for):
    from relais.agreements.panels import count_agreements

    assert count_agreements(users.pilotage) == {mali_agreement.countries.get().pk: 1}
    assert count_agreements(users.correspondant_dgef) == {}
    assert count_agreements(users.admin) == {}


def test_article_count_under_k(mali_agreement, users, client_for):
    lines = counts_for(users.pilotage)["k"]
    line = next(line for line in lines if "Accords" in line.label)
    assert line.count == 1 and line.url == "/accords/"
    hidden = next(
        line for line in counts_for(users.correspondant_dgef)["k"] if "Accords" in line.label
    )
    assert hidden.count == 0
    assert (
        "Accords de sécurité intérieure et arrangements techniques"
        in client_for(users.pilotage).get("/article-1/").content.decode()
    )


def test_search_finds_only_visible_agreements(mali_agreement, users, client_for):
    rebuild()
    found = client_for(users.pilotage).get("/api/v1/search/?q=Mali").json()
    titles = [r["title"] for g in found["groups"] for r in g["results"]]
    assert "Accord de test avec le Mali" in titles
    hidden = client_for(users.correspondant_dgef).get("/api/v1/search/?q=Mali").json()
    assert "Accord de test avec le Mali" not in [
        r["title"] for g in hidden["groups"] for r in g["results"]
    ]


def test_navigation_and_home(mali_agreement, users, client_for):
    home = client_for(users.pilotage).get("/").content.decode()
    assert 'href="/accords/"' in home
    assert "Accords de sécurité intérieure (k)" in home
    correspondent = client_for(users.correspondant_dgpn).get("/").content.decode()
    assert "Accords négociés pour ma direction (k)" in correspondent
    assert "/accords/ma-direction/" in correspondent
    attache = client_for(users.attache_bamako).get("/").content.decode()
    assert "Accords avec les pays du poste (k)" in attache


def test_administrator_sees_no_agreement_anywhere(mali_agreement, users, client_for):
    client = client_for(users.admin)
    assert Agreement.objects.visible_to(users.admin).count() == 0
    assert "Accord de test avec le Mali" not in client.get("/accords/").content.decode()
    assert client.get("/api/v1/agreements/").json()["count"] == 0
