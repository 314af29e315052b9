"""Fixtures of mission k: a few agreements across the organisation of tests/fixtures.py."""

import datetime

import pytest

from relais.agreements import services
from relais.agreements.models import AgreementKind, Domain
from relais.referential.models import Beneficiary, UnitKind
from tests.factories import CountryFactory, UnitFactory

D = datetime.date


@pytest.fixture
def k_org(org):
    """The test organisation plus DGGN and DSCR directorates and Algeria."""
    org.dggn = UnitFactory(
        code="DGGN",
        name="Direction générale de la gendarmerie nationale",
        short_name="DGGN",
        kind=UnitKind.DIRECTORATE,
        parent=org.mi,
        beneficiary=Beneficiary.DGGN,
    )
    org.algeria = CountryFactory(code="DZ", code3="DZA", name="Algérie", zone=org.africa_zone)
    return org


@pytest.fixture
def make_agreement(k_org, users):
    """`make_agreement(**fields)`: an agreement opened by pilotage (state initiative)."""

    def make(
        *,
        title="Accord de test",
        kind=AgreementKind.INTERGOVERNMENTAL,
        countries=None,
        directorates=None,
        domains=("terrorism",),
        user=None,
        **fields,
    ):
        return services.create_agreement(
            user or users.pilotage,
            title=title,
            kind=kind,
            countries=countries if countries is not None else [k_org.algeria],
            directorates=directorates if directorates is not None else [k_org.dgpn],
            domains=list(Domain.objects.filter(code__in=domains)),
            **fields,
        )

    return make


def walk(agreement, user, *steps):
    """Apply transitions in order: each step is a name or (name, {fields}, comment)."""
    for step in steps:
        name, extra, comment = (step, {}, "") if isinstance(step, str) else (*step, "")[:3]
        services.move(agreement, name, user, comment or "", **extra)
    return agreement


SIGNED, IN_FORCE = D(2020, 3, 1), D(2021, 1, 1)


def to_in_force(agreement, user, signed=SIGNED, in_force=IN_FORCE, expires=None):
    """Walk an intergovernmental agreement to « en vigueur » through the approval."""
    return walk(
        agreement,
        user,
        "prepare",
        "negotiate",
        "stabilise",
        ("sign", {"signed_on": signed, "signed_place": "Alger"}),
        "submit_for_approval",
        (
            "approve_in_force",
            {
                "approval_law_reference": "Loi n° 2020-0 (test)",
                "approval_law_on": D(2020, 9, 1),
                "publication_decree_reference": "Décret n° 2020-0 (test)",
                "publication_decree_on": D(2020, 12, 1),
                "in_force_on": in_force,
                "expires_on": expires,
            },
        ),
    )
