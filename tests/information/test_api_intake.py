"""Priority 1: the report, its intake through the API, its codes, its refusals."""

import pytest

from relais.core.audit.models import Action, AuditEvent
from relais.information.models import InformationReport
from tests.matrix import Persona, check_matrix

URL = "/api/v1/information/reports/"


def payload(**overrides):
    data = {
        "title": "Filière de faux passeports à Madrid",
        "summary": "Un atelier fabrique des passeports contrefaits.",
        "body": "Détails de l'atelier et des commanditaires.",
        "facts_date": "2026-03-02",
        "facts_place": "Madrid",
        "countries": ["ES"],
        "themes": ["document_fraud", "irregular_immigration"],
        "source_description": "Informateur de la police espagnole",
        "source_reliability": "B",
        "information_credibility": "2",
        "handling_code": "H1",
        "marking": "diffusion_restreinte",
    }
    data.update(overrides)
    return data


@pytest.fixture
def api(client_for):
    def post(user, data, url=URL):
        return client_for(user).post(url, data, content_type="application/json")

    return post


def test_create_returns_the_report_with_api_codes(api, a_users):
    response = api(a_users.attache_madrid, payload())
    assert response.status_code == 201, response.content
    data = response.json()
    for key in (
        "id",
        "title",
        "body",
        "countries",
        "themes",
        "source_reliability",
        "information_credibility",
        "handling_code",
        "marking",
        "status",
    ):
        assert key in data
    assert data["countries"] == ["ES"]
    assert sorted(data["themes"]) == ["document_fraud", "irregular_immigration"]
    assert (data["source_reliability"], data["information_credibility"]) == ("B", "2")
    assert data["grading_scheme"] == "europol_4x4"
    assert data["handling_code"] == "H1"
    assert data["marking"] == "diffusion_restreinte"
    assert data["status"] == "draft"
    assert data["unit"] == "SSI-MADRID"
    assert data["legal_basis"] == ["preamble-1", "a"]
    assert data["reference"].startswith("RO-")
    report = InformationReport.objects.get(pk=data["id"])
    assert report.created_by == a_users.attache_madrid


def test_create_and_submit(api, a_users):
    response = api(a_users.attache_madrid, payload(submit=True))
    assert response.status_code == 201
    assert response.json()["status"] == "submitted"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"marking": "secret"}, "marking"),
        ({"marking": "Très secret"}, "marking"),
        ({"source_reliability": "D"}, "source_reliability"),
        ({"information_credibility": "5"}, "information_credibility"),
        ({"handling_code": "H4"}, "handling_code"),
        ({"handling_code": "H3"}, "handling_conditions"),
        ({"themes": ["espionage"]}, "themes"),
        ({"themes": []}, "themes"),
        ({"countries": ["ZZ"]}, "countries"),
        ({"body": "TRÈS SECRET\nla suite"}, "body"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_is_400_with_field_errors(api, a_users, overrides, field):
    response = api(a_users.attache_madrid, payload(**overrides))
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not InformationReport.objects.exists()


def test_admiralty_scheme_is_available(api, a_users):
    response = api(
        a_users.attache_madrid,
        payload(
            grading_scheme="admiralty_6x6", source_reliability="E", information_credibility="6"
        ),
    )
    assert response.status_code == 201, response.content
    assert response.json()["grading_scheme"] == "admiralty_6x6"
    # Europol's X does not exist on the admiralty scale.
    refused = api(
        a_users.attache_madrid,
        payload(grading_scheme="admiralty_6x6", source_reliability="X"),
    )
    assert refused.status_code == 400


def test_h3_with_conditions_is_accepted(api, a_users):
    response = api(
        a_users.attache_madrid,
        payload(handling_code="H3", handling_conditions="Pas de transmission à des tiers."),
    )
    assert response.status_code == 201
    assert response.json()["handling_conditions"] == "Pas de transmission à des tiers."


def test_create_refused_to_roles_that_do_not_write_reports(api, a_users):
    assert api(a_users.lecteur, payload()).status_code == 403
    assert api(a_users.admin, payload()).status_code == 403
    assert api(a_users.correspondant_dgpn, payload()).status_code == 403
    check_matrix(URL, anonymous=Persona.UNAUTHORIZED, method="post", data=payload())
    assert not InformationReport.objects.exists()


def test_list_filters_country_theme_status(client_for, make_report, a_org, a_users):
    spain = make_report(theme_codes=("drugs",))
    make_report(countries=[a_org.andorra], theme_codes=("cybercrime",), status="submitted")
    client = client_for(a_users.attache_madrid)
    assert client.get(URL).json()["count"] == 2
    by_country = client.get(URL, {"country": "es"}).json()
    assert [r["id"] for r in by_country["results"]] == [spain.pk]
    assert client.get(URL, {"theme": "cybercrime"}).json()["results"][0]["countries"] == ["AD"]
    assert client.get(URL, {"status": "submitted"}).json()["count"] == 1
    assert client.get(URL, {"status": "bogus"}).status_code == 400


def test_detail_is_logged_and_404_out_of_scope(client_for, make_report, a_users):
    report = make_report()
    url = f"{URL}{report.pk}/"
    responses = check_matrix(
        url,
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(a_users.attache_bamako, 404),
        read_only=(a_users.lecteur, 404),
        right_user=(a_users.attache_madrid, 200),
    )
    assert responses["right_user"].json()["body"] == report.body
    reads = AuditEvent.objects.filter(
        action=Action.READ, model="information.informationreport", object_id=str(report.pk)
    )
    assert reads.count() == 1
    assert reads.get().actor == a_users.attache_madrid


def test_patch_a_draft_needs_the_version(client_for, make_report, a_users):
    report = make_report()
    client = client_for(a_users.attache_madrid)
    url = f"{URL}{report.pk}/"
    assert (
        client.patch(url, {"title": "Nouveau titre"}, content_type="application/json").status_code
        == 400
    )
    ok = client.patch(
        url, {"title": "Nouveau titre", "version": report.version}, content_type="application/json"
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["title"] == "Nouveau titre"
    stale = client.patch(
        url, {"title": "Autre", "version": report.version}, content_type="application/json"
    )
    assert stale.status_code == 409
    # Another post may not even see it; a submitted report is no longer editable.
    assert (
        client_for(a_users.attache_bamako)
        .patch(url, {"title": "x", "version": 2}, content_type="application/json")
        .status_code
        == 404
    )
