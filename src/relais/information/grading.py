"""Grading schemes: source reliability × information credibility.

Europol's 4x4 is the default (source A, B, C, X; information 1 to 4); NATO's admiralty scale
(6x6: A–F, 1–6) is available. The scheme of new reports comes from the setting
`RELAIS_INFORMATION_GRADING_SCHEME` (`europol_4x4` or `admiralty_6x6`); each report keeps the
scheme it was graded on, so a change of setting never re-reads old gradings.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models


class SchemeCode(models.TextChoices):
    EUROPOL_4X4 = "europol_4x4", "Europol 4x4"
    ADMIRALTY_6X6 = "admiralty_6x6", "Échelle de l'Amirauté (OTAN) 6x6"


@dataclass(frozen=True)
class Scheme:
    code: str
    label: str
    reliability: tuple[tuple[str, str], ...]
    credibility: tuple[tuple[str, str], ...]

    @property
    def reliability_codes(self) -> list[str]:
        return [c for c, _ in self.reliability]

    @property
    def credibility_codes(self) -> list[str]:
        return [c for c, _ in self.credibility]

    def reliability_label(self, code: str) -> str:
        return dict(self.reliability).get(code, code)

    def credibility_label(self, code: str) -> str:
        return dict(self.credibility).get(code, code)


SCHEMES = {
    SchemeCode.EUROPOL_4X4: Scheme(
        SchemeCode.EUROPOL_4X4,
        SchemeCode.EUROPOL_4X4.label,
        reliability=(
            ("A", "A – aucun doute sur l'authenticité, la fiabilité et la compétence de la source"),
            ("B", "B – source qui s'est révélée fiable dans la plupart des cas"),
            ("C", "C – source qui s'est révélée peu fiable dans la plupart des cas"),
            ("X", "X – fiabilité de la source impossible à évaluer"),
        ),
        credibility=(
            ("1", "1 – exactitude non mise en doute"),
            ("2", "2 – information connue personnellement de la source, non connue du service"),
            ("3", "3 – information non connue personnellement de la source, corroborée"),
            ("4", "4 – information non connue personnellement de la source, non corroborée"),
        ),
    ),
    SchemeCode.ADMIRALTY_6X6: Scheme(
        SchemeCode.ADMIRALTY_6X6,
        SchemeCode.ADMIRALTY_6X6.label,
        reliability=(
            ("A", "A – source totalement fiable"),
            ("B", "B – source habituellement fiable"),
            ("C", "C – source assez fiable"),
            ("D", "D – source pas toujours fiable"),
            ("E", "E – source peu fiable"),
            ("F", "F – fiabilité impossible à évaluer"),
        ),
        credibility=(
            ("1", "1 – confirmée par d'autres sources"),
            ("2", "2 – probablement vraie"),
            ("3", "3 – peut-être vraie"),
            ("4", "4 – douteuse"),
            ("5", "5 – improbable"),
            ("6", "6 – véracité impossible à évaluer"),
        ),
    ),
}


def default_scheme_code() -> str:
    code = getattr(settings, "RELAIS_INFORMATION_GRADING_SCHEME", SchemeCode.EUROPOL_4X4)
    if code not in SCHEMES:
        raise ValueError(f"Grille de cotation inconnue : {code!r}")
    return str(code)


def get_scheme(code: str | None = None) -> Scheme:
    return SCHEMES[code or default_scheme_code()]


def all_reliability_codes() -> list[str]:
    return sorted({c for s in SCHEMES.values() for c in s.reliability_codes})


def all_credibility_codes() -> list[str]:
    return sorted({c for s in SCHEMES.values() for c in s.credibility_codes})
