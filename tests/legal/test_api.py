"""API of the article: /api/v1/legal/missions/ and /api/v1/legal/assess/."""

import json

import pytest

from relais.accounts.models import ApiToken

MISSIONS = "/api/v1/legal/missions/"
ASSESS = "/api/v1/legal/assess/"


@pytest.fixture
def bearer(users):
    """`bearer(user)` returns request headers carrying a fresh API token of `user`."""

    def headers(user):
        _, raw = ApiToken.issue(user)
        return {"Authorization": f"Bearer {raw}"}

    return headers


def _resolve(schema, prop):
    """A property's schema, following its $ref (or allOf [$ref]) into the components."""
    ref = prop.get("$ref") or next((p["$ref"] for p in prop.get("allOf", ()) if "$ref" in p), "")
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else prop


def post(client, body, headers=None):
    return client.post(
        ASSESS, data=json.dumps(body), content_type="application/json", headers=headers or {}
    )


@pytest.mark.django_db
def test_anonymous_gets_401(client):
    response = client.get(MISSIONS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert post(client, {"cooperation_kind": "technical", "beneficiary": "DGPN"}).status_code == 401


@pytest.mark.django_db
def test_a_bad_token_gets_401(client, users):
    response = client.get(MISSIONS, headers={"Authorization": "Bearer rls_faux"})
    assert response.status_code == 401


def test_missions_list(client, users, bearer):
    response = client.get(MISSIONS, headers=bearer(users.attache_madrid))
    assert response.status_code == 200
    items = response.json()
    assert [i["code"] for i in items] == ["preamble-1", "preamble-2", *"abcdefghijklmn"]
    b = items[3]
    assert b["code"] == "b"
    assert b["text"].startswith("Elle coordonne la coopération technique internationale")
    assert b["roles"] == ["coordonne", "anime", "assure"]
    assert b["cooperation_kinds"] == ["technical"]
    assert b["beneficiaries"] == ["DGPN", "DGGN"]
    assert b["liaisons"] == ["meae", "funding_bodies"]
    assert items[0]["excludes_intelligence"] is True
    assert items[1]["open_beneficiaries"] is True


@pytest.fixture
def registered_count():
    from relais.legal import counts

    counts.register(
        "j", "Positions (essai)", lambda user: 4 if user.is_attache else 7, "legal:assess"
    )
    yield
    counts.unregister("j", "Positions (essai)")


def test_missions_carry_the_records_of_the_article_page_as_the_caller_sees_them(
    client, users, bearer, registered_count
):
    from relais.legal.counts import counts_for

    for user in (users.attache_bamako, users.pilotage):
        items = client.get(MISSIONS, headers=bearer(user)).json()
        by_code = {i["code"]: i["records"] for i in items}
        expected = {
            code: [{"label": li.label, "count": li.count, "url": li.url} for li in lines]
            for code, lines in counts_for(user).items()
        }
        assert {code: records for code, records in by_code.items() if records} == expected
        (essai,) = [r for r in by_code["j"] if r["label"] == "Positions (essai)"]
        assert essai == {
            "label": "Positions (essai)",
            "count": 4 if user.is_attache else 7,
            "url": "/article-1/competence/",
        }
    assert all(isinstance(i["records"], list) for i in items)


def test_missions_list_runs_a_fixed_number_of_queries(client, users, bearer, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import PostFactory

    headers = bearer(users.pilotage)
    client.get(MISSIONS, headers=headers)  # warm caches (article, session)
    with CaptureQueriesContext(connection) as before:
        assert client.get(MISSIONS, headers=headers).status_code == 200
    for _ in range(3):
        PostFactory(host_country=org.mali, countries=[org.mali])
    headers = bearer(users.pilotage)
    client.get(MISSIONS, headers=headers)
    with CaptureQueriesContext(connection) as after:
        items = client.get(MISSIONS, headers=headers).json()
    assert len(after) == len(before)
    (posts,) = [r for r in items[3]["records"] if r["label"].startswith("Postes du réseau")]
    assert posts["count"] == 5


def test_missions_say_which_matters_they_cover(client, users, bearer):
    items = {i["code"]: i for i in client.get(MISSIONS, headers=bearer(users.lecteur)).json()}
    assert items["h"]["matters"] == ["institutional", "common_position", "funding_search"]
    assert items["n"]["matters"] == ["gendarmerie_engagement"]


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("matter=crisis", ["i"]),
        ("matter=technical", ["preamble-1", "preamble-2", "b", "e", "f", "g"]),
        ("matter=agreement", ["k"]),
        ("cooperation_kind=technical", ["preamble-1", "preamble-2", "b", "e", "f", "g"]),
        ("cooperation_kind=administrative_governance", ["c", "d"]),
        ("beneficiary=DGGN", ["preamble-1", "a", "b", "h", "k", "m", "n"]),
        ("beneficiary=DGCL", ["preamble-2", "d", "k"]),
    ],
)
def test_missions_filters(client, users, bearer, query, codes):
    response = client.get(f"{MISSIONS}?{query}", headers=bearer(users.lecteur))
    assert [i["code"] for i in response.json()] == codes


