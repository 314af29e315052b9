"""Over the whole demo (`relais setup-demo`): every record carries the parts of article 1 the text
gives it, mission a's disseminations and routing rules stay within the police and the
gendarmerie, no foreign partner is French, and no action resting on b skipped the MEAE."""

from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command

from relais.agreements.models import Agreement
from relais.cooperation.models import CooperationAction, Programme
from relais.cooperation.services import assess_action
from relais.information.models import (
    Dissemination,
    InformationReport,
    RoutingRule,
    mission_a_recipients,
)
from relais.referential.models import FRENCH_TERRITORIES, Unit

#: What the text gives a cooperation action, by the directorate the article names (the unit's
#: own or its ancestor's; "" for another directorate of the ministry) and kind of cooperation:
#: first paragraph (« coopérations technique… des directions générales de la police et de la
#: gendarmerie nationales ») and b (« actions de coopération technique de la police et de la
#: gendarmerie nationales »); c, d (« coopération administrative et de gouvernance relevant de
#: la compétence du secrétariat général / de la DGCL »); second paragraph (« coopération technique
#: du ministère de l'intérieur, au profit notamment… ») with e, f, g for the DGSCGC, the DGEF and
#: the DSCR.
TEXT = {
    ("DGPN", "technical"): {"preamble-1", "b"},
    ("DGGN", "technical"): {"preamble-1", "b"},
    ("SG", "technical"): {"preamble-2"},
    ("SG", "administrative_governance"): {"c"},
    ("DGCL", "technical"): {"preamble-2"},
    ("DGCL", "administrative_governance"): {"d"},
    ("DGSCGC", "technical"): {"preamble-2", "e"},
    ("DGEF", "technical"): {"preamble-2", "f"},
    ("DSCR", "technical"): {"preamble-2", "g"},
    ("", "technical"): {"preamble-2"},
}
DONE_OR_PROGRAMMED = ("programmed", "in_progress", "completed", "evaluated")


@pytest.fixture
def demo(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("setup_demo", stdout=StringIO())


def letters_by_record(model):
    found = defaultdict(set)
    for pk, code in model.objects.values_list("pk", "missions__code"):
        if code:
            found[pk].add(code)
    return found


def test_the_whole_demo_follows_the_text(demo):
    """One `setup-demo` (the suite's budget), every check of what the demo holds."""
    check_records_rest_on_what_the_text_gives_them()
    check_mission_a_and_partner_countries()


def check_records_rest_on_what_the_text_gives_them():
    actions = letters_by_record(CooperationAction)
    assert len(actions) == CooperationAction.objects.count() > 1000
    units = {u.pk: u for u in Unit.objects.filter(cooperation_actions__isnull=False).distinct()}
    seen = set()
    rows = CooperationAction.objects.values_list(
        "pk", "directorate_id", "cooperation_kind", "status", "meae_opinion"
    )
    for pk, directorate_id, kind, status, opinion in rows:
        unit = units[directorate_id]
        key = (unit.beneficiary_code, kind)
        assert actions[pk] == TEXT[key], (pk, unit.code, kind, actions[pk])
        seen.add(key)
        if "b" in actions[pk] and status in DONE_OR_PROGRAMMED:
            assert opinion in ("favorable", "reserve"), pk
    # The demo exercises the opening paragraphs, b, c, e, f, g and the open list (DLPAJ).
    assert {
        ("DGPN", "technical"),
        ("SG", "administrative_governance"),
        ("DGEF", "technical"),
    } <= seen
    assert any(unit.code == "SG-DLPAJ" for unit in units.values())
    # The assessment gives each directorate the same letters (the text, read as data).
    for unit in units.values():
        for kind in ("technical", "administrative_governance"):
            answer = assess_action(unit, kind)
            expected = TEXT.get((unit.beneficiary_code, kind), set())
            assert set(answer.letters) == expected, (unit.code, kind)

    programmes = letters_by_record(Programme)
    assert programmes and all(codes == {"preamble-1", "b"} for codes in programmes.values())
    reports = letters_by_record(InformationReport)
    assert reports and all(codes == {"preamble-1", "a"} for codes in reports.values())
    agreements = letters_by_record(Agreement)
    assert agreements and all(codes == {"k"} for codes in agreements.values())


def check_mission_a_and_partner_countries():
    eligible = set(mission_a_recipients().values_list("pk", flat=True))
    sent = set(Dissemination.objects.values_list("unit_id", flat=True))
    assert sent and sent <= eligible
    for rule in RoutingRule.objects.prefetch_related("units"):
        assert {u.pk for u in rule.units.all()} <= eligible, rule
    immigration = RoutingRule.objects.get(theme__code="irregular_immigration", country=None)
    assert [u.code for u in immigration.units.all()] == ["DCPAF"]
    assert not CooperationAction.objects.filter(country__code__in=FRENCH_TERRITORIES).exists()
    assert not Programme.objects.filter(country__code__in=FRENCH_TERRITORIES).exists()
    assert not Agreement.objects.filter(countries__code__in=FRENCH_TERRITORIES).exists()
