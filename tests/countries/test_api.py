"""`GET /api/v1/countries/<ISO>/sheet/`: the sheet as JSON, per persona."""

import json

from relais.accounts.models import ApiToken
from tests.matrix import Persona, check_matrix

URL = "/api/v1/countries/ES/sheet/"


def panels_of(body: dict) -> dict:
    return {panel["key"]: panel for panel in body["panels"]}


def test_sheet_api_matrix(users, sheet_data):
    responses = check_matrix(
        URL,
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_bamako, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.attache_madrid, 200),
    )
    assert responses["read_only"].json()["country"]["name"] == "Espagne"
    # Read-only endpoint: no writes, whoever asks.
    check_matrix(
        URL,
        method="post",
        data={},
        anonymous=Persona.UNAUTHORIZED,
        read_only=(users.lecteur, 405),
        right_user=(users.pilotage, 405),
    )


def test_sheet_api_body(users, client_for, sheet_data):
    response = client_for(users.pilotage).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["country"] == {
        "code": "ES",
        "code3": "ESP",
        "numeric": "",
        "name": "Espagne",
        "official_name": "",
        "zone": {"code": "europe", "name": "Europe"},
        "url": "/pays/ES/",
    }
    assert body["marking"] == "diffusion_restreinte"
    keys = [p["key"] for p in body["panels"]]
    assert [k for k in keys if k in {"posts", "zone", "partners"}] == ["posts", "zone", "partners"]
    orders = [p["order"] for p in body["panels"]]
    assert orders == sorted(orders)
    panels = panels_of(body)
    assert panels["posts"]["title"] == "Postes et effectifs"
    assert panels["posts"]["count"] == 1
    post = panels["posts"]["data"]["posts"][0]
    assert post["name"] == "SSI Madrid"
    assert post["embassy"] == "Ambassade de France en Espagne"
    assert [c["code"] for c in post["countries"]] == ["AD", "ES"]
    assert post["staff"] == [
        {
            "name": "Claire DUMOULIN",
            "url": f"/organisation/agents/{sheet_data.madrid_asi.pk}/",
            "function": "Attaché de sécurité intérieure",
            "grade": "Commissaire divisionnaire",
            "corps": "Police nationale",
            "theme": "",
            "since": "2023-09-01",
            "until": None,
            "email": "",
            "phone": "",
        }
    ]
    zone = panels["zone"]
    assert zone["count"] is None
    assert zone["data"]["zone"] == {"code": "europe", "name": "Europe"}
    assert [c["code"] for c in zone["data"]["countries"]] == ["AD"]
    partners = panels["partners"]["data"]["partners"]
    assert [p["name"] for p in partners] == ["Guardia Civil", "Unité conjointe restreinte"]
    assert partners[0]["kind"] == "Institution étrangère"
    # The whole body is plain JSON.
    assert json.loads(json.dumps(body)) == body


def test_sheet_api_staff_follows_visibility(users, client_for, sheet_data):
    bamako = client_for(users.attache_bamako).get("/api/v1/countries/es/sheet/").json()
    post = panels_of(bamako)["posts"]["data"]["posts"][0]
    assert post["name"] == "SSI Madrid"
    assert post["staff"] == []
    madrid = client_for(users.attache_madrid).get(URL).json()
    assert [s["name"] for s in panels_of(madrid)["posts"]["data"]["posts"][0]["staff"]] == [
        "Claire DUMOULIN"
    ]


def test_sheet_api_partners_follow_markings(users, client_for, sheet_data):
    body = client_for(users.admin).get(URL).json()
    assert body["marking"] == "non_protege"
    partners = panels_of(body)["partners"]
    assert partners["count"] == 1
    assert [p["name"] for p in partners["data"]["partners"]] == ["Guardia Civil"]


def test_sheet_api_case_insensitive_and_unknown(users, client_for, sheet_data):
    client = client_for(users.lecteur)
    assert client.get("/api/v1/countries/es/sheet/").json()["country"]["code"] == "ES"
    missing = client.get("/api/v1/countries/ZZ/sheet/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Introuvable."}
    assert client.get("/api/v1/countries/ESP/sheet/").status_code == 404


def test_sheet_api_with_bearer_token(users, client, sheet_data):
    _, raw = ApiToken.issue(users.attache_madrid)
    response = client.get(URL, headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert panels_of(response.json())["posts"]["data"]["posts"][0]["staff"][0]["name"] == (
        "Claire DUMOULIN"
    )
    refused = client.get(URL, headers={"Authorization": "Bearer rls_faux"})
    assert refused.status_code == 401
