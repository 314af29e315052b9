"""The competence assessment, on every beneficiary and kind, and on the edge cases of the text."""

import dataclasses

import pytest
import yaml

from relais.legal.article import ARTICLE_PATH, load_article, parse_article
from relais.legal.assessment import Assessment, AssessmentRequest, Scope, assess

NAMED = ["DGPN", "DGGN", "SG", "DGSCGC", "DGEF", "DGCL", "DSCR"]
KINDS = ["technical", "operational", "institutional", "administrative_governance"]

#: What the article gives, kind by beneficiary: the parts it rests on (None: not competent).
EXPECTED = {
    ("technical", "DGPN"): ("preamble-1", "b"),
    ("technical", "DGGN"): ("preamble-1", "b"),
    ("technical", "SG"): ("preamble-2",),
    ("technical", "DGSCGC"): ("preamble-2", "e"),
    ("technical", "DGEF"): ("preamble-2", "f"),
    ("technical", "DGCL"): ("preamble-2",),
    ("technical", "DSCR"): ("preamble-2", "g"),
    ("operational", "DGPN"): ("preamble-1", "a"),
    ("operational", "DGGN"): ("preamble-1", "a"),
    ("institutional", "DGPN"): ("preamble-1", "h"),
    ("institutional", "DGGN"): ("preamble-1", "h"),
    ("administrative_governance", "SG"): ("c",),
    ("administrative_governance", "DGCL"): ("d",),
}


def ask(kind, beneficiary, **kwargs) -> Assessment:
    return assess(AssessmentRequest(cooperation_kind=kind, beneficiary=beneficiary, **kwargs))


@pytest.mark.parametrize("beneficiary", NAMED)
@pytest.mark.parametrize("kind", KINDS)
def test_every_named_beneficiary_and_kind(kind, beneficiary):
    answer = ask(kind, beneficiary)
    expected = EXPECTED.get((kind, beneficiary))
    assert answer.beneficiary == beneficiary
    assert answer.beneficiary_scope == Scope.NAMED
    assert answer.cooperation_kind == kind
    assert answer.undetermined is False
    assert answer.open_list is False
    if expected:
        assert answer.competent is True
        assert answer.missions == expected
        assert answer.reason.startswith("La DCI est compétente")
        assert answer.redirect_to == ""
        # The roles are the verbs of the parts it rests on, in the article's order.
        article = load_article()
        verbs = [v for code in expected for v in article.mission(code).roles]
        assert answer.roles == tuple(dict.fromkeys(verbs))
        assert beneficiary in answer.reason
    else:
        assert answer.competent is False
        assert answer.missions == answer.roles == answer.liaisons == ()
        assert answer.reason.startswith("La DCI n'est pas compétente")
        assert answer.redirect_to.startswith(beneficiary)


@pytest.mark.parametrize("beneficiary", NAMED)
@pytest.mark.parametrize("kind", KINDS)
def test_intelligence_only_matters_are_excluded_whatever_the_request(kind, beneficiary):
    answer = ask(kind, beneficiary, exclusively_intelligence=True)
    assert answer.competent is False
    assert answer.missions == ()
    assert answer.redirect_to == "DGSI / DGSE (services de renseignement)"
    assert "exclusivement des services de renseignement" in answer.reason
    assert "premier alinéa" in answer.reason


def test_technical_cooperation_of_police_and_gendarmerie_needs_meae_and_funders():
    answer = ask("technical", "DGGN")
    assert answer.roles == ("anime", "coordonne", "met en œuvre", "assure")
    assert answer.liaisons == ("meae", "funding_bodies")
    assert answer.liaison_labels == (
        "Ministère des affaires étrangères",
        "Organismes concourant au financement des actions",
    )
    assert "en liaison avec le ministère des affaires étrangères et les organismes" in answer.reason
    assert "premier alinéa et b de l'article 1" in answer.reason


@pytest.mark.parametrize("kind", ["operational", "institutional"])
@pytest.mark.parametrize("beneficiary", ["SG", "DGSCGC", "DGEF", "DGCL", "DSCR"])
def test_operational_and_institutional_cooperation_is_for_police_and_gendarmerie_only(
    kind, beneficiary
):
    answer = ask(kind, beneficiary)
    assert answer.competent is False
    assert "au profit de : DGPN et DGGN" in answer.reason
    # …and the answer says what the article does provide for this directorate.
    assert "Pour cette direction, la DCI est compétente en coopération technique" in answer.reason


def test_administrative_governance_is_only_for_sg_and_dgcl():
    answer = ask("administrative_governance", "DGPN")
    assert answer.competent is False
    assert "au profit de : SG et DGCL (c et d de l'article 1)" in answer.reason
    assert "en coopération opérationnelle (premier alinéa et a)" in answer.reason


def test_technical_cooperation_of_the_sg_rests_on_the_second_paragraph_not_on_c():
    # c) and d) are administrative and governance cooperation, not technical cooperation.
    assert ask("technical", "SG").missions == ("preamble-2",)
    assert ask("administrative_governance", "SG").missions == ("c",)


