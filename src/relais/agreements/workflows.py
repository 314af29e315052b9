"""The life of an agreement, as data (see docs/dev/workflow.md).

initiative → préparation technique → négociation ⇄ texte stabilisé → signé
→ (accords intergouvernementaux : procédure d'approbation) → en vigueur → dénoncé | expiré ;
abandonné depuis tout état antérieur à la signature.

Only agreements that need a parliamentary approval (`Agreement.requires_approval`: the
intergovernmental agreements, on internal security or on civil security) go through
`approval`; arrangements, letters of intent and memoranda are in force at signature (the
`sign_in_force` transition) or at the date they set (`sign`, then `enter_into_force`).
Dates are checked by `Agreement.clean()` (entry into force before signature, expiry before entry
into force…), which the records service runs on every write, transitions included.
"""

from django.db import models

from relais.accounts.roles import Role
from relais.core.workflow.engine import Transition, Workflow


class AgreementStatus(models.TextChoices):
    """States of an agreement; the codes are those of the API."""

    INITIATIVE = "initiative", "Initiative"
    PREPARATION = "preparation", "Préparation technique"
    NEGOTIATION = "negotiation", "Négociation"
    STABILISED = "stabilised", "Texte stabilisé"
    SIGNED = "signed", "Signé"
    APPROVAL = "approval", "Procédure d'approbation"
    IN_FORCE = "in_force", "En vigueur"
    DENOUNCED = "denounced", "Dénoncé"
    EXPIRED = "expired", "Expiré"
    ABANDONED = "abandoned", "Abandonné"


#: States before signature (an agreement may be abandoned from any of them).
BEFORE_SIGNATURE = (
    AgreementStatus.INITIATIVE,
    AgreementStatus.PREPARATION,
    AgreementStatus.NEGOTIATION,
    AgreementStatus.STABILISED,
)
#: States in which the text has been signed.
SIGNED_STATES = (
    AgreementStatus.SIGNED,
    AgreementStatus.APPROVAL,
    AgreementStatus.IN_FORCE,
    AgreementStatus.DENOUNCED,
    AgreementStatus.EXPIRED,
)
#: States after the end of the agreement's life.
ENDED_STATES = (AgreementStatus.DENOUNCED, AgreementStatus.EXPIRED)

EDITORS = {Role.PILOTAGE, Role.CHARGE_MISSION}


def _needs_approval(agreement, user):
    if not agreement.requires_approval:
        return (
            f"Un(e) {agreement.get_kind_display().lower()} ne passe pas par la procédure "
            "d'approbation parlementaire : il entre en vigueur à la signature ou à la date qu'il "
            "fixe (action « Constater l'entrée en vigueur »)."
        )
    return None


def _no_approval(agreement, user):
    if agreement.requires_approval:
        return (
            "Un accord intergouvernemental n'entre en vigueur qu'après la procédure "
            "d'approbation (loi autorisant l'approbation et décret de publication) : utilisez "
            "l'action « Engager la procédure d'approbation »."
        )
    return None


#: The fields a transition cannot do without (its `required_fields`: the API answers 400 per
#: field when one is missing; the page's form requires them).
REQUIRED_FIELDS = {
    "sign": ("signed_on",),
    "sign_in_force": ("signed_on", "in_force_on"),
    "approve_in_force": ("approval_law_reference", "publication_decree_reference", "in_force_on"),
    "enter_into_force": ("in_force_on",),
    "denounce": ("ended_on",),
    "expire": ("ended_on",),
}


def missing_fields(agreement, name: str) -> list[str]:
    return [f for f in REQUIRED_FIELDS.get(name, ()) if not getattr(agreement, f)]


def _followers(agreement):
    return agreement.followers()


