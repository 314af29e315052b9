"""Pages of the network: the permission matrix of every page, and what each persona sees."""

import datetime

import pytest
from django.utils import timezone

from relais.network import services
from relais.network.models import PostAnnualReport, Tasking
from relais.network.workflows import ReportStatus, TaskingStatus
from tests.factories import AssignmentFactory, PersonFactory
from tests.matrix import check_matrix
from tests.network.conftest import move_due_date, recipient

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_overview_matrix_and_content(net, org, users):
    move_due_date(net.madrid_only, -2)
    responses = check_matrix(
        "/reseau/",
        other_unit=(users.attache_bamako, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.pilotage, 200),
    )
    page = text(responses["right_user"])
    assert page.count("<h1") == 1
    assert "SSI Madrid" in page and "SSI Bamako" in page
    assert "1 en retard" in page  # Madrid's late answer
    # Bamako sees the posts but counts only its own answers: no late answer from Madrid.
    assert "1 en retard" not in text(responses["other_unit"])


def test_post_page_shows_staff_only_to_the_post_and_headquarters(net, org, users):
    person = PersonFactory(
        unit=org.madrid.unit,
        first_name="Inès",
        last_name="Garrido",
        email="ines.garrido@example.org",
    )
    AssignmentFactory(
        person=person,
        function="liaison_officer",
        theme="Stupéfiants",
        start_date=datetime.date(2024, 9, 1),
    )
    url = f"/reseau/postes/{org.madrid.unit.code}/"
    responses = check_matrix(
        url,
        other_unit=(users.attache_bamako, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.attache_madrid, 200),
    )
    mine = text(responses["right_user"])
    assert "GARRIDO" in mine and "Stupéfiants" in mine and "Officier de liaison" in mine
    assert "Besoins de formation" in mine and "Filières migratoires" in mine
    other = text(responses["other_unit"])
    assert "GARRIDO" not in other and "ne sont visibles que du poste" in other
    assert "Filières migratoires" not in other  # Madrid's taskings are not Bamako's business
    assert "GARRIDO" in text(responses["read_only"])  # headquarters
    assert check_matrix("/reseau/postes/SSI-INCONNU/", right_user=(users.pilotage, 404))


def test_tasking_list_matrix_and_scope(net, users):
    responses = check_matrix(
        "/reseau/sollicitations/",
        other_unit=(users.attache_bamako, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.pilotage, 200),
    )
    hq = text(responses["right_user"])
    assert all(
        t in hq for t in ("Besoins de formation", "Filières migratoires", "Projet de recensement")
    )
    bamako = text(responses["other_unit"])
    assert "Besoins de formation" in bamako
    assert "Filières migratoires" not in bamako and "Projet de recensement" not in bamako
    assert "Nouvelle sollicitation" in hq and "Nouvelle sollicitation" not in bamako
    client_page = check_matrix(
        "/reseau/sollicitations/", right_user=(users.correspondant_dgpn, 200)
    )
    assert "Aucune sollicitation" in text(client_page["right_user"])


def test_tasking_list_filters_and_export(net, org, users, client_for):
    move_due_date(net.madrid_only, -1)
    client = client_for(users.pilotage)
    late = text(client.get("/reseau/sollicitations/?late=true"))
    assert "Filières migratoires" in late and "Besoins de formation" not in late
    post = text(client.get("/reseau/sollicitations/?post=ssi-bamako"))
    assert "Besoins de formation" in post and "Filières migratoires" not in post
    assert client.get("/reseau/sollicitations/?year=abc").status_code == 200  # error shown, no 500
    csv = client.get("/reseau/sollicitations/?export=csv&status=sent")
    assert csv.status_code == 200
    body = streamed(csv)
    assert "Filières migratoires" in body and "Projet de recensement" not in body


def test_tasking_create_matrix_and_post(org, users, client_for):
    check_matrix(
        "/reseau/sollicitations/nouvelle/",
        other_unit=(users.attache_madrid, 403),
        read_only=(users.lecteur, 403),
        right_user=(users.charge_afrique, 200),
    )
    client = client_for(users.charge_afrique)
    due = (timezone.localdate() + datetime.timedelta(days=15)).isoformat()
    response = client.post(
        "/reseau/sollicitations/nouvelle/",
        {
            "kind": "survey",
            "title": "Enquête ENVR",
            "body": "Questions",
            "due_on": due,
            "marking": "non_protege",
            "zones": [org.africa_zone.pk],
        },
    )
    tasking = Tasking.objects.get(title="Enquête ENVR")
    assert response.status_code == 302 and response["Location"] == tasking.get_absolute_url()
    assert list(tasking.recipients.values_list("post__city", flat=True)) == ["Bamako"]
    # Errors: no recipient, past due date, classified header.
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(
        "/reseau/sollicitations/nouvelle/",
        {
            "kind": "survey",
            "title": "TRÈS SECRET",
            "body": "x",
            "due_on": past,
            "marking": "non_protege",
        },
    )
    page = text(response)
    assert response.status_code == 200
    assert "Choisissez au moins un poste" in page and "ne peut pas être passée" in page
    assert "fr-input-group--error" in page or "fr-select-group--error" in page


