"""`/api/v1/cooperation/actions/`: list and filters, create, read, update, transitions."""

import json

import pytest

from relais.cooperation.models import CooperationAction
from relais.referential.models import UnitKind
from tests.cooperation.conftest import D, domain, walk
from tests.factories import UnitFactory
from tests.matrix import Persona, check_matrix

pytestmark = pytest.mark.django_db
URL = "/api/v1/cooperation/actions/"


def post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data=json.dumps(data), content_type="application/json")


NEW = {
    "title": "Mission d'expertise en police technique et scientifique",
    "kind": "expert_mission",
    "domain": "forensics",
    "country": "ml",
    "directorate": "dgpn",
    "start_date": "2025-06-02",
    "end_date": "2025-06-06",
    "participants": 0,
    "experts": 2,
    "expert_days": 10,
}


class TestList:
    def test_matrix_and_content(self, make_action, coop, users):
        mali = make_action()
        spain = make_action(
            country=coop.spain,
            post=coop.madrid,
            directorate=coop.dgef,
            domain=domain("irregular_immigration"),
        )
        responses = check_matrix(
            URL,
            anonymous=Persona.UNAUTHORIZED,
            other_unit=(users.attache_madrid, 200),
            read_only=(users.lecteur, 200),
            right_user=(users.attache_bamako, 200),
        )
        ids = lambda r: {row["id"] for row in r.json()["results"]}  # noqa: E731
        assert ids(responses["other_unit"]) == {spain.pk}
        assert ids(responses["right_user"]) == {mali.pk}
        assert ids(responses["read_only"]) == {mali.pk, spain.pk}

    def test_fields_and_codes(self, make_action, coop, users, client_for):
        make_action(
            fundings=[
                {
                    "funder": coop.dcsd,
                    "instrument": "meae_dcsd",
                    "amount": 15000,
                    "status": "committed",
                }
            ]
        )
        row = client_for(users.pilotage).get(URL).json()["results"][0]
        assert row["kind"] == "training_local"
        assert row["country"] == "ML"
        assert row["directorate"] == "DGPN"
        assert row["status"] == "proposed"
        assert row["legal_basis"] == ["preamble-1", "b"]
        assert (row["start_date"], row["end_date"]) == ("2025-03-10", "2025-03-14")
        assert row["fundings"] == [
            {
                "id": row["fundings"][0]["id"],
                "funder": coop.dcsd.pk,
                "funder_name": "DCSD",
                "instrument": "meae_dcsd",
                "amount": "15000.00",
                "status": "committed",
            }
        ]

    @pytest.mark.parametrize(
        "query, expected",
        [
            ("country=ES", {"spain"}),
            ("country=ml", {"mali"}),
            ("directorate=DGEF", {"spain"}),
            ("status=proposed", {"mali", "spain"}),
            ("status=under_review", set()),
            ("kind=seminar", {"spain"}),
            ("year=2024", {"spain"}),
            ("year=2025", {"mali"}),
            ("domain=irregular_immigration", {"spain"}),
            ("zone=europe", {"spain"}),
            ("letter=f", {"spain"}),
        ],
    )
    def test_filters(self, make_action, coop, users, client_for, query, expected):
        actions = {
            "mali": make_action(),
            "spain": make_action(
                country=coop.spain,
                post=coop.madrid,
                directorate=coop.dgef,
                kind="seminar",
                domain=domain("irregular_immigration"),
                planned_start=D(2024, 5, 1),
                planned_end=D(2024, 5, 2),
            ),
        }
        found = {
            r["id"] for r in client_for(users.pilotage).get(f"{URL}?{query}").json()["results"]
        }
        assert found == {actions[name].pk for name in expected}

    def test_funder_filter(self, make_action, coop, users, client_for):
        funded = make_action(
            fundings=[{"funder": coop.dcsd, "instrument": "meae_dcsd", "amount": 1}]
        )
        make_action()
        found = client_for(users.pilotage).get(f"{URL}?funder={coop.dcsd.pk}").json()["results"]
        assert [r["id"] for r in found] == [funded.pk]

    def test_bad_filter_is_400(self, users, client_for, coop):
        response = client_for(users.pilotage).get(f"{URL}?status=nimporte&year=abc")
        assert response.status_code == 400
        assert "status" in response.json()


