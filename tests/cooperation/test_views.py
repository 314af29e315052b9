"""Pages of missions b to g: the permission matrix of every view, their content, the forms."""

import pytest
from django.core import mail  # noqa: F401  (e-mail backend of the tests)

from relais.cooperation.models import CooperationAction, Evaluation, Funding, Programme
from relais.cooperation.registrations import LETTER_LABELS
from relais.cooperation.workflows import ActionStatus
from tests.cooperation.conftest import D, domain, to_programmed, walk
from tests.matrix import check_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def mali(make_action, coop):
    return make_action(
        fundings=[
            {"funder": coop.dcsd, "instrument": "meae_dcsd", "amount": 12000, "status": "committed"}
        ]
    )


@pytest.fixture
def spain(make_action, coop):
    return make_action(
        title="Visite sur la fraude documentaire",
        country=coop.spain,
        post=coop.madrid,
        directorate=coop.dgef,
        domain=domain("border_document_fraud"),
        kind="study_visit",
    )


class TestLists:
    def test_action_list_matrix_and_content(self, mali, spain, users):
        responses = check_matrix(
            "/cooperation/",
            other_unit=(users.attache_madrid, 200),
            read_only=(users.lecteur, 200),
            right_user=(users.attache_bamako, 200),
        )
        assert mali.title in responses["right_user"].content.decode()
        assert spain.title not in responses["right_user"].content.decode()
        assert mali.title not in responses["other_unit"].content.decode()
        page = responses["read_only"].content.decode()
        assert mali.title in page and spain.title in page
        assert "Proposer une action" not in page  # readers do not propose
        assert "Proposer une action" in responses["right_user"].content.decode()

    def test_filters_on_the_page(self, mali, spain, users, client_for):
        page = (
            client_for(users.pilotage)
            .get("/cooperation/?country=ES&kind=study_visit")
            .content.decode()
        )
        assert spain.title in page and mali.title not in page
        bad = client_for(users.pilotage).get("/cooperation/?year=abc")
        assert bad.status_code == 200 and mali.title not in bad.content.decode()

    def test_exports_are_scoped(self, mali, spain, users, client_for):
        csv = b"".join(
            client_for(users.attache_bamako).get("/cooperation/?export=csv").streaming_content
        ).decode("utf-8-sig")
        assert mali.title in csv and spain.title not in csv
        assert "DCSD — 12 000 € (engagé)" in csv
        xlsx = client_for(users.attache_bamako).get("/cooperation/?export=xlsx")
        assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")

    def test_programme_list(self, programme, users):
        responses = check_matrix(
            "/cooperation/programmes/",
            other_unit=(users.attache_madrid, 200),
            read_only=(users.lecteur, 200),
            right_user=(users.charge_afrique, 200),
        )
        assert programme.title in responses["right_user"].content.decode()
        assert programme.title not in responses["other_unit"].content.decode()

    def test_calendar(self, mali, spain, users):
        responses = check_matrix(
            "/cooperation/calendrier/?mois=2025-03",
            other_unit=(users.attache_madrid, 200),
            read_only=(users.lecteur, 200),
            right_user=(users.attache_bamako, 200),
        )
        assert mali.title in responses["right_user"].content.decode()
        assert mali.title not in responses["other_unit"].content.decode()
        assert "Mars 2025" in responses["right_user"].content.decode()


