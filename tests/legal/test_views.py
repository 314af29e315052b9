"""« L'article 1 » and « Tester la compétence »: who sees them, and what they show."""

import html
import re

import pytest
from django.urls import reverse

from relais.legal import counts
from relais.legal.article import load_article

ROLES = [
    "admin",
    "pilotage",
    "charge_afrique",
    "analyste",
    "attache_madrid",
    "attache_bamako",
    "correspondant_dgpn",
    "correspondant_dgef",
    "lecteur",
]


def text_of(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def extra_count():
    """A count that differs by user, registered for the test only."""
    counts.register(
        "k",
        "Accords (essai)",
        lambda user: 7 if user.is_attache else 3,
        "/accords/?essai=1",
    )
    yield
    counts.unregister("k", "Accords (essai)")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/article-1/", "/article-1/competence/"])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('accounts:login')}?next={url}")


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_article_letter_by_letter(users, client_for, role):
    response = client_for(getattr(users, role)).get(reverse("legal:article"))
    assert response.status_code == 200
    page = text_of(response)
    assert page.count("<h1") == 1
    for mission in load_article().missions:
        assert f'id="mission-{mission.code}"' in page
        assert mission.title in page
    # The exact text, with the role verbs highlighted.
    assert (
        '<mark class="relais-verb">est tenue informée</mark> des engagements opérationnels' in page
    )
    assert (
        'Elle <mark class="relais-verb">coordonne</mark> la coopération technique internationale'
        in page
    )
    assert '<mark class="relais-verb">conçoit et propose</mark> des actions de prévention' in page
    assert "― de la délégation à la sécurité et à la circulation routières." in page
    assert "A ce titre :" in page


def test_article_page_shows_beneficiaries_liaisons_and_exclusion(users, client_for):
    page = text_of(client_for(users.charge_afrique).get("/article-1/"))
    assert '<abbr title="Direction générale de la police nationale">DGPN</abbr>' in page
    assert "Liste non limitative (« notamment »)" in page
    assert (
        "Ministère des affaires étrangères ; Organismes concourant au financement des actions"
        in page
    )
    assert "Service de sécurité diplomatique du ministère des affaires étrangères" in page
    assert "Questions relevant exclusivement des services de renseignement" in page
    assert f"Version de l’encodage de l’article : {load_article().version}" in page
    assert 'href="/article-1/competence/"' in page


def _section(page: str, code: str) -> str:
    start = page.index(f'id="mission-{code}"')
    end = page.find("<section", start + 1)
    return page[start : end if end != -1 else len(page)]


def test_article_page_lists_the_requests_each_part_covers(users, client_for):
    page = text_of(client_for(users.lecteur).get("/article-1/"))
    tag = '<p class="fr-tag fr-tag--sm">{}</p>'
    h = _section(page, "h")
    assert tag.format("Coopération institutionnelle") in h
    assert (
        tag.format(
            "Recherche de financements auprès des organisations internationales et européennes"
        )
        in h
    )
    n = _section(page, "n")
    assert '<p class="fr-tag fr-tag--sm">Engagement opérationnel de la gendarmerie' in n
    assert tag.format("Coopération technique") not in n


def test_posts_abroad_are_counted_under_b(users, client_for, org):
    page = text_of(client_for(users.lecteur).get("/article-1/"))
    b = _section(page, "b")
    assert "Postes du réseau (services de sécurité intérieure)" in b
    assert '<strong class="relais-count">2</strong>' in b  # SSI Madrid, SSI Bamako
    assert "Postes du réseau" not in _section(page, "a")
    # No module counts under n (gendarmerie engagements) yet.
    assert "Aucun enregistrement n’est encore rattaché" in _section(page, "n")


def test_counts_are_per_user_and_link_to_the_records(users, client_for, extra_count):
    attache = _section(text_of(client_for(users.attache_madrid).get("/article-1/")), "k")
    pilotage = _section(text_of(client_for(users.pilotage).get("/article-1/")), "k")
    assert '<a class="fr-link" href="/accords/?essai=1">Accords (essai)</a>' in attache
    assert '<strong class="relais-count">7</strong>' in attache
    assert '<strong class="relais-count">3</strong>' in pilotage


def test_navigation_offers_the_article(users, client_for):
    page = text_of(client_for(users.correspondant_dgef).get("/"))
    assert 'href="/article-1/"' in page
    assert "L'article 1" in page


def test_article_page_refuses_writes(users, client_for):
    assert client_for(users.admin).post("/article-1/").status_code == 405


# --- Tester la compétence --------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_role_can_try_the_assessment(users, client_for, role):
    response = client_for(getattr(users, role)).get(reverse("legal:assess"))
    assert response.status_code == 200
    page = text_of(response)
    assert page.count("<h1") == 1
    assert '<label class="fr-label" for="id_matter">' in page
    # The sixteen matters, with their French labels.
    assert (
        page.count('<option value="', page.index('id="id_matter"'), page.index("</select>")) == 17
    )
    assert '<option value="gendarmerie_engagement">' in page
    assert '<option value="crisis">Prévention et gestion des crises extérieures</option>' in page
    # The beneficiary is free text, with the units Relais knows proposed.
    assert re.search(r'<input[^>]+name="beneficiary"[^>]+list="unites"', page)
    assert '<option value="Direction générale de la police nationale (DGPN)">' in page
    assert '<option value="ES">Espagne</option>' in page
    assert "Comment lire la réponse" in page  # no answer before a question
    assert "fr-alert" not in page