class TestCreate:
    def test_attache_creates_with_legal_basis(self, coop, users, client_for):
        response = post(
            client_for(users.attache_bamako),
            URL,
            {
                **NEW,
                "fundings": [{"funder": coop.dcsd.pk, "instrument": "meae_dcsd", "amount": "8000"}],
            },
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["status"] == "proposed"
        assert body["legal_basis"] == ["preamble-1", "b"]
        assert body["post"] == "SSI-BAMAKO"
        assert body["fundings"][0]["amount"] == "8000.00"
        assert CooperationAction.objects.get(pk=body["id"]).created_by == users.attache_bamako

    def test_dgef_legal_basis(self, coop, users, client_for):
        response = post(
            client_for(users.pilotage),
            URL,
            {**NEW, "directorate": "DGEF", "domain": "irregular_immigration"},
        )
        assert response.json()["legal_basis"] == ["preamble-2", "f"]

    @pytest.mark.parametrize("given", ["DLPAJ", "sg-dlpaj"])
    def test_another_directorate_of_the_ministry(self, coop, users, client_for, given):
        """« L'objet avec beneficiary=DLPAJ n'existe pas » no more: a directorate the article
        does not name is chosen from the tree (code or acronym) and rests on the second
        paragraph (« au profit notamment »)."""
        UnitFactory(
            code="SG-DLPAJ",
            name="Direction des libertés publiques et des affaires juridiques",
            short_name="DLPAJ",
            kind=UnitKind.SERVICE,
            parent=coop.sg,
        )
        response = post(
            client_for(users.pilotage), URL, {**NEW, "directorate": given, "domain": "governance"}
        )
        assert response.status_code == 201, response.content
        assert response.json()["directorate"] == "SG-DLPAJ"
        assert response.json()["legal_basis"] == ["preamble-2"]

    @pytest.mark.parametrize("given", ["DCI", "DGSI", "MEAE", "NIMPORTE"])
    def test_a_unit_that_is_no_directorate_is_400(self, coop, users, client_for, given):
        response = post(client_for(users.pilotage), URL, {**NEW, "directorate": given})
        assert response.status_code == 400
        assert "Direction inconnue" in response.json()["directorate"][0]

    def test_refusals(self, coop, users, client_for):
        assert post(client_for(users.correspondant_dgpn), URL, NEW).status_code == 403
        assert post(client_for(users.lecteur), URL, NEW).status_code == 403
        outside = post(client_for(users.attache_madrid), URL, NEW)
        assert outside.status_code == 400 and "country" in outside.json()
        refused = post(
            client_for(users.pilotage),
            URL,
            {**NEW, "cooperation_kind": "administrative_governance"},
        )
        assert refused.status_code == 400 and "directorate" in refused.json()
        intelligence = post(
            client_for(users.pilotage), URL, {**NEW, "exclusively_intelligence": True}
        )
        assert intelligence.status_code == 400
        dates = post(client_for(users.pilotage), URL, {**NEW, "end_date": "2025-01-01"})
        assert dates.status_code == 400 and "end_date" in dates.json()
        unknown = post(client_for(users.pilotage), URL, {**NEW, "directorate": "DGSI", "kind": "x"})
        assert unknown.status_code == 400 and {"directorate", "kind"} <= set(unknown.json())
        no_funder = post(
            client_for(users.pilotage),
            URL,
            {**NEW, "fundings": [{"instrument": "eu_ndici", "amount": 5}]},
        )
        assert no_funder.status_code == 400
        assert not CooperationAction.objects.exists()


class TestDetailAndUpdate:
    def test_matrix(self, make_action, users):
        action = make_action()
        responses = check_matrix(
            f"{URL}{action.pk}/",
            anonymous=Persona.UNAUTHORIZED,
            other_unit=(users.attache_madrid, 404),
            read_only=(users.correspondant_dgpn, 200),
            right_user=(users.attache_bamako, 200),
        )
        assert responses["right_user"].json()["title"] == action.title

    def test_patch_with_version_and_stale(self, make_action, users, client_for):
        action = make_action()
        url = f"{URL}{action.pk}/"
        client = client_for(users.attache_bamako)
        assert patch(client, url, {"title": "Sans version"}).status_code == 400
        ok = patch(client, url, {"title": "Nouveau titre", "version": action.version})
        assert ok.status_code == 200 and ok.json()["version"] == action.version + 1
        stale = patch(client, url, {"title": "Vieux", "version": action.version})
        assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
        assert (
            patch(
                client_for(users.correspondant_dgpn), url, {"title": "x", "version": 2}
            ).status_code
            == 403
        )
        assert (
            patch(client_for(users.lecteur), url, {"title": "x", "version": 2}).status_code == 403
        )
        assert (
            patch(client_for(users.attache_madrid), url, {"title": "x", "version": 2}).status_code
            == 404
        )
        action.refresh_from_db()
        assert action.title == "Nouveau titre"

    def test_status_is_read_only(self, make_action, users, client_for):
        action = make_action()
        patch(
            client_for(users.pilotage), f"{URL}{action.pk}/", {"status": "programmed", "version": 1}
        )
        action.refresh_from_db()
        assert action.status == "proposed"


class TestTransition:
    def test_illegal_transition_is_409_with_allowed(self, make_action, users, client_for):
        action = make_action()
        response = post(
            client_for(users.pilotage), f"{URL}{action.pk}/transition/", {"to": "programmed"}
        )
        assert response.status_code == 409
        body = response.json()
        assert body["code"] == "transition_refused"
        assert set(body["allowed_transitions"]) == {"under_review", "cancelled"}

    def test_programming_without_the_meae_only_outside_b(
        self, make_action, coop, users, client_for
    ):
        client = client_for(users.pilotage)
        police = make_action()
        governance = make_action(
            directorate=coop.sg,
            cooperation_kind="administrative_governance",
            domain=domain("governance"),
        )
        for action in (police, governance):
            post(client, f"{URL}{action.pk}/transition/", {"to": "under_review"})
        refused = post(client, f"{URL}{police.pk}/transition/", {"to": "programmed"})
        assert refused.status_code == 409
        assert "ministère des affaires étrangères" in refused.json()["detail"]
        assert "programmed" not in refused.json()["allowed_transitions"]
        done = post(client, f"{URL}{governance.pk}/transition/", {"to": "programmed"})
        assert done.status_code == 200, done.content
        assert done.json()["status"] == "programmed"

    def test_walk_through_the_api(self, make_action, users, client_for):
        action = make_action()
        client = client_for(users.pilotage)
        url = f"{URL}{action.pk}/transition/"
        assert post(client, url, {"to": "under_review"}).json()["status"] == "under_review"
        assert post(client, url, {"to": "meae_opinion"}).json()["status"] == "meae_opinion"
        skipped = post(client, url, {"to": "programmed"})
        assert skipped.status_code == 409
        assert "meae_opinion" in skipped.json()["allowed_transitions"]
        no_comment = post(client, url, {"to": "meae_opinion", "meae_opinion": "favorable"})
        assert no_comment.status_code == 400 and "comment" in no_comment.json()
        recorded = post(
            client,
            url,
            {"to": "meae_opinion", "meae_opinion": "reserve", "comment": "Réservé : calendrier."},
        )
        assert recorded.status_code == 200 and recorded.json()["meae_opinion"] == "reserve"
        programmed = post(client, url, {"to": "programmed"})
        assert programmed.status_code == 200 and programmed.json()["status"] == "programmed"
        undeclared = post(
            client,
            url,
            {"to": "in_progress", "actual_start": "2025-03-10", "actual_end": "2025-03-12"},
        )
        assert undeclared.status_code == 400 and "actual_end" in undeclared.json()
        started = post(client, url, {"to": "in_progress", "actual_start": "2025-03-10"})
        assert started.json()["actual_start"] == "2025-03-10"
        history = client.get(f"{URL}{action.pk}/transitions/").json()["history"]
        assert [h["to"] for h in history] == [
            "under_review",
            "meae_opinion",
            "meae_opinion",
            "programmed",
            "in_progress",
        ]

    def test_postpone_needs_reason_and_date(self, make_action, users, client_for):
        action = make_action()
        walk(action, users.pilotage, "review")
        url = f"{URL}{action.pk}/transition/"
        client = client_for(users.pilotage)
        assert (
            post(client, url, {"to": "postponed", "postponed_to": "2025-10-01"}).status_code == 400
        )
        no_date = post(client, url, {"to": "postponed", "comment": "Élections"})
        assert no_date.status_code == 400 and "postponed_to" in no_date.json()
        done = post(
            client, url, {"to": "postponed", "comment": "Élections", "postponed_to": "2025-10-01"}
        )
        assert done.status_code == 200 and done.json()["postponed_to"] == "2025-10-01"

    def test_refusals(self, make_action, users, client_for):
        action = make_action()
        url = f"{URL}{action.pk}/transition/"
        assert (
            post(client_for(users.correspondant_dgpn), url, {"to": "under_review"}).status_code
            == 403
        )
        assert post(client_for(users.lecteur), url, {"to": "under_review"}).status_code == 403
        # Who before when: a read-only user or a role without the action is told so (403), even
        # towards a state the record cannot reach now (409 only for those who may act).
        for target in ("programmed", "completed", "proposed"):
            refused = post(client_for(users.lecteur), url, {"to": target})
            assert refused.status_code == 403, (target, refused.content)
        wrong_role = post(client_for(users.correspondant_dgpn), url, {"to": "programmed"})
        assert wrong_role.status_code == 403
        assert post(client_for(users.pilotage), url, {"to": "programmed"}).status_code == 409
        assert (
            post(client_for(users.attache_madrid), url, {"to": "under_review"}).status_code == 404
        )
        assert post(client_for(users.pilotage), url, {"to": "nowhere"}).status_code == 400
        assert post(client_for(users.pilotage), url, {}).status_code == 400
        check_matrix(
            url, anonymous=Persona.UNAUTHORIZED, method="post", data={"to": "under_review"}
        )
