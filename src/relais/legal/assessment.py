"""Competence assessment: is the DCI competent for this request, on which letters, how?

One pure function, `assess(request) -> Assessment`, used by every module (intake of mission a,
actions, agreements…), by the « Tester la compétence » page and by the API. It reads only the
encoded article (data/article-1.yaml); it never touches the database.

    from relais.legal.assessment import AssessmentRequest, assess
    answer = assess(AssessmentRequest(cooperation_kind="technical", beneficiary="DGPN"))
    answer.competent, answer.missions, answer.liaisons
    # (True, ('preamble-1', 'b'), ('meae', 'funding_bodies'))

The rules all come from the data:
1. a matter exclusively for the intelligence services is excluded (first paragraph): not
   competent, redirected to the intelligence services;
2. the missions whose cooperation kinds and beneficiaries cover the request make the DCI
   competent, with their role verbs and the liaisons they require;
3. failing a named beneficiary, a mission whose list of beneficiaries is open (« au profit
   notamment », second paragraph) covers any directorate of the ministry for its kinds;
4. otherwise the DCI is not competent, and the answer says for whom the article provides that
   kind of cooperation, and what it provides for that beneficiary.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from relais.legal.article import Article, Labelled, MissionData, load_article, normalize


class Scope(StrEnum):
    """Where the beneficiary stands with respect to the article."""

    NAMED = "named"  # a directorate the article names (DGPN, DGGN, SG…)
    MINISTRY = "ministry"  # another directorate or service of the ministry of the interior
    OUTSIDE = "outside"  # a body outside the ministry
    UNKNOWN = "unknown"  # not recognised, and the caller did not say


@dataclass(frozen=True)
class AssessmentRequest:
    """A question put to the article.

    `beneficiary` is an acronym the article names (`DGPN`…) or the free text of another body;
    `within_ministry` settles, for a body Relais does not recognise, whether it belongs to the
    ministry of the interior (None: unknown). `subject` and `country` (ISO code) are carried into
    the answer for the record; the article's rules do not depend on them.
    """

    cooperation_kind: str
    beneficiary: str
    exclusively_intelligence: bool = False
    subject: str = ""
    country: str = ""
    within_ministry: bool | None = None


@dataclass(frozen=True)
class Assessment:
    """The answer: competent or not, on which parts of the article, how, or where to go."""

    competent: bool
    reason: str
    missions: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    liaisons: tuple[str, ...] = ()
    redirect_to: str = ""
    cooperation_kind: str = ""
    beneficiary: str = ""
    beneficiary_scope: Scope = Scope.UNKNOWN
    #: The competence rests on the open list of the second paragraph (« notamment »).
    open_list: bool = False
    #: The answer depends on a fact the request does not give (does the body belong to the
    #: ministry?): ask it and assess again.
    undetermined: bool = False
    subject: str = ""
    country: str = ""
    liaison_labels: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class _Beneficiary:
    scope: Scope
    code: str  # the acronym when the article names it, else the text as given
    of: str  # « de la direction générale… (DGPN) », « de « DLPAJ » »
    intelligence: bool = False


def _matches(text: str, item: Labelled) -> bool:
    wanted = normalize(text)
    names = (item.code, item.label, *item.aliases)
    return any(wanted == normalize(name) for name in names) or wanted == normalize(
        f"{item.label} ({item.code})"
    )


def resolve_beneficiary(text: str, article: Article, within_ministry: bool | None = None):
    """Who the request is for: a named directorate, another unit of the ministry, or outside."""
    for item in article.beneficiaries:
        if _matches(text, item):
            return _Beneficiary(Scope.NAMED, item.code, item.of)
    for scope, units in (
        (Scope.MINISTRY, article.ministry_units),
        (Scope.OUTSIDE, article.outside_units),
    ):
        for item in units:
            if _matches(text, item):
                return _Beneficiary(scope, item.code, f"de « {text} »", item.intelligence)
    of = f"de « {text} »"
    wanted = normalize(text)
    if wanted in {normalize(n) for n in (article.ministry_label, *article.ministry_aliases)}:
        return _Beneficiary(Scope.MINISTRY, text, f"du {article.ministry_label.lower()}")
    marker = normalize(article.outside_marker)
    if marker and marker in wanted and "interieur" not in wanted:
        return _Beneficiary(Scope.OUTSIDE, text, of)
    if within_ministry is None:
        return _Beneficiary(Scope.UNKNOWN, text, of)
    return _Beneficiary(Scope.MINISTRY if within_ministry else Scope.OUTSIDE, text, of)


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


def _providers(article: Article, kind: str) -> str:
    """For whom the article provides `kind`: « DGPN et DGGN (premier alinéa, a) »."""
    missions = [m for m in article.missions if kind in m.cooperation_kinds]
    codes = _unique(code for m in missions for code in m.beneficiaries)
    whom = list(codes)
    if any(m.open_beneficiaries for m in missions):
        whom.append("toute autre direction du ministère")
    if not whom:
        return ""
    return f"{_join(whom)} ({_refs(missions)} de l'article 1)"


def _offered_to(article: Article, beneficiary: _Beneficiary) -> list[str]:
    """The kinds of cooperation the article provides for this beneficiary."""
    kinds = []
    for kind in article.cooperation_kinds:
        missions = _covering(article, kind.code, beneficiary)
        if missions:
            kinds.append(f"en {_lower_first(kind.label)} ({_refs(missions)})")
    return kinds


def _covering(article: Article, kind: str, beneficiary: _Beneficiary) -> list[MissionData]:
    """The missions that cover `kind` for `beneficiary` (rules 2 and 3)."""
    if beneficiary.scope == Scope.NAMED:
        named = [
            m
            for m in article.missions
            if kind in m.cooperation_kinds and beneficiary.code in m.beneficiaries
        ]
        if named:
            return named
    if beneficiary.scope in (Scope.NAMED, Scope.MINISTRY):
        return [m for m in article.missions if m.open_beneficiaries and kind in m.cooperation_kinds]
    return []


# --- The function ----------------------------------------------------------------------------


def assess(request: AssessmentRequest, article: Article | None = None) -> Assessment:
    """Answer `request` from the encoded article. Raises ValueError on an unknown kind or an
    empty beneficiary (callers validate their input first: forms and serializers do)."""
    article = article or load_article()
    kind = request.cooperation_kind
    if kind not in article.kind_codes:
        raise ValueError(f"Nature de coopération inconnue : {kind!r}")
    text = " ".join(request.beneficiary.split())
    if not text:
        raise ValueError("La direction bénéficiaire est obligatoire.")
    beneficiary = resolve_beneficiary(text, article, request.within_ministry)
    kind_label = _lower_first(article.kind_label(kind))
    common = {
        "cooperation_kind": kind,
        "beneficiary": beneficiary.code,
        "beneficiary_scope": beneficiary.scope,
        "subject": request.subject,
        "country": request.country,
    }

    # Rule 1: the exclusion of the first paragraph.
    if request.exclusively_intelligence:
        excluding = [m for m in article.missions if m.excludes_intelligence]
        return Assessment(
            competent=False,
            reason=(
                "La DCI n'est pas compétente : le "
                f"{_refs(excluding)} de l'article 1 excepte les questions relevant exclusivement"
                " des services de renseignement. Adressez la demande à ces services."
            ),
            redirect_to=article.exclusion_redirect,
            **common,
        )

    # Rules 2 and 3: the missions that cover the request.
    missions = _covering(article, kind, beneficiary)
    if missions:
        open_list = not any(beneficiary.code in m.beneficiaries for m in missions)
        liaisons = _unique(code for m in missions for code in m.liaisons)
        roles = _unique(verb for m in missions for verb in m.roles)
        sentences = [
            f"La DCI est compétente pour la {kind_label} au profit {beneficiary.of} :"
            f" {_refs(missions)} de l'article 1."
        ]
        if open_list:
            sentences.append(
                "La liste des directions bénéficiaires n'est pas limitative (« au profit"
                f" notamment ») : « {text} » est une direction du ministère de l'intérieur que"
                " l'article ne nomme pas."
            )
        if beneficiary.intelligence:
            sentences.append(
                f"« {text} » est un service de renseignement : les questions relevant"
                " exclusivement du renseignement restent hors du champ de la DCI."
            )
        sentences.append(f"Rôle de la DCI : {', '.join(roles)}.")
        if liaisons:
            sentences.append(
                "À conduire en liaison avec "
                + _join(article.liaison(code).with_ for code in liaisons)
                + "."
            )
        return Assessment(
            competent=True,
            reason=" ".join(sentences),
            missions=tuple(m.code for m in missions),
            roles=roles,
            liaisons=liaisons,
            liaison_labels=tuple(article.liaison_label(code) for code in liaisons),
            open_list=open_list,
            **common,
        )

    # Rule 4: not competent, and why.
    providers = _providers(article, kind)
    provided = f" L'article 1 la prévoit au profit de : {providers}." if providers else ""
    if beneficiary.scope == Scope.OUTSIDE:
        return Assessment(
            competent=False,
            reason=(
                f"La DCI n'est pas compétente : « {text} » ne relève pas du ministère de"
                " l'intérieur, et l'article 1 ne confie à la DCI que des coopérations du"
                f" ministère de l'intérieur.{provided}"
            ),
            redirect_to=f"{text} (ses propres services de coopération internationale)",
            **common,
        )
    if beneficiary.scope == Scope.UNKNOWN and any(
        m.open_beneficiaries and kind in m.cooperation_kinds for m in article.missions
    ):
        open_missions = [m for m in article.missions if m.open_beneficiaries]
        return Assessment(
            competent=False,
            undetermined=True,
            reason=(
                f"Relais ne reconnaît pas « {text} » parmi les directions du ministère de"
                f" l'intérieur. Si elle en relève, la DCI est compétente pour la {kind_label} à"
                f" son profit ({_refs(open_missions)} de l'article 1 : la liste des"
                " bénéficiaires n'est pas limitative, « au profit notamment ») ; sinon, elle ne"
                " l'est pas. Précisez si cette direction relève du ministère de l'intérieur."
            ),
            **common,
        )
    sentences = [
        f"La DCI n'est pas compétente : l'article 1 ne lui confie pas la {kind_label} au profit"
        f" {beneficiary.of}.{provided}"
    ]
    offered = _offered_to(article, beneficiary)
    if offered:
        sentences.append(f"Pour cette direction, la DCI est compétente {_join(offered)}.")
    return Assessment(
        competent=False,
        reason=" ".join(sentences),
        redirect_to=f"{text} (la direction conduit elle-même cette coopération)",
        **common,
    )