AGREEMENT_WORKFLOW = Workflow(
    "agreements.Agreement",
    field="status",
    notify=_followers,
    transition_url_name="agreements:transition",
    page_url_name="agreements:workflow",
    badges={
        AgreementStatus.INITIATIVE: "new",
        AgreementStatus.PREPARATION: "info",
        AgreementStatus.NEGOTIATION: "info",
        AgreementStatus.STABILISED: "info",
        AgreementStatus.SIGNED: "warning",
        AgreementStatus.APPROVAL: "warning",
        AgreementStatus.IN_FORCE: "success",
        AgreementStatus.DENOUNCED: "error",
        AgreementStatus.EXPIRED: "error",
        AgreementStatus.ABANDONED: "error",
    },
    transitions=[
        Transition(
            name="prepare",
            source=[AgreementStatus.INITIATIVE],
            target=AgreementStatus.PREPARATION,
            label="Engager la préparation technique",
            roles=EDITORS,
        ),
        Transition(
            name="negotiate",
            source=[AgreementStatus.PREPARATION],
            target=AgreementStatus.NEGOTIATION,
            label="Ouvrir la négociation",
            roles=EDITORS,
        ),
        Transition(
            name="stabilise",
            source=[AgreementStatus.NEGOTIATION],
            target=AgreementStatus.STABILISED,
            label="Constater le texte stabilisé",
            roles=EDITORS,
        ),
        Transition(
            name="reopen",
            source=[AgreementStatus.STABILISED],
            target=AgreementStatus.NEGOTIATION,
            label="Rouvrir la négociation",
            roles=EDITORS,
            comment_required=True,
            button="secondary",
        ),
        Transition(
            name="sign",
            source=[AgreementStatus.STABILISED],
            target=AgreementStatus.SIGNED,
            label="Enregistrer la signature",
            roles=EDITORS,
            required_fields=REQUIRED_FIELDS["sign"],
            fields=("signed_on", "signed_place"),
            description="Date et lieu de signature.",
        ),
        Transition(
            name="sign_in_force",
            source=[AgreementStatus.STABILISED],
            target=AgreementStatus.IN_FORCE,
            label="Signature valant entrée en vigueur",
            roles=EDITORS,
            guard=_no_approval,
            required_fields=REQUIRED_FIELDS["sign_in_force"],
            fields=("signed_on", "signed_place", "in_force_on", "expires_on"),
            description="Pour un arrangement en vigueur dès sa signature.",
            button="secondary",
        ),
        Transition(
            name="submit_for_approval",
            source=[AgreementStatus.SIGNED],
            target=AgreementStatus.APPROVAL,
            label="Engager la procédure d'approbation",
            roles=EDITORS,
            guard=_needs_approval,
        ),
        Transition(
            name="approve_in_force",
            source=[AgreementStatus.APPROVAL],
            target=AgreementStatus.IN_FORCE,
            label="Constater l'entrée en vigueur après approbation",
            roles=EDITORS,
            required_fields=REQUIRED_FIELDS["approve_in_force"],
            fields=(
                "approval_law_reference",
                "approval_law_on",
                "publication_decree_reference",
                "publication_decree_on",
                "in_force_on",
                "expires_on",
            ),
            description="Loi autorisant l'approbation, décret de publication, entrée en vigueur.",
        ),
        Transition(
            name="enter_into_force",
            source=[AgreementStatus.SIGNED],
            target=AgreementStatus.IN_FORCE,
            label="Constater l'entrée en vigueur",
            roles=EDITORS,
            guard=_no_approval,
            required_fields=REQUIRED_FIELDS["enter_into_force"],
            fields=("in_force_on", "expires_on"),
        ),
        Transition(
            name="denounce",
            source=[AgreementStatus.IN_FORCE],
            target=AgreementStatus.DENOUNCED,
            label="Enregistrer la dénonciation",
            roles=EDITORS,
            required_fields=REQUIRED_FIELDS["denounce"],
            fields=("ended_on",),
            comment_required=True,
            button="secondary",
        ),
        Transition(
            name="expire",
            source=[AgreementStatus.IN_FORCE],
            target=AgreementStatus.EXPIRED,
            label="Constater l'expiration",
            roles=EDITORS,
            required_fields=REQUIRED_FIELDS["expire"],
            fields=("ended_on",),
            button="secondary",
        ),
        Transition(
            name="abandon",
            source=BEFORE_SIGNATURE,
            target=AgreementStatus.ABANDONED,
            label="Abandonner",
            roles=EDITORS,
            comment_required=True,
            button="tertiary",
        ),
    ],
)
