"""Mission a's recipients (article 1, a: « leur transmission aux directions et services
concernés de la police et de la gendarmerie nationales »), and re-dissemination (issue 16, 3):
nothing leaves the police and the gendarmerie, nothing is re-sent once the report is closed."""

import json

import pytest

from relais.information import services
from relais.information.models import (
    RECIPIENTS_QUOTE,
    Dissemination,
    InformationReport,
    RoutingRule,
    Theme,
    mission_a_recipients,
)
from relais.information.workflows import ReportStatus
from relais.legal.article import load_article
from relais.referential.models import UnitKind
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/information"


def offered(page: str, unit) -> bool:
    """The unit is one of the form's checkboxes."""
    return f'name="units" value="{unit.pk}"' in page


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


@pytest.fixture
def elsewhere(a_org):
    """Units that are not the police's nor the gendarmerie's: inside the ministry (DGEF and its
    immigration directorate, the DGSCGC's crisis centre) and outside it (MEAE)."""
    dgscgc = UnitFactory(
        code="DGSCGC", short_name="DGSCGC", kind=UnitKind.DIRECTORATE, parent=a_org.mi
    )
    return {
        "DGEF": a_org.dgef,
        "DGEF-DIMM": UnitFactory(code="DGEF-DIMM", short_name="DIMM", parent=a_org.dgef),
        "DGSCGC-COGIC": UnitFactory(code="DGSCGC-COGIC", short_name="COGIC", parent=dgscgc),
        "MEAE": UnitFactory(code="MEAE", short_name="MEAE", kind=UnitKind.PARTNER, parent=None),
    }


def test_the_quote_is_letter_a_s_own_words():
    assert RECIPIENTS_QUOTE in " ".join(load_article().mission("a").text.split())


def test_recipients_are_the_police_the_gendarmerie_and_their_dci(a_org, elsewhere):
    codes = set(mission_a_recipients().values_list("code", flat=True))
    assert {"DGPN", "DCPJ", "OFAST", "DCPAF", "DGGN", "PJGN", "DCI", "DCI-CVO"} <= codes
    assert not codes & {*elsewhere, "DGSI", "DCI-RESEAU", "SSI-MADRID", "MI"}


@pytest.mark.parametrize("code", ["DGEF", "DGEF-DIMM", "DGSCGC-COGIC", "MEAE"])
def test_analyst_cannot_disseminate_elsewhere(client_for, make_report, a_users, elsewhere, code):
    report = make_report(status=ReportStatus.VALIDATED)
    response = post(
        client_for(a_users.analyste),
        f"{API}/reports/{report.pk}/disseminate/",
        {"units": ["OFAST", code]},
    )
    assert response.status_code == 400, response.content
    message = response.json()["units"][0]
    assert "Article 1, a)" in message and RECIPIENTS_QUOTE in message
    assert elsewhere[code].label in message and "OFAST" not in message
    assert not Dissemination.objects.exists()  # nothing half-written
    assert InformationReport.objects.get(pk=report.pk).status == ReportStatus.VALIDATED


def test_the_page_offers_only_eligible_units_and_refuses_the_others(
    client_for, make_report, a_users, a_org, elsewhere
):
    report = make_report(status=ReportStatus.VALIDATED)
    client = client_for(a_users.analyste)
    page = client.get(f"/information/{report.pk}/").content.decode()
    assert offered(page, a_org.ofast) and offered(page, a_org.pjgn)
    assert not offered(page, a_org.dgef)
    response = client.post(
        f"/information/{report.pk}/diffuser/", {"units": [a_org.dgef.pk]}, follow=True
    )
    assert RECIPIENTS_QUOTE in response.content.decode()
    assert not Dissemination.objects.exists()


def test_recipient_cannot_redisseminate_outside_police_and_gendarmerie(
    client_for, make_report, a_users, elsewhere
):
    report = make_report(status=ReportStatus.DISSEMINATED, handling_code="H1")
    client = client_for(a_users.correspondant_ofast)
    for code in ("MEAE", "DGEF"):
        response = post(client, f"{API}/reports/{report.pk}/disseminate/", {"units": [code]})
        assert response.status_code == 400, response.content
        assert RECIPIENTS_QUOTE in response.json()["units"][0]
    assert Dissemination.objects.filter(report=report).count() == 1
    page = client.get(f"/information/{report.pk}/").content.decode()
    assert "Rediffuser à une autre unité" in page
    assert not offered(page, elsewhere["DGEF"])


def test_nobody_redisseminates_a_closed_report(client_for, make_report, a_users):
    report = make_report(status=ReportStatus.DISSEMINATED, handling_code="H1")
    services.apply(report, "close", a_users.analyste)
    recipient = client_for(a_users.correspondant_ofast)
    response = post(recipient, f"{API}/reports/{report.pk}/disseminate/", {"units": ["PJGN"]})
    assert response.status_code == 409
    assert "classée" in response.json()["detail"]
    analyst = post(
        client_for(a_users.analyste), f"{API}/reports/{report.pk}/disseminate/", {"units": ["PJGN"]}
    )
    assert analyst.status_code == 409
    assert Dissemination.objects.filter(report=report).count() == 1
    # The page shows why, and no form (the same check as the server).
    page = recipient.get(f"/information/{report.pk}/").content.decode()
    assert "Rediffuser à une autre unité" not in page
    assert "elle ne peut plus être rediffusée" in page


def test_routing_rules_refuse_ineligible_units(client_for, a_users, a_org, elsewhere):
    client = client_for(a_users.pilotage)
    response = post(
        client, f"{API}/rules/", {"theme": "irregular_immigration", "units": ["DCPAF", "DGEF"]}
    )
    assert response.status_code == 400, response.content
    assert RECIPIENTS_QUOTE in response.json()["units"][0]
    page = client.get("/information/regles/nouvelle/").content.decode()
    assert offered(page, a_org.dcpaf) and not offered(page, a_org.dgef)
    theme = Theme.objects.get(code="irregular_immigration")
    client.post("/information/regles/nouvelle/", {"theme": theme.pk, "units": [a_org.dgef.pk]})
    assert not RoutingRule.objects.exists()


def test_seeded_rules_send_irregular_immigration_to_the_border_police(a_org, elsewhere):
    services.seed_routing_rules()
    for rule in RoutingRule.objects.prefetch_related("units"):
        assert set(rule.units.all()) <= set(mission_a_recipients()), rule
    immigration = RoutingRule.objects.get(theme__code="irregular_immigration")
    assert [u.code for u in immigration.units.all()] == ["DCPAF"]


def test_an_old_rule_proposes_only_eligible_units_and_the_migration_cleans_it(
    make_report, a_org, elsewhere
):
    from importlib import import_module

    from django.apps import apps

    from relais.core import records

    theme = Theme.objects.get(code="irregular_immigration")
    rule = records.create(
        RoutingRule(theme=theme, note="Règle proposée à l'installation."),
        None,
        m2m={"units": [a_org.dgef, elsewhere["DGEF-DIMM"]]},
    )
    report = make_report(status=ReportStatus.VALIDATED, theme_codes=("irregular_immigration",))
    assert services.propose_units(report) == []
    migration = import_module(
        "relais.information.migrations.0004_routing_rules_mission_a_recipients"
    )
    migration.forwards(apps, None)
    assert [u.code for u in rule.units.all()] == ["DCPAF"]
