"""The API contract (docs/dev/api.md): strict input on every write, no 500 on hostile input, a
maximum page size, a schema a client generator can trust (every 4xx documented, French tags,
no doubled suffix, no drf-spectacular warning)."""

import contextlib
import importlib
import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from rest_framework import serializers

from relais.core.api import MAX_PAGE_SIZE
from relais.core.serializers import BOOLEAN_MESSAGE
from relais.information.models import InformationReport


def _relais_serializers():
    """Every serializer class defined in Relais (the URL conf and the apps' modules loaded)."""
    importlib.import_module("relais.urls")
    for config in apps.get_app_configs():
        if config.name.startswith("relais."):
            for module in ("serializers", "api"):
                with contextlib.suppress(ModuleNotFoundError):
                    importlib.import_module(f"{config.name}.{module}")
    seen, stack = set(), [serializers.Serializer]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return sorted(
        (cls for cls in seen if cls.__module__.startswith("relais.")),
        key=lambda c: f"{c.__module__}.{c.__qualname__}",
    )


def test_every_serializer_refuses_unknown_fields_and_non_json_booleans(db, rf, users):
    request = rf.post("/")
    request.user = users.admin
    checked = 0
    for cls in _relais_serializers():
        try:
            serializer = cls(data={"zz_champ_inconnu": 1}, context={"request": request})
            fields = serializer.fields
        except Exception:  # a serializer that needs more context to exist (checked by the API)
            continue
        assert not serializer.is_valid(), cls
        assert "zz_champ_inconnu" in serializer.errors, f"{cls.__module__}.{cls.__qualname__}"
        for name, field in fields.items():
            if isinstance(field, serializers.BooleanField) and not field.read_only:
                typo = cls(data={name: "oui"}, context={"request": request})
                assert not typo.is_valid()
                assert typo.errors.get(name) == [BOOLEAN_MESSAGE], (cls, name)
        checked += 1
    assert checked > 40  # the walk found the modules' serializers


