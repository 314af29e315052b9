"""The table of cases: requests put to the article, with what the text answers, written from
the text (each case carries the sentence it comes from).

The beneficiaries are units of Relais's reference organisation tree
(referential/data/organisation.yaml), names and aliases of them, bodies outside the ministry
(the tree's MEAE and MINARM branches, referential/data/partners.yaml, the article file's list)
and names nobody knows. The directory is the one callers build from the referential, without a
database (`tree_directory`); a sample goes through the API against the tree loaded in the
database.
"""

import json
from dataclasses import dataclass

import pytest

from relais.accounts.models import ApiToken
from relais.legal.article import load_article
from relais.legal.assessment import AssessmentRequest, assess

# --- The sentences of the text the cases come from ------------------------------------------

P1 = (
    "La direction de la coopération internationale anime, coordonne et met en œuvre les"
    " coopérations technique, opérationnelle et institutionnelle des directions générales de la"
    " police et de la gendarmerie nationales"
)
P1_EXCEPT = "à l'exception des questions relevant exclusivement des services de renseignement"
P2 = (
    "Elle anime, coordonne et met en œuvre la coopération technique du ministère de l'intérieur,"
    " au profit notamment"
)
A = (
    "Elle anime la coopération opérationnelle par le recueil et l'analyse des informations"
    " intéressant la sécurité de la France, et leur transmission aux directions et services"
    " concernés de la police et de la gendarmerie nationales"
)
B = (
    "assure la programmation, la mise en œuvre et le suivi des actions de coopération technique"
    " de la police et de la gendarmerie nationales en liaison avec le ministère des affaires"
    " étrangères et les organismes concourant au financement de ces actions"
)
C = (
    "Elle anime et coordonne la coopération administrative et de gouvernance relevant de la"
    " compétence du secrétariat général"
)
D = (
    "Elle anime et coordonne la coopération administrative et de gouvernance relevant de la"
    " compétence de la direction générale des collectivités locales"
)
E = (
    "Elle anime et coordonne la coopération technique de sécurité civile relevant de la"
    " compétence de la direction générale de la sécurité civile et de la gestion des crises"
)
F = (
    "Elle anime et coordonne la coopération technique internationale relevant de la compétence"
    " de la direction générale des étrangers en France"
)
G = (
    "Elle anime et coordonne la coopération technique internationale relevant de la compétence"
    " de la délégation à la sécurité et à la circulation routières"
)
H_INSTITUTIONAL = "Elle anime la coopération institutionnelle de la police et de la gendarmerie"
H_POSITION = (
    "contribue à la définition et à la défense de la position commune des services du ministère"
    " de l'intérieur auprès des instances internationales et européennes"
)
H_FUNDING = (
    "recherche les financements pertinents auprès des organisations internationales et européennes"
)
I_CRISIS = (
    "Elle conçoit et propose des actions de prévention et de gestion des crises extérieures ;"
    " elle anticipe les risques et menaces"
)
I_STAFF = (
    "elle formule des propositions coordonnées de participation des personnels civils et"
    " militaires relevant de l'autorité du ministre de l'intérieur"
)
I_EVALUATION = (
    "elle procède à l'évaluation des actions conduites au profit de la sécurité intérieure"
)
J = (
    "Elle participe à l'élaboration de la stratégie internationale du ministère et développe sa"
    " politique d'influence auprès des organisations internationales et européennes"
)
K_POLICE = "Elle assure, pour les directeurs généraux de la police et de la gendarmerie nationales"
K_OTHERS = (
    "en ce qui les concerne, pour le secrétaire général, le directeur général des collectivités"
    " locales, le directeur général des étrangers en France, le directeur général de la sécurité"
    " civile et de la gestion des crises et le délégué à la sécurité et à la circulation"
    " routières"
)
L_EXPERTISE = (
    "Elle concourt à la promotion des expertises et technologies françaises dans le domaine de la"
    " sécurité et de la prévention des situations de crise"
)
L_PRACTICES = (
    "identifie les bonnes pratiques étrangères en matière de détection précoce des risques et"
    " menaces"
)
M = (
    "En liaison avec le service de sécurité diplomatique du ministère des affaires étrangères,"
    " elle définit la répartition et l'emploi des personnels de la police et de la gendarmerie"
    " nationales affectés à la sécurité diplomatique"
)
N = (
    "Elle est tenue informée des engagements opérationnels de la gendarmerie nationale à"
    " l'étranger au titre de ses missions militaires et de la projection d'unités constituées"
)

