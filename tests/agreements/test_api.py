"""The API of mission k: shapes, filters, create, update, transitions, and bad input."""

import datetime

import pytest

from relais.agreements.models import Agreement, AgreementKind
from relais.agreements.workflows import AgreementStatus
from tests.agreements.conftest import to_in_force, walk
from tests.matrix import Persona, check_matrix

D = datetime.date
URL = "/api/v1/agreements/"


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_agreement_json_shape(make_agreement, users, client_for, k_org):
    agreement = make_agreement(
        directorates=[k_org.dgpn, k_org.dggn], countries=[k_org.algeria, k_org.mali]
    )
    to_in_force(agreement, users.pilotage, expires=D(2026, 1, 1))
    data = client_for(users.pilotage).get(f"{URL}{agreement.pk}/").json()
    assert data["id"] == agreement.pk
    assert data["title"] == "Accord de test"
    assert data["kind"] == "intergovernmental_agreement"
    assert sorted(data["countries"]) == ["DZ", "ML"]
    assert sorted(data["directorates"]) == ["DGGN", "DGPN"]
    assert data["status"] == "in_force"
    assert data["signed_on"] == "2020-03-01"
    assert data["in_force_on"] == "2021-01-01"
    assert data["expires_on"] == "2026-01-01"
    assert data["legal_basis"] == ["k"]
    assert data["domains"] == ["terrorism"]
    assert isinstance(data["version"], int)


def test_api_matrix_list_and_detail(make_agreement, users, k_org):
    agreement = make_agreement(countries=[k_org.mali])
    responses = check_matrix(
        URL,
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_madrid, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.correspondant_dgpn, 200),
    )
    assert responses["other_unit"].json()["count"] == 0
    assert responses["read_only"].json()["count"] == 1
    assert responses["right_user"].json()["results"][0]["id"] == agreement.pk
    check_matrix(
        f"{URL}{agreement.pk}/",
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.correspondant_dgef, 404),
        read_only=(users.lecteur, 200),
        right_user=(users.attache_bamako, 200),
    )
    check_matrix(
        f"{URL}{agreement.pk}/", anonymous=Persona.UNAUTHORIZED, other_unit=(users.admin, 404)
    )


def test_api_filters(make_agreement, users, client_for, k_org):
    a = make_agreement(title="A", countries=[k_org.algeria], directorates=[k_org.dgpn])
    b = make_agreement(
        title="B",
        kind=AgreementKind.TECHNICAL_ARRANGEMENT,
        countries=[k_org.spain],
        directorates=[k_org.dgef],
        domains=("drugs", "terrorism"),
    )
    c = make_agreement(
        title="C", countries=[k_org.mali], directorates=[k_org.dgpn, k_org.dggn], domains=("drugs",)
    )
    to_in_force(c, users.pilotage, in_force=D(2021, 1, 1), expires=D(2024, 12, 31))
    client = client_for(users.pilotage)

    def ids(query):
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, response.content
        return {row["title"] for row in response.json()["results"]}

    assert ids("country=DZ") == {"A"}
    assert ids("country=es") == {"B"}
    assert ids("directorate=dgef") == {"B"}
    assert ids("kind=technical_arrangement") == {"B"}
    assert ids("status=in_force") == {"C"}
    assert ids("directorate=DGPN") == {"A", "C"}
    assert ids("directorate=DGGN") == {"C"}
    assert ids("domain=drugs") == {"B", "C"}
    assert ids("in_force_on=2022-06-01") == {"C"}
    assert ids("in_force_on=2025-06-01") == set()
    assert a.pk and b.pk
    bad = client.get(f"{URL}?status=nimporte")
    assert bad.status_code == 400 and "status" in bad.json()
    assert client.get(f"{URL}?in_force_on=pas-une-date").status_code == 400


def test_api_create(users, client_for, k_org):
    payload = {
        "title": "Arrangement technique créé par l'API",
        "kind": "technical_arrangement",
        "countries": ["dz"],
        "directorates": ["DGPN", "DGGN"],
        "domains": ["terrorism", "drugs"],
        "lead": users.charge_afrique.username,
    }
    response = post(client_for(users.charge_afrique), URL, payload)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "initiative"
    assert data["countries"] == ["DZ"]
    assert data["legal_basis"] == ["k"]
    assert Agreement.objects.get(pk=data["id"]).lead == users.charge_afrique


