"""The children of an agreement through the API (`/api/v1/agreements/<id>/…`): negotiation
rounds, text versions (files, comparison), comment requests and their answers, renewals, joint
committees and their meetings — scope, permissions, services (audit), versions, bad input and
query budget."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from relais.agreements import services
from relais.agreements.models import (
    CommentRequest,
    CommitteeMeeting,
    JointCommittee,
    NegotiationRound,
    Renewal,
)
from relais.core.audit.models import Action, AuditEvent
from tests.agreements.conftest import to_in_force
from tests.api_checks import last_event, queries_for, send
from tests.matrix import Persona, check_matrix

D = datetime.date


def base(agreement):
    return f"/api/v1/agreements/{agreement.pk}"


ROUND = {"held_on": "2025-03-04", "place": "Alger", "outcome": "Projet stabilisé à 80 %."}


def test_rounds_matrix_reads_and_writes(make_agreement, users, k_org):
    agreement = make_agreement(countries=[k_org.mali])
    services.add_round(agreement, users.pilotage, held_on=D(2025, 1, 10), place="Paris")
    url = f"{base(agreement)}/rounds/"
    responses = check_matrix(
        url,
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.correspondant_dgef, 404),
        read_only=(users.lecteur, 200),
        right_user=(users.attache_bamako, 200),
    )
    assert [r["place"] for r in responses["read_only"].json()["results"]] == ["Paris"]
    responses = check_matrix(
        url,
        method="post",
        data=ROUND,
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.correspondant_dgef, 404),
        read_only=(users.lecteur, 403),
        right_user=(users.pilotage, 201),
    )
    created = responses["right_user"].json()
    assert created["place"] == "Alger" and created["version"] == 1
    # A correspondent of the directorate reads the agreement but does not change it.
    check_matrix(
        url,
        method="post",
        data=ROUND,
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.correspondant_dgpn, 403),
    )
    assert agreement.rounds.count() == 2


def test_round_create_update_delete_are_audited_and_locked(make_agreement, users, client_for):
    agreement = make_agreement()
    client = client_for(users.pilotage)
    url = f"{base(agreement)}/rounds/"
    response = send(client, "post", url, ROUND)
    assert response.status_code == 201, response.content
    created = NegotiationRound.objects.get(pk=response.json()["id"])
    assert created.agreement == agreement and created.marking == agreement.marking
    assert last_event(created, Action.CREATE).actor == users.pilotage

    item = f"{url}{created.pk}/"
    changed = send(client, "patch", item, {"place": "Rabat", "version": 1})
    assert changed.status_code == 200, changed.content
    assert changed.json()["version"] == 2
    assert last_event(created, Action.UPDATE).changes["place"] == ["Alger", "Rabat"]

    stale = send(client, "patch", item, {"place": "Tunis", "version": 1})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert send(client, "patch", item, {"place": "Tunis"}).status_code == 400

    assert send(client, "delete", f"{item}?version=1").status_code == 409
    assert send(client, "delete", f"{item}?version=2").status_code == 204
    assert not NegotiationRound.objects.filter(pk=created.pk).exists()
    assert last_event(created, Action.DELETE).actor == users.pilotage


def test_rounds_bad_input_names_the_field(make_agreement, users, client_for):
    agreement = make_agreement()
    client = client_for(users.pilotage)
    url = f"{base(agreement)}/rounds/"
    response = send(client, "post", url, {"place": "Alger"})
    assert response.status_code == 400 and "held_on" in response.json()
    response = send(client, "post", url, {**ROUND, "held_on": "pas une date"})
    assert response.status_code == 400 and "held_on" in response.json()
    response = send(client, "post", url, {**ROUND, "outcome": "TRÈS SECRET — compte rendu"})
    assert response.status_code == 400 and "outcome" in response.json()
    typo = send(client, "post", url, {**ROUND, "plaec": "Alger"})
    assert typo.status_code == 400 and "plaec" in typo.json()
    assert not agreement.rounds.exists()


def test_child_of_another_agreement_is_not_found(make_agreement, users, client_for):
    first, second = make_agreement(title="Un"), make_agreement(title="Deux")
    round_ = services.add_round(first, users.pilotage, held_on=D(2025, 1, 1), place="Paris")
    client = client_for(users.pilotage)
    assert client.get(f"{base(first)}/rounds/{round_.pk}/").status_code == 200
    assert client.get(f"{base(second)}/rounds/{round_.pk}/").status_code == 404
    assert send(client, "delete", f"{base(second)}/rounds/{round_.pk}/").status_code == 404


def test_committees_and_meetings(make_agreement, users, client_for):
    agreement = make_agreement()
    client = client_for(users.pilotage)
    response = send(
        client,
        "post",
        f"{base(agreement)}/committees/",
        {"name": "Comité mixte franco-algérien", "periodicity": "annuelle"},
    )
    assert response.status_code == 201, response.content
    committee = JointCommittee.objects.get(pk=response.json()["id"])
    last_event(committee, Action.CREATE)
    meetings = f"{base(agreement)}/committees/{committee.pk}/meetings/"
    response = send(client, "post", meetings, {"held_on": "2026-10-01", "place": "Alger"})
    assert response.status_code == 201, response.content
    meeting = CommitteeMeeting.objects.get(pk=response.json()["id"])
    assert meeting.committee == committee
    last_event(meeting, Action.CREATE)
    listed = client.get(meetings).json()
    assert [m["place"] for m in listed["results"]] == ["Alger"]
    # The committee of another agreement is not reachable through this one.
    other = make_agreement(title="Autre")
    assert client.get(f"{base(other)}/committees/{committee.pk}/meetings/").status_code == 404
    check_matrix(
        meetings,
        method="post",
        data={"held_on": "2026-11-01"},
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.correspondant_dgef, 404),
        read_only=(users.lecteur, 403),
        right_user=(users.charge_afrique, 201),
    )
    assert send(client, "post", meetings, {"place": "Oran"}).json().keys() >= {"held_on"}


def test_text_versions_upload_download_and_compare(
    make_agreement, users, client_for, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    agreement = make_agreement()
    client = client_for(users.pilotage)
    url = f"{base(agreement)}/versions/"
    first = client.post(
        url,
        {
            "label": "Projet français",
            "document": SimpleUploadedFile(
                "projet.txt", b"Article 1\nArticle 2\nArticle 3\n", "text/plain"
            ),
        },
    )
    assert first.status_code == 201, first.content
    assert first.json()["number"] == 1 and first.json()["text_source"] == "extracted"
    second = send(
        client,
        "post",
        url,
        {"label": "Contre-projet", "pasted_text": "Article 1\nArticle 2 modifié\nArticle 3\n"},
    )
    assert second.status_code == 201, second.content
    assert second.json()["number"] == 2 and second.json()["has_document"] is False
    version = agreement.versions.get(number=1)
    last_event(version, Action.CREATE)

    download = client.get(first.json()["document_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"Article 1")
    assert AuditEvent.objects.for_object(version).filter(action=Action.READ).exists()
    assert client.get(f"{url}2/document/").status_code == 404

    compared = client.get(f"{url}compare/?from=1&to=2").json()
    assert (compared["old"], compared["new"], compared["added"], compared["removed"]) == (
        1,
        2,
        1,
        1,
    )
    assert {"kind": "added", "text": "Article 2 modifié", "old_number": None, "new_number": 2} in (
        compared["lines"]
    )
    assert client.get(f"{url}compare/").json()["added"] == 1  # the last two by default
    unknown = client.get(f"{url}compare/?from=7&to=2")
    assert unknown.status_code == 400 and "from" in unknown.json()

    refused = send(client, "post", url, {"label": "Vide"})
    assert refused.status_code == 400 and "document" in refused.json()
    bad_type = client.post(
        url,
        {
            "label": "Image",
            "document": SimpleUploadedFile("x.txt", b"\x89PNG\r\n\x1a\n\0\0", "image/png"),
        },
    )
    assert bad_type.status_code == 400 and "document" in bad_type.json()
    check_matrix(
        url,
        method="post",
        data={"label": "V", "pasted_text": "texte"},
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.correspondant_dgef, 404),
        read_only=(users.lecteur, 403),
        right_user=(users.charge_afrique, 201),
    )
    check_matrix(
        f"{url}1/document/",
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.correspondant_dgef, 404),
        read_only=(users.lecteur, 200),
    )


def test_comment_requests_and_answer(make_agreement, users, client_for, k_org):
    agreement = make_agreement(directorates=[k_org.dgpn])
    url = f"{base(agreement)}/comment-requests/"
    client = client_for(users.pilotage)
    payload = {
        "addressee": "directorate",
        "directorate": "dgpn",
        "subject": "Observations sur le projet",
        "requested_on": "2026-01-05",
        "due_on": "2026-02-05",
    }
    response = send(client, "post", url, payload)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["directorate"] == "DGPN" and data["is_open"] is True
    item = CommentRequest.objects.get(pk=data["id"])
    last_event(item, Action.CREATE)

    missing = send(client, "post", url, {**payload, "directorate": None})
    assert missing.status_code == 400 and "directorate" in missing.json()
    foreign = send(client, "post", url, {**payload, "directorate": "DGEF"})
    assert foreign.status_code == 400 and "directorate" in foreign.json()
    early = send(client, "post", url, {**payload, "due_on": "2025-12-01"})
    assert early.status_code == 400 and "due_on" in early.json()
    assert send(client, "post", url, {**payload, "text_version": 9}).json().keys() >= {
        "text_version"
    }

    answer_url = f"{url}{item.pk}/answer/"
    answer = {"answer": "Pas d'objection.", "answered_on": "2026-01-20", "version": 1}
    responses = check_matrix(
        answer_url,
        method="post",
        data=answer,
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.correspondant_dgef, 404),
        read_only=(users.lecteur, 403),
        right_user=(users.correspondant_dgpn, 200),
    )
    answered = responses["right_user"].json()
    assert answered["answer"] == "Pas d'objection." and answered["is_open"] is False
    assert answered["answered_by"] == users.correspondant_dgpn.username
    assert last_event(item, Action.UPDATE).actor == users.correspondant_dgpn
    stale = send(client, "post", answer_url, answer)
    assert stale.status_code == 409
    empty = send(client, "post", answer_url, {**answer, "answer": "", "version": 2})
    assert empty.status_code == 400 and "answer" in empty.json()


def test_renewals(make_agreement, users, client_for):
    agreement = make_agreement(tacit_renewal=True, renewal_years=1, duration_years=5)
    url = f"{base(agreement)}/renewals/"
    client = client_for(users.pilotage)
    too_early = send(client, "post", url, {"kind": "tacit", "renewed_on": "2026-01-01"})
    assert too_early.status_code == 400 and "agreement" in too_early.json()
    to_in_force(agreement, users.pilotage, expires=D(2026, 1, 1))
    responses = check_matrix(
        url,
        method="post",
        data={"kind": "tacit", "renewed_on": "2026-01-01"},
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.correspondant_dgef, 404),
        read_only=(users.lecteur, 403),
        right_user=(users.pilotage, 201),
    )
    data = responses["right_user"].json()
    assert data["previous_expires_on"] == "2026-01-01" and data["new_expires_on"] == "2027-01-01"
    agreement.refresh_from_db()
    assert agreement.expires_on == D(2027, 1, 1)
    last_event(Renewal.objects.get(pk=data["id"]), Action.CREATE)
    bad = send(client, "post", url, {"kind": "jamais", "renewed_on": "2027-01-01"})
    assert bad.status_code == 400 and "kind" in bad.json()
    assert client.get(url).json()["count"] == 1


def test_children_lists_query_budget(make_agreement, users, client_for, k_org):
    agreement = make_agreement()
    committee = services.add_committee(agreement, users.pilotage, name="Comité")

    def add(start, stop):
        for n in range(start, stop):
            services.add_round(agreement, users.pilotage, held_on=D(2025, 1, 1), place=f"L{n}")
            services.add_meeting(committee, users.pilotage, held_on=D(2025, 2, 1), place=f"L{n}")
            services.request_comments(
                agreement,
                users.pilotage,
                addressee="directorate",
                directorate=k_org.dgpn,
                subject=f"Demande {n}",
                due_on=D(2030, 1, 1),
            )
            services.add_text_version(agreement, users.pilotage, label=f"V{n}", pasted_text="t")

    urls = [
        f"{base(agreement)}/rounds/",
        f"{base(agreement)}/committees/{committee.pk}/meetings/",
        f"{base(agreement)}/comment-requests/",
        f"{base(agreement)}/versions/",
        f"{base(agreement)}/committees/",
        f"{base(agreement)}/renewals/",
    ]
    client = client_for(users.pilotage)
    add(0, 10)
    small = [queries_for(client, f"{u}?limit=100") for u in urls]
    add(10, 50)
    assert [queries_for(client, f"{u}?limit=100") for u in urls] == small