def test_missions_filter_with_a_bad_value_is_400(client, users, bearer):
    response = client.get(f"{MISSIONS}?cooperation_kind=espionnage", headers=bearer(users.lecteur))
    assert response.status_code == 400
    assert "cooperation_kind" in response.json()


def test_assess_competent(client, users, bearer):
    response = post(
        client,
        {
            "cooperation_kind": "technical",
            "beneficiary": "DGPN",
            "exclusively_intelligence": False,
            "subject": "Formation au maintien de l'ordre",
            "country": "ml",
        },
        bearer(users.charge_afrique),
    )
    assert response.status_code == 200
    body = response.json()
    assert body["competent"] is True
    assert body["missions"] == ["preamble-1", "b"]
    assert body["roles"] == ["anime", "coordonne", "met en œuvre", "assure"]
    assert body["liaisons"] == ["meae", "funding_bodies"]
    assert body["redirect_to"] == ""
    assert body["reason"].startswith("La DCI est compétente")
    assert body["country"] == "ML"
    assert body["beneficiary_scope"] == "named"


def test_assess_intelligence_only(client, users, bearer):
    body = post(
        client,
        {
            "cooperation_kind": "operational",
            "beneficiary": "DGGN",
            "exclusively_intelligence": True,
        },
        bearer(users.analyste),
    ).json()
    assert body["competent"] is False
    assert body["missions"] == []
    assert body["redirect_to"] == "DGSI / DGSE (services de renseignement)"


def test_assess_unnamed_directorates(client, users, bearer):
    headers = bearer(users.pilotage)
    body = post(client, {"cooperation_kind": "technical", "beneficiary": "IGA"}, headers).json()
    assert body["competent"] is True and body["open_list"] is True
    assert "notamment" in body["reason"]
    body = post(
        client, {"cooperation_kind": "technical", "beneficiary": "Ministère des Armées"}, headers
    ).json()
    assert body["competent"] is False
    assert body["beneficiary_scope"] == "outside"
    assert body["redirect_to"]
    body = post(
        client, {"cooperation_kind": "technical", "beneficiary": "Direction X"}, headers
    ).json()
    assert body["undetermined"] is True
    body = post(
        client,
        {"cooperation_kind": "technical", "beneficiary": "Direction X", "within_ministry": True},
        headers,
    ).json()
    assert body["competent"] is True


def test_read_only_users_may_ask_it_writes_nothing(client, users, bearer):
    response = post(
        client, {"cooperation_kind": "institutional", "beneficiary": "SG"}, bearer(users.lecteur)
    )
    assert response.status_code == 200
    assert response.json()["competent"] is False


