"""The panel and count registries: an app adds a panel or a column without touching `countries`."""

import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relais.countries import panels as registry
from relais.countries.panels import CountryCount, Panel
from relais.referential.models import Country


def test_referential_panels_are_autodiscovered():
    # CountriesConfig.ready() imported every installed app's `panels` module.
    assert "relais.referential.panels" in sys.modules
    panels = {p.key: p for p in registry.registered_panels()}
    assert [panels[k].order for k in ("posts", "zone", "partners")] == [10, 20, 30]
    assert panels["posts"].build.__module__ == "relais.referential.panels"
    counts = [c.key for c in registry.registered_counts()]
    assert {"posts", "partners"} <= set(counts)


@pytest.fixture
def extra_panels():
    """Two panels an imaginary module registers: one shown, one hidden (build returns None)."""

    def build_agreements(country, user):
        assert user.is_authenticated
        return {
            "count": 3,
            "items": [{"label": f"Accord de sécurité intérieure avec {country.name}", "url": ""}],
            "marking": "non_protege",
            "signed": country.created_at.date(),
        }

    def serialize(data):
        return {"agreements": [item["label"] for item in data["items"]], "signed": data["signed"]}

    calls = []

    def count_agreements(user):
        calls.append(user)
        return dict.fromkeys(Country.objects.visible_to(user).values_list("pk", flat=True), 7)

    registry.register(
        Panel("test-accords", "Accords fictifs", 15, build_agreements, serialize=serialize)
    )
    registry.register(Panel("test-cache", "Jamais affiché", 5, lambda country, user: None))
    registry.register_count(
        CountryCount("test-accords", "Accords fictifs", count_agreements, order=5)
    )
    yield calls
    registry.unregister("test-accords")
    registry.unregister("test-cache")
    registry.unregister_count("test-accords")


def test_registered_panel_appears_in_order_on_the_page(users, client_for, sheet_data, extra_panels):
    html = client_for(users.pilotage).get("/pays/ES/").content.decode()
    assert "Accord de sécurité intérieure avec Espagne" in html  # generic template
    assert "Jamais affiché" not in html
    order = [html.index(f'id="rubrique-{key}"') for key in ("posts", "test-accords", "zone")]
    assert order == sorted(order)
    assert "<li>Accords fictifs : 3</li>" in html  # counted in the chart


def test_registered_panel_in_the_api_uses_its_serializer(
    users, client_for, sheet_data, extra_panels
):
    body = client_for(users.pilotage).get("/api/v1/countries/ES/sheet/").json()
    keys = [p["key"] for p in body["panels"]]
    assert "test-cache" not in keys
    assert keys.index("posts") < keys.index("test-accords") < keys.index("zone")
    agreements = body["panels"][keys.index("test-accords")]
    assert agreements["title"] == "Accords fictifs"
    assert agreements["count"] == 3
    assert agreements["data"]["agreements"] == ["Accord de sécurité intérieure avec Espagne"]
    assert isinstance(agreements["data"]["signed"], str)  # a date, serialised


def test_registered_count_adds_a_column_in_one_call(users, client_for, sheet_data, extra_panels):
    html = client_for(users.pilotage).get("/pays/").content.decode()
    assert "Accords fictifs<span" in html
    assert len(extra_panels) == 1, "a count is asked once per page, not once per country"
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    assert body.count('<td class="relais-num">7</td>') == 3


def test_register_replaces_by_key(extra_panels):
    before = len(registry.registered_panels())
    registry.register(Panel("test-accords", "Accords fictifs (v2)", 15, lambda c, u: None))
    assert len(registry.registered_panels()) == before
    assert [p.title for p in registry.registered_panels() if p.key == "test-accords"] == [
        "Accords fictifs (v2)"
    ]


def test_each_count_is_one_grouped_query(users, sheet_data):
    for count in registry.registered_counts():
        with CaptureQueriesContext(connection) as ctx:
            result = count.count_by_country(users.pilotage)
        assert len(ctx.captured_queries) == 1, count.key
        assert all(isinstance(k, int) and isinstance(v, int) for k, v in result.items())


def test_highest_marking():
    assert registry.highest_marking([]) == "non_protege"
    assert registry.highest_marking(["non_protege", "diffusion_restreinte"]) == (
        "diffusion_restreinte"
    )