class TestActionPages:
    def test_detail_matrix_and_content(self, mali, users):
        responses = check_matrix(
            f"/cooperation/actions/{mali.pk}/",
            other_unit=(users.attache_madrid, 404),
            read_only=(users.correspondant_dgpn, 200),
            right_user=(users.attache_bamako, 200),
        )
        page = responses["right_user"].content.decode()
        assert mali.title in page
        assert "Circuit de validation" in page
        assert "DCSD" in page and "article 1, b)" in page
        assert "ministère des affaires étrangères" in page
        assert "Modifier" in page
        correspondent = responses["read_only"].content.decode()
        assert "Commenter" in correspondent
        assert f"/cooperation/actions/{mali.pk}/modifier/" not in correspondent

    def test_edit_matrix(self, mali, users):
        check_matrix(
            f"/cooperation/actions/{mali.pk}/modifier/",
            other_unit=(users.attache_madrid, 404),
            read_only=(users.correspondant_dgpn, 403),
            right_user=(users.attache_bamako, 200),
        )
        check_matrix(f"/cooperation/actions/{mali.pk}/modifier/", read_only=(users.lecteur, 403))

    def test_create_through_the_form(self, coop, users, client_for):
        check_matrix(
            "/cooperation/actions/nouvelle/",
            other_unit=(users.analyste, 403),
            read_only=(users.lecteur, 403),
            right_user=(users.attache_bamako, 200),
        )
        data = {
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
        }
        response = client_for(users.attache_bamako).post("/cooperation/actions/nouvelle/", data)
        action = CooperationAction.objects.get(title="Séminaire sur la cybercriminalité")
        assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
        assert action.legal_basis_codes() == ["preamble-1", "b"] and action.post == coop.bamako

    def test_form_refuses_what_the_assessment_refuses(self, coop, users, client_for):
        data = {
            "kind": "seminar",
            "title": "Gouvernance pour la police",
            "domain": domain("governance").pk,
            "cooperation_kind": "administrative_governance",
            "country": coop.mali.pk,
            "directorate": coop.dgpn.pk,
            "planned_start": "2025-04-01",
            "planned_end": "2025-04-03",
            "participants": 0,
            "experts": 0,
            "expert_days": 0,
            "marking": "non_protege",
        }
        response = client_for(users.pilotage).post("/cooperation/actions/nouvelle/", data)
        assert response.status_code == 200
        assert "fr-error-text" in response.content.decode()
        assert not CooperationAction.objects.exists()

    def test_stale_edit_is_refused(self, mali, users, client_for):
        url = f"/cooperation/actions/{mali.pk}/modifier/"
        client = client_for(users.attache_bamako)
        form = client.get(url).context["form"]
        data = {
            k: v for k, v in form.initial.items() if v is not None and k != "implementing_services"
        }
        data.update(
            title="Premier",
            version=1,
            domain=mali.domain_id,
            country=mali.country_id,
            directorate=mali.directorate_id,
            post=mali.post_id,
        )
        assert client.post(url, data).status_code == 302
        data["title"] = "Second"
        response = client.post(url, data)
        assert response.status_code == 200
        assert "modifié par quelqu" in response.content.decode()
        mali.refresh_from_db()
        assert mali.title == "Premier"

    def test_transition_through_the_panel(self, mali, users, client_for):
        url = f"/cooperation/actions/{mali.pk}/circuit/review/"
        check_matrix(
            url,
            method="post",
            other_unit=(users.attache_madrid, 404),
            read_only=(users.correspondant_dgpn, 403),
            data={},
        )
        response = client_for(users.charge_afrique).post(url, {"next": mali.get_absolute_url()})
        assert response.status_code == 302
        mali.refresh_from_db()
        assert mali.status == ActionStatus.UNDER_REVIEW

    def test_comment(self, mali, users, client_for):
        url = f"/cooperation/actions/{mali.pk}/commentaires/"
        check_matrix(
            url,
            method="post",
            data={"body": "x"},
            other_unit=(users.correspondant_dgef, 404),
            read_only=(users.lecteur, 403),
            right_user=(users.correspondant_dgpn, 302),
        )
        assert mali.comments.get().body == "x"
        page = client_for(users.attache_bamako).get(mali.get_absolute_url()).content.decode()
        assert "Commentaires" in page and ">x<" in page

    def test_funding_pages(self, mali, users, coop, client_for):
        line = mali.fundings.get()
        check_matrix(
            f"/cooperation/actions/{mali.pk}/financements/nouveau/",
            other_unit=(users.attache_madrid, 404),
            read_only=(users.correspondant_dgpn, 403),
            right_user=(users.attache_bamako, 200),
        )
        check_matrix(
            f"/cooperation/actions/{mali.pk}/financements/{line.pk}/modifier/",
            other_unit=(users.attache_madrid, 404),
            read_only=(users.lecteur, 403),
            right_user=(users.attache_bamako, 200),
        )
        response = client_for(users.attache_bamako).post(
            f"/cooperation/actions/{mali.pk}/financements/nouveau/",
            {
                "instrument": "ministry_budget",
                "amount": "3000",
                "status": "planned",
                "marking": "non_protege",
            },
        )
        assert response.status_code == 302
        assert mali.fundings.count() == 2
        refused = client_for(users.attache_bamako).post(
            f"/cooperation/actions/{mali.pk}/financements/nouveau/",
            {
                "instrument": "eu_ndici",
                "amount": "3000",
                "status": "planned",
                "marking": "non_protege",
            },
        )
        assert refused.status_code == 200 and mali.fundings.count() == 2
        check_matrix(
            f"/cooperation/actions/{mali.pk}/financements/{line.pk}/supprimer/",
            method="post",
            data={},
            other_unit=(users.attache_madrid, 404),
            read_only=(users.correspondant_dgpn, 403),
            right_user=(users.attache_bamako, 302),
        )
        assert not Funding.objects.filter(pk=line.pk).exists()

    def test_evaluation_page(self, mali, users, client_for):
        url = f"/cooperation/actions/{mali.pk}/evaluation/"
        assert client_for(users.attache_bamako).get(url).status_code == 403  # not completed yet
        to_programmed(mali, users.pilotage)
        walk(
            mali,
            users.pilotage,
            ("start", {"actual_start": D(2025, 3, 10)}),
            ("complete", {"actual_end": D(2025, 3, 12)}),
        )
        check_matrix(
            url,
            other_unit=(users.attache_madrid, 404),
            read_only=(users.correspondant_dgpn, 403),
            right_user=(users.attache_bamako, 200),
        )
        response = client_for(users.attache_bamako).post(
            url,
            {
                "objectives_reached": "mostly",
                "rating": 3,
                "lessons": "Bon groupe.",
                "follow_up": "",
                "evaluated_on": "2025-04-01",
            },
        )
        assert response.status_code == 302
        assert Evaluation.objects.get(action=mali).rating == 3

    def test_pdf(self, mali, users):
        responses = check_matrix(
            f"/cooperation/actions/{mali.pk}/pdf/",
            other_unit=(users.attache_madrid, 404),
            read_only=(users.lecteur, 200),
            right_user=(users.attache_bamako, 200),
        )
        assert responses["right_user"]["Content-Type"] == "application/pdf"


