"""Competence assessment: is the DCI competent for this request, on which parts, how?

One pure function, `assess(request, directory=…) -> Assessment`, used by every module (intake of
mission a, actions, agreements… mostly through `relais.legal.matters.basis_for`), by the
« Tester la compétence » page and by the API. It reads the encoded article
(data/article-1.yaml) and the `Directory` it is given (a snapshot of the organisation tree,
relais.legal.directory); it never touches the database.

    from relais.legal.assessment import AssessmentRequest, assess
    from relais.legal.directory import current_directory
    answer = assess(AssessmentRequest(matter="technical", beneficiary="OFAST"),
                    directory=current_directory())
    answer.competent, answer.letters          # (True, ('preamble-1', 'b'))
    answer.details[1].verbs, answer.details[1].partners[0].code   # (('coordonne', …), 'meae')

The rules all come from the data, each part's `covers`:
1. the beneficiary is resolved to a place: a directorate the article names (or one of its
   units, through the tree), another unit of the ministry, a body outside, or nothing — then
   the answer is « undetermined », with the closest names;
2. the covers that give the matter to that directorate (`for: [DGPN…]`), or to any unit of
   the ministry (`for: [ministry]`), make the DCI competent; for a unit of the ministry the
   article does not name, the open list of the second paragraph (`for: [others]`, « au profit
   notamment ») does;
3. a request that falls under an exclusion the text writes (`exclusively_intelligence`) loses
   the covers that carry it — and only those: the first paragraph's exception is never
   applied to, nor cited for, a request it does not govern;
4. otherwise the DCI is not competent, and the answer says for whom the article provides that
   matter, and what it provides for that beneficiary.
"""

from dataclasses import dataclass, field

from relais.legal import matters as registry
from relais.legal.article import (
    MINISTRY,
    OTHERS,
    Article,
    Cover,
    MissionData,
    load_article,
    normalize,
)
from relais.legal.directory import Directory, Place, Scope, article_directory

__all__ = ["Assessment", "AssessmentRequest", "Detail", "Scope", "assess"]


@dataclass(frozen=True)
class AssessmentRequest:
    """A question put to the article.

    `matter` is a matter code (relais.legal.matters; `cooperation_kind` is its former name, still
    accepted). `beneficiary` is a unit code (`OFAST`), an acronym or a name; `within_ministry`
    settles, for a name Relais does not recognise, whether it belongs to the ministry of the
    interior (None: unknown). `subject` and `country` are carried into the answer.
    """

    cooperation_kind: str = ""
    beneficiary: str = ""
    exclusively_intelligence: bool = False
    subject: str = ""
    country: str = ""
    within_ministry: bool | None = None
    matter: str = ""

    def __post_init__(self):
        # One question, two names for what it is about: keep them equal.
        matter = self.matter or self.cooperation_kind
        object.__setattr__(self, "matter", matter)
        object.__setattr__(self, "cooperation_kind", matter)


@dataclass(frozen=True)
class Partner:
    code: str
    label: str


@dataclass(frozen=True)
class Exclusion:
    code: str
    label: str
    #: The part that writes it (`preamble-1`) and its words.
    letter: str
    quote: str


@dataclass(frozen=True)
class Detail:
    """What one part of the article gives the DCI for this request."""

    letter: str
    label: str
    verbs: tuple[str, ...]
    partners: tuple[Partner, ...]
    exclusions: tuple[Exclusion, ...]
    quote: str


@dataclass(frozen=True)
class Assessment:
    """The answer: competent or not, on which parts of the article, how, or where to go."""

    competent: bool
    reason: str
    letters: tuple[str, ...] = ()
    details: tuple[Detail, ...] = ()
    #: The exclusions the request fell under (then `competent` is False).
    exclusions: tuple[Exclusion, ...] = ()
    redirect_to: str = ""
    matter: str = ""
    beneficiary: str = ""
    beneficiary_label: str = ""
    beneficiary_scope: Scope = Scope.UNKNOWN
    #: The directorate the article names that the beneficiary belongs to (DGPN for OFAST).
    directorate: str = ""
    #: The competence rests on the open list of the second paragraph (« notamment »).
    open_list: bool = False
    #: Relais could not tell who the beneficiary is: see `suggestions`, and ask again.
    undetermined: bool = False
    suggestions: tuple[str, ...] = ()
    subject: str = ""
    country: str = ""
    # Former names, kept for the modules written against the first version.
    missions: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    liaisons: tuple[str, ...] = ()
    liaison_labels: tuple[str, ...] = field(default=())
    cooperation_kind: str = ""


# --- Sentences -------------------------------------------------------------------------------


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _join(items) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def _refs(missions) -> str:
    """« premier alinéa et b » : how French legal drafting cites parts of an article."""
    return _join(_lower_first(m.label.rstrip(")")) for m in missions)


