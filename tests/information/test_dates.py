"""Year-0001 dates refused by the report API and the intake page (relais.core.dates)."""

import json

from relais.core.dates import MESSAGE
from relais.information.models import InformationReport


def test_report_api_and_page_refuse_year_one(client_for, a_users, a_org):
    from relais.information.models import Theme

    drugs = Theme.objects.get(code="drugs")
    api = client_for(a_users.attache_madrid).post(
        "/api/v1/information/reports/",
        data=json.dumps(
            {
                "title": "Réseau de passeurs",
                "summary": "Passages par la frontière pyrénéenne.",
                "countries": ["AD"],
                "themes": ["drugs"],
                "source_reliability": "C",
                "information_credibility": "3",
                "facts_date": "0001-01-01",
            }
        ),
        content_type="application/json",
    )
    assert api.status_code == 400
    assert api.json()["facts_date"] == [MESSAGE]
    page = client_for(a_users.attache_madrid).post(
        "/information/nouvelle/",
        {
            "title": "Réseau de passeurs",
            "summary": "Passages par la frontière pyrénéenne.",
            "countries": [a_org.andorra.pk],
            "themes": [drugs.pk],
            "grading_scheme": "europol_4x4",
            "source_reliability": "C",
            "information_credibility": "3",
            "handling_code": "H0",
            "marking": "non_protege",
            "facts_date": "0001-01-01",
            "action": "submit",
        },
    )
    assert page.status_code == 200
    assert "Date invraisemblable" in page.content.decode()
    assert not InformationReport.objects.exists()