@pytest.mark.parametrize(
    "change, field",
    [
        ({"directorates": []}, "directorates"),
        ({"directorates": ["XYZ"]}, "directorates"),
        ({"countries": []}, "countries"),
        ({"countries": ["QQ"]}, "countries"),
        ({"kind": "treaty"}, "kind"),
        ({"title": ""}, "title"),
        ({"title": "TRÈS SECRET accord"}, "title"),
        ({"exclusively_intelligence": True}, "directorates"),
        ({"lead": "attache.madrid"}, "lead"),
        ({"signed_on": "2020-01-01", "in_force_on": "2019-01-01"}, None),
    ],
)
def test_api_create_bad_input_is_400(users, client_for, k_org, change, field):
    payload = {
        "title": "Accord",
        "kind": "intergovernmental_agreement",
        "countries": ["DZ"],
        "directorates": ["DGPN"],
        **change,
    }
    response = post(client_for(users.pilotage), URL, payload)
    assert response.status_code in (201, 400)
    if field is None:  # lifecycle dates are read-only: ignored at creation, never a 500
        assert response.json().get("signed_on") is None
        return
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Agreement.objects.exists()


def test_api_expiry_before_entry_into_force_is_400(make_agreement, users, client_for):
    agreement = to_in_force(make_agreement(), users.pilotage, expires=D(2026, 1, 1))
    response = client_for(users.pilotage).patch(
        f"{URL}{agreement.pk}/",
        {"expires_on": "2020-01-01", "version": agreement.version},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "précéder l'entrée en vigueur" in response.json()["expires_on"][0]


def test_api_create_refused_to_other_roles(users, client_for):
    payload = {
        "title": "X",
        "kind": "letter_of_intent",
        "countries": ["DZ"],
        "directorates": ["DGPN"],
    }
    for user in (users.correspondant_dgpn, users.lecteur, users.attache_madrid, users.admin):
        assert post(client_for(user), URL, payload).status_code == 403, user
    assert post(__import__("django.test").test.Client(), URL, payload).status_code == 401


def test_api_update_stale_and_read_only(make_agreement, users, client_for):
    agreement = make_agreement()
    client = client_for(users.pilotage)
    url = f"{URL}{agreement.pk}/"
    ok = client.patch(
        url, {"title": "Nouveau titre", "version": 1}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(url, {"title": "Autre", "version": 1}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    missing = client.patch(url, {"title": "Sans version"}, content_type="application/json")
    assert missing.status_code == 400 and "version" in missing.json()
    reader = client_for(users.lecteur).patch(
        url, {"title": "Lu", "version": 2}, content_type="application/json"
    )
    assert reader.status_code == 403
    outsider = client_for(users.correspondant_dgef).patch(
        url, {"title": "X", "version": 2}, content_type="application/json"
    )
    assert outsider.status_code == 404
    agreement.refresh_from_db()
    assert agreement.title == "Nouveau titre"


def test_api_transitions_full_path(make_agreement, users, client_for):
    agreement = make_agreement()
    client = client_for(users.pilotage)
    url = f"{URL}{agreement.pk}/transition/"
    for state in ("preparation", "negotiation", "stabilised"):
        response = post(client, url, {"to": state})
        assert response.status_code == 200, response.content
        assert response.json()["status"] == state
    response = post(client, url, {"to": "signed"})
    assert response.status_code == 400 and "signed_on" in response.json()
    response = post(
        client, url, {"to": "signed", "signed_on": "2024-02-01", "signed_place": "Alger"}
    )
    assert response.status_code == 200 and response.json()["signed_on"] == "2024-02-01"
    response = post(client, url, {"to": "in_force", "in_force_on": "2024-03-01"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "transition_refused"
    assert "approval" in body["allowed_transitions"]
    assert post(client, url, {"to": "approval"}).status_code == 200
    response = post(
        client,
        url,
        {
            "to": "in_force",
            "in_force_on": "2024-01-15",
            "approval_law_reference": "Loi (test)",
            "publication_decree_reference": "Décret (test)",
        },
    )
    assert response.status_code == 400
    assert "précéder la signature" in response.json()["in_force_on"][0]
    response = post(
        client,
        url,
        {
            "to": "in_force",
            "in_force_on": "2024-06-01",
            "expires_on": "2029-05-31",
            "approval_law_reference": "Loi (test)",
            "approval_law_on": "2024-04-01",
            "publication_decree_reference": "Décret (test)",
            "publication_decree_on": "2024-05-01",
        },
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["in_force_on"], data["expires_on"]) == (
        "in_force",
        "2024-06-01",
        "2029-05-31",
    )
    assert data["allowed_transitions"] == ["denounced", "expired"]


def test_api_transition_refusals(make_agreement, users, client_for, k_org):
    agreement = make_agreement(kind=AgreementKind.TECHNICAL_ARRANGEMENT)
    url = f"{URL}{agreement.pk}/transition/"
    client = client_for(users.pilotage)
    illegal = post(client, url, {"to": "signed", "signed_on": "2024-01-01"})
    assert illegal.status_code == 409
    assert set(illegal.json()["allowed_transitions"]) == {"preparation", "abandoned"}
    assert post(client, url, {"to": "nowhere"}).status_code == 400
    assert post(client, url, {}).status_code == 400
    assert post(client, url, {"to": "abandoned"}).status_code == 400  # comment required
    assert post(client, url, {"to": "preparation", "signed_on": "2024-01-01"}).status_code == 400
    assert post(client, url, {"to": "preparation", "version": 99}).status_code == 409
    assert post(client_for(users.lecteur), url, {"to": "preparation"}).status_code == 403
    # Who before when: the read-only user hears 403 even towards a state not reachable now.
    assert post(client_for(users.lecteur), url, {"to": "signed"}).status_code == 403
    assert post(client_for(users.lecteur), url, {"to": "initiative"}).status_code == 403
    assert post(client_for(users.correspondant_dgpn), url, {"to": "preparation"}).status_code == 403
    assert post(client_for(users.correspondant_dgef), url, {"to": "preparation"}).status_code == 404
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.INITIATIVE
    walk(
        agreement,
        users.pilotage,
        "prepare",
        "negotiate",
        "stabilise",
        ("sign", {"signed_on": D(2024, 1, 1)}),
    )
    refused = post(client, url, {"to": "approval"})
    assert refused.status_code == 409
    assert "ne passe pas par la procédure" in refused.json()["detail"]
    ok = post(client, url, {"to": "in_force", "in_force_on": "2024-02-01"})
    assert ok.status_code == 200 and ok.json()["status"] == "in_force"


def test_api_transition_matrix(make_agreement, users):
    agreement = make_agreement()
    check_matrix(
        f"{URL}{agreement.pk}/transition/",
        method="post",
        data={"to": "preparation"},
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_madrid, 404),
        read_only=(users.lecteur, 403),
        right_user=(users.pilotage, 200),
    )
    state = check_matrix(
        f"{URL}{agreement.pk}/transitions/",
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.correspondant_dgef, 404),
        read_only=(users.lecteur, 200),
        right_user=(users.pilotage, 200),
    )
    assert state["right_user"].json()["allowed_states"] == ["negotiation", "abandoned"]
    assert state["read_only"].json()["allowed_states"] == []


def test_the_workflow_endpoint_names_the_transition_and_types_its_dates(
    make_agreement, users, client_for
):
    """`GET/POST …/transitions/` (docs/dev/workflow.md §4): the transitions offered with their
    typed dates; a missing required date or a date of another step is a 400 naming it."""
    agreement = make_agreement()
    client = client_for(users.pilotage)
    url = f"{URL}{agreement.pk}/transitions/"
    for name in ("prepare", "negotiate", "stabilise"):
        response = post(client, url, {"transition": name})
        assert response.status_code == 200, response.content
    listed = {t["name"]: t for t in client.get(url).json()["transitions"]}
    # An intergovernmental agreement is not in force at signature: no `sign_in_force` offered.
    assert set(listed) == {"reopen", "sign", "abandon"}
    assert listed["sign"]["target"] == "signed"
    assert [(f["name"], f["type"], f["required"]) for f in listed["sign"]["fields"]] == [
        ("signed_on", "date", True),
        ("signed_place", "string", False),
    ]
    missing = post(client, url, {"transition": "sign", "signed_place": "Alger"})
    assert missing.status_code == 400 and list(missing.json()) == ["signed_on"]
    foreign = post(
        client, url, {"transition": "sign", "signed_on": "2024-02-01", "ended_on": "2024-02-02"}
    )
    assert foreign.status_code == 400 and "ended_on" in foreign.json()
    signed = post(client, url, {"transition": "sign", "signed_on": "2024-02-01"})
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    agreement.refresh_from_db()
    assert agreement.signed_on == D(2024, 2, 1)
    assert (
        client_for(users.lecteur)
        .post(url, {"transition": "submit_for_approval"}, content_type="application/json")
        .status_code
        == 403
    )
