"""The lifecycle of an agreement: legal and illegal transitions, approval only for
intergovernmental agreements, dates that contradict the lifecycle, renewals, competence."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from relais.agreements import services
from relais.agreements.models import Agreement, AgreementKind, RenewalKind
from relais.agreements.workflows import AgreementStatus
from relais.core.workflow.engine import CommentRequired, TransitionForbidden, TransitionRefused
from relais.core.workflow.models import TransitionLog
from tests.agreements.conftest import to_in_force, walk

D = datetime.date


def test_intergovernmental_agreement_goes_through_approval(make_agreement, users):
    agreement = to_in_force(make_agreement(), users.pilotage, expires=D(2026, 1, 1))
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.IN_FORCE
    assert agreement.signed_on == D(2020, 3, 1)
    assert agreement.approval_law_reference == "Loi n° 2020-0 (test)"
    states = list(
        TransitionLog.objects.filter(object_id=str(agreement.pk))
        .order_by("pk")
        .values_list("to_state", flat=True)
    )
    assert states == [
        "preparation",
        "negotiation",
        "stabilised",
        "signed",
        "approval",
        "in_force",
    ]


def test_intergovernmental_cannot_skip_approval(make_agreement, users):
    agreement = walk(
        make_agreement(),
        users.pilotage,
        "prepare",
        "negotiate",
        "stabilise",
        ("sign", {"signed_on": D(2024, 1, 10)}),
    )
    with pytest.raises(TransitionRefused, match="procédure d'approbation"):
        services.move(agreement, "enter_into_force", users.pilotage, in_force_on=D(2024, 2, 1))
    with pytest.raises(TransitionRefused, match="procédure d'approbation"):
        services.move(agreement, "sign_in_force", users.pilotage)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED


def test_approval_requires_law_and_decree_references(make_agreement, users):
    agreement = walk(
        make_agreement(),
        users.pilotage,
        "prepare",
        "negotiate",
        "stabilise",
        ("sign", {"signed_on": D(2024, 1, 10)}),
        "submit_for_approval",
    )
    with pytest.raises(TransitionRefused, match="loi autorisant"):
        services.move(agreement, "approve_in_force", users.pilotage, in_force_on=D(2024, 6, 1))


@pytest.mark.parametrize(
    "kind",
    [
        AgreementKind.TECHNICAL_ARRANGEMENT,
        AgreementKind.LETTER_OF_INTENT,
        AgreementKind.MEMORANDUM,
    ],
)
def test_arrangements_never_go_through_approval(make_agreement, users, kind):
    agreement = walk(
        make_agreement(kind=kind),
        users.pilotage,
        "prepare",
        "negotiate",
        "stabilise",
        ("sign", {"signed_on": D(2024, 1, 10)}),
    )
    with pytest.raises(TransitionRefused, match="ne passe pas par la procédure"):
        services.move(agreement, "submit_for_approval", users.pilotage)
    services.move(agreement, "enter_into_force", users.pilotage, in_force_on=D(2024, 3, 1))
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.IN_FORCE


def test_arrangement_in_force_at_signature(make_agreement, users):
    agreement = walk(
        make_agreement(kind=AgreementKind.TECHNICAL_ARRANGEMENT),
        users.pilotage,
        "prepare",
        "negotiate",
        "stabilise",
        (
            "sign_in_force",
            {"signed_on": D(2024, 5, 2), "signed_place": "Rabat", "in_force_on": D(2024, 5, 2)},
        ),
    )
    agreement.refresh_from_db()
    assert (agreement.status, agreement.in_force_on) == (AgreementStatus.IN_FORCE, D(2024, 5, 2))


def test_entry_into_force_before_signature_is_refused(make_agreement, users):
    agreement = walk(
        make_agreement(kind=AgreementKind.TECHNICAL_ARRANGEMENT),
        users.pilotage,
        "prepare",
        "negotiate",
        "stabilise",
        ("sign", {"signed_on": D(2024, 5, 2)}),
    )
    with pytest.raises(ValidationError) as error:
        services.move(agreement, "enter_into_force", users.pilotage, in_force_on=D(2024, 5, 1))
    assert "précéder la signature" in str(error.value.message_dict["in_force_on"])
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED and agreement.in_force_on is None


def test_expiry_before_entry_into_force_is_refused(make_agreement, users):
    agreement = make_agreement()
    agreement.expires_on = D(2020, 1, 1)
    agreement.status = AgreementStatus.IN_FORCE  # in memory only: clean() judges the values
    agreement.signed_on, agreement.in_force_on = D(2019, 1, 1), D(2021, 1, 1)
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert "précéder l'entrée en vigueur" in str(error.value.message_dict["expires_on"])


def test_abandon_from_any_state_before_signature_only(make_agreement, users):
    for steps in ([], ["prepare"], ["prepare", "negotiate"], ["prepare", "negotiate", "stabilise"]):
        agreement = walk(make_agreement(title=f"À abandonner {len(steps)}"), users.pilotage, *steps)
        with pytest.raises(CommentRequired):
            services.move(agreement, "abandon", users.pilotage)
        services.move(agreement, "abandon", users.pilotage, "Le partenaire se retire.")
        agreement.refresh_from_db()
        assert agreement.status == AgreementStatus.ABANDONED
    signed = walk(
        make_agreement(title="Signé"),
        users.pilotage,
        "prepare",
        "negotiate",
        "stabilise",
        ("sign", {"signed_on": D(2024, 1, 1)}),
    )
    with pytest.raises(TransitionRefused) as refused:
        services.move(signed, "abandon", users.pilotage, "trop tard")
    assert "submit_for_approval" in refused.value.allowed


def test_illegal_transition_names_allowed_ones(make_agreement, users):
    agreement = make_agreement()
    with pytest.raises(TransitionRefused) as refused:
        services.move(agreement, "stabilise", users.pilotage)
    assert set(refused.value.allowed) == {"prepare", "abandon"}


def test_only_headquarters_editors_move_agreements(make_agreement, users):
    agreement = make_agreement()
    for user in (users.lecteur, users.correspondant_dgpn):
        with pytest.raises(TransitionForbidden):
            services.move(agreement, "prepare", user)
    services.move(agreement, "prepare", users.charge_afrique)


def test_denounce_and_expire_record_the_end(make_agreement, users):
    agreement = to_in_force(make_agreement(), users.pilotage, expires=D(2025, 12, 31))
    with pytest.raises(TransitionRefused, match="fin"):
        services.move(agreement, "expire", users.pilotage)
    with pytest.raises(ValidationError):
        services.move(agreement, "expire", users.pilotage, ended_on=D(2020, 1, 1))
    services.move(agreement, "expire", users.pilotage, ended_on=D(2026, 1, 1))
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.EXPIRED


def test_renewals_are_recorded_and_move_the_expiry(make_agreement, users):
    agreement = make_agreement(tacit_renewal=True, renewal_years=5, notice_months=6)
    to_in_force(agreement, users.pilotage, expires=D(2025, 12, 31))
    renewal = services.record_renewal(
        agreement, users.pilotage, kind=RenewalKind.TACIT, renewed_on=D(2026, 1, 1)
    )
    agreement.refresh_from_db()
    assert renewal.previous_expires_on == D(2025, 12, 31)
    assert agreement.expires_on == D(2030, 12, 31) == renewal.new_expires_on
    assert agreement.notice_deadline == D(2030, 6, 30)
    services.record_renewal(
        agreement,
        users.pilotage,
        kind=RenewalKind.EXPRESS,
        renewed_on=D(2031, 1, 1),
        new_expires_on=D(2033, 12, 31),
    )
    assert list(agreement.renewals.values_list("kind", flat=True)) == ["tacit", "express"]
    with pytest.raises(PermissionDenied):
        services.record_renewal(
            agreement, users.lecteur, kind=RenewalKind.EXPRESS, renewed_on=D(2034, 1, 1)
        )


def test_tacit_renewal_refused_when_the_text_has_none(make_agreement, users):
    agreement = to_in_force(make_agreement(), users.pilotage, expires=D(2025, 12, 31))
    with pytest.raises(ValidationError, match="reconduction tacite"):
        services.record_renewal(
            agreement, users.pilotage, kind=RenewalKind.TACIT, renewed_on=D(2026, 1, 1)
        )


def test_creation_needs_directorate_partner_and_competence(make_agreement, k_org, users):
    with pytest.raises(ValidationError) as error:
        make_agreement(directorates=[])
    assert "directorates" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_agreement(countries=[])
    assert "countries" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_agreement(directorates=[k_org.dgsi])
    assert "n'est pas compétente" in error.value.message_dict["directorates"][0]
    with pytest.raises(ValidationError) as error:
        make_agreement(exclusively_intelligence=True)
    assert "renseignement" in error.value.message_dict["directorates"][0]
    with pytest.raises(PermissionDenied):
        make_agreement(user=users.correspondant_dgpn)
    assert not Agreement.objects.exists()
    agreement = make_agreement(directorates=[k_org.dgpn, k_org.dggn])
    assert agreement.legal_basis_codes() == ["k"]
    assert agreement.status == AgreementStatus.INITIATIVE
