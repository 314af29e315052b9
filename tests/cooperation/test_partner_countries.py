"""France and its overseas territories are never a foreign partner: not for an action, a
programme or an agreement (forms, API, imports); a report's « pays concernés » stays free."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from relais.cooperation import services
from relais.cooperation.forms import ActionForm, ProgrammeForm
from relais.cooperation.models import CooperationAction, OtherDonorActivity, Programme
from relais.referential.models import FRENCH_TERRITORIES, Country
from tests.cooperation.test_iati import activity, document, write
from tests.cooperation.test_import_actions import GOOD, workbook
from tests.factories import CountryFactory

pytestmark = pytest.mark.django_db

MESSAGE = "La France et ses territoires d'outre-mer ne sont pas des pays partenaires"


def post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


@pytest.fixture
def martinique(coop):
    return CountryFactory(code="MQ", code3="MTQ", name="Martinique", zone=coop.africa_zone)


@pytest.fixture
def france(coop):
    return CountryFactory(code="FR", code3="FRA", name="France", zone=coop.europe)


def test_the_list_is_what_iso_gives_france_and_its_territories():
    """Every code is an ISO 3166-1 country of the referential, and the French-named
    territories of the referential are all in the list."""
    from relais.referential.loaders import load_reference

    load_reference()
    codes = set(Country.objects.values_list("code", flat=True))
    assert codes >= FRENCH_TERRITORIES
    assert {"FR", "RE", "YT", "GP", "MQ", "GF", "NC", "PF"} <= FRENCH_TERRITORIES
    assert not Country.objects.partners().filter(code__in=FRENCH_TERRITORIES).exists()
    assert Country.objects.partners().count() == len(codes) - len(FRENCH_TERRITORIES)


def test_an_action_in_france_is_refused(make_action, coop, martinique):
    with pytest.raises(ValidationError) as exc:
        make_action(country=martinique)
    assert MESSAGE in exc.value.message_dict["country"][0]
    assert not CooperationAction.objects.exists()


def test_the_api_answers_400_in_french(coop, users, client_for, france, martinique):
    client = client_for(users.pilotage)
    action = {
        "title": "Mission d'expertise",
        "kind": "expert_mission",
        "domain": "forensics",
        "directorate": "DGPN",
        "start_date": "2025-06-02",
        "end_date": "2025-06-06",
    }
    for code in ("fr", "MQ"):
        response = post(client, "/api/v1/cooperation/actions/", {**action, "country": code})
        assert response.status_code == 400, response.content
        assert MESSAGE in response.json()["country"][0]
    programme = {"year": 2025, "title": "Programmation", "country": "MQ"}
    response = post(client, "/api/v1/cooperation/programmes/", programme)
    assert response.status_code == 400, response.content
    assert MESSAGE in response.json()["country"][0]
    assert not CooperationAction.objects.exists() and not Programme.objects.exists()


def test_a_programme_in_france_is_refused(coop, users, martinique):
    with pytest.raises(ValidationError) as exc:
        services.create_programme(users.pilotage, year=2025, title="X", country=martinique)
    assert MESSAGE in exc.value.message_dict["country"][0]


def test_forms_do_not_offer_france(coop, users, france, martinique):
    for form in (ActionForm(user=users.pilotage), ProgrammeForm(user=users.pilotage)):
        offered = set(form.fields["country"].queryset.values_list("code", flat=True))
        assert "ML" in offered and not offered & {"FR", "MQ"}


def test_import_actions_refuses_a_french_partner(coop, tmp_path, martinique):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_actions", workbook(tmp_path, [{**GOOD, "Pays": "MQ"}]), stdout=out)
    assert MESSAGE in out.getvalue()
    assert not CooperationAction.objects.exists()


def test_iati_import_drops_france_and_refuses_an_activity_only_there(coop, tmp_path, martinique):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_iati", write(tmp_path, document(activity("EU-1", country="MQ"))), stdout=out
        )
    assert MESSAGE in out.getvalue()
    assert not OtherDonorActivity.objects.exists()
    both = activity("EU-2").replace(
        '<recipient-country code="ML"',
        '<recipient-country code="MQ" percentage="50"/><recipient-country code="ML"',
    )
    call_command("import_iati", write(tmp_path, document(both)), stdout=io.StringIO())
    imported = OtherDonorActivity.objects.get(iati_identifier="EU-2")
    assert list(imported.countries.values_list("code", flat=True)) == ["ML"]


def test_agreements_refuse_france(coop, users, client_for, martinique):
    from relais.agreements.forms import AgreementForm

    response = post(
        client_for(users.pilotage),
        "/api/v1/agreements/",
        {
            "title": "Accord de coopération",
            "kind": "intergovernmental_agreement",
            "countries": ["MQ", "ML"],
            "directorates": ["DGPN"],
        },
    )
    assert response.status_code == 400, response.content
    assert (
        MESSAGE in response.json()["countries"][0]
        and "Martinique" in response.json()["countries"][0]
    )
    offered = set(
        AgreementForm(user=users.pilotage)
        .fields["countries"]
        .queryset.values_list("code", flat=True)
    )
    assert "ML" in offered and "MQ" not in offered


def test_a_report_may_concern_france(coop, users, martinique):
    from relais.information import services as information
    from relais.information.models import Theme

    report = information.create_report(
        users.attache_madrid,
        countries=[martinique, coop.spain],
        themes=list(Theme.objects.filter(code="drugs")),
        title="Go-fast vers la Martinique",
        summary="Une cargaison partirait d'Espagne.",
        source_reliability="B",
        information_credibility="2",
    )
    assert set(report.countries.values_list("code", flat=True)) == {"MQ", "ES"}