@pytest.mark.parametrize("value", ["oui", "TRUE", "t", "Yes", "y", "1", 1, "on", None])
def test_intelligence_exclusion_accepts_only_json_booleans(value, users, client_for, org):
    """Issue 16 point 1: « oui » must not store the whole report."""
    body = {
        "title": "Trafic",
        "summary": "Résumé",
        "countries": ["ES"],
        "themes": ["drugs"],
        "source_reliability": "B",
        "information_credibility": "2",
        "exclusively_intelligence": value,
    }
    response = client_for(users.attache_madrid).post(
        "/api/v1/information/reports/", body, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert "exclusively_intelligence" in response.json()
    assert not InformationReport.objects.exists()


def test_misspelt_exclusion_is_refused_and_the_field_is_in_the_schema(users, client_for, org):
    client = client_for(users.attache_madrid)
    response = client.post(
        "/api/v1/information/reports/",
        {"title": "x", "exclusively_inteligence": True},
        content_type="application/json",
    )
    assert response.status_code == 400 and "exclusively_inteligence" in response.json()
    assert not InformationReport.objects.exists()
    triaged = client.post(
        "/api/v1/information/reports/",
        {"title": "x", "exclusively_intelligence": True},
        content_type="application/json",
    )
    assert triaged.status_code == 202, triaged.content
    assert not InformationReport.objects.exists()
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    field = schema["components"]["schemas"]["ReportRequest"]["properties"][
        "exclusively_intelligence"
    ]
    assert field["type"] == "boolean"


def test_hostile_bodies_and_parameters_answer_400_never_500(users, client_for, org):
    client = client_for(users.pilotage)
    url = "/api/v1/agreements/"
    attache = client_for(users.attache_madrid)
    for body in ("[1, 2]", '"texte"', "42", "[" * 5000 + "]" * 5000, '{"a": NaN}'):
        for who, where in ((client, url), (attache, "/api/v1/information/reports/")):
            response = who.post(where, body, content_type="application/json")
            assert response.status_code == 400, (where, body[:20], response.status_code)
            assert response.json()["detail"]
    nested = json.dumps({"title": {"a": json.loads("[" * 40 + "1" + "]" * 40)}})
    assert client.post(url, nested, content_type="application/json").status_code == 400
    huge = str(2**70)
    for path in (
        f"/api/v1/agreements/?limit={2**64}",
        f"/api/v1/agreements/?offset={huge}",
        f"/api/v1/cooperation/actions/?year={huge}",
        f"/api/v1/cooperation/actions/?programme={huge}",
        f"/api/v1/information/reports/?unit={huge}",
        f"/api/v1/agreements/{huge}/",
    ):
        response = client.get(path)
        assert response.status_code in (200, 400, 404), (path, response.status_code)


def test_a_page_holds_at_most_the_maximum(users, client_for, org):
    from relais.referential.models import Country

    existing = set(Country.objects.values_list("code", flat=True))
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    codes = [a + b for a in letters for b in letters if a + b not in existing][: MAX_PAGE_SIZE + 5]
    Country.objects.bulk_create(
        Country(code=code, code3=f"{code}X", name=f"Pays {code}") for code in codes
    )
    total = Country.objects.count()
    assert total > MAX_PAGE_SIZE
    body = client_for(users.lecteur).get("/api/v1/countries/", {"limit": 10**6}).json()
    assert body["count"] == total
    assert len(body["results"]) == MAX_PAGE_SIZE


@pytest.fixture
def schema(users, client_for):
    return client_for(users.lecteur).get("/api/v1/schema/", {"format": "json"}).json()


def test_schema_has_no_drf_spectacular_warning(db):
    # --fail-on-warn makes any warning (enum collision, unresolvable type…) an error.
    call_command("spectacular", "--fail-on-warn", "--validate", stdout=io.StringIO())


def test_schema_documents_every_4xx_with_the_shared_error(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            expected = {"401", "403"}
            if "{" in path:
                expected.add("404")
            if method in ("post", "put", "patch"):
                expected.add("400")
            assert expected <= set(responses), (method, path, sorted(responses))
            for code, response in responses.items():
                if code.startswith("4"):  # a typed body: the shared `Error`, or a documented one
                    body = response["content"]["application/json"]["schema"]
                    assert body["$ref"].startswith("#/components/schemas/"), (method, path, code)


def test_schema_names_and_tags(schema):
    names = schema["components"]["schemas"]
    assert not [n for n in names if n.endswith("RequestRequest")]
    segments = {
        part for path in schema["paths"] for part in path.split("/") if part and "{" not in part
    }
    for operations in schema["paths"].values():
        for operation in operations.values():
            (tag,) = operation["tags"]
            assert tag[0].isupper() and tag not in segments, tag


def test_enums_carry_french_labels_not_their_codes(schema):
    """`europol_4x4 - europol_4x4` was the label of the grading scheme: every enum of the schema
    describes its codes with French labels (a code-like label equal to its code fails)."""
    import re

    # Legal's list of cooperation kinds is read from the article's data, which has no labels.
    known = {"CooperationKindsEnum"}
    components = schema["components"]["schemas"]
    for name, component in components.items():
        if "enum" not in component or name in known | {"BlankEnum", "NullEnum"}:
            continue
        pairs = re.findall(r"\* `([^`]*)` - (.*)", component.get("description", ""))
        for code, label in pairs:
            code_like = "_" in code or any(ch.isdigit() for ch in code)
            assert not (code_like and label == code), (name, code)
    grids = components["GradingSchemeEnum"]["description"]
    assert "`europol_4x4` - Europol 4x4" in grids
    reliability = components["SourceReliabilityEnum"]
    assert reliability["enum"] == ["A", "B", "C", "D", "E", "F", "X"]
    assert "source totalement fiable" in reliability["description"]
    assert "`1` -" in components["InformationCredibilityEnum"]["description"]


def test_year_only_signature_dates_say_so(schema):
    agreement = schema["components"]["schemas"]["Agreement"]["properties"]
    assert "signed_on_precision" in agreement


def test_country_sheet_and_stix_answers_are_typed(schema, users, client_for):
    def ok_schema(path):
        return schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"][
            "schema"
        ]

    assert ok_schema("/api/v1/countries/{iso}/sheet/")["$ref"].endswith("/CountrySheet")
    assert ok_schema("/api/v1/information/reports/{id}/stix/")["$ref"].endswith("/StixBundle")
    sheet_fields = schema["components"]["schemas"]["CountrySheet"]["properties"]
    body = client_for(users.pilotage).get("/api/v1/countries/ES/sheet/").json()
    assert set(body) == set(sheet_fields)
    panel_fields = set(schema["components"]["schemas"]["SheetPanel"]["properties"])
    assert all(set(panel) == panel_fields for panel in body["panels"])


def test_roles_and_clearance_are_enums(schema):
    me = schema["components"]["schemas"]["Me"]["properties"]
    for name in ("role", "clearance"):
        ref = me[name].get("$ref") or me[name]["allOf"][0]["$ref"]
        enum = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert enum["enum"] and "` - " in enum["description"], name