def _unique(values) -> tuple:
    return tuple(dict.fromkeys(values))


def _of(article: Article, place: Place) -> str:
    """« de la direction générale de la police nationale (DGPN) », « du ministère de l'intérieur »,
    « de « Office anti-stupéfiants (OFAST) » »."""
    if place.is_ministry:
        return f"du {_lower_first(article.ministry_label)}"
    if place.is_directorate:
        return article.beneficiary(place.directorate).of
    return f"de « {place.label} »"


def _whom(article: Article, codes) -> list[str]:
    words = {MINISTRY: "toute unité du ministère", OTHERS: "toute autre direction du ministère"}
    return [words.get(code, code) for code in codes]


def _providers(article: Article, matter: str) -> str:
    """For whom the article provides `matter`: « DGPN et DGGN (premier alinéa et a de l'article 1) »."""
    pairs = article.covering(matter)
    whom = _whom(article, _unique(code for _, cover in pairs for code in cover.for_))
    missions = _unique(m for m, _ in pairs)
    return f"{_join(whom)} ({_refs(missions)} de l'article 1)" if whom else ""


# --- Rules -----------------------------------------------------------------------------------


def _covering(article: Article, matter: str, place: Place) -> list[tuple[MissionData, Cover]]:
    """The covers that give `matter` to `place` (rule 2)."""
    pairs = article.covering(matter)
    if place.scope == Scope.NAMED:
        return [(m, c) for m, c in pairs if place.directorate in c.for_ or MINISTRY in c.for_]
    if place.scope == Scope.MINISTRY:
        return [(m, c) for m, c in pairs if MINISTRY in c.for_ or OTHERS in c.for_]
    return []


def _offered_to(article: Article, place: Place) -> list[str]:
    """What the article names this directorate for: « coopération technique (premier alinéa et b) »."""
    offered = []
    for item in article.matters:
        missions = _unique(m for m, c in article.covering(item.code) if place.directorate in c.for_)
        if missions:
            offered.append(f"{_lower_first(item.label)} ({_refs(missions)})")
    return offered


def _details(article: Article, pairs, applied) -> tuple[Detail, ...]:
    details = []
    for mission in _unique(m for m, _ in pairs):
        covers = [c for m, c in pairs if m is mission]
        exclusions = _unique(code for c in covers for code in c.exclusions if code not in applied)
        details.append(
            Detail(
                letter=mission.code,
                label=mission.label,
                verbs=_unique(v for c in covers for v in c.verbs),
                partners=tuple(
                    Partner(code, article.liaison_label(code))
                    for code in _unique(p for c in covers for p in c.partners)
                ),
                exclusions=tuple(_exclusion(article, code) for code in exclusions),
                quote=" … ".join(_unique(c.quote for c in covers)),
            )
        )
    return tuple(details)


def _exclusion(article: Article, code: str) -> Exclusion:
    item = article.exclusion(code)
    return Exclusion(item.code, item.label, item.written_in, item.quote)


def _place(article: Article, directory: Directory, text: str, within: bool | None) -> Place:
    place = directory.resolve(text)
    if place is not None:
        return place
    marker = normalize(article.outside_marker)
    wanted = normalize(text)
    if marker and marker in wanted and "interieur" not in wanted:
        # « ministère de la Justice »: another ministry, whatever its directorates.
        return Place(text, text, scope=Scope.OUTSIDE)
    if within is None:
        return Place(text, text, scope=Scope.UNKNOWN)
    # A name Relais does not know, but the caller says where it stands.
    return Place(text, text, scope=Scope.MINISTRY if within else Scope.OUTSIDE)


# --- The function ----------------------------------------------------------------------------


