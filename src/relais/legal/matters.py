"""The matters a request may be about, and the legal basis of a record.

The article's matters (`technical`, `crisis`, `agreement`… sixteen of them) come from
data/article-1.yaml. A module whose records serve the article registers its own matters here,
each resting on one of the article's, rather than deciding letters itself:

    from relais.legal import matters
    matters.register("training", "Stage de formation", rests_on="technical", module="network")

    matters.get("training").letters                    # ('preamble-1', 'preamble-2', 'b', 'e', 'f', 'g')
    matters.basis_for("technical", "DGPN")             # ('preamble-1', 'b')
    matters.basis_for("administrative_governance", "SG")   # ('c',)
    matters.basis_for("technical", "DLPAJ")            # ('preamble-2',)  (a service of the SG)

`basis_for` is the one call a module makes to put a record on its legal basis: it asks the
competence assessment (relais.legal.assessment.assess) and returns the codes of the parts the
answer rests on, in the article's order — () when the DCI is not competent.
"""

from dataclasses import dataclass

from relais.legal.article import load_article


@dataclass(frozen=True)
class Matter:
    """A matter: its code, French label, the article's matter it is assessed as (itself for
    the article's own), the parts that may cover it, and the module that registered it."""

    code: str
    label: str
    rests_on: str
    letters: tuple[str, ...]
    module: str = ""


_registered: dict[str, Matter] = {}


def _article_matter(code: str, label: str, rests_on: str, module: str = "") -> Matter:
    article = load_article()
    letters = tuple(dict.fromkeys(m.code for m, _ in article.covering(rests_on)))
    return Matter(code, label, rests_on, letters, module)


def all_matters() -> tuple[Matter, ...]:
    """The article's matters, in the file's order, then the registered ones."""
    article = load_article()
    own = tuple(_article_matter(m.code, m.label, m.code) for m in article.matters)
    return own + tuple(_registered.values())


def codes() -> tuple[str, ...]:
    return tuple(m.code for m in all_matters())


def choices() -> list[tuple[str, str]]:
    """(code, French label) pairs for forms and serializers."""
    return [(m.code, m.label) for m in all_matters()]


def get(code: str) -> Matter:
    """The matter `code` (ValueError, in French, when nobody declared it)."""
    article = load_article()
    if code in article.matter_codes:
        item = article.matter(code)
        return _article_matter(item.code, item.label, item.code)
    if code in _registered:
        return _registered[code]
    raise ValueError(f"Matière inconnue : {code!r}")


def register(code: str, label: str, *, rests_on: str, module: str) -> Matter:
    """Declare a module's matter, assessed as the article's matter `rests_on`. Registering the
    same code again with the same meaning is harmless (AppConfig.ready() may run twice)."""
    article = load_article()
    if rests_on not in article.matter_codes:
        raise ValueError(f"Matière de l'article inconnue : {rests_on!r}")
    if code in article.matter_codes:
        raise ValueError(f"{code!r} est déjà une matière de l'article.")
    matter = _article_matter(code, label, rests_on, module)
    if code in _registered and _registered[code] != matter:
        raise ValueError(f"Matière déjà déclarée autrement : {code!r}")
    _registered[code] = matter
    return matter


def unregister(code: str) -> None:
    """Remove a registered matter (for tests)."""
    _registered.pop(code, None)


def basis_for(
    matter: str, beneficiary, *, exclusively_intelligence: bool = False, directory=None
) -> tuple[str, ...]:
    """The parts of article 1 a record about `matter` for `beneficiary` rests on.

    `beneficiary` is a unit (an object with a `code`, e.g. a referential `Unit`), a unit code
    (`OFAST`), an acronym or a name. Names the article file knows are resolved without the
    database; other units through the organisation tree (`current_directory()`), unless a
    `directory` is given. Returns () when the DCI is not competent or the beneficiary cannot be
    resolved.
    """
    from relais.legal.assessment import AssessmentRequest, assess
    from relais.legal.directory import article_directory, current_directory

    text = getattr(beneficiary, "code", beneficiary) or ""
    if directory is None:
        directory = article_directory()
        if directory.resolve(text) is None or hasattr(beneficiary, "code"):
            directory = current_directory()
    answer = assess(
        AssessmentRequest(
            matter=matter, beneficiary=text, exclusively_intelligence=exclusively_intelligence
        ),
        directory=directory,
    )
    return answer.letters
