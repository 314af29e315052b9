"""Article 1 as data: the loader of `data/article-1.yaml` and the helpers that read it.

The YAML file is the single source of the article in Relais. `load_article()` parses it once
(cached) into frozen dataclasses; the `Mission` table is a synced copy for queries and relations
(`relais.legal.services.sync_missions`), and the competence assessment reads the dataclasses
directly so that it stays a pure function.

    from relais.legal.article import load_article
    article = load_article()
    article.mission("b").liaisons          # ('meae', 'funding_bodies')
    article.kind_label("technical")        # 'Coopération technique'
    article.covering("technical")          # the (mission, cover) pairs that give that matter
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

ARTICLE_PATH = Path(__file__).resolve().parent / "data" / "article-1.yaml"


class ArticleDataError(ValueError):
    """The YAML file is inconsistent (unknown code, duplicate mission…)."""


@dataclass(frozen=True)
class Labelled:
    """A code with its French label, the label after « de » (`of`) or « avec » (`with_`), the
    other names users give it (`aliases`) and whether it is an intelligence service."""

    code: str
    label: str
    of: str = ""
    with_: str = ""
    aliases: tuple[str, ...] = ()
    intelligence: bool = False
    #: For a unit the article file lists (ministry.other_units): the named directorate it
    #: belongs to, if any (« DNPJ » → DGPN).
    directorate: str = ""


@dataclass(frozen=True)
class MatterData:
    """What a request may be about (`technical`, `crisis`…): code, French label, and the words
    the answer uses after « La DCI est compétente pour »."""

    code: str
    label: str
    phrase: str
    cooperation_kind: bool = False


@dataclass(frozen=True)
class ExclusionData:
    """An exception the text writes (« à l'exception des questions… »), and where."""

    code: str
    label: str
    written_in: str
    quote: str
    redirect_to: str


#: Special values of a cover's `for`: any unit of the ministry; any directorate of the ministry
#: for which no other part names the matter (the open list, « au profit notamment »).
MINISTRY = "ministry"
OTHERS = "others"


@dataclass(frozen=True)
class Cover:
    """One entry of a part's `covers`: which matters it gives the DCI, for whom, how."""

    matters: tuple[str, ...]
    for_: tuple[str, ...]
    verbs: tuple[str, ...]
    partners: tuple[str, ...]
    exclusions: tuple[str, ...]
    quote: str


@dataclass(frozen=True)
class MissionData:
    """One part of the article: an opening paragraph or a lettered mission."""

    code: str
    order: int
    label: str
    title: str
    text: str
    roles: tuple[str, ...]
    cooperation_kinds: tuple[str, ...]
    beneficiaries: tuple[str, ...]
    liaisons: tuple[str, ...]
    excludes_intelligence: bool = False
    open_beneficiaries: bool = False
    covers: tuple[Cover, ...] = ()

    @property
    def matters(self) -> tuple[str, ...]:
        """Every matter this part covers, in the file's order."""
        return tuple(dict.fromkeys(m for cover in self.covers for m in cover.matters))

    @property
    def is_letter(self) -> bool:
        return len(self.code) == 1


@dataclass(frozen=True)
class Article:
    """The whole encoded article (see data/article-1.yaml for the meaning of each part)."""

    version: str
    source: dict
    connector: str
    cooperation_kinds: tuple[Labelled, ...]
    beneficiaries: tuple[Labelled, ...]
    liaisons: tuple[Labelled, ...]
    exclusions: tuple[ExclusionData, ...]
    ministry_code: str
    ministry_label: str
    ministry_aliases: tuple[str, ...]
    ministry_units: tuple[Labelled, ...]
    outside_units: tuple[Labelled, ...]
    outside_marker: str
    missions: tuple[MissionData, ...]
    matters: tuple[MatterData, ...] = ()
    unit_aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()
    _by_code: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def exclusion_label(self) -> str:
        return self.exclusions[0].label if self.exclusions else ""

    @property
    def exclusion_redirect(self) -> str:
        return self.exclusions[0].redirect_to if self.exclusions else ""

    def exclusion(self, code: str) -> ExclusionData:
        return next(e for e in self.exclusions if e.code == code)

    @property
    def matter_codes(self) -> tuple[str, ...]:
        return tuple(m.code for m in self.matters)

    def matter(self, code: str) -> MatterData:
        return next(m for m in self.matters if m.code == code)

    def covering(self, matter: str) -> list[tuple[MissionData, Cover]]:
        """The (part, cover) pairs that give `matter`, in the article's order."""
        return [(m, c) for m in self.missions for c in m.covers if matter in c.matters]

    def mission(self, code: str) -> MissionData:
        return self._by_code[code]

    @property
    def mission_codes(self) -> tuple[str, ...]:
        return tuple(m.code for m in self.missions)

    @property
    def kind_codes(self) -> tuple[str, ...]:
        return tuple(k.code for k in self.cooperation_kinds)

    @property
    def beneficiary_codes(self) -> tuple[str, ...]:
        return tuple(b.code for b in self.beneficiaries)

    def kind_label(self, code: str) -> str:
        return _label(self.matters or self.cooperation_kinds, code)

    def beneficiary(self, code: str) -> Labelled:
        return next(b for b in self.beneficiaries if b.code == code)

    def liaison(self, code: str) -> Labelled:
        return next(li for li in self.liaisons if li.code == code)

    def liaison_label(self, code: str) -> str:
        return _label(self.liaisons, code)


def _label(items, code: str) -> str:
    return next((i.label for i in items if i.code == code), code)


def _labelled(raw: dict) -> Labelled:
    return Labelled(
        code=str(raw["code"]),
        label=str(raw["label"]),
        of=str(raw.get("of", "")),
        with_=str(raw.get("with", "")),
        aliases=tuple(str(a) for a in raw.get("aliases", ())),
        intelligence=bool(raw.get("intelligence", False)),
        directorate=str(raw.get("directorate", "")),
    )


def _cover(mission: str, raw: dict, known: dict) -> Cover:
    cover = Cover(
        matters=tuple(str(m) for m in raw["matters"]),
        for_=tuple(str(f) for f in raw["for"]),
        verbs=tuple(str(v) for v in raw["verbs"]),
        partners=tuple(str(p) for p in raw.get("partners", ())),
        exclusions=tuple(str(e) for e in raw.get("exclusions", ())),
        quote=" ".join(str(raw["quote"]).split()),
    )
    checks = {
        "matters": (cover.matters, known["matters"]),
        "for": (cover.for_, known["beneficiaries"] | {MINISTRY, OTHERS}),
        "partners": (cover.partners, known["liaisons"]),
        "exclusions": (cover.exclusions, known["exclusions"]),
    }
    for key, (codes, allowed) in checks.items():
        unknown = set(codes) - allowed
        if unknown:
            raise ArticleDataError(f"Mission {mission} : {key} inconnus {sorted(unknown)}")
    return cover


def parse_article(raw: dict) -> Article:
    """Build an `Article` from the parsed YAML, checking that every code it uses is declared."""
    matters = tuple(
        MatterData(
            code=str(m["code"]),
            label=str(m["label"]),
            phrase=str(m["phrase"]),
            cooperation_kind=bool(m.get("cooperation_kind", False)),
        )
        for m in raw["matters"]
    )
    kinds = tuple(Labelled(m.code, m.label) for m in matters if m.cooperation_kind)
    beneficiaries = tuple(_labelled(b) for b in raw["beneficiaries"])
    liaisons = tuple(_labelled(li) for li in raw["liaisons"])
    exclusions = tuple(
        ExclusionData(
            code=str(e["code"]),
            label=str(e["label"]),
            written_in=str(e["written_in"]),
            quote=" ".join(str(e["quote"]).split()),
            redirect_to=str(e["redirect_to"]),
        )
        for e in raw["exclusions"]
    )
    known = {
        "cooperation_kinds": {k.code for k in kinds},
        "beneficiaries": {b.code for b in beneficiaries},
        "liaisons": {li.code for li in liaisons},
    }
    cover_known = {
        **known,
        "matters": {m.code for m in matters},
        "exclusions": {e.code for e in exclusions},
    }
    missions = []
    for order, item in enumerate(raw["missions"], start=1):
        for key, codes in known.items():
            unknown = set(item.get(key, ())) - codes
            if unknown:
                raise ArticleDataError(f"Mission {item['code']} : {key} inconnus {sorted(unknown)}")
        missions.append(
            MissionData(
                code=str(item["code"]),
                order=order,
                label=str(item["label"]),
                title=str(item["title"]),
                text=str(item["text"]).strip(),
                roles=tuple(item.get("roles", ())),
                cooperation_kinds=tuple(item.get("cooperation_kinds", ())),
                beneficiaries=tuple(item.get("beneficiaries", ())),
                liaisons=tuple(item.get("liaisons", ())),
                excludes_intelligence=bool(item.get("excludes_intelligence", False)),
                open_beneficiaries=bool(item.get("open_beneficiaries", False)),
                covers=tuple(_cover(str(item["code"]), c, cover_known) for c in item["covers"]),
            )
        )
    by_code = {m.code: m for m in missions}
    if len(by_code) != len(missions):
        raise ArticleDataError("Deux missions portent le même code.")
    for mission in missions:
        missing = [verb for verb in mission.roles if not verb_spans(mission.text, (verb,))]
        if missing:
            raise ArticleDataError(f"Mission {mission.code} : verbes absents du texte {missing}")
        for cover in mission.covers:
            if cover.quote not in " ".join(mission.text.split()):
                raise ArticleDataError(f"Mission {mission.code} : citation absente du texte")
            missing = [verb for verb in cover.verbs if not verb_spans(cover.quote, (verb,))]
            if missing:
                raise ArticleDataError(f"Mission {mission.code} : verbes absents de la citation")
    ministry = raw.get("ministry", {})
    return Article(
        version=str(raw["version"]),
        source=dict(raw.get("source", {})),
        connector=str(raw.get("connector", "")),
        cooperation_kinds=kinds,
        beneficiaries=beneficiaries,
        liaisons=liaisons,
        exclusions=exclusions,
        ministry_code=str(ministry.get("code", "")),
        ministry_label=str(ministry.get("label", "")),
        ministry_aliases=tuple(str(a) for a in ministry.get("aliases", ())),
        ministry_units=tuple(_labelled(u) for u in ministry.get("other_units", ())),
        outside_units=tuple(_labelled(u) for u in ministry.get("outside_units", ())),
        outside_marker=str(ministry.get("outside_marker", "")),
        missions=tuple(missions),
        matters=matters,
        unit_aliases=tuple(
            (str(code), tuple(str(a) for a in names))
            for code, names in (ministry.get("unit_aliases") or {}).items()
        ),
        _by_code=by_code,
    )


@cache
def load_article(path: Path = ARTICLE_PATH) -> Article:
    """The encoded article (parsed once per process)."""
    with open(path, encoding="utf-8") as handle:
        return parse_article(yaml.safe_load(handle))


# --- Text helpers ----------------------------------------------------------------------------


def normalize(value: str) -> str:
    """Lower case, no accents, typographic apostrophes and runs of spaces folded: for matching."""
    value = unicodedata.normalize("NFKD", value.replace("’", "'").replace("œ", "oe"))
    value = "".join(c for c in value if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", value).strip().lower()


def verb_spans(text: str, verbs) -> list[tuple[int, int]]:
    """Where the role verbs occur in `text`, as whole words: sorted, non-overlapping spans."""
    spans = []
    for verb in sorted(set(verbs), key=len, reverse=True):
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in verb.split()) + r"(?!\w)"
        for match in re.finditer(pattern, text):
            if all(match.end() <= s or match.start() >= e for s, e in spans):
                spans.append(match.span())
    return sorted(spans)


def segments(text: str, verbs) -> list[tuple[str, bool]]:
    """`text` cut into (part, is_role_verb) pieces, for templates that highlight the verbs."""
    parts, cursor = [], 0
    for start, end in verb_spans(text, verbs):
        if start > cursor:
            parts.append((text[cursor:start], False))
        parts.append((text[start:end], True))
        cursor = end
    if cursor < len(text):
        parts.append((text[cursor:], False))
    return parts