class TestProgrammePages:
    def test_detail(self, programme, make_action, users):
        make_action(programme=programme)
        responses = check_matrix(
            f"/cooperation/programmes/{programme.pk}/",
            other_unit=(users.attache_madrid, 404),
            read_only=(users.lecteur, 200),
            right_user=(users.charge_afrique, 200),
        )
        page = responses["right_user"].content.decode()
        assert programme.title in page and "Formation aux enquêtes" in page
        assert "Soumettre à l’avis du MEAE" in page or "Soumettre à l&#x27;avis du MEAE" in page

    def test_create_and_edit(self, coop, users, client_for, programme):
        check_matrix(
            "/cooperation/programmes/nouveau/",
            other_unit=(users.correspondant_dgpn, 403),
            read_only=(users.lecteur, 403),
            right_user=(users.charge_afrique, 200),
        )
        check_matrix(
            f"/cooperation/programmes/{programme.pk}/modifier/",
            other_unit=(users.attache_madrid, 404),
            read_only=(users.lecteur, 403),
            right_user=(users.charge_afrique, 200),
        )
        response = client_for(users.charge_afrique).post(
            "/cooperation/programmes/nouveau/",
            {
                "year": 2026,
                "title": "Programmation régionale 2026",
                "zone": coop.africa_zone.pk,
                "marking": "non_protege",
            },
        )
        assert response.status_code == 302
        created = Programme.objects.get(title="Programmation régionale 2026")
        assert created.division == coop.africa and created.legal_basis_codes() == [
            "preamble-1",
            "b",
        ]

    def test_adoption_needs_the_opinion(self, programme, users, client_for):
        from relais.core.workflow.engine import TransitionRefused, apply_transition

        apply_transition(programme, "submit", users.charge_afrique)
        with pytest.raises(TransitionRefused):
            apply_transition(programme, "adopt", users.pilotage, "Reçu")
        apply_transition(
            programme, "adopt", users.pilotage, "Avis favorable", meae_opinion="favorable"
        )
        programme.refresh_from_db()
        assert programme.status == "adopted"