def test_tasking_detail_matrix_and_content(net, org, users):
    services.save_answer(
        recipient(net.both, org.madrid), users.attache_madrid, "Réponse de Madrid", submit=True
    )
    services.save_answer(
        recipient(net.both, org.bamako), users.attache_bamako, "Brouillon de Bamako"
    )
    url = f"/reseau/sollicitations/{net.both.pk}/"
    responses = check_matrix(
        url,
        other_unit=(users.correspondant_dgpn, 404),
        read_only=(users.lecteur, 200),
        right_user=(users.pilotage, 200),
    )
    hq = text(responses["right_user"])
    assert "Suivi des réponses (1 / 2)" in hq and "brouillon au poste" in hq
    assert "Brouillon de Bamako" not in hq  # a draft stays at the post
    assert "Clôturer" in hq and "Clôturer" not in text(responses["read_only"])
    bamako = check_matrix(url, right_user=(users.attache_bamako, 200))["right_user"]
    page = text(bamako)
    assert "Réponse de votre poste" in page and "Réponse de Madrid" not in page
    assert "Suivi des réponses" not in page
    # Madrid's only tasking is out of Bamako's scope; the draft out of every post's.
    check_matrix(
        f"/reseau/sollicitations/{net.madrid_only.pk}/", right_user=(users.attache_bamako, 404)
    )
    check_matrix(f"/reseau/sollicitations/{net.draft.pk}/", right_user=(users.attache_bamako, 404))


def test_answers_side_by_side(net, org, users):
    services.save_answer(
        recipient(net.both, org.madrid), users.attache_madrid, "Texte de Madrid", submit=True
    )
    services.save_answer(
        recipient(net.both, org.bamako), users.attache_bamako, "Texte de Bamako", submit=True
    )
    url = f"/reseau/sollicitations/{net.both.pk}/reponses/"
    responses = check_matrix(
        url,
        other_unit=(users.correspondant_dgef, 404),
        read_only=(users.lecteur, 200),
        right_user=(users.charge_afrique, 200),
    )
    page = text(responses["right_user"])
    assert "Texte de Madrid" in page and "Texte de Bamako" in page
    bamako = text(check_matrix(url, right_user=(users.attache_bamako, 200))["right_user"])
    assert "Texte de Bamako" in bamako and "Texte de Madrid" not in bamako
    export = check_matrix(url + "?export=csv", right_user=(users.pilotage, 200))["right_user"]
    body = streamed(export)
    assert "Texte de Madrid" in body and "Texte de Bamako" in body


