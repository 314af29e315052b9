"""Actions carried out under an agreement (article 1, k: « Vie de l'accord »): the agreement page
lists the actions its reader sees, the API and the form accept an agreement the writer sees and
that covers the action's country, the page costs a fixed number of queries, the demo links
actions to the agreements signed or in force."""

import json
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from relais.agreements import links
from relais.agreements import services as agreement_services
from relais.agreements.models import AgreementKind
from relais.agreements.workflows import AgreementStatus
from relais.cooperation.demo import link_demo_agreements
from relais.cooperation.models import CooperationAction
from relais.cooperation.registrations import actions_under
from relais.core import demo
from relais.referential.models import PartnerKind
from tests.cooperation.conftest import D, domain
from tests.factories import PartnerBodyFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/cooperation/actions/"


def post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data=json.dumps(data), content_type="application/json")


@pytest.fixture
def agreements(coop, users):
    """Four agreements for the DGPN: Mali and Spain (seen by both attachés), Spain only (not
    seen by the attaché in Bamako), Mali only, and a multilateral text with a partner body and
    no country (seen by neither attaché)."""

    def make(title, countries=(), partner_bodies=(), directorates=None):
        return agreement_services.create_agreement(
            users.pilotage,
            title=title,
            kind=AgreementKind.TECHNICAL_ARRANGEMENT,
            countries=list(countries),
            partner_bodies=list(partner_bodies),
            directorates=directorates or [coop.dgpn],
        )

    unodc = PartnerBodyFactory(
        name="Office des Nations unies contre la drogue et le crime",
        acronym="ONUDC",
        kind=PartnerKind.INTERNATIONAL_ORGANISATION,
    )
    return SimpleNamespace(
        mali_spain=make("Arrangement de test avec le Mali et l'Espagne", [coop.mali, coop.spain]),
        spain=make("Arrangement de test avec l'Espagne", [coop.spain]),
        mali=make("Arrangement de test avec le Mali", [coop.mali]),
        multilateral=make("Mémorandum de test avec l'ONUDC", partner_bodies=[unodc]),
    )


@pytest.fixture
def linked(make_action, coop, agreements):
    """A Malian action and a Spanish one under the Mali–Spain arrangement, and one under none."""
    return SimpleNamespace(
        mali=make_action(title="Formation malienne sous accord", agreement=agreements.mali_spain),
        spain=make_action(
            title="Séminaire espagnol sous accord",
            country=coop.spain,
            post=coop.madrid,
            agreement=agreements.mali_spain,
        ),
        free=make_action(title="Mission hors de tout accord"),
    )


