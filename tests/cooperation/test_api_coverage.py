"""The records of missions b to g beyond actions, through the API: programmes (with their
circuit), funding lines (nested under an action or a programme, and all lines read-only),
evaluations, comments and other donors' activities (list, IATI import) — scope, permissions,
services (audit), versions, bad input and query budget."""

from django.core.files.uploadedfile import SimpleUploadedFile

from relais.cooperation import services
from relais.cooperation.models import Evaluation, Funding, OtherDonorActivity, Programme
from relais.core.audit.models import Action
from tests.api_checks import last_event, queries_for, send
from tests.cooperation.conftest import D, to_programmed, walk
from tests.cooperation.test_iati import activity, document
from tests.matrix import Persona, check_matrix

API = "/api/v1/cooperation"


def test_programmes_matrix_filters_and_create(programme, coop, users, client_for):
    responses = check_matrix(
        f"{API}/programmes/",
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_madrid, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.attache_bamako, 200),
    )
    assert responses["other_unit"].json()["count"] == 0
    assert [p["id"] for p in responses["right_user"].json()["results"]] == [programme.pk]
    check_matrix(
        f"{API}/programmes/{programme.pk}/",
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_madrid, 404),
        read_only=(users.lecteur, 200),
        right_user=(users.charge_afrique, 200),
    )
    client = client_for(users.pilotage)
    assert client.get(f"{API}/programmes/?country=ml").json()["count"] == 1
    assert client.get(f"{API}/programmes/?country=ES").json()["count"] == 0
    assert client.get(f"{API}/programmes/?status=nimporte").status_code == 400

    payload = {"year": 2026, "title": "Programmation 2026 — Mali", "country": "ML"}
    responses = check_matrix(
        f"{API}/programmes/",
        method="post",
        data=payload,
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.correspondant_dgpn, 403),
        read_only=(users.lecteur, 403),
        right_user=(users.attache_bamako, 201),
    )
    data = responses["right_user"].json()
    assert data["status"] == "preparation" and data["post"] == coop.bamako.unit.code
    assert data["legal_basis"] == ["preamble-1", "b"]
    created = Programme.objects.get(pk=data["id"])
    assert last_event(created, Action.CREATE).actor == users.attache_bamako
    both = send(client, "post", f"{API}/programmes/", {**payload, "zone": "afrique-moyen-orient"})
    assert both.status_code == 400 and "country" in both.json()
    assert send(
        client, "post", f"{API}/programmes/", {"title": "x", "country": "ML"}
    ).json().keys() >= {"year"}


def test_programme_update_and_circuit(programme, users, client_for):
    url = f"{API}/programmes/{programme.pk}/"
    client = client_for(users.charge_afrique)
    changed = send(client, "patch", url, {"summary": "Priorité : police judiciaire.", "version": 1})
    assert changed.status_code == 200, changed.content
    assert last_event(programme, Action.UPDATE).changes["summary"][1].startswith("Priorité")
    stale = send(client, "patch", url, {"summary": "Autre", "version": 1})
    assert stale.status_code == 409
    assert (
        send(client_for(users.lecteur), "patch", url, {"summary": "x", "version": 2}).status_code
        == 403
    )
    assert (
        send(
            client_for(users.attache_madrid), "patch", url, {"summary": "x", "version": 2}
        ).status_code
        == 404
    )
    state = client.get(f"{API}/programmes/{programme.pk}/transitions/").json()
    assert "submit" in state["allowed_transitions"]
    transitions = f"{API}/programmes/{programme.pk}/transitions/"
    moved = send(client, "post", transitions, {"transition": "submit", "version": 2})
    assert moved.status_code == 200, moved.content
    programme.refresh_from_db()
    assert programme.status == "submitted"
    refused = send(client, "post", transitions, {"transition": "submit"})
    assert refused.status_code == 409


