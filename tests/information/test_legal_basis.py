"""Mission a's reports rest on the parts of the article the assessment gives operational
cooperation: the first paragraph (« les coopérations technique, opérationnelle et
institutionnelle des directions générales de la police et de la gendarmerie nationales ») and a
(« Elle anime la coopération opérationnelle… »)."""

import pytest

from relais.information.models import InformationReport
from relais.legal import counts
from relais.legal.matters import basis_for


@pytest.mark.parametrize("beneficiary", ["DGPN", "DGGN"])
def test_reports_carry_what_the_assessment_answers(beneficiary):
    assert InformationReport.default_missions == basis_for("operational", beneficiary)


def test_a_new_report_carries_both_parts(make_report):
    report = make_report()
    assert report.legal_basis_codes() == ["preamble-1", "a"]


def test_the_article_page_counts_reports_under_both_parts(make_report, a_users):
    make_report()
    lines = counts.counts_for(a_users.attache_madrid)
    for letter in ("preamble-1", "a"):
        reports = [line for line in lines[letter] if "Fiches d'information" in line.label]
        assert [line.count for line in reports] == [1], letter