class TestPortfolioAndStatistics:
    def test_portfolio_for_correspondents(self, mali, spain, users, client_for):
        responses = check_matrix(
            "/cooperation/portefeuille/",
            other_unit=(users.correspondant_dgef, 200),
            read_only=(users.lecteur, 200),
            right_user=(users.correspondant_dgpn, 200),
        )
        own = responses["right_user"].content.decode()
        assert mali.title in own and spain.title not in own
        assert "Mali" in own and "12" in own
        assert spain.title in responses["other_unit"].content.decode()
        hq = (
            client_for(users.pilotage)
            .get("/cooperation/portefeuille/?direction=DGEF")
            .content.decode()
        )
        assert spain.title in hq and mali.title not in hq
        # A correspondent cannot look at another directorate's portfolio.
        forced = (
            client_for(users.correspondant_dgpn)
            .get("/cooperation/portefeuille/?direction=DGEF")
            .content.decode()
        )
        assert spain.title not in forced

    def test_statistics(self, mali, spain, users, client_for):
        responses = check_matrix(
            "/cooperation/statistiques/?annee=tout",
            other_unit=(users.attache_madrid, 200),
            read_only=(users.lecteur, 200),
            right_user=(users.pilotage, 200),
        )
        page = responses["right_user"].content.decode()
        import re

        charts = re.findall(r'<figure class="relais-chart">(.*?)</figure>', page, re.S)
        assert any("<svg" in c for c in charts) and not any("<script" in c for c in charts)
        assert 'role="img"' in page
        assert "DCSD" in page and "12 000" in page.replace("\u202f", " ").replace("\xa0", " ")
        assert "DGEF" in page and "DGPN" in page
        other = responses["other_unit"].content.decode()
        assert "DCSD" not in other  # Madrid does not see Mali's funding

    def test_statistics_figures(self, mali, spain, users):
        from relais.cooperation.stats import compute

        figures = compute(users.pilotage, 2025)
        assert figures.actions == 2
        assert figures.participants == 24
        assert figures.by_funder[0]["label"] == "DCSD" and figures.by_funder[0]["total"] == 12000
        assert {r["label"] for r in figures.by_directorate} == {"DGPN", "DGEF"}
        assert compute(users.attache_madrid, 2025).funding_total == 0

    def test_a_service_s_actions_count_for_its_directorate(
        self, make_action, coop, users, client_for
    ):
        """The DLPAJ's actions are the SG's: in the statistics, and in the SG's portfolio that
        the figure links to (the same number)."""
        from relais.cooperation.stats import compute
        from relais.referential.models import UnitKind
        from tests.factories import UnitFactory

        dlpaj = UnitFactory(
            code="SG-DLPAJ", short_name="DLPAJ", kind=UnitKind.SERVICE, parent=coop.sg
        )
        for directorate in (dlpaj, coop.sg):
            make_action(directorate=directorate, domain=domain("governance"))
        rows = {r["label"]: r["actions"] for r in compute(users.pilotage).by_directorate}
        assert rows["SG"] == 2 and "" not in rows
        page = client_for(users.pilotage).get("/cooperation/portefeuille/?direction=SG")
        assert page.status_code == 200 and page.context["result_count"] == 2


class TestOtherDonors:
    def test_matrix(self, users):
        check_matrix(
            "/cooperation/autres-bailleurs/",
            read_only=(users.lecteur, 200),
            right_user=(users.charge_afrique, 200),
        )
        check_matrix(
            "/cooperation/autres-bailleurs/importer/",
            other_unit=(users.attache_bamako, 403),
            read_only=(users.lecteur, 403),
            right_user=(users.charge_afrique, 200),
        )


