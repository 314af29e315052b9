"""A recipient of a report sees its own dissemination, acknowledgement and feedback only — on the
page, in the STIX export and through the API alike (one rule:
`InformationReport.disseminations_seen_by`); the analysts, pilotage and the author's unit see
every recipient."""

import pytest

from relais.information import services
from relais.information.workflows import ReportStatus

OFAST_COMMENT = "Saisie de 2 tonnes réalisée grâce à la fiche (commentaire OFAST)"
PJGN_COMMENT = "Déjà connu de nos enquêteurs (commentaire PJGN)"


@pytest.fixture
def shared_report(make_report, a_org, a_users):
    report = make_report(status=ReportStatus.DISSEMINATED, recipients=[a_org.ofast, a_org.pjgn])
    services.give_feedback(
        report,
        a_users.correspondant_ofast,
        usefulness="very_useful",
        follow_up="operation",
        comment=OFAST_COMMENT,
    )
    services.give_feedback(
        report,
        a_users.correspondant_pjgn,
        usefulness="already_known",
        follow_up="none",
        comment=PJGN_COMMENT,
    )
    return report


def _api(client_for, user, url):
    response = client_for(user).get(url)
    assert response.status_code == 200, response.content
    return response


def test_api_recipient_sees_only_its_own_dissemination(client_for, shared_report, a_users):
    detail = f"/api/v1/information/reports/{shared_report.pk}/"
    listing = "/api/v1/information/reports/"
    for user, own, other, other_comment in (
        (a_users.correspondant_ofast, "OFAST", "PJGN", PJGN_COMMENT),
        (a_users.correspondant_pjgn, "PJGN", "OFAST", OFAST_COMMENT),
    ):
        body = _api(client_for, user, detail).json()
        assert [d["unit"] for d in body["disseminations"]] == [own]
        assert body["disseminations"][0]["acknowledged"] is True
        assert len(body["disseminations"][0]["feedbacks"]) == 1
        (row,) = _api(client_for, user, listing).json()["results"]
        assert [d["unit"] for d in row["disseminations"]] == [own]
        for response in (_api(client_for, user, detail), _api(client_for, user, listing)):
            text = response.content.decode()
            assert other_comment not in text
            assert f'"unit":"{other}"' not in text.replace(" ", "")


@pytest.mark.parametrize("who", ["analyste", "pilotage", "attache_madrid"])
def test_api_analysts_pilotage_and_author_see_every_recipient(
    client_for, shared_report, a_users, who
):
    body = _api(
        client_for, getattr(a_users, who), f"/api/v1/information/reports/{shared_report.pk}/"
    ).json()
    assert sorted(d["unit"] for d in body["disseminations"]) == ["OFAST", "PJGN"]
    comments = {f["comment"] for d in body["disseminations"] for f in d["feedbacks"]}
    assert comments == {OFAST_COMMENT, PJGN_COMMENT}


def test_page_and_stix_hide_the_other_recipients(client_for, shared_report, a_users):
    client = client_for(a_users.correspondant_ofast)
    page = client.get(shared_report.get_absolute_url()).content.decode()
    assert shared_report.reference in page
    assert PJGN_COMMENT not in page
    stix = client.get(f"/information/{shared_report.pk}/stix/")
    assert stix.status_code == 200
    assert b"PJGN" not in stix.content and PJGN_COMMENT.encode() not in stix.content
