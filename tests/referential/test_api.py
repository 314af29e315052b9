"""Read API of the referential: authentication, visibility, filters, errors, query budget."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from relais.accounts.models import ApiToken
from relais.referential.api import CountryViewSet
from tests.matrix import Persona, check_matrix
from tests.referential.test_pages import grow

ENDPOINTS = [
    "/api/v1/units/",
    "/api/v1/units/SSI-MADRID/",
    "/api/v1/posts/",
    "/api/v1/posts/SSI-MADRID/",
    "/api/v1/countries/",
    "/api/v1/countries/ES/",
    "/api/v1/partners/",
    "/api/v1/partners/{partner}/",
    "/api/v1/people/",
    "/api/v1/people/{person}/",
]


def api(user):
    client = Client()
    client.force_login(user)
    return client


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_every_endpoint_answers_401_without_credentials(url, staff, partners, client):
    url = url.format(partner=partners.guardia.pk, person=staff.madrid_asi.pk)
    response = client.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_bearer_token_reads_the_api(users, org):
    _token, raw = ApiToken.issue(users.attache_bamako)
    response = Client().get("/api/v1/posts/", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert {p["code"] for p in response.json()["results"]} == {"SSI-MADRID", "SSI-BAMAKO"}
    bad = Client().get("/api/v1/posts/", headers={"Authorization": "Bearer rls_faux"})
    assert bad.status_code == 401


# --- Units -----------------------------------------------------------------------------------


def test_units_list_detail_and_filters(users, org):
    client = api(users.correspondant_dgef)
    codes = [u["code"] for u in results(client.get("/api/v1/units/", {"limit": 100}))]
    assert codes[0] == "MI"  # tree order (materialised path)
    assert {"DGPN", "DCPJ", "DCI", "SSI-MADRID", "DGSI"} <= set(codes)

    posts = results(client.get("/api/v1/units/", {"kind": "post"}))
    assert {u["code"] for u in posts} == {"SSI-MADRID", "SSI-BAMAKO"}
    assert {u["post"] for u in posts} == {"SSI-MADRID", "SSI-BAMAKO"}

    found = results(client.get("/api/v1/units/", {"q": "judiciaire"}))
    assert [u["code"] for u in found] == ["DCPJ"]

    dcpj = client.get("/api/v1/units/DCPJ/").json()
    assert dcpj["parent"] == "DGPN"
    assert dcpj["kind_label"] == "Service"
    assert dcpj["post"] is None
    dgsi = client.get("/api/v1/units/DGSI/").json()
    assert dgsi["is_intelligence"] is True

    assert client.get("/api/v1/units/NEANT/").status_code == 404
    bad = client.get("/api/v1/units/", {"kind": "royaume"})
    assert bad.status_code == 400
    assert "kind" in bad.json()


# --- Posts -----------------------------------------------------------------------------------


def test_posts_list_and_filters(users, org, staff):
    client = api(users.attache_bamako)
    posts = {p["code"]: p for p in results(client.get("/api/v1/posts/"))}
    assert posts["SSI-MADRID"]["countries"] == ["AD", "ES"]
    assert posts["SSI-MADRID"]["host_country"] == "ES"
    assert posts["SSI-MADRID"]["zone"] == "europe"
    assert posts["SSI-MADRID"]["headcount"] == 2
    assert posts["SSI-BAMAKO"]["headcount"] == 1
    assert "staff" not in posts["SSI-MADRID"]  # staff only in the detail, scoped

    def codes(**params):
        return {p["code"] for p in results(client.get("/api/v1/posts/", params))}

    assert codes(zone="europe") == {"SSI-MADRID"}
    assert codes(country="ML") == {"SSI-BAMAKO"}
    assert codes(q="andorre") == {"SSI-MADRID"}
    assert codes(zone="europe", country="ML") == set()


def test_posts_bad_filter_is_400_with_field_errors(users, org):
    response = api(users.lecteur).get("/api/v1/posts/", {"zone": "atlantide", "country": "ZZ"})
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"zone", "country"}


def test_post_detail_staff_matrix(users, org, staff):
    responses = check_matrix(
        "/api/v1/posts/SSI-MADRID/",
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_bamako, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.attache_madrid, 200),
    )
    own = responses["right_user"].json()
    assert own["code"] == "SSI-MADRID"
    assert {(s["last_name"], s["function"], s["theme"]) for s in own["staff"]} == {
        ("Marchetti", "asi", ""),
        ("Ferrand", "liaison_officer", "Immigration irrégulière"),
    }
    assert own["headcount"] == 2
    other = responses["other_unit"].json()
    assert other["staff"] == []
    assert other["headcount"] == 2
    assert "Marchetti" not in responses["other_unit"].content.decode()
    assert len(responses["read_only"].json()["staff"]) == 2  # headquarters lecteur

    for who in ("correspondant_dgpn", "correspondant_dgef"):
        assert api(getattr(users, who)).get("/api/v1/posts/SSI-MADRID/").json()["staff"] == []
    assert api(users.admin).get("/api/v1/posts/DGPN/").status_code == 404


# --- Countries -------------------------------------------------------------------------------


def test_countries_list_detail_and_filters(users, org):
    client = api(users.attache_madrid)
    countries = {c["code"]: c for c in results(client.get("/api/v1/countries/"))}
    assert countries["ES"]["posts"] == ["SSI-MADRID"]
    assert countries["ML"]["zone"] == "afrique-moyen-orient"
    assert countries["ML"]["zone_name"] == "Afrique, Afrique du Nord et Moyen-Orient"

    europe = results(client.get("/api/v1/countries/", {"zone": "europe"}))
    assert {c["code"] for c in europe} == {"ES", "AD"}
    assert [c["code"] for c in results(client.get("/api/v1/countries/", {"q": "MLI"}))] == ["ML"]

    spain = client.get("/api/v1/countries/ES/")
    assert spain.status_code == 200
    assert spain.json()["name"] == "Espagne"
    assert client.get("/api/v1/countries/es/").json()["code"] == "ES"
    assert client.get("/api/v1/countries/ZZ/").status_code == 404


def test_country_detail_leaves_the_sheet_path_free():
    match = resolve("/api/v1/countries/ES/")
    assert match.func.cls is CountryViewSet
    try:
        sheet = resolve("/api/v1/countries/ES/sheet/")
    except Resolver404:
        return  # not mounted yet by the countries app
    assert getattr(sheet.func, "cls", None) is not CountryViewSet


# --- Partner bodies --------------------------------------------------------------------------


def test_partners_list_detail_and_filters(users, partners):
    client = api(users.correspondant_dgpn)

    def names(**params):
        return {p["name"] for p in results(client.get("/api/v1/partners/", params))}

    assert names() == {
        "Agence de l'Union européenne pour la coopération des services répressifs",
        "Guardia Civil",
        "Police nationale du Mali",
    }
    assert names(kind="eu_body") == {
        "Agence de l'Union européenne pour la coopération des services répressifs"
    }
    assert names(country="ML") == {"Police nationale du Mali"}
    assert names(q="europol") == {
        "Agence de l'Union européenne pour la coopération des services répressifs"
    }
    detail = client.get(f"/api/v1/partners/{partners.guardia.pk}/").json()
    assert detail["country"] == "ES"
    assert detail["kind_label"] == "Institution étrangère"
    assert client.get("/api/v1/partners/999999/").status_code == 404


# --- People ----------------------------------------------------------------------------------


def surnames(response) -> set[str]:
    return {p["last_name"] for p in results(response)}


def test_people_scoped_by_visibility(users, staff):
    assert surnames(api(users.attache_bamako).get("/api/v1/people/")) == {"Delorme"}
    assert surnames(api(users.attache_madrid).get("/api/v1/people/")) == {
        "Marchetti",
        "Ferrand",
        "Vidalenc",
    }
    assert surnames(api(users.correspondant_dgpn).get("/api/v1/people/")) == {"Renaudin"}
    assert surnames(api(users.correspondant_dgef).get("/api/v1/people/")) == set()
    assert len(surnames(api(users.pilotage).get("/api/v1/people/"))) == 5


def test_person_detail_matrix(users, staff):
    responses = check_matrix(
        f"/api/v1/people/{staff.madrid_asi.pk}/",
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_bamako, 404),
        read_only=(users.lecteur, 200),
        right_user=(users.attache_madrid, 200),
    )
    own = responses["right_user"].json()
    assert own["last_name"] == "Marchetti"
    assert own["unit"] == "SSI-MADRID"
    assert own["current_assignments"][0]["function"] == "asi"
    assert "Marchetti" not in responses["other_unit"].content.decode()


def test_people_filters(users, staff):
    client = api(users.admin)

    def names(**params):
        return surnames(client.get("/api/v1/people/", params))

    assert names(corps="gendarmerie") == {"Ferrand"}
    assert names(unit="DGPN") == {"Renaudin"}
    assert names(function="asi") == {"Marchetti", "Delorme"}
    assert names(q="vidal") == {"Vidalenc"}
    bad = client.get("/api/v1/people/", {"function": "astronaute", "unit": "NEANT"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"function", "unit"}


# --- OpenAPI ---------------------------------------------------------------------------------


def test_schema_documents_the_referential(users):
    response = api(users.admin).get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/units/",
        "/api/v1/units/{code}/",
        "/api/v1/posts/",
        "/api/v1/posts/{code}/",
        "/api/v1/countries/",
        "/api/v1/countries/{code}/",
        "/api/v1/partners/",
        "/api/v1/people/",
        "/api/v1/people/{id}/",
    ]:
        assert path in paths, path
    post_params = {p["name"] for p in paths["/api/v1/posts/"]["get"]["parameters"]}
    assert {"q", "zone", "country", "limit", "offset"} <= post_params
    people_params = {p["name"] for p in paths["/api/v1/people/"]["get"]["parameters"]}
    assert {"corps", "unit", "function"} <= people_params


# --- Query budget ----------------------------------------------------------------------------

API_BUDGET = 7


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("/api/v1/units/", "units"),
        ("/api/v1/posts/", "posts"),
        ("/api/v1/posts/?zone=europe", "posts"),
        ("/api/v1/countries/", "countries"),
        ("/api/v1/partners/?country=ES", "partners"),
        ("/api/v1/people/", "people"),
        ("/api/v1/people/?function=liaison_officer&unit=SSI-MADRID", "people"),
    ],
)
def test_list_endpoints_run_a_fixed_number_of_queries(url, kind, users, org):
    client = api(users.admin)
    grow(kind, org, 10)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(kind, org, 190)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert response.json()["count"] >= 200
    assert len(small) == len(large), [q["sql"] for q in large.captured_queries]
    assert len(large) <= API_BUDGET