def test_action_funding_lines(make_action, coop, users, client_for):
    action = make_action()
    url = f"{API}/actions/{action.pk}/fundings/"
    line = {"funder": coop.dcsd.pk, "instrument": "meae_dcsd", "amount": "12000.00"}
    responses = check_matrix(
        url,
        method="post",
        data=line,
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_madrid, 404),
        read_only=(users.lecteur, 403),
        right_user=(users.attache_bamako, 201),
    )
    data = responses["right_user"].json()
    assert (data["funder_name"], data["status"], data["parent_type"]) == (
        "DCSD",
        "planned",
        "action",
    )
    created = Funding.objects.get(pk=data["id"])
    assert created.action == action and created.marking == action.marking
    assert last_event(created, Action.CREATE).actor == users.attache_bamako
    check_matrix(
        url,
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.correspondant_dgef, 404),
        read_only=(users.lecteur, 200),
        right_user=(users.correspondant_dgpn, 200),
    )
    client = client_for(users.pilotage)
    item = f"{url}{created.pk}/"
    assert send(client, "patch", item, {"status": "paid", "version": 1}).json()["status"] == "paid"
    assert last_event(created, Action.UPDATE).changes["status"] == ["planned", "paid"]
    assert send(client, "patch", item, {"status": "committed", "version": 1}).status_code == 409
    no_funder = send(client, "post", url, {"instrument": "meae_dcsd", "amount": "10"})
    assert no_funder.status_code == 400 and "funder" in no_funder.json()
    typo = send(client, "post", url, {**line, "amout": "5"})
    assert typo.status_code == 400 and "amout" in typo.json()
    negative = send(client, "post", url, {**line, "amount": "-5"})
    assert negative.status_code == 400 and "amount" in negative.json()
    assert send(client, "delete", f"{item}?version=1").status_code == 409
    assert send(client_for(users.correspondant_dgpn), "delete", item).status_code == 403
    assert send(client, "delete", item).status_code == 204
    assert last_event(created, Action.DELETE).actor == users.pilotage


def test_programme_funding_lines_and_all_lines(programme, make_action, coop, users, client_for):
    url = f"{API}/programmes/{programme.pk}/fundings/"
    client = client_for(users.charge_afrique)
    response = send(client, "post", url, {"instrument": "ministry_budget", "amount": "5000"})
    assert response.status_code == 201, response.content
    assert response.json()["parent_type"] == "programme"
    make_action(fundings=[{"funder": coop.dcsd, "instrument": "meae_dcsd", "amount": 700}])
    madrid = make_action(
        country=coop.spain,
        post=coop.madrid,
        directorate=coop.dgef,
        fundings=[{"funder": coop.dcsd, "instrument": "meae_dcsd", "amount": 900}],
    )
    assert madrid.fundings.count() == 1
    responses = check_matrix(
        f"{API}/fundings/",
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_madrid, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.attache_bamako, 200),
    )
    assert [r["amount"] for r in responses["other_unit"].json()["results"]] == ["900.00"]
    assert sorted(r["amount"] for r in responses["right_user"].json()["results"]) == [
        "5000.00",
        "700.00",
    ]
    pilot = client_for(users.pilotage)
    assert pilot.get(f"{API}/fundings/?instrument=ministry_budget").json()["count"] == 1
    assert pilot.get(f"{API}/fundings/?country=es").json()["count"] == 1
    assert pilot.get(f"{API}/fundings/?status=nimporte").status_code == 400
    assert send(pilot, "post", f"{API}/fundings/", {"amount": "1"}).status_code == 405


def test_evaluation(make_action, users, client_for):
    action = make_action()
    url = f"{API}/actions/{action.pk}/evaluation/"
    client = client_for(users.attache_bamako)
    assert client.get(url).status_code == 404
    payload = {"objectives_reached": "fully", "rating": 4, "lessons": "Très bon groupe."}
    early = send(client, "put", url, payload)
    assert early.status_code == 400 and not Evaluation.objects.exists()
    to_programmed(action, users.pilotage)
    walk(
        action,
        users.pilotage,
        ("start", {"actual_start": D(2025, 3, 10)}),
        ("complete", {"actual_end": D(2025, 3, 14)}),
    )
    responses = check_matrix(
        url,
        method="put",
        data=payload,
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_madrid, 404),
        read_only=(users.lecteur, 403),
        right_user=(users.attache_bamako, 201),
    )
    assert responses["right_user"].json()["rating_label"]
    evaluation = Evaluation.objects.get(action=action)
    assert last_event(evaluation, Action.CREATE).actor == users.attache_bamako
    assert client.get(url).json()["lessons"] == "Très bon groupe."
    assert send(client, "put", url, {**payload, "rating": 3}).json().keys() >= {"version"}
    changed = send(client, "put", url, {**payload, "rating": 3, "version": 1})
    assert changed.status_code == 200 and changed.json()["rating"] == 3
    assert send(client, "put", url, {**payload, "version": 1}).status_code == 409
    bad = send(client, "put", url, {**payload, "rating": 9, "version": 2})
    assert bad.status_code == 400 and "rating" in bad.json()
    # The workflow's « evaluate » step now accepts the action.
    services.move(action, "evaluate", users.attache_bamako)


