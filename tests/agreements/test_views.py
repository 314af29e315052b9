"""The pages of mission k: permission matrix for every view, and what each page shows."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from relais.agreements import services
from relais.agreements.models import Agreement, CommentRequest, NegotiationRound
from relais.agreements.workflows import AgreementStatus
from tests.agreements.conftest import to_in_force
from tests.matrix import check_matrix

D = datetime.date


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def agreement(make_agreement, k_org):
    return make_agreement(title="Accord franco-algérien de test", countries=[k_org.algeria])


def test_list_matrix_and_content(agreement, users):
    responses = check_matrix(
        "/accords/",
        other_unit=(users.attache_madrid, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.correspondant_dgpn, 200),
    )
    assert "Accord franco-algérien de test" not in responses["other_unit"].content.decode()
    assert "Accord franco-algérien de test" in responses["read_only"].content.decode()
    assert "Nouvel accord" not in responses["read_only"].content.decode()
    body = responses["right_user"].content.decode()
    assert "Accord franco-algérien de test" in body and "<caption>" in body
    assert (
        "Nouvel accord"
        in check_matrix("/accords/", right_user=(users.pilotage, 200))[
            "right_user"
        ].content.decode()
    )


def test_list_filters_and_export(make_agreement, users, client_for, k_org):
    make_agreement(title="Pour la DGPN", directorates=[k_org.dgpn])
    make_agreement(title="Pour la DGEF", directorates=[k_org.dgef])
    client = client_for(users.pilotage)
    body = client.get("/accords/?directorate=DGEF").content.decode()
    assert "Pour la DGEF" in body and "Pour la DGPN" not in body
    export = client.get("/accords/?directorate=DGEF&export=csv")
    assert export.status_code == 200
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Pour la DGEF" in text and "Pour la DGPN" not in text
    assert "Directions bénéficiaires" in text
    xlsx = client.get("/accords/?export=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    # A correspondent's export holds only their directorate's agreements.
    mine = client_for(users.correspondant_dgpn).get("/accords/?export=csv")
    text = b"".join(mine.streaming_content).decode("utf-8-sig")
    assert "Pour la DGPN" in text and "Pour la DGEF" not in text


def test_detail_matrix_and_content(agreement, users):
    url = f"/accords/{agreement.pk}/"
    responses = check_matrix(
        url,
        other_unit=(users.correspondant_dgef, 404),
        read_only=(users.lecteur, 200),
        right_user=(users.pilotage, 200),
    )
    reader = responses["read_only"].content.decode()
    assert "Accord franco-algérien de test" in reader
    assert f"/accords/{agreement.pk}/modifier/" not in reader
    assert "Circuit de validation" in reader and "Engager la préparation technique" not in reader
    editor = responses["right_user"].content.decode()
    assert f"/accords/{agreement.pk}/modifier/" in editor
    assert "Engager la préparation technique" in editor
    assert "Historique des modifications" in editor and "Chronologie" in editor
    assert "article 1, k)" in editor
    check_matrix(url, other_unit=(users.admin, 404), right_user=(users.correspondant_dgpn, 200))
    check_matrix(
        url, other_unit=(users.attache_madrid, 404), right_user=(users.attache_bamako, 404)
    )


def test_create_matrix_and_form(users, client_for, k_org):
    check_matrix(
        "/accords/nouveau/",
        other_unit=(users.correspondant_dgpn, 403),
        read_only=(users.lecteur, 403),
        right_user=(users.charge_afrique, 200),
    )
    client = client_for(users.charge_afrique)
    refused = client.post(
        "/accords/nouveau/",
        {
            "title": "Sans direction",
            "kind": "technical_arrangement",
            "countries": [k_org.algeria.pk],
        },
    )
    assert refused.status_code == 200
    assert "fr-error-text" in refused.content.decode() and not Agreement.objects.exists()
    intelligence = client.post(
        "/accords/nouveau/",
        {
            "title": "Renseignement",
            "kind": "technical_arrangement",
            "countries": [k_org.algeria.pk],
            "directorates": [k_org.dgpn.pk],
            "exclusively_intelligence": "on",
            "marking": "non_protege",
        },
    )
    assert "services de renseignement" in intelligence.content.decode()
    assert not Agreement.objects.exists()
    created = client.post(
        "/accords/nouveau/",
        {
            "title": "Arrangement créé à l'écran",
            "kind": "technical_arrangement",
            "countries": [k_org.algeria.pk],
            "directorates": [k_org.dgpn.pk, k_org.dggn.pk],
            "marking": "non_protege",
        },
    )
    assert created.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.legal_basis_codes() == ["k"]
    assert sorted(agreement.directorate_codes) == ["DGGN", "DGPN"]


def test_edit_matrix_and_stale_version(agreement, users, client_for, k_org):
    url = f"/accords/{agreement.pk}/modifier/"
    check_matrix(
        url,
        other_unit=(users.correspondant_dgef, 404),
        read_only=(users.lecteur, 403),
        right_user=(users.pilotage, 200),
    )
    check_matrix(url, other_unit=(users.correspondant_dgpn, 403))
    data = {
        "title": "Titre modifié",
        "kind": agreement.kind,
        "countries": [k_org.algeria.pk],
        "directorates": [k_org.dgpn.pk],
        "marking": "non_protege",
        "version": agreement.version,
    }
    client = client_for(users.pilotage)
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "title": "Écrasement"})
    assert stale.status_code == 200 and "modifié par quelqu" in stale.content.decode()
    agreement.refresh_from_db()
    assert agreement.title == "Titre modifié"


def test_date_contradiction_on_edit_is_a_form_error(make_agreement, users, client_for, k_org):
    agreement = to_in_force(make_agreement(), users.pilotage, expires=D(2026, 1, 1))
    data = {
        "title": agreement.title,
        "kind": agreement.kind,
        "countries": [k_org.algeria.pk],
        "directorates": [k_org.dgpn.pk],
        "marking": "non_protege",
        "version": agreement.version,
        "signed_on": "2020-03-01",
        "in_force_on": "2021-01-01",
        "expires_on": "2020-06-01",
        "approval_law_reference": agreement.approval_law_reference,
        "publication_decree_reference": agreement.publication_decree_reference,
    }
    response = client_for(users.pilotage).post(f"/accords/{agreement.pk}/modifier/", data)
    assert response.status_code == 200
    assert "précéder l&#x27;entrée en vigueur" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.expires_on == D(2026, 1, 1)


def test_transition_view(agreement, users, client_for):
    url = f"/accords/{agreement.pk}/circuit/prepare/"
    check_matrix(
        url,
        method="post",
        data={"next": f"/accords/{agreement.pk}/"},
        other_unit=(users.correspondant_dgef, 404),
        read_only=(users.lecteur, 403),
        right_user=(users.pilotage, 302),
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.PREPARATION


@pytest.mark.parametrize(
    "suffix",
    [
        "tours/nouveau/",
        "versions/nouvelle/",
        "observations/nouvelle/",
        "comites/nouveau/",
        "renouvellements/nouveau/",
    ],
)
def test_part_forms_matrix(agreement, users, suffix):
    check_matrix(
        f"/accords/{agreement.pk}/{suffix}",
        other_unit=(users.correspondant_dgef, 404),
        read_only=(users.lecteur, 403),
        right_user=(users.pilotage, 200),
    )
    check_matrix(f"/accords/{agreement.pk}/{suffix}", other_unit=(users.correspondant_dgpn, 403))


def test_round_committee_and_meeting_forms(agreement, users, client_for):
    client = client_for(users.pilotage)
    base = f"/accords/{agreement.pk}/"
    response = client.post(
        base + "tours/nouveau/",
        {
            "held_on": "2026-01-15",
            "place": "Alger",
            "outcome": "Articles 1 à 5 agréés.",
            "marking": "non_protege",
        },
    )
    assert response.status_code == 302
    round_ = NegotiationRound.objects.get()
    assert (round_.place, round_.agreement) == ("Alger", agreement)
    edit = f"{base}tours/{round_.pk}/modifier/"
    check_matrix(
        edit,
        other_unit=(users.correspondant_dgpn, 403),
        read_only=(users.lecteur, 403),
        right_user=(users.pilotage, 200),
    )
    assert (
        client.post(
            base + "comites/nouveau/", {"name": "Comité mixte", "marking": "non_protege"}
        ).status_code
        == 302
    )
    committee = agreement.committees.get()
    response = client.post(
        f"{base}comites/{committee.pk}/reunions/nouvelle/",
        {"held_on": "2026-12-01", "place": "Paris", "marking": "non_protege"},
    )
    assert response.status_code == 302
    page = client.get(base).content.decode()
    assert "Articles 1 à 5 agréés." in page and "Comité mixte" in page and "01/12/2026" in page


def test_comment_request_and_answer(agreement, users, client_for, k_org):
    client = client_for(users.pilotage)
    response = client.post(
        f"/accords/{agreement.pk}/observations/nouvelle/",
        {
            "addressee": "directorate",
            "directorate": k_org.dgpn.pk,
            "subject": "Avis sur l'article 3",
            "requested_on": "2026-11-01",
            "due_on": "2026-12-15",
            "marking": "non_protege",
        },
    )
    assert response.status_code == 302, response.content.decode()
    item = CommentRequest.objects.get()
    url = f"/accords/{agreement.pk}/observations/{item.pk}/repondre/"
    check_matrix(
        url,
        other_unit=(users.correspondant_dgef, 404),
        read_only=(users.lecteur, 403),
        right_user=(users.correspondant_dgpn, 200),
    )
    mine = client_for(users.correspondant_dgpn)
    page = mine.get("/accords/ma-direction/").content.decode()
    assert "Avis sur l&#x27;article 3" in page
    assert (
        mine.post(url, {"answer": "Pas d'objection.", "version": item.version}).status_code == 302
    )
    item.refresh_from_db()
    assert item.answer == "Pas d'objection." and item.answered_by == users.correspondant_dgpn
    wrong = client.post(
        f"/accords/{agreement.pk}/observations/nouvelle/",
        {
            "addressee": "directorate",
            "directorate": k_org.dgef.pk,
            "subject": "X",
            "due_on": "2026-12-15",
            "requested_on": "2026-11-01",
            "marking": "non_protege",
        },
    )
    assert wrong.status_code == 200 and CommentRequest.objects.count() == 1


def test_my_directorate_is_for_correspondents(agreement, make_agreement, users, k_org):
    make_agreement(title="Pour la DGEF seulement", directorates=[k_org.dgef])
    responses = check_matrix(
        "/accords/ma-direction/",
        other_unit=(users.pilotage, 403),
        read_only=(users.lecteur, 403),
        right_user=(users.correspondant_dgpn, 200),
    )
    body = responses["right_user"].content.decode()
    assert "Accord franco-algérien de test" in body and "Pour la DGEF seulement" not in body


@time_machine.travel(datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_by_country_and_calendar(make_agreement, users, client_for, k_org):
    agreement = make_agreement(title="En vigueur au Mali", countries=[k_org.mali], notice_months=6)
    to_in_force(agreement, users.pilotage, in_force=D(2021, 1, 1), expires=D(2027, 3, 31))
    responses = check_matrix(
        "/accords/par-pays/",
        other_unit=(users.attache_madrid, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.attache_bamako, 200),
    )
    assert "En vigueur au Mali" not in responses["other_unit"].content.decode()
    assert "En vigueur au Mali" in responses["right_user"].content.decode()
    past = client_for(users.pilotage).get("/accords/par-pays/?date=2020-06-01").content.decode()
    assert "En vigueur au Mali" not in past
    bad = client_for(users.pilotage).get("/accords/par-pays/?date=xx")
    assert bad.status_code == 200 and "Date invalide" in bad.content.decode()
    calendar = check_matrix(
        "/accords/echeances/?mois=12",
        other_unit=(users.attache_madrid, 200),
        right_user=(users.pilotage, 200),
    )
    assert "En vigueur au Mali" not in calendar["other_unit"].content.decode()
    body = calendar["right_user"].content.decode()
    assert "31/03/2027" in body  # the expiry, within 12 months
    assert "30/09/2026" not in body  # the notice deadline, already past
    assert "Mon compte" in body


def test_pdf_matrix(agreement, users):
    responses = check_matrix(
        f"/accords/{agreement.pk}/pdf/",
        other_unit=(users.correspondant_dgef, 404),
        right_user=(users.lecteur, 200),
    )
    assert responses["right_user"]["Content-Type"] == "application/pdf"


def test_version_upload_download_and_compare(agreement, users, client_for):
    client = client_for(users.pilotage)
    base = f"/accords/{agreement.pk}/"
    first = SimpleUploadedFile("projet.txt", b"Article 1\nArticle 2 : formation\n", "text/plain")
    assert (
        client.post(base + "versions/nouvelle/", {"label": "Projet", "document": first}).status_code
        == 302
    )
    second = SimpleUploadedFile(
        "contre.txt",
        "Article 1\nArticle 2 : formation et échanges\nArticle 3\n".encode(),
        "text/plain",
    )
    assert (
        client.post(
            base + "versions/nouvelle/", {"label": "Contre-projet", "document": second}
        ).status_code
        == 302
    )
    url = f"{base}versions/1/document/"
    responses = check_matrix(
        url,
        other_unit=(users.correspondant_dgef, 404),
        read_only=(users.lecteur, 200),
        right_user=(users.correspondant_dgpn, 200),
    )
    assert b"".join(responses["right_user"].streaming_content).startswith(b"Article 1")
    assert "attachment" in responses["right_user"]["Content-Disposition"]
    compare = check_matrix(
        f"{base}versions/comparer/?de=1&a=2",
        other_unit=(users.attache_madrid, 404),
        right_user=(users.lecteur, 200),
    )
    body = compare["right_user"].content.decode()
    assert "<ins>Article 2 : formation et échanges</ins>" in body
    assert "<del>Article 2 : formation</del>" in body
    assert "2 lignes ajoutées, 1 ligne supprimée" in body
    refused = client.post(
        base + "versions/nouvelle/",
        {
            "label": "Programme",
            "document": SimpleUploadedFile("outil.exe", b"MZ\x90\x00", "application/octet-stream"),
        },
    )
    assert refused.status_code == 200 and "Type de document refusé" in refused.content.decode()
    assert agreement.versions.count() == 2


def test_part_delete(agreement, users, client_for):
    round_ = services.add_round(agreement, users.pilotage, held_on=D(2026, 1, 5), place="Alger")
    url = f"/accords/{agreement.pk}/tour/{round_.pk}/supprimer/"
    check_matrix(
        url,
        method="post",
        data={},
        other_unit=(users.correspondant_dgef, 404),
        read_only=(users.lecteur, 403),
        right_user=(users.correspondant_dgpn, 403),
    )
    assert client_for(users.pilotage).post(url).status_code == 302
    assert not NegotiationRound.objects.exists()
    assert (
        client_for(users.pilotage).post(f"/accords/{agreement.pk}/inconnu/1/supprimer/").status_code
        == 404
    )