class TestAgreementPage:
    def test_lists_the_actions_carried_out_under_it(self, linked, agreements, users, client_for):
        page = client_for(users.pilotage).get(agreements.mali_spain.get_absolute_url())
        assert page.status_code == 200
        html = page.content.decode()
        assert "Vie de l’accord" in html
        assert "Actions de coopération technique" in html
        for action in (linked.mali, linked.spain):
            assert f'href="{action.get_absolute_url()}"' in html
            assert action.title in html
            assert action.reference in html
        assert linked.free.title not in html
        # Another agreement: its section says there is none yet.
        other = client_for(users.pilotage).get(agreements.spain.get_absolute_url())
        other_html = other.content.decode()
        assert linked.spain.title not in other_html
        assert "Aucune." in other_html

    @pytest.mark.parametrize(
        ("username", "seen", "hidden"),
        [
            ("attache_madrid", "spain", "mali"),  # the Malian action belongs to another post
            ("attache_bamako", "mali", "spain"),
        ],
    )
    def test_only_the_actions_the_reader_sees(
        self, linked, agreements, users, client_for, username, seen, hidden
    ):
        html = (
            client_for(getattr(users, username))
            .get(agreements.mali_spain.get_absolute_url())
            .content.decode()
        )
        assert getattr(linked, seen).title in html
        assert getattr(linked, hidden).title not in html
        assert getattr(linked, hidden).get_absolute_url() not in html

    def test_correspondents_see_their_directorate_and_strangers_get_404(
        self, linked, agreements, users, client_for
    ):
        html = (
            client_for(users.correspondant_dgpn)
            .get(agreements.mali_spain.get_absolute_url())
            .content.decode()
        )
        assert linked.mali.title in html and linked.spain.title in html
        url = agreements.mali_spain.get_absolute_url()
        assert client_for(users.correspondant_dgef).get(url).status_code == 404
        assert client_for(users.analyste).get(linked.mali.get_absolute_url()).status_code in (
            403,
            404,
        )

    def test_source_is_registered_and_groups_by_agreement(self, linked, agreements, users):
        assert "cooperation_actions" in [s.key for s in links.sources()]
        result = links.activities_for([agreements.mali_spain, agreements.spain], users.pilotage)
        rows = result["Actions de coopération technique"]
        assert {a.label for a in rows[agreements.mali_spain.pk]} == {
            f"{linked.mali.reference} — {linked.mali.title}",
            f"{linked.spain.reference} — {linked.spain.title}",
        }
        assert agreements.spain.pk not in rows
        by_url = {a.url: a for a in rows[agreements.mali_spain.pk]}
        mali = by_url[linked.mali.get_absolute_url()]
        assert mali.date == linked.mali.planned_start
        assert mali.detail == "Formation dans le pays partenaire, proposée"


class TestAgreementLists:
    def test_lists_count_the_activities_the_reader_sees(
        self, linked, agreements, users, client_for
    ):
        counts = links.activity_counts(list(agreements.__dict__.values()), users.pilotage)
        assert counts == {agreements.mali_spain.pk: 2}
        assert links.activity_counts([agreements.mali_spain], users.attache_madrid) == {
            agreements.mali_spain.pk: 1
        }
        html = client_for(users.pilotage).get("/accords/").content.decode()
        assert "Activités liées" in html
        anchor = f'href="{agreements.mali_spain.get_absolute_url()}#vie-accord"'
        assert f"{anchor} title=" in html
        row = html.split(anchor, 1)[1].split("</a>", 1)[0]
        assert row.endswith(">2")
        madrid = client_for(users.attache_madrid).get("/accords/").content.decode()
        assert madrid.split(anchor, 1)[1].split("</a>", 1)[0].endswith(">1")

    def test_counting_falls_back_on_collecting(self, linked, agreements, users, monkeypatch):
        source = next(s for s in links.sources() if s.key == "cooperation_actions")
        monkeypatch.setitem(
            links._sources,
            source.key,
            links.ActivitySource(source.key, source.title, source.collect),
        )
        assert links.activity_counts([agreements.mali_spain], users.pilotage) == {
            agreements.mali_spain.pk: 2
        }


class TestQueryBudget:
    def count(self, client, url):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    @pytest.mark.parametrize("username", ["pilotage", "attache_madrid", "correspondant_dgpn"])
    def test_agreement_page_does_not_grow(
        self, bulk_actions, coop, agreements, users, client_for, username
    ):
        client = client_for(getattr(users, username))
        url = agreements.mali_spain.get_absolute_url()
        spain = {"country": coop.spain, "post": coop.madrid, "agreement": agreements.mali_spain}
        bulk_actions(5, agreement=agreements.mali_spain)
        bulk_actions(5, **spain)
        small, _ = self.count(client, url)
        bulk_actions(95, agreement=agreements.mali_spain)
        bulk_actions(95, **spain)
        assert CooperationAction.objects.filter(agreement=agreements.mali_spain).count() == 200
        large, html = self.count(client, url)
        assert large == small
        expected = 100 if username == "attache_madrid" else 200
        assert html.count("Action en volume") == expected

    def test_agreement_list_does_not_grow(self, bulk_actions, agreements, users, client_for):
        client = client_for(users.pilotage)
        bulk_actions(5, agreement=agreements.mali_spain)
        small, _ = self.count(client, "/accords/")
        bulk_actions(95, agreement=agreements.mali_spain)
        bulk_actions(50, agreement=agreements.mali)
        large, html = self.count(client, "/accords/")
        assert large == small
        assert f'{agreements.mali_spain.get_absolute_url()}#vie-accord"' in html

    def test_source_runs_one_query_for_any_number_of_agreements(
        self, bulk_actions, agreements, users
    ):
        bulk_actions(20, agreement=agreements.mali_spain)
        bulk_actions(20, agreement=agreements.mali)
        pilotage = users.pilotage
        actions_under([agreements.mali], pilotage)  # warm the user's cached relations
        with CaptureQueriesContext(connection) as one:
            actions_under([agreements.mali], pilotage)
        with CaptureQueriesContext(connection) as all_of_them:
            rows = actions_under(
                [agreements.mali, agreements.mali_spain, agreements.spain], pilotage
            )
        assert len(rows) == 40
        assert len(all_of_them.captured_queries) == len(one.captured_queries) == 1