def test_session_authentication_works_too(users, client_for):
    response = post(
        client_for(users.correspondant_dgef),
        {"cooperation_kind": "technical", "beneficiary": "DGEF"},
    )
    assert response.status_code == 200
    assert response.json()["missions"] == ["preamble-2", "f"]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"matter", "beneficiary"}),
        ({"cooperation_kind": "espionnage", "beneficiary": "DGPN"}, {"cooperation_kind"}),
        ({"cooperation_kind": "technical", "beneficiary": "   "}, {"beneficiary"}),
        ({"cooperation_kind": "technical", "beneficiary": "DGPN", "country": "ZZ"}, {"country"}),
        ({"cooperation_kind": "technical", "beneficiary": "DGPN", "country": "ESP"}, {"country"}),
        (
            {
                "cooperation_kind": "technical",
                "beneficiary": "DGPN",
                "exclusively_intelligence": "peut-être",
            },
            {"exclusively_intelligence"},
        ),
        ({"cooperation_kind": "technical", "beneficiary": "x" * 201}, {"beneficiary"}),
        ({"cooperation_kind": ["technical"], "beneficiary": "DGPN"}, {"cooperation_kind"}),
        ({"matter": "espionnage", "beneficiary": "DGPN"}, {"matter"}),
        ({"matter": "technical", "beneficiary": "DGPN", "urgence": True}, {"urgence"}),
        ({"beneficiary": "DGPN", "urgence": True}, {"matter", "urgence"}),
        (
            {"matter": "technical", "cooperation_kind": "operational", "beneficiary": "DGPN"},
            {"cooperation_kind"},
        ),
        (
            {"matter": "technical", "beneficiary": "DGPN", "exclusively_intelligence": "true"},
            {"exclusively_intelligence"},
        ),
        (
            {"matter": "technical", "beneficiary": "DGPN", "exclusively_intelligence": 1},
            {"exclusively_intelligence"},
        ),
        (
            {"matter": "technical", "beneficiary": "Direction X", "within_ministry": "oui"},
            {"within_ministry"},
        ),
    ],
)
def test_invalid_input_is_400_with_field_errors(client, users, bearer, body, fields):
    response = post(client, body, bearer(users.pilotage))
    assert response.status_code == 400
    assert set(response.json()) == fields


def test_malformed_json_is_400(client, users, bearer):
    response = client.post(
        ASSESS, data="{pas du json", content_type="application/json", headers=bearer(users.pilotage)
    )
    assert response.status_code == 400


def test_assess_refuses_get(client, users, bearer):
    assert client.get(ASSESS, headers=bearer(users.pilotage)).status_code == 405


def test_openapi_schema_documents_both_endpoints(client, users, bearer):
    response = client.get("/api/v1/schema/?format=json", headers=bearer(users.pilotage))
    assert response.status_code == 200
    schema = json.loads(response.content)
    paths = schema["paths"]
    assert "get" in paths["/api/v1/legal/missions/"]
    operation = paths["/api/v1/legal/assess/"]["post"]
    assert set(operation["responses"]) >= {"200", "400", "401"}
    request_schema = schema["components"]["schemas"]["AssessmentRequest"]
    assert set(request_schema["required"]) == {"beneficiary"}
    assert request_schema["properties"]["exclusively_intelligence"]["type"] == "boolean"
    matter = _resolve(schema, request_schema["properties"]["matter"])
    assert len(matter["enum"]) == 16 and "gendarmerie_engagement" in matter["enum"]
    assert "`crisis` - Prévention et gestion des crises extérieures" in matter["description"]
    detail = schema["components"]["schemas"]["AssessmentDetail"]["properties"]
    assert set(detail) == {"letter", "label", "verbs", "partners", "exclusions", "quote"}
    assert detail["partners"]["items"]["$ref"].endswith("/AssessmentPartner")
    assert detail["exclusions"]["items"]["$ref"].endswith("/AssessmentExclusion")
    records = schema["components"]["schemas"]["Mission"]["properties"]["records"]
    assert records["items"]["$ref"].endswith("/MissionRecordCount")
    answer = schema["components"]["schemas"]["Assessment"]["properties"]
    assert {"competent", "missions", "roles", "liaisons", "reason", "redirect_to"} <= set(answer)
    assert {"undetermined", "letters", "details", "exclusions", "suggestions"} <= set(answer)
    assert answer["details"]["items"]["$ref"].endswith("/AssessmentDetail")
    mission = schema["components"]["schemas"]["Mission"]["properties"]
    assert {"code", "text", "roles", "cooperation_kinds", "beneficiaries", "liaisons"} <= set(
        mission
    )
