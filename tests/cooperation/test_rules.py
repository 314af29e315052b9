"""Legal basis (competence assessment), visibility and change rights of actions and programmes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from relais.cooperation import services
from relais.cooperation.models import (
    ActionCooperationKind,
    CooperationAction,
    Programme,
)
from tests.cooperation.conftest import domain

pytestmark = pytest.mark.django_db


def letters(action):
    return [m.code for m in action.missions.order_by("order")]


class TestLegalBasis:
    def test_police_action_rests_on_b(self, make_action, coop):
        assert letters(make_action(directorate=coop.dgpn)) == ["b"]

    def test_dgef_action_rests_on_b_and_f(self, make_action, coop):
        action = make_action(directorate=coop.dgef, domain=domain("irregular_immigration"))
        assert letters(action) == ["b", "f"]

    def test_dgscgc_action_rests_on_b_and_e(self, make_action, coop):
        assert letters(make_action(directorate=coop.dgscgc, domain=domain("civil_protection"))) == [
            "b",
            "e",
        ]

    def test_sg_governance_rests_on_b_and_c(self, make_action, coop):
        action = make_action(
            directorate=coop.sg,
            cooperation_kind=ActionCooperationKind.ADMINISTRATIVE_GOVERNANCE,
            domain=domain("governance"),
        )
        assert letters(action) == ["b", "c"]

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
        assert letters(action) == ["b", "f"]


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