def test_competent_answer_shows_each_part_with_verbs_partners_exceptions_and_quote(
    users, client_for
):
    response = client_for(users.charge_afrique).get(
        "/article-1/competence/",
        {"matter": "technical", "beneficiary": "DCPJ", "subject": "Formation", "country": "ML"},
    )
    page = text_of(response)
    assert "fr-alert--success" in page
    assert "La DCI est compétente" in page
    # DCPJ is a service of the DGPN in the organisation tree.
    assert "relève de la direction générale de la police nationale (DGPN)" in page
    assert 'href="/article-1/#mission-b"' in page
    assert 'href="/article-1/#mission-preamble-1"' in page
    assert '<p class="fr-tag fr-tag--sm">assure</p>' in page
    assert "Organismes concourant au financement des actions" in page
    assert '<mark class="relais-verb">assure</mark> la programmation' in page
    assert "Questions relevant exclusivement des services de renseignement" in page
    assert "Objet : Formation." in page and "Pays : Mali." in page
    assert '<option value="ML" selected>Mali</option>' in page  # the form keeps the question


def test_n_says_the_dci_is_kept_informed(users, client_for):
    page = text_of(
        client_for(users.pilotage).get(
            "/article-1/competence/", {"matter": "gendarmerie_engagement", "beneficiary": "GIGN"}
        )
    )
    assert '<p class="fr-tag fr-tag--sm">est tenue informée</p>' in page
    assert '<p class="fr-tag fr-tag--sm">anime</p>' not in page
    assert 'href="/article-1/#mission-n"' in page


def test_not_competent_answer_says_where_to_go(users, client_for):
    page = text_of(
        client_for(users.analyste).get(
            "/article-1/competence/", {"matter": "operational", "beneficiary": "DGEF"}
        )
    )
    assert "fr-alert--warning" in page
    assert "La DCI n’est pas compétente" in page
    assert "au profit de : DGPN et DGGN" in page
    assert "À qui s’adresser" in page


def test_intelligence_only_goes_to_the_intelligence_services(users, client_for):
    page = text_of(
        client_for(users.attache_bamako).get(
            "/article-1/competence/",
            {"matter": "operational", "beneficiary": "DGPN", "exclusively_intelligence": "on"},
        )
    )
    assert "Exception du texte" in page
    assert "DGSI / DGSE (services de renseignement)" in page
    assert re.search(r'name="exclusively_intelligence"\s+checked', page)


def test_links_of_the_first_version_still_work(users, client_for):
    page = text_of(
        client_for(users.pilotage).get(
            "/article-1/competence/", {"cooperation_kind": "technical", "beneficiary": "SG"}
        )
    )
    assert "au profit du secrétariat général (SG)" in page


def test_unknown_names_are_undetermined_with_suggestions(users, client_for):
    client = client_for(users.correspondant_dgpn)
    page = text_of(
        client.get("/article-1/competence/", {"matter": "technical", "beneficiary": "IGA"})
    )
    assert "La DCI est compétente" in page and "« au profit notamment »" in page
    page = text_of(
        client.get(
            "/article-1/competence/",
            {"matter": "technical", "beneficiary": "Direction de la polce"},
        )
    )
    assert "Compétence indéterminée" in page
    assert "Vouliez-vous dire…" in page
    page = text_of(
        client.get(
            "/article-1/competence/",
            {"matter": "technical", "beneficiary": "Direction X", "within_ministry": "oui"},
        )
    )
    assert "La DCI est compétente" in page


def test_invalid_question_shows_field_errors(users, client_for):
    response = client_for(users.lecteur).get(
        "/article-1/competence/", {"matter": "espionnage", "beneficiary": "  ", "country": "ZZ"}
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "fr-select-group--error" in page
    assert "fr-input-group--error" in page
    assert 'id="id_beneficiary-erreur"' in page
    assert 'aria-describedby="id_beneficiary-erreur"' in page
    assert "La demande est incomplète" in page
    assert "La DCI est compétente" not in page


def test_htmx_gets_only_the_answer(users, client_for):
    response = client_for(users.pilotage).get(
        "/article-1/competence/",
        {"matter": "administrative_governance", "beneficiary": "DGCL"},
        headers={"HX-Request": "true"},
    )
    page = text_of(response)
    assert "<html" not in page
    assert "La DCI est compétente" in page
    assert 'href="/article-1/#mission-d"' in page


def test_a_live_update_of_an_unfinished_question_is_not_an_error(users, client_for):
    response = client_for(users.pilotage).get(
        "/article-1/competence/", {"matter": "technical"}, headers={"HX-Request": "true"}
    )
    page = text_of(response)
    assert "Demande en cours" in page
    assert "Au profit de" in page
    assert "fr-alert--error" not in page


def test_the_form_works_without_javascript(users, client_for):
    page = text_of(client_for(users.pilotage).get("/article-1/competence/"))
    assert '<form method="get"' in page and 'action="/article-1/competence/"' in page
    assert '<button type="submit" class="fr-btn">' in page
    assert 'id="resultat" aria-live="polite"' in page


def test_assessment_page_refuses_post(users, client_for):
    assert client_for(users.pilotage).post("/article-1/competence/").status_code == 405
