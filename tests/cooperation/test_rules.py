"""Legal basis (competence assessment), visibility and change rights of actions and programmes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from relais.cooperation import services
from relais.cooperation.models import (
    ActionCooperationKind,
    CooperationAction,
    Programme,
)
from relais.referential.models import Beneficiary, Unit, UnitKind
from tests.cooperation.conftest import domain
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def letters(action):
    return [m.code for m in action.missions.order_by("order")]


def unit(code, parent, kind=UnitKind.SERVICE, beneficiary="", short_name=None):
    return UnitFactory(
        code=code,
        name=f"Unité {code}",
        short_name=short_name or code,
        kind=kind,
        parent=parent,
        beneficiary=beneficiary,
    )


class TestLegalBasis:
    """Each action rests on the parts of article 1 the text gives its directorate and kind of
    cooperation — no more (b is no longer on every action), no less (the opening paragraphs)."""

    def test_police_action_rests_on_the_first_paragraph_and_b(self, make_action, coop):
        assert letters(make_action(directorate=coop.dgpn)) == ["preamble-1", "b"]

    def test_a_police_service_rests_on_its_directorate_s_letters(self, make_action, coop):
        dcpj = Unit.objects.get(code="DCPJ")
        assert letters(make_action(directorate=dcpj)) == ["preamble-1", "b"]

    def test_dgef_action_rests_on_the_second_paragraph_and_f(self, make_action, coop):
        action = make_action(directorate=coop.dgef, domain=domain("irregular_immigration"))
        assert letters(action) == ["preamble-2", "f"]

    def test_dgscgc_action_rests_on_the_second_paragraph_and_e(self, make_action, coop):
        action = make_action(directorate=coop.dgscgc, domain=domain("civil_protection"))
        assert letters(action) == ["preamble-2", "e"]

    def test_dscr_action_rests_on_the_second_paragraph_and_g(self, make_action, coop):
        dscr = unit("DSCR", coop.mi, UnitKind.DIRECTORATE, Beneficiary.DSCR)
        assert letters(make_action(directorate=dscr, domain=domain("road_safety"))) == [
            "preamble-2",
            "g",
        ]

    def test_sg_governance_rests_on_c_alone(self, make_action, coop):
        action = make_action(
            directorate=coop.sg,
            cooperation_kind=ActionCooperationKind.ADMINISTRATIVE_GOVERNANCE,
            domain=domain("governance"),
        )
        assert letters(action) == ["c"]

    def test_dgcl_governance_rests_on_d_alone(self, make_action, coop):
        dgcl = unit("DGCL", coop.mi, UnitKind.DIRECTORATE, Beneficiary.DGCL)
        action = make_action(
            directorate=dgcl,
            cooperation_kind=ActionCooperationKind.ADMINISTRATIVE_GOVERNANCE,
            domain=domain("local_administration"),
        )
        assert letters(action) == ["d"]

    def test_sg_technical_cooperation_rests_on_the_second_paragraph(self, make_action, coop):
        assert letters(make_action(directorate=coop.sg, domain=domain("governance"))) == [
            "preamble-2"
        ]

    @pytest.mark.parametrize("under_sg", [True, False])
    def test_another_directorate_of_the_ministry_is_recordable(self, make_action, coop, under_sg):
        """« au profit notamment » : the list is open; DLPAJ (under the SG in the tree) or a
        directorate the article does not name (DMAT) rests on the second paragraph."""
        other = (
            unit("SG-DLPAJ", coop.sg, short_name="DLPAJ")
            if under_sg
            else unit("DMAT", coop.mi, UnitKind.DIRECTORATE)
        )
        action = make_action(directorate=other, domain=domain("governance"))
        assert letters(action) == ["preamble-2"]

    @pytest.mark.parametrize("code", ["DCI", "DGSI", "DCI-RESEAU"])
    def test_the_dci_a_post_or_an_intelligence_service_is_no_directorate(
        self, make_action, coop, code
    ):
        with pytest.raises(ValidationError) as exc:
            make_action(directorate=Unit.objects.get(code=code))
        assert "directorate" in exc.value.message_dict
        assert not CooperationAction.objects.exists()

    def test_a_unit_outside_the_ministry_is_refused(self, make_action, coop):
        meae = unit("MEAE", None, UnitKind.PARTNER)
        with pytest.raises(ValidationError) as exc:
            make_action(directorate=meae)
        assert "directorate" in exc.value.message_dict

    def test_governance_cooperation_for_police_is_refused(self, make_action, coop):
        with pytest.raises(ValidationError) as exc:
            make_action(cooperation_kind=ActionCooperationKind.ADMINISTRATIVE_GOVERNANCE)
        assert "directorate" in exc.value.message_dict
        assert not CooperationAction.objects.exists()

    def test_intelligence_matters_are_refused(self, make_action, coop, users):
        with pytest.raises(ValidationError) as exc:
            services.create_action(
                users.pilotage,
                exclusively_intelligence=True,
                title="Échange de renseignement",
                kind="seminar",
                domain=domain(),
                country=coop.mali,
                directorate=coop.dgpn,
                planned_start="2025-01-01",
                planned_end="2025-01-02",
            )
        assert "renseignement" in " ".join(exc.value.message_dict["directorate"]).lower()

    def test_legal_basis_follows_a_change_of_directorate(self, make_action, coop, users):
        action = make_action()
        action.directorate = coop.dgef
        services.update_action(action, users.pilotage, expected_version=action.version)
        assert letters(action) == ["preamble-2", "f"]

    def test_programmes_rest_on_the_first_paragraph_and_b(self, coop, users):
        programme = services.create_programme(
            users.pilotage, year=2025, title="Programmation Mali", country=coop.mali
        )
        assert [m.code for m in programme.missions.order_by("order")] == ["preamble-1", "b"]


class TestVisibility:
    @pytest.fixture
    def actions(self, make_action, coop, users):
        return {
            "mali_police": make_action(),
            "spain_dgef": make_action(
                country=coop.spain,
                directorate=coop.dgef,
                post=coop.madrid,
                domain=domain("irregular_immigration"),
            ),
            "spain_civil": make_action(
                country=coop.spain,
                directorate=coop.dgscgc,
                post=coop.madrid,
                domain=domain("civil_protection"),
            ),
        }

    def visible(self, user):
        return set(
            CooperationAction.objects.visible_to(user).values_list(
                "title", "country__code", "directorate__code"
            )
        )

    def ids(self, user, actions):
        seen = set(CooperationAction.objects.visible_to(user).values_list("pk", flat=True))
        return {name for name, a in actions.items() if a.pk in seen}

    def test_pilotage_and_hq_reader_see_all(self, actions, users):
        assert self.ids(users.pilotage, actions) == set(actions)
        assert self.ids(users.lecteur, actions) == set(actions)

    def test_charge_sees_the_zone_of_the_division(self, actions, users):
        assert self.ids(users.charge_afrique, actions) == {"mali_police"}

    def test_charge_sees_the_theme_of_the_division(self, actions, users):
        assert self.ids(users.charge_crises, actions) == {"spain_civil"}

    def test_attache_sees_the_countries_of_the_post(self, actions, users):
        assert self.ids(users.attache_madrid, actions) == {"spain_dgef", "spain_civil"}
        assert self.ids(users.attache_bamako, actions) == {"mali_police"}

    def test_correspondent_reads_the_directorate(self, actions, users):
        assert self.ids(users.correspondant_dgpn, actions) == {"mali_police"}
        assert self.ids(users.correspondant_dgef, actions) == {"spain_dgef"}

    def test_analyst_and_administrator_see_nothing(self, actions, users):
        assert self.ids(users.analyste, actions) == set()
        assert self.ids(users.admin, actions) == set()

    def test_restricted_marking_hides_from_uncleared(self, make_action, users):
        action = make_action(marking="diffusion_restreinte")
        users.pilotage.clearance = "non_protege"
        users.pilotage.save()
        assert (
            not CooperationAction.objects.visible_to(users.pilotage).filter(pk=action.pk).exists()
        )

    def test_change_rights(self, actions, users):
        mali = actions["mali_police"]
        assert mali.can_change(users.pilotage)
        assert mali.can_change(users.charge_afrique)
        assert mali.can_change(users.attache_bamako)
        assert not mali.can_change(users.attache_madrid)
        assert not mali.can_change(users.correspondant_dgpn)
        assert not mali.can_change(users.lecteur)
        assert mali.can_comment(users.correspondant_dgpn)
        assert not mali.can_comment(users.lecteur)


class TestScopeOnWrite:
    def test_attache_cannot_propose_outside_the_post(self, make_action, coop, users):
        with pytest.raises(ValidationError) as exc:
            make_action(user=users.attache_bamako, country=coop.spain)
        assert "poste" in " ".join(exc.value.message_dict["country"])

    def test_attache_proposes_for_the_post_country(self, make_action, coop, users):
        action = make_action(user=users.attache_bamako, post=None)
        assert action.post == coop.bamako
        assert action.created_by == users.attache_bamako

    def test_charge_cannot_propose_outside_zone_or_theme(self, make_action, coop, users):
        with pytest.raises(ValidationError):
            make_action(user=users.charge_afrique, country=coop.spain, post=coop.madrid)

    def test_correspondent_cannot_propose(self, make_action, users):
        with pytest.raises(PermissionDenied):
            make_action(user=users.correspondant_dgpn)

    def test_programme_needs_a_country_or_a_zone(self, coop, users):
        with pytest.raises(ValidationError):
            services.create_programme(users.pilotage, year=2025, title="Sans lieu")
        with pytest.raises(ValidationError):
            services.create_programme(
                users.pilotage,
                year=2025,
                title="Les deux",
                country=coop.mali,
                zone=coop.africa_zone,
            )

    def test_programme_visibility(self, programme, users):
        assert Programme.objects.visible_to(users.charge_afrique).filter(pk=programme.pk).exists()
        assert Programme.objects.visible_to(users.attache_bamako).filter(pk=programme.pk).exists()
        assert (
            not Programme.objects.visible_to(users.attache_madrid).filter(pk=programme.pk).exists()
        )
        assert not Programme.objects.visible_to(users.analyste).filter(pk=programme.pk).exists()


def test_migration_moves_existing_records_to_their_letters(make_action, coop, users):
    """Records created when every action carried b alone: the data migration gives each the
    parts of the article the text gives it, and programmes the first paragraph."""
    from importlib import import_module

    from django.apps import apps

    from relais.legal.models import Mission

    migration = import_module("relais.cooperation.migrations.0004_legal_basis_by_directorate")
    police = make_action()
    dgef = make_action(directorate=coop.dgef, domain=domain("irregular_immigration"))
    governance = make_action(
        directorate=coop.sg,
        cooperation_kind=ActionCooperationKind.ADMINISTRATIVE_GOVERNANCE,
        domain=domain("governance"),
    )
    programme = services.create_programme(
        users.pilotage, year=2025, title="Programmation Mali", country=coop.mali
    )
    b = Mission.objects.get(code="b")
    for record in (police, dgef, governance, programme):
        record.missions.set([b])  # as before the change
    migration.forwards(apps, None)
    assert letters(police) == ["preamble-1", "b"]
    assert letters(dgef) == ["preamble-2", "f"]
    assert letters(governance) == ["c"]
    assert letters(programme) == ["preamble-1", "b"]
    migration.forwards(apps, None)  # idempotent
    assert letters(dgef) == ["preamble-2", "f"]


def test_the_reference_tree_offers_the_ministry_s_directorates(db):
    """« Direction bénéficiaire » is chosen from the organisation tree: the named directorates,
    the others (DLPAJ, DMAT) and the services directly below them — never the DCI, a post, an
    intelligence service or a body outside the ministry."""
    from relais.referential.loaders import load_reference

    load_reference()
    codes = set(services.directorate_choices().values_list("code", flat=True))
    assert {"DGPN", "DGGN", "SG", "SG-DLPAJ", "DMAT", "DCPAF", "DGEF-DIMM", "DSCR"} <= codes
    assert not codes & {"MI", "DCI", "DCI-RESEAU", "DCI-CVO", "DGSI", "MEAE", "DGSE", "OFAST"}
    for code in ("SG-DLPAJ", "DMAT"):
        answer = services.assess_action(Unit.objects.get(code=code), "technical")
        assert answer.letters == ("preamble-2",), code
