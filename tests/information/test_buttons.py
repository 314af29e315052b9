"""Buttons of mission a offered only when the server accepts the click: « Valider » is not shown
to the report's author (four-eyes guard), « Rédiger une synthèse » not to pilotage (403)."""

import pytest

from relais.information.workflows import ReportStatus

pytestmark = pytest.mark.django_db

VALIDATE = ">Valider</button>"


def test_validate_is_not_offered_to_the_author(make_report, a_users, client_for):
    report = make_report(author=a_users.analyste, status=ReportStatus.SUBMITTED)
    author_page = client_for(a_users.analyste).get(report.get_absolute_url()).content.decode()
    other_page = client_for(a_users.analyste2).get(report.get_absolute_url()).content.decode()
    assert VALIDATE in other_page
    assert VALIDATE not in author_page
    # And the server refuses the author's click.
    client_for(a_users.analyste).post(
        f"/information/{report.pk}/action/validate/", {"version": report.version}
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_write_a_synthesis_is_offered_only_to_those_the_server_lets_write(a_users, client_for):
    pilotage = client_for(a_users.pilotage)
    assert (
        "Rédiger une synthèse" not in pilotage.get("/information/file-analyste/").content.decode()
    )
    assert pilotage.get("/information/syntheses/nouvelle/").status_code == 403
    analyst = client_for(a_users.analyste).get("/information/file-analyste/").content.decode()
    assert "Rédiger une synthèse" in analyst
