"""The article as data: the YAML file against the article itself, and the synced `Mission` table."""

import re
from io import StringIO

import pytest
import yaml
from django.core.management import call_command

from relais.legal.article import ARTICLE_PATH, load_article, parse_article, segments
from relais.legal.models import CooperationKind, Mission
from relais.legal.services import sync_missions
from relais.referential.models import Beneficiary

REFERENCE = ARTICLE_PATH.parent / "arrete-2013-08-12-article-1.md"  # shipped in the package
CODES = ["preamble-1", "preamble-2", *"abcdefghijklmn"]


def words(text: str) -> str:
    """The text with every run of white space (line breaks included) folded to one space."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def reference_parts() -> dict[str, str]:
    """The article file cut into its parts: the two opening paragraphs, the connector, a) to n)."""
    body = REFERENCE.read_text(encoding="utf-8")
    blocks = [b.strip() for b in body.split("\n\n") if b.strip()]
    assert blocks[0] == "# Article 1"
    parts = {"preamble-1": blocks[1]}
    index, preamble_2 = 3, [blocks[2]]
    while blocks[index].startswith("―"):
        preamble_2.append(blocks[index])
        index += 1
    parts["preamble-2"] = "\n".join(preamble_2)
    parts["connector"] = blocks[index]
    for block in blocks[index + 1 :]:
        match = re.fullmatch(r"([a-n])\) (.+)", block, re.S)
        assert match, f"paragraphe inattendu dans l'article : {block[:40]}"
        parts[match.group(1)] = match.group(2)
    return parts


def test_article_has_the_sixteen_parts_in_order():
    article = load_article()
    assert list(article.mission_codes) == CODES
    assert [m.order for m in article.missions] == list(range(1, 17))


@pytest.mark.parametrize("code", CODES)
def test_each_text_is_the_article_word_for_word(reference_parts, code):
    assert words(load_article().mission(code).text) == words(reference_parts[code])


def test_the_encoded_parts_rebuild_the_whole_article(reference_parts):
    article = load_article()
    rebuilt = [article.mission("preamble-1").text, article.mission("preamble-2").text]
    rebuilt.append(article.connector)
    rebuilt += [f"{m.code}) {m.text}" for m in article.missions if m.is_letter]
    body = REFERENCE.read_text(encoding="utf-8").replace("# Article 1", "", 1)
    assert words(" ".join(rebuilt)) == words(body)


def test_preamble_2_keeps_its_list_of_beneficiaries():
    text = load_article().mission("preamble-2").text
    assert text.startswith(
        "Elle anime, coordonne et met en œuvre la coopération technique du ministère"
    )
    assert "au profit notamment :" in text
    assert text.count("―") == 5
    assert text.endswith("― de la délégation à la sécurité et à la circulation routières.")


@pytest.mark.parametrize(
    ("code", "roles"),
    [
        ("preamble-1", ["anime", "coordonne", "met en œuvre"]),
        ("preamble-2", ["anime", "coordonne", "met en œuvre"]),
        ("a", ["anime"]),
        ("b", ["coordonne", "anime", "assure"]),
        ("c", ["anime", "coordonne"]),
        ("h", ["anime", "contribue", "recherche"]),
        ("i", ["conçoit et propose", "anticipe", "formule", "contribue", "procède"]),
        ("j", ["participe", "développe"]),
        ("k", ["assure"]),
        ("l", ["concourt", "identifie"]),
        ("m", ["définit"]),
        ("n", ["est tenue informée"]),
    ],
)
def test_role_verbs_are_the_dcis_verbs_as_written(code, roles):
    mission = load_article().mission(code)
    assert list(mission.roles) == roles
    highlighted = [part for part, is_verb in segments(mission.text, mission.roles) if is_verb]
    assert set(highlighted) == set(roles)


def test_highlighting_matches_whole_words_only():
    # « coordonnées » (i) is not the verb « coordonne »; « définition » (h) is not « définit ».
    text = load_article().mission("i").text
    assert [p for p, verb in segments(text, ["coordonne"]) if verb] == []
    h = load_article().mission("h").text
    assert [p for p, verb in segments(h, ["définit"]) if verb] == []
    # The pieces put back together are the text itself.
    assert "".join(p for p, _ in segments(text, load_article().mission("i").roles)) == text


@pytest.mark.parametrize(
    ("code", "kinds", "beneficiaries", "liaisons"),
    [
        ("preamble-1", ["technical", "operational", "institutional"], ["DGPN", "DGGN"], []),
        ("preamble-2", ["technical"], ["SG", "DGSCGC", "DGEF", "DGCL", "DSCR"], []),
        ("a", ["operational"], ["DGPN", "DGGN"], []),
        ("b", ["technical"], ["DGPN", "DGGN"], ["meae", "funding_bodies"]),
        ("c", ["administrative_governance"], ["SG"], []),
        ("d", ["administrative_governance"], ["DGCL"], []),
        ("e", ["technical"], ["DGSCGC"], []),
        ("f", ["technical"], ["DGEF"], []),
        ("g", ["technical"], ["DSCR"], []),
        ("h", ["institutional"], ["DGPN", "DGGN"], []),
        ("k", [], ["DGPN", "DGGN", "SG", "DGCL", "DGEF", "DGSCGC", "DSCR"], []),
        ("m", [], ["DGPN", "DGGN"], ["meae_diplomatic_security"]),
        ("n", [], ["DGGN"], []),
    ],
)
def test_kinds_beneficiaries_and_liaisons(code, kinds, beneficiaries, liaisons):
    mission = load_article().mission(code)
    assert list(mission.cooperation_kinds) == kinds
    assert list(mission.beneficiaries) == beneficiaries
    assert list(mission.liaisons) == liaisons


def test_exclusion_and_open_list_are_where_the_text_puts_them():
    article = load_article()
    assert [m.code for m in article.missions if m.excludes_intelligence] == ["preamble-1"]
    assert [m.code for m in article.missions if m.open_beneficiaries] == ["preamble-2"]
    assert article.exclusion_redirect == "DGSI / DGSE (services de renseignement)"


def test_codes_and_labels_agree_with_the_code():
    article = load_article()
    assert [(k.code, k.label) for k in article.cooperation_kinds] == list(CooperationKind.choices)
    assert [(b.code, b.label) for b in article.beneficiaries] == list(Beneficiary.choices)


def test_inconsistent_data_is_refused():
    raw = yaml.safe_load(ARTICLE_PATH.read_text(encoding="utf-8"))
    raw["missions"][2]["beneficiaries"] = ["DGXX"]
    with pytest.raises(ValueError, match="beneficiaries inconnus"):
        parse_article(raw)
    raw = yaml.safe_load(ARTICLE_PATH.read_text(encoding="utf-8"))
    raw["missions"][2]["roles"] = ["coordonne"]  # a) says « anime » only
    with pytest.raises(ValueError, match="verbes absents"):
        parse_article(raw)


# --- The Mission table ---------------------------------------------------------------------


@pytest.mark.django_db
def test_migrate_synced_the_missions():
    """The post_migrate receiver filled the table when the test database was migrated."""
    article = load_article()
    rows = list(Mission.objects.all())
    assert [m.code for m in rows] == CODES
    b = Mission.objects.get(code="b")
    assert b.text == article.mission("b").text
    assert b.roles == ["coordonne", "anime", "assure"]
    assert b.liaisons == ["meae", "funding_bodies"]
    assert b.version == article.version
    assert Mission.objects.get(code="preamble-1").excludes_intelligence is True
    assert Mission.objects.get(code="preamble-2").open_beneficiaries is True
    assert list(Mission.objects.letters().values_list("code", flat=True)) == list("abcdefghijklmn")


@pytest.mark.django_db
def test_sync_is_idempotent_and_repairs_changes():
    first = sync_missions()
    assert first.created == () and first.updated == () and len(first.unchanged) == 16
    Mission.objects.filter(code="c").update(text="altéré", roles=[], version="0")
    repaired = sync_missions()
    assert repaired.updated == ("c",)
    assert Mission.objects.get(code="c").text == load_article().mission("c").text
    assert sync_missions().updated == ()


@pytest.mark.django_db
def test_sync_recreates_missing_rows_and_reports_unknown_ones():
    Mission.objects.filter(code="n").delete()
    Mission.objects.create(code="z", order=99, label="z)", title="Inconnue", text="…", version="0")
    result = sync_missions()
    assert result.created == ("n",)
    assert result.stale == ("z",)
    assert Mission.objects.filter(code="z").exists()  # never deleted: records may cite it
    assert list(Mission.objects.exclude(code="z").values_list("code", flat=True)) == CODES


@pytest.mark.django_db
def test_sync_handles_reordering():
    # Swap two orders by hand: the unique order constraint must not break the sync.
    Mission.objects.filter(code="a").update(order=200)
    Mission.objects.filter(code="b").update(order=3)
    Mission.objects.filter(code="a").update(order=4)
    result = sync_missions()
    assert set(result.updated) == {"a", "b"}
    assert list(Mission.objects.values_list("code", flat=True)) == CODES


@pytest.mark.django_db
def test_load_article_command():
    out = StringIO()
    call_command("load_article", stdout=out)
    assert f"version {load_article().version}" in out.getvalue()
    assert "16 inchangée(s)" in out.getvalue()
    Mission.objects.filter(code="a").delete()
    out = StringIO()
    call_command("load_article", stdout=out)
    assert "1 mission(s) créée(s)" in out.getvalue()


@pytest.mark.django_db
def test_missions_are_readable_by_every_signed_in_user_only(users):
    assert Mission.objects.visible_to(users.attache_bamako).count() == 16
    assert Mission.objects.visible_to(users.lecteur).count() == 16
    from django.contrib.auth.models import AnonymousUser

    assert Mission.objects.visible_to(AnonymousUser()).count() == 0


# --- The covers: what the assessment reads ---------------------------------------------------

#: The DCI's verbs as the text writes them (issue 10), and « procède » (i: « elle procède à
#: l'évaluation »).
TEXT_VERBS = {
    "anime",
    "coordonne",
    "met en œuvre",
    "assure",
    "contribue",
    "recherche",
    "conçoit et propose",
    "anticipe",
    "formule",
    "participe",
    "développe",
    "concourt",
    "identifie",
    "définit",
    "est tenue informée",
    "procède",
}


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_quote_is_words_of_the_text_and_holds_its_verbs():
    for mission in load_article().missions:
        assert mission.covers, mission.code
        for cover in mission.covers:
            assert cover.quote in _flat(mission.text), mission.code
            for verb in cover.verbs:
                assert verb in TEXT_VERBS
                assert verb in cover.quote
                assert verb in mission.roles


def test_one_cover_per_part_matter_and_beneficiary():
    for mission in load_article().missions:
        seen = set()
        for cover in mission.covers:
            for matter in cover.matters:
                for whom in cover.for_:
                    assert (matter, whom) not in seen, (mission.code, matter, whom)
                    seen.add((matter, whom))


def test_n_keeps_the_dci_informed_and_nothing_more():
    (cover,) = load_article().mission("n").covers
    assert cover.verbs == ("est tenue informée",)
    assert not {"anime", "coordonne"} & set(cover.verbs)


def test_the_partners_are_those_the_text_names():
    article = load_article()
    partners = {m.code: {p for c in m.covers for p in c.partners} for m in article.missions}
    assert partners.pop("b") == {"meae", "funding_bodies"}
    assert partners.pop("m") == {"meae_diplomatic_security"}
    assert not any(partners.values())


def test_the_intelligence_exception_is_written_in_the_first_paragraph_and_carried_by_police_and_gendarmerie_covers_only():
    article = load_article()
    (exclusion,) = article.exclusions
    assert exclusion.written_in == "preamble-1"
    assert exclusion.quote in _flat(article.mission("preamble-1").text)
    for mission in article.missions:
        for cover in mission.covers:
            if cover.exclusions:
                assert set(cover.for_) <= {"DGPN", "DGGN"}, mission.code


def test_the_version_was_bumped_for_the_matters():
    assert load_article().version != "2013-08-12.1"
