"""Priority 4: need to know, markings, access log, search — and the permission matrix of every
page of the module."""

import pytest

from relais.core.audit.models import Action, AuditEvent
from relais.core.search.query import search
from relais.information.models import InformationReport
from relais.information.workflows import ReportStatus
from tests.matrix import Persona, check_matrix


def visible(user):
    return set(InformationReport.objects.visible_to(user).values_list("pk", flat=True))


def test_need_to_know(make_report, a_users, a_org):
    draft = make_report()
    submitted = make_report(status=ReportStatus.SUBMITTED)
    sent = make_report(status=ReportStatus.DISSEMINATED, recipients=[a_org.ofast])
    bamako = make_report(author=a_users.attache_bamako, countries=[a_org.mali])
    everything = {draft.pk, submitted.pk, sent.pk, bamako.pk}
    assert visible(a_users.attache_madrid) == {draft.pk, submitted.pk, sent.pk}
    assert visible(a_users.attache_bamako) == {bamako.pk}
    assert visible(a_users.analyste) == {submitted.pk, sent.pk}  # not the posts' drafts
    assert visible(a_users.pilotage) == {submitted.pk, sent.pk}
    assert visible(a_users.correspondant_ofast) == {sent.pk}
    assert visible(a_users.correspondant_dgpn) == set()  # the directorate is not the recipient
    assert visible(a_users.lecteur) == set()
    assert visible(a_users.admin) == set()
    assert visible(a_users.charge_afrique) == set()
    assert everything >= visible(a_users.pilotage)


def test_markings_apply_on_top(make_report, a_users):
    restricted = make_report(marking="diffusion_restreinte")
    open_report = make_report()
    assert visible(a_users.attache_np) == {open_report.pk}  # same unit, cleared non protégé
    assert restricted.pk in visible(a_users.attache_madrid)


def test_every_read_is_in_the_access_log(client_for, make_report, a_users):
    report = make_report(status=ReportStatus.DISSEMINATED)
    for user in (a_users.attache_madrid, a_users.analyste, a_users.correspondant_ofast):
        assert client_for(user).get(f"/information/{report.pk}/").status_code == 200
    readers = set(
        AuditEvent.objects.filter(action=Action.READ, object_id=str(report.pk)).values_list(
            "actor__username", flat=True
        )
    )
    assert readers == {"attache.madrid", "analyste", "correspondant.ofast"}


def test_search_respects_visibility(make_report, a_users, a_org):
    make_report(title="Laboratoire clandestin de méthamphétamine", status=ReportStatus.SUBMITTED)
    assert search(a_users.analyste, "methamphetamine")[0].total == 1
    assert all(r.total == 0 for r in search(a_users.attache_bamako, "methamphetamine"))
    assert all(r.total == 0 for r in search(a_users.correspondant_ofast, "methamphetamine"))


def test_report_page_matrix_and_content(make_report, a_users):
    report = make_report(status=ReportStatus.DISSEMINATED, body="Contenu détaillé de la fiche.")
    responses = check_matrix(
        f"/information/{report.pk}/",
        other_unit=(a_users.attache_bamako, 404),
        read_only=(a_users.lecteur, 404),
        right_user=(a_users.correspondant_ofast, 200),
    )
    page = responses["right_user"].content.decode()
    assert "Contenu détaillé de la fiche." in page
    assert "Accuser réception" in page
    assert "Notes d’analyste" not in page  # analysts' notes are not shown to recipients
    analyst = check_matrix(f"/information/{report.pk}/", right_user=(a_users.analyste, 200))
    assert "Notes d’analyste" in analyst["right_user"].content.decode()


def test_list_page_matrix(make_report, a_users):
    report = make_report(title="Fiche du poste de Madrid")
    responses = check_matrix(
        "/information/",
        other_unit=(a_users.attache_bamako, 200),
        read_only=(a_users.lecteur, 200),
        right_user=(a_users.attache_madrid, 200),
    )
    assert "Fiche du poste de Madrid" in responses["right_user"].content.decode()
    assert "Fiche du poste de Madrid" not in responses["other_unit"].content.decode()
    assert report.reference not in responses["read_only"].content.decode()


def test_list_export_is_scoped(client_for, make_report, a_users):
    make_report(title="Exportée de Madrid")
    csv = b"".join(
        client_for(a_users.attache_madrid).get("/information/?export=csv").streaming_content
    ).decode("utf-8-sig")
    assert "Exportée de Madrid" in csv
    other = b"".join(
        client_for(a_users.attache_bamako).get("/information/?export=csv").streaming_content
    ).decode("utf-8-sig")
    assert "Exportée de Madrid" not in other


def test_intake_page_matrix(a_users):
    responses = check_matrix(
        "/information/nouvelle/",
        other_unit=(a_users.correspondant_dgpn, 403),
        read_only=(a_users.lecteur, 403),
        right_user=(a_users.attache_madrid, 200),
    )
    page = responses["right_user"].content.decode()
    assert "relève exclusivement des services de renseignement" in page
    assert page.count("<h1") == 1


