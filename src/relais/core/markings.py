"""Protection markings (French practice: *non protégé*, *diffusion restreinte*).

Classified levels (*secret*, *très secret*) are out of Relais' scope: input that claims one is
refused at the door with `refuse_classified`.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models


class Marking(models.TextChoices):
    NON_PROTEGE = "non_protege", "Non protégé"
    DIFFUSION_RESTREINTE = "diffusion_restreinte", "Diffusion restreinte"


#: Order of sensitivity, lowest first.
MARKING_LEVEL = {Marking.NON_PROTEGE: 0, Marking.DIFFUSION_RESTREINTE: 1}

CLASSIFIED_MESSAGE = (
    "Les informations classifiées (secret, très secret) n'ont pas leur place dans Relais : "
    "elles relèvent des systèmes homologués pour ce niveau. Retirez-les avant d'enregistrer."
)

_CLASSIFIED_VALUES = {
    "secret",
    "tres_secret",
    "très secret",
    "tres secret",
    "très_secret",
    "secret_defense",
    "secret défense",
    "top_secret",
    "top secret",
    "confidentiel_defense",
    "confidentiel défense",
}
_CLASSIFIED_TEXT = re.compile(
    r"\b(tr[eè]s\s+secret|secret\s+d[ée]fense|confidentiel\s+d[ée]fense)\b", re.IGNORECASE
)


def is_classified_value(value: str) -> bool:
    return (
        str(value).strip().lower().replace("-", "_") in _CLASSIFIED_VALUES
        or str(value).strip().lower() in _CLASSIFIED_VALUES
    )


def validate_marking(value: str) -> None:
    """Validator for a marking field: classified levels get the out-of-scope message."""
    if is_classified_value(value):
        raise ValidationError(CLASSIFIED_MESSAGE, code="classified")
    if value not in Marking.values:
        raise ValidationError(
            "Mention de protection inconnue : choisissez « Non protégé » ou « Diffusion restreinte ».",
            code="invalid_marking",
        )


def refuse_classified_text(value: str) -> None:
    """Validator for free text: a classification header such as « TRÈS SECRET » is refused."""
    if value and _CLASSIFIED_TEXT.search(value):
        raise ValidationError(CLASSIFIED_MESSAGE, code="classified")


def may_read(user, marking: str) -> bool:
    clearance = getattr(user, "clearance", Marking.NON_PROTEGE)
    return MARKING_LEVEL.get(marking, 99) <= MARKING_LEVEL.get(clearance, 0)


def readable_markings(user) -> list[str]:
    clearance = getattr(user, "clearance", Marking.NON_PROTEGE)
    level = MARKING_LEVEL.get(clearance, 0)
    return [m for m, lvl in MARKING_LEVEL.items() if lvl <= level]
