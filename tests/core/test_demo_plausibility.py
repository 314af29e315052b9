"""The demo is plausible for the ministry: who cooperates with whom, funded by whom, where, in
what year. The rules are written here on their own (not imported from the demo), so that a demo
change breaking one of them fails this test."""

import re

import pytest

from relais.cooperation.models import ActionKind, CooperationAction, Funding, FundingInstrument
from relais.information.models import InformationReport

pytestmark = pytest.mark.django_db

#: Where TAIEX and Twinning go: candidate countries and the EU's neighbourhood (never an EU
#: member, China or Iran).
EU_INSTRUMENT_COUNTRIES = {
    *("AL", "BA", "ME", "MK", "RS", "TR", "XK", "UA", "MD", "GE"),
    *("AM", "AZ", "MA", "DZ", "TN", "EG", "LB", "JO", "LY", "IL", "PS"),
}
#: Never beneficiaries of an equipment donation nor of a regional school (ENVR) session.
HIGH_INCOME = {"GB", "AU", "US", "JP", "CA", "NZ", "KR", "CH", "NO", "DE", "ES", "IT", "BE"}
#: No cooperation action in 2024–2026: war, sanctions, juntas.
NO_COOPERATION = {"RU", "BY", "IR", "AF", "ML", "BF", "NE"}
#: Capitals without a seaport: no container, no boat leaves from them.
INLAND = {"Addis-Abeba", "Pékin", "Bamako", "Niamey", "Ouagadougou", "Madrid", "Berlin", "Moscou"}


@pytest.fixture
def demo():
    from relais.cooperation.demo import generate
    from relais.information.demo import load_demo as load_information
    from relais.referential.loaders import load_demo as load_org_demo
    from relais.referential.loaders import load_reference

    load_reference()
    load_org_demo()
    generate(per_year=400)
    load_information(count=800)


def test_demo_is_plausible(demo):
    """One demo, both modules' rules (the generation is what costs)."""
    _cooperation_is_plausible()
    _information_tells_of_ports_where_there_are_ports()


def _cooperation_is_plausible():
    actions = CooperationAction.objects.select_related("country")
    assert actions.count() > 1000

    eu = Funding.objects.filter(
        instrument__in=[FundingInstrument.EU_TAIEX, FundingInstrument.EU_TWINNING]
    ).exclude(action__country__code__in=EU_INSTRUMENT_COUNTRIES)
    assert not eu.exists(), sorted({f.action.country.code for f in eu.select_related("action")})

    donations = actions.filter(
        kind__in=[ActionKind.EQUIPMENT_DONATION, ActionKind.TRAINING_REGIONAL_SCHOOL],
        country__code__in=HIGH_INCOME,
    )
    assert not donations.exists(), sorted({(a.kind, a.country.code) for a in donations})
    envr = actions.filter(kind=ActionKind.TRAINING_REGIONAL_SCHOOL).exclude(
        country__zone__code="afrique-moyen-orient"
    )
    assert not envr.exists(), sorted({a.country.code for a in envr})

    suspended = actions.filter(year__gte=2024, country__code__in=NO_COOPERATION)
    assert not suspended.exists(), sorted({(a.year, a.country.code) for a in suspended})


def _information_tells_of_ports_where_there_are_ports():
    reports = InformationReport.objects.all()
    assert reports.count() >= 800
    maritime = reports.filter(title__regex=r"port de|embarcations")
    assert maritime.exists()
    for report in maritime:
        place = re.search(r"(?:port de|depuis) (.+)$", report.title).group(1)
        assert place not in INLAND, report.title
        assert report.facts_place == place, report.title