NEW = {
    "title": "Mission d'expertise en police technique et scientifique",
    "kind": "expert_mission",
    "domain": "forensics",
    "country": "ML",
    "directorate": "DGPN",
    "start_date": "2025-06-02",
    "end_date": "2025-06-06",
}


class TestApi:
    def test_accepts_an_agreement_covering_the_country(self, agreements, users, client_for):
        response = post(
            client_for(users.attache_bamako), API, {**NEW, "agreement": agreements.mali_spain.pk}
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["agreement"] == agreements.mali_spain.pk
        action = CooperationAction.objects.get(pk=body["id"])
        assert action.agreement == agreements.mali_spain
        read = client_for(users.pilotage).get(f"{API}{action.pk}/").json()
        assert read["agreement"] == agreements.mali_spain.pk

    def test_optional_and_null(self, agreements, users, client_for):
        response = post(client_for(users.pilotage), API, NEW)
        assert response.status_code == 201 and response.json()["agreement"] is None
        response = post(client_for(users.pilotage), API, {**NEW, "agreement": None})
        assert response.status_code == 201 and response.json()["agreement"] is None

    def test_multilateral_agreement_without_country_is_accepted(
        self, agreements, users, client_for
    ):
        response = post(
            client_for(users.pilotage), API, {**NEW, "agreement": agreements.multilateral.pk}
        )
        assert response.status_code == 201, response.content
        assert response.json()["agreement"] == agreements.multilateral.pk

    @pytest.mark.parametrize("value", ["spain_for_bamako", 999999, "abc"])
    def test_unknown_or_unseen_agreement_is_400(self, agreements, users, client_for, value):
        if value == "spain_for_bamako":
            value = agreements.spain.pk  # exists, but not among the attaché's agreements
        response = post(client_for(users.attache_bamako), API, {**NEW, "agreement": value})
        assert response.status_code == 400
        assert "Accord introuvable" in response.json()["agreement"][0]
        assert not CooperationAction.objects.exists()

    def test_agreement_not_covering_the_country_is_refused(self, agreements, users, client_for):
        response = post(client_for(users.pilotage), API, {**NEW, "agreement": agreements.spain.pk})
        assert response.status_code == 400
        message = response.json()["agreement"][0]
        assert "ne couvre pas le pays partenaire" in message
        assert "Mali" in message and "Espagne" in message
        assert not CooperationAction.objects.exists()

    def test_patch_links_unlinks_and_keeps_the_rule(
        self, make_action, agreements, users, client_for
    ):
        action = make_action()
        url = f"{API}{action.pk}/"
        client = client_for(users.attache_bamako)
        response = patch(client, url, {"agreement": agreements.mali.pk, "version": 1})
        assert response.status_code == 200, response.content
        action.refresh_from_db()
        assert action.agreement == agreements.mali
        refused = patch(
            client_for(users.pilotage), url, {"country": "ES", "version": action.version}
        )
        assert refused.status_code == 400
        assert "ne couvre pas" in refused.json()["agreement"][0]
        response = patch(client, url, {"agreement": None, "version": action.version})
        assert response.status_code == 200
        action.refresh_from_db()
        assert action.agreement is None and action.country.code == "ML"

    def test_a_link_the_writer_cannot_see_is_kept_on_edit(
        self, make_action, coop, agreements, users, client_for
    ):
        action = make_action(
            country=coop.spain, post=coop.madrid, agreement=agreements.multilateral
        )
        client = client_for(users.attache_madrid)
        url = f"{API}{action.pk}/"
        response = patch(
            client,
            url,
            {"title": "Titre revu", "agreement": agreements.multilateral.pk, "version": 1},
        )
        assert response.status_code == 200, response.content
        action.refresh_from_db()
        assert action.title == "Titre revu" and action.agreement == agreements.multilateral

    def test_refusals(self, agreements, users, client_for, client):
        data = {**NEW, "agreement": agreements.mali.pk}
        assert post(client, API, data).status_code in (401, 403)
        assert post(client_for(users.lecteur), API, data).status_code == 403
        assert post(client_for(users.correspondant_dgpn), API, data).status_code == 403
        assert not CooperationAction.objects.exists()


class TestUi:
    def form_data(self, coop, **extra):
        return {
            "kind": "seminar",
            "title": "Séminaire sur la cybercriminalité",
            "domain": domain("cyber").pk,
            "cooperation_kind": "technical",
            "country": coop.mali.pk,
            "directorate": coop.dgpn.pk,
            "planned_start": "2025-04-01",
            "planned_end": "2025-04-03",
            "participants": 20,
            "experts": 2,
            "expert_days": 6,
            "marking": "non_protege",
            **extra,
        }

    def test_form_offers_the_agreements_the_writer_sees(self, coop, agreements, users, client_for):
        form = client_for(users.attache_bamako).get("/cooperation/actions/nouvelle/")
        choices = set(form.context["form"].fields["agreement"].queryset)
        assert choices == {agreements.mali_spain, agreements.mali}
        html = form.content.decode()
        assert 'for="id_agreement"' in html
        assert "accord ou arrangement de rattachement" in html.lower()

    def test_form_links_and_refuses(self, coop, agreements, users, client_for):
        client = client_for(users.attache_bamako)
        unseen = client.post(
            "/cooperation/actions/nouvelle/", self.form_data(coop, agreement=agreements.spain.pk)
        )
        assert unseen.status_code == 200
        assert "fr-error-text" in unseen.content.decode()
        assert not CooperationAction.objects.exists()
        pilotage = client_for(users.pilotage).post(
            "/cooperation/actions/nouvelle/", self.form_data(coop, agreement=agreements.spain.pk)
        )
        assert pilotage.status_code == 200
        assert "ne couvre pas le pays partenaire" in pilotage.content.decode()
        assert not CooperationAction.objects.exists()
        response = client.post(
            "/cooperation/actions/nouvelle/", self.form_data(coop, agreement=agreements.mali.pk)
        )
        assert response.status_code == 302
        assert CooperationAction.objects.get().agreement == agreements.mali

    def test_action_page_shows_the_agreement(
        self, linked, make_action, coop, agreements, users, client_for
    ):
        html = client_for(users.attache_bamako).get(linked.mali.get_absolute_url()).content.decode()
        assert "Accord de rattachement" in html
        assert f'<a href="{agreements.mali_spain.get_absolute_url()}">' in html
        assert escape(agreements.mali_spain.title) in html
        free = client_for(users.pilotage).get(linked.free.get_absolute_url()).content.decode()
        assert "Accord de rattachement" in free
        # The attaché in Madrid sees the action, not the multilateral text: no link, no title.
        hidden = make_action(
            country=coop.spain, post=coop.madrid, agreement=agreements.multilateral
        )
        page = client_for(users.attache_madrid).get(hidden.get_absolute_url()).content.decode()
        assert escape(agreements.multilateral.title) not in page
        assert "ONUDC" not in page
        assert agreements.multilateral.get_absolute_url() not in page
        assert "vos droits ne permettent pas de consulter" in page
        shown = client_for(users.pilotage).get(hidden.get_absolute_url()).content.decode()
        assert agreements.multilateral.get_absolute_url() in shown


class TestDemo:
    def test_links_a_share_of_actions_once_and_only_plausible_ones(
        self, bulk_actions, coop, users, agreements
    ):
        signed = agreement_services.import_agreement(
            users.pilotage,
            status=AgreementStatus.SIGNED,
            title="Accord signé de test avec le Mali",
            kind=AgreementKind.INTERGOVERNMENTAL,
            countries=[coop.mali],
            directorates=[coop.dgpn],
            signed_on=D(2020, 5, 4),
        )
        under = bulk_actions(50)  # DGPN, Mali, 2025
        other_directorate = bulk_actions(10, directorate=coop.dgef)
        before_signature = bulk_actions(
            10, planned_start=D(2019, 1, 1), planned_end=D(2019, 1, 2), year=2019
        )
        spain = bulk_actions(10, country=coop.spain, post=coop.madrid)  # no signed text
        already = bulk_actions(5, agreement=agreements.multilateral)

        created = link_demo_agreements()
        expected = [a.pk for a in under if a.pk % 5 < 3]
        assert 0 < len(expected) < 50
        assert created == {"actions rattachées à un accord": len(expected)}
        assert sorted(
            CooperationAction.objects.filter(agreement=signed).values_list("pk", flat=True)
        ) == sorted(expected)
        for group in (other_directorate, before_signature, spain):
            assert not CooperationAction.objects.filter(
                pk__in=[a.pk for a in group], agreement__isnull=False
            ).exists()
        assert CooperationAction.objects.filter(agreement=agreements.multilateral).count() == 5
        assert {a.pk for a in already} == set(
            CooperationAction.objects.filter(agreement=agreements.multilateral).values_list(
                "pk", flat=True
            )
        )
        # Idempotent: a second run changes nothing.
        assert link_demo_agreements() == {}
        assert CooperationAction.objects.filter(agreement=signed).count() == len(expected)

    def test_registered_after_both_demos(self):
        loaders = {d.name: d for d in demo.registered()}
        link = loaders["cooperation-agreements"]
        assert link.func is link_demo_agreements
        assert link.order > loaders["cooperation"].order
        assert link.order > loaders["agreements"].order


def test_full_demo_links_actions_to_real_agreements(db):
    """The organisation's demo, a smaller cooperation demo, the agreements' demo, then the
    link: Algeria's agreement (in force since 2008) lives, and every link is plausible."""
    from relais.agreements.demo import load_demo as load_agreements
    from relais.agreements.models import Agreement
    from relais.cooperation.demo import generate
    from relais.referential.loaders import load_demo as load_org_demo
    from relais.referential.loaders import load_reference

    load_reference()
    load_org_demo()
    generate(per_year=300)
    load_agreements()
    created = link_demo_agreements()
    total = CooperationAction.objects.count()
    linked = CooperationAction.objects.filter(agreement__isnull=False).select_related("agreement")
    assert created["actions rattachées à un accord"] == linked.count()
    assert 0 < linked.count() < total
    algeria = Agreement.objects.get(countries__code="DZ")
    assert algeria.cooperation_actions.exists()
    for action in linked.prefetch_related("agreement__countries", "agreement__directorates"):
        agreement = action.agreement
        assert agreement.status in ("signed", "approval", "in_force")
        assert action.country_id in {c.pk for c in agreement.countries.all()}
        assert action.directorate_id in {d.pk for d in agreement.directorates.all()}
        assert action.planned_start >= agreement.signed_on
    assert link_demo_agreements() == {}