def test_comments(make_action, users, client_for):
    action = make_action()
    url = f"{API}/actions/{action.pk}/comments/"
    responses = check_matrix(
        url,
        method="post",
        data={"body": "La DCPJ peut fournir deux formateurs."},
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.correspondant_dgef, 404),
        read_only=(users.lecteur, 403),
        right_user=(users.correspondant_dgpn, 201),
    )
    assert responses["right_user"].json()["author"] == users.correspondant_dgpn.username
    assert last_event(action.comments.get(), Action.CREATE).actor == users.correspondant_dgpn
    listed = client_for(users.attache_bamako).get(url).json()
    assert [c["body"] for c in listed["results"]] == ["La DCPJ peut fournir deux formateurs."]
    empty = send(client_for(users.pilotage), "post", url, {"body": ""})
    assert empty.status_code == 400 and "body" in empty.json()


def test_other_donors_list_and_import(coop, users, client_for):
    upload = SimpleUploadedFile("ue.xml", document(activity("EU-1")), content_type="text/xml")
    url = f"{API}/other-donors/import/"
    check_matrix(
        url,
        method="post",
        data={},
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_bamako, 403),
        read_only=(users.lecteur, 403),
    )
    client = client_for(users.charge_afrique)
    checked = client.post(url, {"file": upload, "dry_run": "true"})
    assert checked.status_code == 200, checked.content
    assert checked.json()["dry_run"] is True and not OtherDonorActivity.objects.exists()
    bad = client.post(url, {"file": SimpleUploadedFile("x.xml", b"<rss/>", "text/xml")})
    assert bad.status_code == 400 and any("rss" in line for line in bad.json()["lines"])
    assert client.post(url, {}).json().keys() >= {"file"}
    two = document(activity("EU-1"), activity("EU-2", title="Appui Espagne", country="ES"))
    done = client.post(url, {"file": SimpleUploadedFile("ue.xml", two, "text/xml")})
    assert done.status_code == 200 and done.json()["created"] == 2
    responses = check_matrix(
        f"{API}/other-donors/?country=ml",
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.admin, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.attache_madrid, 200),
    )
    assert [a["iati_identifier"] for a in responses["right_user"].json()["results"]] == ["EU-1"]
    assert responses["right_user"].json()["results"][0]["countries"] == ["ML"]
    assert client.get(f"{API}/other-donors/?q=espagne").json()["count"] == 1
    # The page filters with the same FilterSet.
    mali = "Programme d&#x27;appui à la sécurité"
    assert mali in client.get("/cooperation/autres-bailleurs/").content.decode()
    page = client.get("/cooperation/autres-bailleurs/?country=es").content.decode()
    assert "Appui Espagne" in page and mali not in page


def test_lists_query_budget(programme, make_action, coop, users, client_for):
    action = make_action()

    def add(start, stop):
        for n in range(start, stop):
            services.save_funding(
                Funding(action=action, funder=coop.dcsd, instrument="meae_dcsd", amount=n),
                users.pilotage,
            )
            services.save_funding(
                Funding(programme=programme, instrument="ministry_budget", amount=n),
                users.pilotage,
            )
            services.add_comment(action, users.correspondant_dgpn, f"Commentaire {n}")
            services.create_programme(
                users.pilotage, year=2020 + n % 5, title=f"Programme {n}", country=coop.mali
            )

    urls = [
        f"{API}/actions/{action.pk}/fundings/",
        f"{API}/programmes/{programme.pk}/fundings/",
        f"{API}/actions/{action.pk}/comments/",
        f"{API}/fundings/",
        f"{API}/programmes/",
        f"{API}/other-donors/",
    ]
    client = client_for(users.pilotage)
    add(0, 10)
    small = [queries_for(client, f"{u}?limit=100") for u in urls]
    add(10, 50)
    assert [queries_for(client, f"{u}?limit=100") for u in urls] == small