@pytest.mark.parametrize(
    "beneficiary", ["DLPAJ", "IGA", "dlpaj", "Inspection générale de l'administration"]
)
def test_notamment_opens_technical_cooperation_to_other_directorates_of_the_ministry(beneficiary):
    answer = ask("technical", beneficiary)
    assert answer.competent is True
    assert answer.missions == ("preamble-2",)
    assert answer.roles == ("anime", "coordonne", "met en œuvre")
    assert answer.open_list is True
    assert answer.beneficiary_scope == Scope.MINISTRY
    assert "n'est pas limitative (« au profit notamment »)" in answer.reason
    assert "que l'article ne nomme pas" in answer.reason


@pytest.mark.parametrize("kind", ["operational", "institutional", "administrative_governance"])
def test_notamment_does_not_extend_the_other_kinds(kind):
    answer = ask(kind, "DLPAJ")
    assert answer.competent is False
    assert answer.open_list is False
    assert (
        "Pour cette direction, la DCI est compétente en coopération technique (deuxième alinéa)"
        in (answer.reason)
    )


@pytest.mark.parametrize(
    "beneficiary", ["Ministère des Armées", "ministère de la Justice", "MEAE", "DGSE", "DGDDI"]
)
@pytest.mark.parametrize("kind", KINDS)
def test_a_body_outside_the_ministry_is_not_a_beneficiary(kind, beneficiary):
    answer = ask(kind, beneficiary)
    assert answer.competent is False
    assert answer.beneficiary_scope == Scope.OUTSIDE
    assert "ne relève pas du ministère de l'intérieur" in answer.reason
    assert (
        answer.redirect_to == f"{beneficiary} (ses propres services de coopération internationale)"
    )


def test_an_unknown_body_gets_a_conditional_answer_until_its_ministry_is_given():
    answer = ask("technical", "Direction des Alpes")
    assert answer.competent is False
    assert answer.undetermined is True
    assert answer.beneficiary_scope == Scope.UNKNOWN
    assert "Précisez si cette direction relève du ministère de l'intérieur" in answer.reason
    inside = ask("technical", "Direction des Alpes", within_ministry=True)
    assert inside.competent is True and inside.open_list is True
    assert inside.missions == ("preamble-2",)
    outside = ask("technical", "Direction des Alpes", within_ministry=False)
    assert outside.competent is False and outside.undetermined is False
    assert outside.beneficiary_scope == Scope.OUTSIDE


def test_an_unknown_body_and_a_kind_the_open_list_does_not_cover_is_a_plain_no():
    answer = ask("operational", "Direction des Alpes")
    assert answer.competent is False
    assert answer.undetermined is False
    assert "au profit de : DGPN et DGGN" in answer.reason


def test_the_ministry_itself_benefits_from_technical_cooperation():
    answer = ask("technical", "Ministère de l'intérieur")
    assert answer.competent is True
    assert answer.missions == ("preamble-2",)


def test_an_intelligence_service_of_the_ministry_keeps_the_exclusion_in_view():
    answer = ask("technical", "DGSI")
    assert answer.competent is True
    assert "service de renseignement" in answer.reason
    assert ask("technical", "DGSI", exclusively_intelligence=True).competent is False


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("dgpn", "DGPN"),
        (" Gendarmerie nationale ", "DGGN"),
        ("Direction générale des étrangers en France", "DGEF"),
        ("direction generale des etrangers en france", "DGEF"),
        ("Sécurité civile", "DGSCGC"),
        ("DSR", "DSCR"),
        ("Secrétariat général (SG)", "SG"),
    ],
)
def test_named_beneficiaries_are_recognised_by_name_and_alias(text, code):
    answer = ask("technical", text)
    assert answer.beneficiary == code
    assert answer.beneficiary_scope == Scope.NAMED


def test_subject_and_country_are_carried_into_the_answer():
    answer = ask("technical", "DGPN", subject="Formation au maintien de l'ordre", country="ML")
    assert answer.subject == "Formation au maintien de l'ordre"
    assert answer.country == "ML"
    assert answer.competent is True


@pytest.mark.parametrize(
    ("kind", "beneficiary"), [("espionnage", "DGPN"), ("", "DGPN"), ("technical", "   ")]
)
def test_invalid_requests_raise(kind, beneficiary):
    with pytest.raises(ValueError):
        ask(kind, beneficiary)


def test_the_answer_is_derived_from_the_data_not_from_the_code():
    """Change the data and the answer changes: the rules are not written as `if` in the code."""
    raw = yaml.safe_load(ARTICLE_PATH.read_text(encoding="utf-8"))
    for mission in raw["missions"]:
        if mission["code"] == "c":
            mission["beneficiaries"] = ["SG", "DGPN"]
    article = parse_article(raw)
    request = AssessmentRequest(cooperation_kind="administrative_governance", beneficiary="DGPN")
    assert assess(request).competent is False
    assert assess(request, article=article).missions == ("c",)


def test_assessment_is_pure():
    request = AssessmentRequest(cooperation_kind="technical", beneficiary="DLPAJ")
    assert assess(request) == assess(dataclasses.replace(request))
