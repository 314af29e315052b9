"""Who sees which agreement (`visible_to`) and who may change it."""

import pytest

from relais.agreements.models import Agreement, CommentRequest
from relais.agreements.services import request_comments
from relais.core.markings import Marking


@pytest.fixture
def three(make_agreement, k_org):
    return {
        "dgpn_dz": make_agreement(title="DGPN Algérie", directorates=[k_org.dgpn]),
        "dgef_es": make_agreement(
            title="DGEF Espagne", directorates=[k_org.dgef], countries=[k_org.spain]
        ),
        "both_ml": make_agreement(
            title="DGPN et DGEF Mali", directorates=[k_org.dgpn, k_org.dgef], countries=[k_org.mali]
        ),
    }


def titles(user):
    return set(Agreement.objects.visible_to(user).values_list("title", flat=True))


def test_scopes_per_role(three, users):
    everything = {"DGPN Algérie", "DGEF Espagne", "DGPN et DGEF Mali"}
    assert titles(users.pilotage) == everything
    assert titles(users.charge_afrique) == everything
    assert titles(users.analyste) == everything
    assert titles(users.lecteur) == everything
    assert titles(users.correspondant_dgpn) == {"DGPN Algérie", "DGPN et DGEF Mali"}
    assert titles(users.correspondant_dgef) == {"DGEF Espagne", "DGPN et DGEF Mali"}
    assert titles(users.attache_madrid) == {"DGEF Espagne"}
    assert titles(users.attache_bamako) == {"DGPN et DGEF Mali"}
    assert titles(users.admin) == set()


def test_correspondent_of_a_service_sees_its_directorate(three, users, k_org):
    from tests.factories import UserFactory

    dcpj = UserFactory(username="corr.dcpj", role="correspondant", unit=k_org.dcpj)
    assert titles(dcpj) == {"DGPN Algérie", "DGPN et DGEF Mali"}


def test_restricted_agreement_needs_clearance(make_agreement, users):
    make_agreement(title="Restreint", marking=Marking.DIFFUSION_RESTREINTE)
    users.correspondant_dgpn.clearance = Marking.NON_PROTEGE
    assert "Restreint" not in titles(users.correspondant_dgpn)
    assert "Restreint" in titles(users.pilotage)


def test_who_may_change(three, users):
    agreement = three["dgpn_dz"]
    assert agreement.can_change(users.pilotage)
    assert agreement.can_change(users.charge_afrique)
    for user in (users.lecteur, users.correspondant_dgpn, users.attache_bamako, users.admin):
        assert not agreement.can_change(user)


def test_comment_requests_follow_their_agreement(three, users, k_org):
    request = request_comments(
        three["both_ml"],
        users.pilotage,
        addressee="directorate",
        directorate=k_org.dgef,
        subject="Avis",
        due_on=three["both_ml"].created_at.date(),
    )
    assert CommentRequest.objects.visible_to(users.correspondant_dgef).get() == request
    assert request.can_answer(users.correspondant_dgef)
    assert not request.can_answer(users.correspondant_dgpn)  # sees it, but not addressed
    assert CommentRequest.objects.visible_to(users.attache_madrid).count() == 0