# --- Verbs, partners, exclusions --------------------------------------------------------------

V_P1 = ("anime", "coordonne", "met en œuvre")
V_B = (*V_P1, "assure")  # first paragraph, then b (coordonne, anime, assure)
AC = ("anime", "coordonne")
MEAE_FUNDERS = ("meae", "funding_bodies")
DIPLOMATIC = ("meae_diplomatic_security",)
INTEL = ("intelligence",)


@dataclass(frozen=True)
class Case:
    matter: str
    beneficiary: str
    letters: tuple[str, ...]
    verbs: tuple[str, ...]
    sentence: str
    partners: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()
    intelligence: bool = False
    undetermined: bool = False
    directorate: str | None = None

    def __str__(self):
        flag = "+renseignement" if self.intelligence else ""
        return f"{self.matter}·{self.beneficiary}{flag}"


NO = ()

CASES = [
    # First paragraph and b: technical cooperation of the police and the gendarmerie.
    Case("technical", "DGPN", ("preamble-1", "b"), V_B, B, MEAE_FUNDERS, INTEL, directorate="DGPN"),
    Case("technical", "DGGN", ("preamble-1", "b"), V_B, B, MEAE_FUNDERS, INTEL, directorate="DGGN"),
    Case(
        "technical", "OFAST", ("preamble-1", "b"), V_B, B, MEAE_FUNDERS, INTEL, directorate="DGPN"
    ),
    Case("technical", "DNPJ", ("preamble-1", "b"), V_B, B, MEAE_FUNDERS, INTEL, directorate="DGPN"),
    Case(
        "technical",
        "Direction générale de la police",
        ("preamble-1", "b"),
        V_B,
        P1,
        MEAE_FUNDERS,
        INTEL,
        directorate="DGPN",
    ),
    Case(
        "technical",
        "Préfecture de police",
        ("preamble-1", "b"),
        V_B,
        P1,
        MEAE_FUNDERS,
        INTEL,
        directorate="DGPN",
    ),
    Case(
        "technical",
        "police aux frontières",
        ("preamble-1", "b"),
        V_B,
        B,
        MEAE_FUNDERS,
        INTEL,
        directorate="DGPN",
    ),
    Case("technical", "GIGN", ("preamble-1", "b"), V_B, B, MEAE_FUNDERS, INTEL, directorate="DGGN"),
    Case("technical", "PJGN", ("preamble-1", "b"), V_B, B, MEAE_FUNDERS, INTEL, directorate="DGGN"),
    Case(
        "technical",
        "Service central de renseignement criminel",
        ("preamble-1", "b"),
        V_B,
        B,
        MEAE_FUNDERS,
        INTEL,
        directorate="DGGN",
    ),
    # Second paragraph, named directorates, and e, f, g.
    Case("technical", "SG", ("preamble-2",), V_P1, P2, directorate="SG"),
    Case("technical", "DGSCGC", ("preamble-2", "e"), V_P1, E, directorate="DGSCGC"),
    Case("technical", "COGIC", ("preamble-2", "e"), V_P1, E, directorate="DGSCGC"),
    Case("technical", "DGEF", ("preamble-2", "f"), V_P1, F, directorate="DGEF"),
    Case("technical", "DIMM", ("preamble-2", "f"), V_P1, F, directorate="DGEF"),
    Case("technical", "Direction de l'asile", ("preamble-2", "f"), V_P1, F, directorate="DGEF"),
    Case("technical", "DSCR", ("preamble-2", "g"), V_P1, G, directorate="DSCR"),
    Case("technical", "sécurité routière", ("preamble-2", "g"), V_P1, G, directorate="DSCR"),
    Case("technical", "DGCL", ("preamble-2",), V_P1, P2, directorate="DGCL"),
    Case("technical", "DLPAJ", ("preamble-2",), V_P1, P2, directorate="SG"),
    # Second paragraph, the open list (« au profit notamment »).
    Case("technical", "DCI", ("preamble-2",), V_P1, P2, directorate=""),
    Case("technical", "IGA", ("preamble-2",), V_P1, P2, directorate=""),
    Case("technical", "DGSI", ("preamble-2",), V_P1, P2, directorate=""),
    Case("technical", "ministère de l'intérieur et des outre-mer", ("preamble-2",), V_P1, P2),
    # Bodies outside the ministry: the article gives the DCI the ministry's cooperation only.
    Case("technical", "MEAE", NO, NO, P2),
    Case("technical", "Ministère des affaires étrangères", NO, NO, B),
    Case("technical", "DGSE", NO, NO, P2),
    Case("technical", "DGDDI", NO, NO, P2),
    Case("technical", "Ministère des Armées", NO, NO, P2),
    Case("technical", "Interpol", NO, NO, P2),
    Case("technical", "ministère de la Justice", NO, NO, P2),
    # a: operational cooperation, for the police and the gendarmerie only.
    Case("operational", "DGPN", ("preamble-1", "a"), V_P1, A, NO, INTEL),
    Case("operational", "SCRT", ("preamble-1", "a"), V_P1, A, NO, INTEL, directorate="DGPN"),
    Case("operational", "OCRTEH", ("preamble-1", "a"), V_P1, A, NO, INTEL, directorate="DGPN"),
    Case("operational", "DCPJ", ("preamble-1", "a"), V_P1, A, NO, INTEL, directorate="DGPN"),
    Case("operational", "GIGN", ("preamble-1", "a"), V_P1, A, NO, INTEL, directorate="DGGN"),
    Case("operational", "OCLDI", ("preamble-1", "a"), V_P1, A, NO, INTEL, directorate="DGGN"),
    Case("operational", "DGEF", NO, NO, A),
    Case("operational", "DGSCGC", NO, NO, A),
    Case("operational", "DGSI", NO, NO, A),
    # The first paragraph's exception: police and gendarmerie requests only.
    Case("operational", "DGPN", NO, NO, P1_EXCEPT, NO, INTEL, intelligence=True),
    Case("operational", "OFAST", NO, NO, P1_EXCEPT, NO, INTEL, intelligence=True),
    Case("technical", "DGGN", NO, NO, P1_EXCEPT, NO, INTEL, intelligence=True),
    Case("technical", "GIGN", NO, NO, P1_EXCEPT, NO, INTEL, intelligence=True),
    Case("institutional", "DGPN", NO, NO, P1_EXCEPT, NO, INTEL, intelligence=True),
    Case("technical", "DGEF", ("preamble-2", "f"), V_P1, F, intelligence=True),
    Case("technical", "DSCR", ("preamble-2", "g"), V_P1, G, intelligence=True),
    Case("administrative_governance", "SG", ("c",), AC, C, intelligence=True),
    Case("technical", "DGSI", ("preamble-2",), V_P1, P2, intelligence=True),
    # h: institutional cooperation, common positions, funding.
    Case("institutional", "DGGN", ("preamble-1", "h"), V_P1, H_INSTITUTIONAL, NO, INTEL),
    Case("institutional", "gendarmerie nationale", ("preamble-1", "h"), V_P1, P1, NO, INTEL),
    Case("institutional", "SG", NO, NO, H_INSTITUTIONAL),
    Case("common_position", "DGPN", ("h",), ("contribue",), H_POSITION),
    Case("common_position", "DGEF", ("h",), ("contribue",), H_POSITION),
    Case("funding_search", "DGSCGC", ("h",), ("recherche",), H_FUNDING),
    Case("funding_search", "MEAE", NO, NO, H_FUNDING),
    # c and d: administrative and governance cooperation.
    Case("administrative_governance", "SG", ("c",), AC, C, directorate="SG"),
    Case("administrative_governance", "DLPAJ", ("c",), AC, C, directorate="SG"),
    Case(
        "administrative_governance",
        "Secrétariat général du ministère de l'Intérieur",
        ("c",),
        AC,
        C,
        directorate="SG",
    ),
    Case("administrative_governance", "DGCL", ("d",), AC, D, directorate="DGCL"),
    Case("administrative_governance", "DGPN", NO, NO, C),
    Case("administrative_governance", "IGA", NO, NO, D),
    # e: civil-security cooperation.
    Case("civil_security", "DGSCGC", ("preamble-2", "e"), V_P1, E),
    Case("civil_security", "UIISC", ("preamble-2", "e"), V_P1, E, directorate="DGSCGC"),
    Case("civil_security", "DGPN", NO, NO, E),
    # i: crises, staff for missions abroad, evaluation — for the ministry.
    Case("crisis", "DGSCGC", ("i",), ("conçoit et propose", "anticipe"), I_CRISIS),
    Case(
        "crisis", "Ministère de l'intérieur", ("i",), ("conçoit et propose", "anticipe"), I_CRISIS
    ),
    Case("crisis", "DGSE", NO, NO, I_CRISIS),
    Case("mission_staffing", "DGGN", ("i",), ("formule",), I_STAFF),
    Case("mission_staffing", "COGIC", ("i",), ("formule",), I_STAFF),
    Case("evaluation", "DCI", ("i",), ("procède",), I_EVALUATION),
    # j: international strategy and influence of the ministry.
    Case("strategy_influence", "Ministère de l'Intérieur", ("j",), ("participe", "développe"), J),
    Case("strategy_influence", "SG", ("j",), ("participe", "développe"), J),
    # k: agreements, for the directors the text names and for no one else.
    Case("agreement", "DGPN", ("k",), ("assure",), K_POLICE, NO, INTEL),
    Case("agreement", "OFAST", ("k",), ("assure",), K_POLICE, NO, INTEL, directorate="DGPN"),
    Case("agreement", "DGEF", ("k",), ("assure",), K_OTHERS),
    Case("agreement", "DSCR", ("k",), ("assure",), K_OTHERS),
    Case("agreement", "DCI", NO, NO, K_OTHERS),
    Case("agreement", "DGPN", NO, NO, P1_EXCEPT, NO, INTEL, intelligence=True),
    # l: French expertise, foreign best practices.
    Case("expertise_promotion", "DGPN", ("l",), ("concourt",), L_EXPERTISE),
    Case("best_practices", "DGSCGC", ("l",), ("identifie",), L_PRACTICES),
    # m: diplomatic security, with the MEAE's diplomatic security service.
    Case("diplomatic_security", "DGPN", ("m",), ("définit",), M, DIPLOMATIC),
    Case("diplomatic_security", "RAID", ("m",), ("définit",), M, DIPLOMATIC, directorate="DGPN"),
    Case("diplomatic_security", "DGGN", ("m",), ("définit",), M, DIPLOMATIC),
    Case("diplomatic_security", "DGEF", NO, NO, M),
    Case("diplomatic_security", "Direction de la sécurité diplomatique", NO, NO, M),
    # n: the DCI is kept informed of the gendarmerie's engagements abroad.
    Case("gendarmerie_engagement", "DGGN", ("n",), ("est tenue informée",), N),
    Case("gendarmerie_engagement", "GIGN", ("n",), ("est tenue informée",), N, directorate="DGGN"),
    Case("gendarmerie_engagement", "DGPN", NO, NO, N),
    # Names nobody knows: undetermined, with the closest names.
    Case("technical", "DGPNN", NO, NO, P1, undetermined=True),
    Case("operational", "Office anti-stupéfiant", NO, NO, A, undetermined=True),
    Case("agreement", "Direction des Alpes", NO, NO, K_OTHERS, undetermined=True),
]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_table_is_large_and_covers_the_whole_article():
    assert len(CASES) >= 60
    answered = {letter for case in CASES for letter in case.letters}
    assert answered == set(load_article().mission_codes)
    assert {case.matter for case in CASES} == set(load_article().matter_codes)
    assert any(case.intelligence and not case.letters for case in CASES)
    assert any(case.undetermined for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_case(case: Case, tree_directory):
    article = load_article()
    # The sentence is the text's.
    assert _flat(case.sentence) in " ".join(_flat(m.text) for m in article.missions)

    answer = assess(
        AssessmentRequest(
            matter=case.matter,
            beneficiary=case.beneficiary,
            exclusively_intelligence=case.intelligence,
        ),
        directory=tree_directory,
    )
    assert answer.letters == case.letters
    assert answer.competent is bool(case.letters)
    assert answer.undetermined is case.undetermined
    assert tuple(dict.fromkeys(v for d in answer.details for v in d.verbs)) == case.verbs
    assert tuple(dict.fromkeys(p.code for d in answer.details for p in d.partners)) == case.partners
    exclusions = [e.code for d in answer.details for e in d.exclusions]
    exclusions += [e.code for e in answer.exclusions]
    assert tuple(dict.fromkeys(exclusions)) == case.exclusions
    if case.directorate is not None:
        assert answer.directorate == case.directorate

    # Each part quotes the words of the text, and the reason cites them.
    for detail in answer.details:
        assert detail.quote in _flat(article.mission(detail.letter).text)
        assert f"« {detail.quote} »" in answer.reason
        assert all(verb in detail.quote for verb in detail.verbs)
    if case.letters:
        assert answer.reason.startswith("La DCI est compétente")
    elif case.undetermined:
        assert answer.reason.startswith("Compétence indéterminée")
        assert answer.suggestions
    else:
        assert answer.reason.startswith("La DCI n'est pas compétente")
    if case.exclusions:
        # The exception is cited where the text puts it, with its words…
        assert f"« {P1_EXCEPT} »" in answer.reason
    else:
        # …and never for a request it does not govern.
        assert "services de renseignement" not in answer.reason
    # Never a sentence that calls the ministry one of its own directorates.
    assert "est une direction du ministère" not in answer.reason


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("DGPNN", "Direction générale de la police nationale (DGPN)"),
        ("Office anti-stupéfiant", "Office anti-stupéfiants (OFAST)"),
    ],
)
def test_undetermined_answers_suggest_the_closest_names(tree_directory, text, suggestion):
    answer = assess(
        AssessmentRequest(matter="technical", beneficiary=text), directory=tree_directory
    )
    assert suggestion in answer.suggestions
    assert suggestion in answer.reason