def assess(
    request: AssessmentRequest, article: Article | None = None, directory: Directory | None = None
) -> Assessment:
    """Answer `request` from the encoded article and `directory` (default: what the article
    file alone knows). Raises ValueError on an unknown matter or an empty beneficiary (callers
    validate their input first: forms and serializers do)."""
    article = article or load_article()
    directory = directory or article_directory(article)
    matter = registry.get(request.matter).rests_on
    text = " ".join(request.beneficiary.split())
    if not text:
        raise ValueError("La direction bénéficiaire est obligatoire.")
    place = _place(article, directory, text, request.within_ministry)
    phrase = article.matter(matter).phrase
    common = {
        "matter": request.matter,
        "cooperation_kind": request.matter,
        "beneficiary": place.code,
        "beneficiary_label": place.label,
        "beneficiary_scope": place.scope,
        "directorate": place.directorate,
        "subject": request.subject,
        "country": request.country,
    }
    providers = _providers(article, matter)
    provided = (
        f" L'article 1 prévoit cette demande au profit de : {providers}." if providers else ""
    )

    # Rule 1: who is it for?
    if place.scope == Scope.UNKNOWN:
        suggestions = directory.suggest(text)
        close = f" Noms proches : {'; '.join(suggestions)}." if suggestions else ""
        return Assessment(
            competent=False,
            undetermined=True,
            suggestions=suggestions,
            reason=(
                f"Compétence indéterminée : Relais ne reconnaît pas « {text} » dans l'organisation"
                f" du ministère de l'intérieur ni parmi les organismes qu'il connaît.{close}"
                " Précisez l'unité (sigle ou nom de l'organigramme) ou, à défaut, si elle relève"
                f" du ministère de l'intérieur.{provided}"
            ),
            **common,
        )

    # Rule 2: the covers that give the matter to this place.
    pairs = _covering(article, matter, place)

    # Rule 3: the exclusions the request falls under remove the covers that carry them.
    applied: tuple[str, ...] = ()
    if request.exclusively_intelligence and pairs:
        applied = _unique(code for _, c in pairs for code in c.exclusions)
        if applied:
            kept = [(m, c) for m, c in pairs if not set(c.exclusions) & set(applied)]
            excluded = tuple(_exclusion(article, code) for code in applied)
            if not kept:
                written = [article.mission(e.letter) for e in excluded]
                return Assessment(
                    competent=False,
                    exclusions=excluded,
                    redirect_to=" ; ".join(article.exclusion(c).redirect_to for c in applied),
                    reason=(
                        f"La DCI n'est pas compétente : le {_refs(written)} de l'article 1 excepte"
                        f" de ses missions pour la police et la gendarmerie nationales les"
                        f" questions relevant exclusivement des services de renseignement"
                        f" (« {excluded[0].quote} »). Adressez la demande à ces services."
                    ),
                    **common,
                )
            pairs = kept

    if pairs:
        details = _details(article, pairs, applied)
        open_list = any(
            OTHERS in c.for_ and MINISTRY not in c.for_ and place.directorate not in c.for_
            for _, c in pairs
        )
        missions = [m for m in article.missions if any(m is p for p, _ in pairs)]
        sentences = [
            f"La DCI est compétente pour {phrase} {_of(article, place)} :"
            f" {_refs(missions)} de l'article 1."
        ]
        if place.directorate and not place.is_directorate:
            directorate = article.beneficiary(place.directorate)
            sentences.append(
                f"« {place.label} » relève {directorate.of} : {' › '.join(reversed(place.chain))}."
            )
        if open_list and not place.is_ministry:
            sentences.append(
                "La liste des directions bénéficiaires n'est pas limitative (« au profit"
                f" notamment ») : « {place.label} » relève du ministère de l'intérieur sans que"
                " l'article la nomme."
            )
        for detail in details:
            sentences.append(
                f"{detail.label} : elle {', '.join(detail.verbs)} — « {detail.quote} »."
            )
        partners = _unique(p.code for d in details for p in d.partners)
        if partners:
            sentences.append(
                "À conduire en liaison avec "
                + _join(article.liaison(code).with_ for code in partners)
                + "."
            )
        for item in _unique(e for d in details for e in d.exclusions):
            sentences.append(
                f"Limite ({_lower_first(article.mission(item.letter).label)}) : « {item.quote} »."
            )
        return Assessment(
            competent=True,
            reason=" ".join(sentences),
            letters=tuple(d.letter for d in details),
            details=details,
            open_list=open_list,
            missions=tuple(d.letter for d in details),
            roles=_unique(v for d in details for v in d.verbs),
            liaisons=partners,
            liaison_labels=tuple(article.liaison_label(code) for code in partners),
            **common,
        )

    # Rule 4: not competent, and why.
    if place.scope == Scope.OUTSIDE:
        partner = [
            li for li in article.liaisons if place.code in li.aliases or place.code == li.code
        ]
        named = (
            f" L'article 1 le nomme comme partenaire de la DCI, non comme bénéficiaire :"
            f" « en liaison avec {partner[0].with_} »."
            if partner
            else ""
        )
        return Assessment(
            competent=False,
            reason=(
                f"La DCI n'est pas compétente : « {place.label} » ne relève pas du ministère de"
                " l'intérieur, et l'article 1 ne confie à la DCI que des missions du ministère de"
                f" l'intérieur.{named}{provided}"
            ),
            redirect_to=f"{place.label} (ses propres services de coopération internationale)",
            **common,
        )
    sentences = [
        f"La DCI n'est pas compétente : l'article 1 ne lui confie pas {phrase}"
        f" {_of(article, place)}.{provided}"
    ]
    offered = _offered_to(article, place) if place.directorate else []
    if offered:
        sentences.append(f"Pour cette direction, l'article 1 prévoit : {_join(offered)}.")
    return Assessment(
        competent=False,
        reason=" ".join(sentences),
        redirect_to=f"{place.short_name or place.label} (la direction conduit elle-même cette"
        " coopération)",
        **common,
    )
