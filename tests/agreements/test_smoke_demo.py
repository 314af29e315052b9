"""The demo loader: real dated agreements, invented ones clearly marked, idempotent."""

import datetime

import pytest

from relais.agreements.demo import REAL, load_demo
from relais.agreements.models import Agreement
from relais.agreements.workflows import AgreementStatus
from relais.referential.loaders import load_demo as load_org_demo
from relais.referential.loaders import load_reference


@pytest.fixture
def demo_world(db):
    load_reference()
    load_org_demo()


def test_demo_loads_real_and_fictional_agreements_once(demo_world):
    first = load_demo()
    assert first["accords"] == len(REAL) + 7
    assert load_demo()["accords"] == 0
    algeria = Agreement.objects.get(countries__code="DZ")
    assert algeria.signed_on == datetime.date(2003, 10, 25)
    assert algeria.signed_place == "Alger"
    assert algeria.in_force_on == datetime.date(2008, 4, 1)
    assert algeria.status == AgreementStatus.IN_FORCE
    assert algeria.committees.get().periodicity == "annuelle"
    bulgaria = Agreement.objects.get(countries__code="BG")
    assert bulgaria.signed_display == "2002"
    romania = Agreement.objects.filter(countries__code="RO").order_by("signed_on")
    assert [a.signed_on for a in romania] == [
        datetime.date(1997, 2, 21),
        datetime.date(2002, 8, 30),
    ]
    assert romania[1].amends == romania[0]
    for code, day in [
        ("SA", (2008, 2, 24)),
        ("MU", (2008, 6, 13)),
        ("AE", (2009, 5, 26)),
        ("VN", (2009, 11, 12)),
    ]:
        assert Agreement.objects.get(countries__code=code).signed_on == datetime.date(*day)
    fictional = Agreement.objects.filter(reference__startswith="DEMO-")
    assert fictional.count() == 7
    assert all(a.title.endswith("(exemple fictif)") for a in fictional)
    assert {a.status for a in fictional} >= {
        AgreementStatus.INITIATIVE,
        AgreementStatus.NEGOTIATION,
        AgreementStatus.APPROVAL,
        AgreementStatus.IN_FORCE,
        AgreementStatus.ABANDONED,
        AgreementStatus.STABILISED,
    }
    assert all(a.legal_basis_codes() == ["k"] for a in Agreement.objects.all())
