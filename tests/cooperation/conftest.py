"""Fixtures of missions b to g: the test organisation plus SG and DGSCGC, a funder, a thematic
division, and helpers to create actions (through the services or in bulk)."""

import datetime

import pytest

from relais.cooperation import services
from relais.cooperation.models import (
    ActionKind,
    CooperationAction,
    Domain,
    Funding,
    FundingInstrument,
    FundingStatus,
    Programme,
)
from relais.legal.models import Mission
from relais.referential.models import Beneficiary, PartnerKind, UnitKind
from tests.factories import PartnerBodyFactory, UnitFactory, UserFactory

D = datetime.date


@pytest.fixture
def coop(org, users):
    """The test organisation with SG, DGSCGC, a crisis (thematic) division following civil
    protection, a funder (DCSD) and a Malian institution."""
    org.sg = UnitFactory(
        code="SG",
        name="Secrétariat général",
        short_name="SG",
        kind=UnitKind.DIRECTORATE,
        parent=org.mi,
        beneficiary=Beneficiary.SG,
    )
    org.dgscgc = UnitFactory(
        code="DGSCGC",
        name="Direction générale de la sécurité civile et de la gestion des crises",
        short_name="DGSCGC",
        kind=UnitKind.DIRECTORATE,
        parent=org.mi,
        beneficiary=Beneficiary.DGSCGC,
    )
    org.crises = UnitFactory(
        code="DCI-SDCMP-CRISES",
        name="Division de la gestion des crises extérieures",
        short_name="Division crises",
        kind=UnitKind.DIVISION,
        parent=org.dci,
    )
    Domain.objects.filter(code="civil_protection").update(division=org.crises)
    org.dcsd = PartnerBodyFactory(
        name="Direction de la coopération de sécurité et de défense",
        acronym="DCSD",
        kind=PartnerKind.FUNDER,
        country=org.spain,
    )
    org.police_mali = PartnerBodyFactory(
        name="Police nationale du Mali", kind=PartnerKind.FOREIGN_INSTITUTION, country=org.mali
    )
    users.charge_crises = UserFactory(
        username="charge.crises",
        role="charge_mission",
        unit=org.crises,
        clearance="diffusion_restreinte",
    )
    return org


def domain(code="judicial_police"):
    return Domain.objects.get(code=code)


@pytest.fixture
def make_action(coop, users):
    """`make_action(**fields)`: an action proposed through the services (competence, legal
    basis), by pilotage unless `user` is given."""

    def make(*, user=None, fundings=(), **fields):
        values = {
            "title": "Formation aux enquêtes en matière de stupéfiants",
            "kind": ActionKind.TRAINING_LOCAL,
            "domain": domain(),
            "country": coop.mali,
            "directorate": coop.dgpn,
            "post": coop.bamako,
            "planned_start": D(2025, 3, 10),
            "planned_end": D(2025, 3, 14),
            "participants": 12,
            "experts": 2,
            "expert_days": 10,
        }
        values.update(fields)
        return services.create_action(user or users.pilotage, fundings=fundings, **values)

    return make


@pytest.fixture
def bulk_actions(coop):
    """`bulk_actions(n, **fields)`: n actions in bulk (volume tests), each with a funding line
    and the legal basis b."""

    def make(n, **fields):
        b = Mission.objects.get(code="b")
        values = {
            "kind": ActionKind.EXPERT_MISSION,
            "domain": domain(),
            "country": coop.mali,
            "directorate": coop.dgpn,
            "post": coop.bamako,
            "planned_start": D(2025, 5, 1),
            "planned_end": D(2025, 5, 3),
            "year": 2025,
        }
        values.update(fields)
        actions = CooperationAction.objects.bulk_create(
            [CooperationAction(title=f"Action en volume {i}", **values) for i in range(n)]
        )
        through = CooperationAction.missions.through
        through.objects.bulk_create(
            [through(cooperationaction_id=a.pk, mission_id=b.pk) for a in actions]
        )
        Funding.objects.bulk_create(
            [
                Funding(
                    action=a,
                    funder=coop.dcsd,
                    instrument=FundingInstrument.MEAE_DCSD,
                    amount=1000,
                    status=FundingStatus.COMMITTED,
                )
                for a in actions
            ]
        )
        return actions

    return make


@pytest.fixture
def programme(coop, users):
    return services.create_programme(
        users.pilotage,
        year=2025,
        title="Programmation 2025 — Mali",
        country=coop.mali,
        post=coop.bamako,
        division=coop.africa,
    )


def walk(action, user, *steps):
    """Apply transitions in order: each step is a name or (name, {fields}, comment)."""
    for step in steps:
        if isinstance(step, str):
            services.move(action, step, user)
        else:
            name, extra, *rest = step
            services.move(action, name, user, rest[0] if rest else "", **extra)
    return action


def to_programmed(action, user):
    return walk(
        action,
        user,
        "review",
        "request_opinion",
        (
            "record_opinion",
            {"meae_opinion": "favorable", "meae_opinion_on": D(2025, 2, 1)},
            "Avis favorable du poste diplomatique.",
        ),
        "program",
    )


__all__ = ["D", "Programme", "to_programmed", "walk"]