def test_answer_page_matrix_and_submit(net, org, users, client_for):
    url = f"/reseau/sollicitations/{net.both.pk}/reponses/{org.madrid.unit.code}/"
    responses = check_matrix(
        url,
        other_unit=(users.attache_bamako, 404),
        read_only=(users.lecteur, 200),
        right_user=(users.attache_madrid, 200),
    )
    assert "Transmettre à l’administration centrale" in text(responses["right_user"])
    assert "Transmettre" not in text(responses["read_only"])
    row = recipient(net.both, org.madrid)
    check_matrix(
        url,
        method="post",
        data={"answer": "x", "version": row.version, "transmettre": "1"},
        other_unit=(users.attache_bamako, 404),
        read_only=(users.lecteur, 403),
        right_user=(users.pilotage, 403),
    )
    client = client_for(users.attache_madrid)
    response = client.post(
        url, {"answer": "Nos éléments", "version": row.version, "transmettre": "1"}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.answer == "Nos éléments" and row.answered_on == timezone.localdate()
    # A stale version keeps the input and says so.
    response = client.post(url, {"answer": "Autre texte", "version": 1, "brouillon": "1"})
    page = text(response)
    assert response.status_code == 200 and "modifié par quelqu" in page and "Autre texte" in page


def test_remind_and_transitions_through_pages(net, org, users, client_for):
    move_due_date(net.both, -1)
    url = f"/reseau/sollicitations/{net.both.pk}/relancer/"
    check_matrix(
        url,
        method="post",
        data={},
        other_unit=(users.attache_madrid, 403),
        read_only=(users.lecteur, 403),
        right_user=(users.pilotage, 302),
    )
    client = client_for(users.pilotage)
    response = client.post(
        f"/reseau/sollicitations/{net.both.pk}/circuit/close/",
        {"version": net.both.version, "next": net.both.get_absolute_url()},
    )
    assert response.status_code == 302
    net.both.refresh_from_db()
    assert net.both.status == TaskingStatus.CLOSED
    attache = client_for(users.attache_madrid)
    assert (
        attache.post(
            f"/reseau/sollicitations/{net.both.pk}/circuit/reopen/", {"comment": "x"}
        ).status_code
        == 403
    )


def test_tasking_edit(net, org, users, client_for):
    check_matrix(
        f"/reseau/sollicitations/{net.draft.pk}/modifier/",
        other_unit=(users.attache_bamako, 404),
        read_only=(users.lecteur, 403),
        right_user=(users.pilotage, 200),
    )
    client = client_for(users.pilotage)
    due = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    response = client.post(
        f"/reseau/sollicitations/{net.draft.pk}/modifier/",
        {
            "kind": "survey",
            "title": "Recensement",
            "body": "b",
            "due_on": due,
            "marking": "non_protege",
            "posts": [org.madrid.pk, org.bamako.pk],
            "version": net.draft.version,
        },
    )
    assert response.status_code == 302
    assert net.draft.recipients.count() == 2


def test_report_pages(org, users, client_for):
    check_matrix(
        "/reseau/rapports/nouveau/",
        other_unit=(users.correspondant_dgpn, 403),
        read_only=(users.lecteur, 403),
        right_user=(users.attache_bamako, 200),
    )
    year = timezone.localdate().year - 1
    client = client_for(users.attache_bamako)
    response = client.post(
        "/reseau/rapports/nouveau/",
        {
            "year": year,
            "context": "Contexte",
            "cooperation_summary": "Actions",
            "priorities": "- Formation\n- Frontières",
            "marking": "non_protege",
        },
    )
    report = PostAnnualReport.objects.get(post=org.bamako, year=year)
    assert response.status_code == 302
    url = f"/reseau/rapports/{report.pk}/"
    responses = check_matrix(
        url,
        other_unit=(users.attache_madrid, 404),
        read_only=(users.lecteur, 200),
        right_user=(users.attache_bamako, 200),
    )
    page = text(responses["right_user"])
    assert "<li>Formation</li>" in page and "Transmettre à l" in page
    assert "Valider" not in page
    check_matrix(
        url + "modifier/",
        other_unit=(users.attache_madrid, 404),
        read_only=(users.lecteur, 403),
        right_user=(users.attache_bamako, 200),
    )
    list_page = check_matrix(
        "/reseau/rapports/",
        other_unit=(users.attache_madrid, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.pilotage, 200),
    )
    assert "SSI Bamako" in text(list_page["right_user"])
    assert "SSI Bamako" not in text(list_page["other_unit"]).split("<tbody>")[1]
    # Submit through the page, then headquarters accepts.
    client.post(f"{url}circuit/submit/", {"version": report.version, "next": url})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert check_matrix(url + "modifier/", right_user=(users.attache_bamako, 403))
    hq = client_for(users.charge_afrique)
    hq.post(f"{url}circuit/accept/", {"version": report.version, "next": url})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    pdf = check_matrix(
        url + "pdf/", other_unit=(users.attache_madrid, 404), right_user=(users.pilotage, 200)
    )
    assert pdf["right_user"]["Content-Type"] == "application/pdf"


def test_nav_and_home(net, org, users, client_for):
    move_due_date(net.madrid_only, -1)
    home = text(client_for(users.pilotage).get("/"))
    assert "Le réseau à l&#x27;étranger (b)" in home or "Le réseau à l'étranger (b)" in home
    assert "Sollicitations aux réponses en retard" in home
    madrid = text(client_for(users.attache_madrid).get("/"))
    assert "Sollicitations à traiter" in madrid
    assert 'href="/reseau/"' in madrid
    assert 'href="/reseau/"' not in text(client_for(users.correspondant_dgpn).get("/"))


def test_article_page_counts_taskings_under_b(net, users, client_for):
    page = text(client_for(users.pilotage).get("/article-1/"))
    assert "Sollicitations du réseau" in page
    assert Tasking.objects.visible_to(users.attache_bamako).filter(missions__code="b").count() == 1
