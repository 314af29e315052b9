"""Protection markings (French practice: *non protégé*, *diffusion restreinte*).

Classified levels (*secret*, *très secret*) are out of Relais' scope: input that claims one is
refused at the door: `validate_marking` and `MarkingFormField` for the marking itself,
`refuse_classified_text` for free text (modules opt in per field).
"""

import re
import unicodedata

from django import forms
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

#: Classified levels, normalised (lower case, no accents, words joined by "_").
_CLASSIFIED_VALUES = {
    "secret",
    "tres_secret",
    "secret_defense",
    "top_secret",
    "confidentiel_defense",
    "confidentiel",
    "tres_secret_defense",
    "secret_special_france",
}
_CLASSIFIED_TEXT = re.compile(
    r"\b(tr[eè]s[\s_-]+secret|secret[\s_-]+d[ée]fense|confidentiel[\s_-]+d[ée]fense|top[\s_-]+secret)\b"
    r"|^[\s*#=\-]*secret[\s*#=\-]*$",
    re.IGNORECASE | re.MULTILINE,
)


def _normalise(value) -> str:
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def is_classified_value(value) -> bool:
    """Whether a submitted marking names a classified level (« secret », « Très-Secret »…)."""
    return _normalise(value) in _CLASSIFIED_VALUES


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
    """Validator for free text: a classification header such as « TRÈS SECRET » is refused.

    Modules opt in on the model field (`validators=[refuse_classified_text]`), which covers forms,
    the API and `records.create/update`, or list the field in `classified_text_fields` of a
    `RecordForm` / `VersionedSerializerMixin`.
    """
    if value and _CLASSIFIED_TEXT.search(value):
        raise ValidationError(CLASSIFIED_MESSAGE, code="classified")


def may_read(user, marking: str) -> bool:
    clearance = getattr(user, "clearance", Marking.NON_PROTEGE)
    return MARKING_LEVEL.get(marking, 99) <= MARKING_LEVEL.get(clearance, 0)


def readable_markings(user) -> list[str]:
    clearance = getattr(user, "clearance", Marking.NON_PROTEGE)
    level = MARKING_LEVEL.get(clearance, 0)
    return [m for m, lvl in MARKING_LEVEL.items() if lvl <= level]


ABOVE_CLEARANCE_MESSAGE = (
    "Vous ne pouvez pas attribuer une mention de protection supérieure à celle que votre "
    "habilitation vous permet de lire."
)


def check_marking_for(user, value) -> None:
    """Validator of a submitted marking: classified levels, unknown values and levels above the
    user's own clearance (one cannot mark what one could not read back) are refused."""
    validate_marking(value)
    if user is not None and not may_read(user, value):
        raise ValidationError(ABOVE_CLEARANCE_MESSAGE, code="above_clearance")


class MarkingFormField(forms.ChoiceField):
    """Form field for a record's marking: a classified level gets `CLASSIFIED_MESSAGE`; with a
    `user`, only the markings they may read are offered and accepted.

    `RecordForm` uses it for the `marking` field automatically.
    """

    def __init__(self, *, user=None, **kwargs):
        kwargs.setdefault("label", "Mention de protection")
        kwargs.setdefault("initial", Marking.NON_PROTEGE)
        readable = set(readable_markings(user)) if user is not None else set(Marking.values)
        kwargs["choices"] = [(v, lbl) for v, lbl in Marking.choices if v in readable]
        self.user = user
        super().__init__(**kwargs)

    def validate(self, value):
        if value in self.empty_values:
            return super().validate(value)
        check_marking_for(self.user, value)


def marking_label(value: str) -> str:
    """The French label of a marking value ("" for an unknown one)."""
    try:
        return Marking(value).label
    except ValueError:
        return ""