class TestHomeNavigationArticle:
    def test_home_sections_per_role(self, mali, users, client_for):
        assert (
            "Coopération technique (b à g)" in client_for(users.pilotage).get("/").content.decode()
        )
        assert (
            "Coopération technique du poste (b)"
            in client_for(users.attache_bamako).get("/").content.decode()
        )
        assert (
            "Coopération technique pour ma direction"
            in client_for(users.correspondant_dgpn).get("/").content.decode()
        )

    def test_article_counts(self, make_action, coop, users):
        from relais.legal import counts

        make_action()
        make_action(directorate=coop.dgef, domain=domain("irregular_immigration"))
        lines = counts.counts_for(users.pilotage)
        by_letter = {
            code: {line.label: line.count for line in lines[code]}
            for code in ("preamble-1", "preamble-2", "b", "f")
        }
        # The police action under the first paragraph and b; the DGEF's under the second
        # paragraph and f, no longer under b.
        assert by_letter["preamble-1"][LETTER_LABELS["preamble-1"]] == 1
        assert by_letter["preamble-2"][LETTER_LABELS["preamble-2"]] == 1
        assert by_letter["b"][LETTER_LABELS["b"]] == 1
        assert by_letter["f"][LETTER_LABELS["f"]] == 1
        scoped = counts.counts_for(users.attache_madrid)
        assert {line.label: line.count for line in scoped["b"]}[LETTER_LABELS["b"]] == 0

    def test_the_b_link_lists_no_action_of_c_to_g(self, make_action, coop, users, client_for):
        """The count under b links to a list that shows the same number: the police action
        only, not the DGEF's nor the SG's."""
        make_action()
        make_action(directorate=coop.dgef, domain=domain("irregular_immigration"))
        make_action(
            directorate=coop.sg,
            cooperation_kind="administrative_governance",
            domain=domain("governance"),
        )
        page = client_for(users.pilotage).get("/article-1/").content.decode()
        assert "/cooperation/?letter=b" in page and "/cooperation/?letter=preamble-2" in page
        rows = client_for(users.pilotage).get("/api/v1/cooperation/actions/?letter=b").json()
        assert rows["count"] == 1
        assert [r["directorate"] for r in rows["results"]] == ["DGPN"]
        for letter, expected in (("preamble-1", 1), ("preamble-2", 1), ("c", 1), ("f", 1)):
            listed = client_for(users.pilotage).get(f"/api/v1/cooperation/actions/?letter={letter}")
            assert listed.json()["count"] == expected, letter

    def test_country_sheet_panel(self, mali, users, client_for):
        page = client_for(users.attache_bamako).get("/pays/ML/").content.decode()
        assert "Coopération technique" in page and "Actions par année et par état" in page
        other = client_for(users.attache_madrid).get("/pays/ML/").content.decode()
        assert "Actions par année et par état" not in other
        api = client_for(users.pilotage).get("/api/v1/countries/ML/sheet/").json()
        panel = next(p for p in api["panels"] if p["key"] == "cooperation")
        assert panel["count"] == 1 if "count" in panel else panel["data"]["count"] == 1

    def test_search(self, mali, users, client_for):
        found = client_for(users.attache_bamako).get("/api/v1/search/?q=stupéfiants").json()
        assert any(g["kind"] == "Actions de coopération" for g in found["groups"])
        hidden = client_for(users.attache_madrid).get("/api/v1/search/?q=stupéfiants").json()
        assert not any(g["kind"] == "Actions de coopération" for g in hidden["groups"])


def test_programme_list_counts_only_visible_actions(
    programme, make_action, coop, users, client_for
):
    make_action(programme=programme)
    make_action(programme=programme, directorate=coop.dgef, domain=domain("irregular_immigration"))
    rows = client_for(users.correspondant_dgef).get("/cooperation/programmes/").context["page"]
    assert [p.action_count for p in rows] == [1]
    rows = client_for(users.pilotage).get("/cooperation/programmes/").context["page"]
    assert [p.action_count for p in rows] == [2]
