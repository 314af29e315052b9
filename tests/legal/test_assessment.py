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
        # The roles are the verbs the parts it rests on give for that matter, in order.
        article = load_article()
        verbs = [
            v
            for mission, cover in article.covering(kind)
            if mission.code in expected and beneficiary in cover.for_
            for v in cover.verbs
        ]
        assert answer.roles == tuple(dict.fromkeys(verbs))
        assert beneficiary in answer.reason
    else:
        assert answer.competent is False
        assert answer.missions == answer.roles == answer.liaisons == ()
        assert answer.reason.startswith("La DCI n'est pas compétente")
        assert answer.redirect_to.startswith(beneficiary)


@pytest.mark.parametrize("beneficiary", ["DGPN", "DGGN"])
@pytest.mark.parametrize("kind", ["technical", "operational", "institutional"])
def test_intelligence_only_matters_of_police_and_gendarmerie_are_excluded(kind, beneficiary):
    answer = ask(kind, beneficiary, exclusively_intelligence=True)
    assert answer.competent is False
    assert answer.missions == answer.letters == ()
    assert answer.redirect_to == "DGSI / DGSE (services de renseignement)"
    assert [e.code for e in answer.exclusions] == ["intelligence"]
    assert answer.exclusions[0].letter == "preamble-1"
    assert "« à l'exception des questions relevant exclusivement" in answer.reason
    assert "premier alinéa" in answer.reason


@pytest.mark.parametrize(
    ("kind", "beneficiary"),
    [
        ("technical", "SG"),
        ("technical", "DGEF"),
        ("technical", "DSCR"),
        ("technical", "DGSCGC"),
        ("administrative_governance", "SG"),
        ("administrative_governance", "DGCL"),
    ],
)
def test_the_first_paragraphs_exclusion_is_never_applied_to_nor_cited_for_other_directorates(
    kind, beneficiary
):
    """« à l'exception des questions relevant exclusivement des services de renseignement » is
    written in the first paragraph, which is about the police and the gendarmerie only."""
    flagged = ask(kind, beneficiary, exclusively_intelligence=True)
    assert flagged.competent is True
    assert flagged.letters == ask(kind, beneficiary).letters
    assert flagged.exclusions == ()
    assert all(detail.exclusions == () for detail in flagged.details)
    assert "premier alinéa" not in flagged.reason
    assert "renseignement" not in flagged.reason


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
    assert "Pour cette direction, l'article 1 prévoit : coopération technique" in answer.reason


def test_administrative_governance_is_only_for_sg_and_dgcl():
    answer = ask("administrative_governance", "DGPN")
    assert answer.competent is False
    assert (
        "L'article 1 prévoit cette demande au profit de : SG et DGCL (c et d de l'article 1)"
        in answer.reason
    )
    assert "coopération opérationnelle (premier alinéa et a)" in answer.reason


def test_technical_cooperation_of_the_sg_rests_on_the_second_paragraph_not_on_c():
    # c) and d) are administrative and governance cooperation, not technical cooperation.
    assert ask("technical", "SG").missions == ("preamble-2",)
    assert ask("administrative_governance", "SG").missions == ("c",)


@pytest.mark.parametrize(
    "beneficiary", ["IGA", "iga", "Inspection générale de l'administration", "DMAT", "DICOM"]
)
def test_notamment_opens_technical_cooperation_to_other_directorates_of_the_ministry(beneficiary):
    answer = ask("technical", beneficiary)
    assert answer.competent is True
    assert answer.missions == ("preamble-2",)
    assert answer.roles == ("anime", "coordonne", "met en œuvre")
    assert answer.open_list is True
    assert answer.beneficiary_scope == Scope.MINISTRY
    assert "n'est pas limitative (« au profit notamment »)" in answer.reason
    assert "sans que l'article la nomme" in answer.reason


def test_a_service_of_a_named_directorate_is_that_directorate():
    # The DLPAJ is a directorate of the secrétariat général (referential organisation tree).
    answer = ask("technical", "DLPAJ")
    assert answer.competent is True and answer.open_list is False
    assert (answer.directorate, answer.letters) == ("SG", ("preamble-2",))
    assert "relève du secrétariat général (SG) : SG › DLPAJ" in answer.reason
    assert ask("administrative_governance", "DLPAJ").letters == ("c",)


@pytest.mark.parametrize("kind", ["operational", "institutional", "administrative_governance"])
def test_notamment_does_not_extend_the_other_kinds(kind):
    answer = ask(kind, "IGA")
    assert answer.competent is False
    assert answer.open_list is False
    assert "toute autre direction" not in answer.reason