def test_web_intake_creates_a_submitted_report(client_for, a_users, a_org):
    from relais.information.models import Theme

    response = client_for(a_users.attache_madrid).post(
        "/information/nouvelle/",
        {
            "title": "Réseau de passeurs",
            "summary": "Passages par la frontière pyrénéenne.",
            "countries": [a_org.andorra.pk],
            "themes": [Theme.objects.get(code="irregular_immigration").pk],
            "grading_scheme": "europol_4x4",
            "source_reliability": "C",
            "information_credibility": "3",
            "handling_code": "H0",
            "marking": "non_protege",
            "action": "submit",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    report = InformationReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED
    assert report.unit == a_org.madrid.unit


def test_web_intake_refuses_secret_and_bad_grading(client_for, a_users, a_org):
    response = client_for(a_users.attache_madrid).post(
        "/information/nouvelle/",
        {
            "title": "x",
            "summary": "y",
            "countries": [a_org.spain.pk],
            "marking": "secret",
            "source_reliability": "Z",
            "information_credibility": "9",
            "handling_code": "H3",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "fr-error-text" in page
    assert not InformationReport.objects.exists()


def test_edit_page_matrix(make_report, a_users):
    report = make_report()
    check_matrix(
        f"/information/{report.pk}/modifier/",
        other_unit=(a_users.attache_bamako, 404),
        read_only=(a_users.lecteur, 404),
        right_user=(a_users.attache_madrid, 200),
    )
    submitted = make_report(status=ReportStatus.SUBMITTED)
    check_matrix(f"/information/{submitted.pk}/modifier/", right_user=(a_users.analyste, 403))


@pytest.mark.parametrize(
    "url, allowed, refused",
    [
        ("/information/file-analyste/", "analyste", "attache_madrid"),
        ("/information/dossiers/", "pilotage", "correspondant_dgpn"),
        ("/information/dossiers/nouveau/", "analyste", "pilotage"),
        ("/information/syntheses/nouvelle/", "analyste", "lecteur"),
        ("/information/regles/nouvelle/", "pilotage", "analyste"),
        ("/information/regles/", "analyste", "attache_madrid"),
        ("/information/purges/", "lecteur", "correspondant_dgpn"),
    ],
)
def test_restricted_pages(a_users, url, allowed, refused):
    check_matrix(
        url,
        other_unit=(getattr(a_users, refused), 403),
        right_user=(getattr(a_users, allowed), 200),
    )


@pytest.mark.parametrize(
    "url", ["/information/reception/", "/information/suivi/", "/information/statistiques/"]
)
def test_pages_open_to_every_signed_in_user_show_only_their_scope(make_report, a_users, url):
    report = make_report(status=ReportStatus.DISSEMINATED, title="Visible de l'OFAST")
    responses = check_matrix(
        url,
        other_unit=(a_users.correspondant_dgpn, 200),
        read_only=(a_users.lecteur, 200),
        right_user=(a_users.correspondant_ofast, 200),
    )
    assert report.reference not in responses["other_unit"].content.decode()
    if url == "/information/reception/":
        assert report.reference in responses["right_user"].content.decode()


def test_statistics_draw_svg_charts(make_report, a_users):
    make_report(status=ReportStatus.DISSEMINATED)
    page = check_matrix("/information/statistiques/", right_user=(a_users.analyste, 200))
    html = page["right_user"].content.decode()
    assert "<svg" in html and "Fiches par thème" in html
    assert "<script" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_api_list_matrix(make_report, a_users):
    make_report()
    responses = check_matrix(
        "/api/v1/information/reports/",
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(a_users.attache_bamako, 200),
        read_only=(a_users.lecteur, 200),
        right_user=(a_users.attache_madrid, 200),
    )
    assert responses["other_unit"].json()["count"] == 0
    assert responses["read_only"].json()["count"] == 0
    assert responses["right_user"].json()["count"] == 1


def test_action_endpoints_matrix(make_report, a_users):
    report = make_report(status=ReportStatus.DISSEMINATED)
    base = f"/api/v1/information/reports/{report.pk}"
    check_matrix(
        f"{base}/acknowledge/",
        method="post",
        data={},
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(a_users.correspondant_dgpn, 404),
        read_only=(a_users.lecteur, 404),
        right_user=(a_users.correspondant_ofast, 200),
    )
    check_matrix(
        f"{base}/feedback/",
        method="post",
        data={"usefulness": "useful", "follow_up": "none"},
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(a_users.attache_bamako, 404),
        read_only=(a_users.lecteur, 404),
        right_user=(a_users.correspondant_ofast, 201),
    )
    validated = make_report(status=ReportStatus.VALIDATED)
    check_matrix(
        f"/api/v1/information/reports/{validated.pk}/disseminate/",
        method="post",
        data={"units": ["PJGN"]},
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(a_users.attache_bamako, 404),
        read_only=(a_users.attache_madrid, 403),  # the author's unit sees but does not disseminate
        right_user=(a_users.analyste, 200),
    )
    submitted = make_report(status=ReportStatus.SUBMITTED)
    check_matrix(
        f"/api/v1/information/reports/{submitted.pk}/validate/",
        method="post",
        data={},
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(a_users.attache_bamako, 404),
        read_only=(a_users.attache_madrid, 403),
        right_user=(a_users.analyste, 200),
    )