# --- Through the API -------------------------------------------------------------------------


API_SAMPLE = [
    c
    for c in CASES
    if (c.matter, c.beneficiary, c.intelligence)
    in {
        ("technical", "OFAST", False),
        ("technical", "GIGN", True),
        ("technical", "DGEF", True),
        ("technical", "DLPAJ", False),
        ("diplomatic_security", "DGPN", False),
        ("gendarmerie_engagement", "GIGN", False),
        ("technical", "MEAE", False),
        ("technical", "DGPNN", False),
    }
]

STRING_LISTS = ("letters", "suggestions", "missions", "roles", "liaisons", "liaison_labels")


def _check_shape(body: dict) -> None:
    """The answer's documented shape, typed."""
    for name in ("competent", "undetermined", "open_list"):
        assert isinstance(body[name], bool), name
    for name in ("reason", "redirect_to", "matter", "beneficiary", "beneficiary_label"):
        assert isinstance(body[name], str), name
    for name in STRING_LISTS:
        assert all(isinstance(item, str) for item in body[name]), name
    assert body["beneficiary_scope"] in {"named", "ministry", "outside", "unknown"}
    assert [d["letter"] for d in body["details"]] == body["letters"]
    for detail in body["details"]:
        assert set(detail) == {"letter", "label", "verbs", "partners", "exclusions", "quote"}
        assert all(set(p) == {"code", "label"} for p in detail["partners"])
        assert all(set(e) == {"code", "label", "letter", "quote"} for e in detail["exclusions"])


@pytest.mark.parametrize("case", API_SAMPLE, ids=str)
def test_case_through_the_api(case: Case, client, users, reference_tree):
    _, raw = ApiToken.issue(users.lecteur)
    response = client.post(
        "/api/v1/legal/assess/",
        data=json.dumps(
            {
                "matter": case.matter,
                "beneficiary": case.beneficiary,
                "exclusively_intelligence": case.intelligence,
            }
        ),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 200
    body = response.json()
    _check_shape(body)
    assert tuple(body["letters"]) == case.letters
    assert body["undetermined"] is case.undetermined
    verbs = tuple(dict.fromkeys(v for d in body["details"] for v in d["verbs"]))
    assert verbs == case.verbs
    partners = tuple(dict.fromkeys(p["code"] for d in body["details"] for p in d["partners"]))
    assert partners == case.partners