@pytest.mark.parametrize(
    ("beneficiary", "label"),
    [
        ("Ministère des Armées", "Ministère des Armées (MINARM)"),
        ("ministère de la Justice", "ministère de la Justice"),
        ("MEAE", "Ministère de l'Europe et des affaires étrangères (MEAE)"),
        ("DGSE", "Direction générale de la sécurité extérieure (DGSE)"),
        ("DGDDI", "Direction générale des douanes et droits indirects (DGDDI)"),
    ],
)
@pytest.mark.parametrize("kind", KINDS)
def test_a_body_outside_the_ministry_is_not_a_beneficiary(kind, beneficiary, label):
    answer = ask(kind, beneficiary)
    assert answer.competent is False
    assert answer.beneficiary_scope == Scope.OUTSIDE
    assert "ne relève pas du ministère de l'intérieur" in answer.reason
    assert answer.redirect_to == f"{label} (ses propres services de coopération internationale)"


def test_the_meae_is_a_partner_not_a_beneficiary():
    answer = ask("technical", "ministère des affaires étrangères")
    assert answer.competent is False
    assert "comme partenaire de la DCI, non comme bénéficiaire" in answer.reason


@pytest.mark.parametrize("kind", ["technical", "operational"])
def test_an_unknown_body_is_undetermined_with_suggestions_until_its_ministry_is_given(kind):
    answer = ask(kind, "Direction des Alpes")
    assert answer.competent is False
    assert answer.undetermined is True
    assert answer.letters == ()
    assert answer.beneficiary_scope == Scope.UNKNOWN
    assert answer.reason.startswith("Compétence indéterminée : Relais ne reconnaît pas")
    assert "si elle relève du ministère de l'intérieur" in answer.reason
    outside = ask(kind, "Direction des Alpes", within_ministry=False)
    assert outside.competent is False and outside.undetermined is False
    assert outside.beneficiary_scope == Scope.OUTSIDE


def test_an_unknown_body_said_to_be_of_the_ministry_is_on_the_open_list():
    inside = ask("technical", "Direction des Alpes", within_ministry=True)
    assert inside.competent is True and inside.open_list is True
    assert inside.missions == ("preamble-2",)
    assert ask("operational", "Direction des Alpes", within_ministry=True).competent is False


def test_suggestions_are_the_closest_names():
    answer = ask("technical", "Direction générale de la police natonale")
    assert answer.undetermined is True
    assert answer.suggestions[0] == "Direction générale de la police nationale (DGPN)"
    assert "Noms proches : Direction générale de la police nationale (DGPN)" in answer.reason


@pytest.mark.parametrize(
    "text", ["Ministère de l'intérieur", "ministère de l'intérieur et des outre-mer", "MIOM"]
)
def test_the_ministry_itself_benefits_from_technical_cooperation(text):
    answer = ask("technical", text)
    assert answer.competent is True
    assert answer.missions == ("preamble-2",)
    assert "au profit du ministère de l'intérieur" in answer.reason
    # Never « « Ministère de l'intérieur » est une direction du ministère de l'intérieur ».
    assert "est une direction du ministère" not in answer.reason
    assert "sans que l'article la nomme" not in answer.reason


def test_an_intelligence_service_of_the_ministry_is_on_the_open_list_the_exception_is_not():
    # The exception is written in the first paragraph (police and gendarmerie); the DGSI is a
    # directorate of the ministry the second paragraph's open list covers.
    answer = ask("technical", "DGSI", exclusively_intelligence=True)
    assert answer.competent is True
    assert answer.letters == ("preamble-2",)
    assert answer.exclusions == ()


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
    assert answer.beneficiary == answer.directorate == code
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
            mission["covers"][0]["for"] = ["SG", "DGPN"]
    article = parse_article(raw)
    request = AssessmentRequest(cooperation_kind="administrative_governance", beneficiary="DGPN")
    assert assess(request).competent is False
    assert assess(request, article=article).missions == ("c",)


def test_assessment_is_pure():
    request = AssessmentRequest(cooperation_kind="technical", beneficiary="IGA")
    assert assess(request) == assess(dataclasses.replace(request))


def test_cooperation_kind_is_the_former_name_of_matter():
    old = AssessmentRequest(cooperation_kind="institutional", beneficiary="DGGN")
    new = AssessmentRequest(matter="institutional", beneficiary="DGGN")
    assert old == new and old.matter == new.cooperation_kind == "institutional"
    assert assess(old) == assess(new)


@pytest.mark.parametrize(
    ("text", "code", "directorate"),
    [
        ("prefecture de police", "DGPN", "DGPN"),
        ("la Préfecture de Police", "DGPN", "DGPN"),
        ("DIRECTION GENERALE DE LA POLICE", "DGPN", "DGPN"),
        ("MINISTÈRE DE L’INTÉRIEUR ET DES OUTRE-MER", "MI", ""),
        ("dnpj", "DNPJ", "DGPN"),
        ("Direction nationale de la police judiciaire", "DNPJ", "DGPN"),
    ],
)
def test_names_compare_without_case_accents_articles_or_typographic_apostrophes(
    text, code, directorate
):
    answer = ask("technical", text)
    assert (answer.beneficiary, answer.directorate) == (code, directorate)
    assert answer.competent is True
