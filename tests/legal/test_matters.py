"""The matters registry and `basis_for`, the one call a module makes to put a record on its
legal basis."""

import pytest

from relais.legal import matters
from relais.legal.article import load_article

ARTICLE_MATTERS = [
    "technical",
    "operational",
    "institutional",
    "administrative_governance",
    "civil_security",
    "common_position",
    "funding_search",
    "crisis",
    "mission_staffing",
    "evaluation",
    "strategy_influence",
    "agreement",
    "expertise_promotion",
    "best_practices",
    "diplomatic_security",
    "gendarmerie_engagement",
]


def test_the_article_declares_the_sixteen_matters_with_french_labels():
    assert matters.codes() == tuple(ARTICLE_MATTERS)
    labels = dict(matters.choices())
    assert labels["crisis"] == "Prévention et gestion des crises extérieures"
    assert all(label[:1].isupper() and " " in label for label in labels.values())


def test_every_matter_is_covered_and_every_part_covers_a_matter():
    article = load_article()
    for code in ARTICLE_MATTERS:
        assert matters.get(code).letters, code
    covered = {letter for code in ARTICLE_MATTERS for letter in matters.get(code).letters}
    assert covered == set(article.mission_codes)


@pytest.mark.parametrize(
    ("matter", "beneficiary", "letters"),
    [
        ("technical", "DGPN", ("preamble-1", "b")),
        ("technical", "DGGN", ("preamble-1", "b")),
        ("administrative_governance", "SG", ("c",)),
        ("administrative_governance", "DGCL", ("d",)),
        ("technical", "DGSCGC", ("preamble-2", "e")),
        ("technical", "DGEF", ("preamble-2", "f")),
        ("technical", "DSCR", ("preamble-2", "g")),
        ("technical", "SG", ("preamble-2",)),
        ("technical", "DGCL", ("preamble-2",)),
        ("technical", "IGA", ("preamble-2",)),
        ("technical", "DLPAJ", ("preamble-2",)),
        ("operational", "DGPN", ("preamble-1", "a")),
        ("agreement", "DGEF", ("k",)),
        ("technical", "MEAE", ()),
        ("administrative_governance", "DGPN", ()),
    ],
)
def test_basis_for_without_the_database(matter, beneficiary, letters):
    assert matters.basis_for(matter, beneficiary) == letters


def test_basis_for_excludes_what_the_first_paragraph_excepts():
    assert matters.basis_for("technical", "DGPN", exclusively_intelligence=True) == ()
    assert matters.basis_for("technical", "DGEF", exclusively_intelligence=True) == (
        "preamble-2",
        "f",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "letters"),
    [
        ("OFAST", ("preamble-1", "b")),
        ("SCRT", ("preamble-1", "b")),
        ("GIGN", ("preamble-1", "b")),
        ("DGEF-DIMM", ("preamble-2", "f")),
        ("DGSCGC-COGIC", ("preamble-2", "e")),
        ("DCI", ("preamble-2",)),
        ("DGSE", ()),
    ],
)
def test_basis_for_a_unit_of_the_organisation_tree(reference_tree, code, letters):
    from relais.referential.models import Unit

    unit = Unit.objects.get(code=code)
    assert matters.basis_for("technical", unit) == letters
    assert matters.basis_for("technical", code) == letters


def test_a_module_registers_its_matter_resting_on_the_articles():
    try:
        matter = matters.register(
            "training_course", "Stage de formation", rests_on="technical", module="tests"
        )
        assert matter.letters == matters.get("technical").letters
        assert "training_course" in matters.codes()
        assert matters.basis_for("training_course", "DGEF") == ("preamble-2", "f")
        # Registering it again the same way is harmless; another meaning is refused.
        matters.register(
            "training_course", "Stage de formation", rests_on="technical", module="tests"
        )
        with pytest.raises(ValueError):
            matters.register("training_course", "Stage", rests_on="crisis", module="tests")
    finally:
        matters.unregister("training_course")
    assert "training_course" not in matters.codes()


@pytest.mark.parametrize(("code", "rests_on"), [("x", "espionnage"), ("technical", "technical")])
def test_registering_refuses_unknown_or_taken_codes(code, rests_on):
    with pytest.raises(ValueError):
        matters.register(code, "X", rests_on=rests_on, module="tests")


def test_an_unknown_matter_is_refused():
    with pytest.raises(ValueError, match="Matière inconnue"):
        matters.get("espionnage")


@pytest.mark.django_db
def test_agreements_apply_the_exception_only_to_police_and_gendarmerie(org):
    """The agreements module asks the assessment (matter `agreement`) for the exception."""
    from relais.agreements.services import assess_agreement
    from tests.factories import UnitFactory

    sg = UnitFactory(code="SG", name="Secrétariat général", short_name="SG", beneficiary="SG")
    refused = assess_agreement([org.dgpn], exclusively_intelligence=True)
    assert refused.competent is False
    assert "services de renseignement" in refused.reason
    assert refused.reason.startswith("La DCI n'est pas compétente")
    assert assess_agreement([sg], exclusively_intelligence=True).missions == ("k",)
