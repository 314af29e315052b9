"""Pages of the organisation: what each persona sees, filters, pagination, exports wiring,
home sections and the query budget of every list."""

import datetime
import re

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext

from relais.referential.models import (
    Assignment,
    Corps,
    Country,
    Function,
    PartnerBody,
    PartnerKind,
    Person,
    Post,
    Unit,
    UnitKind,
)
from tests.factories import PartnerBodyFactory, PersonFactory
from tests.matrix import check_matrix

STAFF_NOTE = (
    "Les coordonnées du personnel ne sont visibles que du poste et de l’administration centrale"
)

LIST_PAGES = [
    "/organisation/",
    "/organisation/unites/",
    "/organisation/postes/",
    "/organisation/pays/",
    "/organisation/partenaires/",
    "/organisation/agents/",
]


def html(response) -> str:
    return response.content.decode()


def h1_count(response) -> int:
    return len(re.findall(r"<h1[\s>]", html(response)))


# --- Every page: login required, one <h1>, French -------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        *LIST_PAGES,
        "/organisation/unites/DGPN/",
        "/organisation/postes/SSI-MADRID/",
        "/organisation/partenaires/{partner}/",
        "/organisation/agents/{person}/",
    ],
)
def test_pages_need_login_and_have_one_title(url, users, staff, partners, client, client_for):
    url = url.format(partner=partners.europol.pk, person=staff.madrid_asi.pk)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/?next=")

    response = client_for(users.admin).get(url)
    assert response.status_code == 200
    assert h1_count(response) == 1
    assert '<html lang="fr"' in html(response)


# --- Landing and navigation ------------------------------------------------------------------


def test_landing_lists_the_five_lists_with_counts(users, staff, partners, client_for):
    page = html(client_for(users.attache_bamako).get("/organisation/"))
    for label in ["Unités", "Postes à l’étranger", "Pays", "Organismes partenaires", "Agents"]:
        assert label in page
    # The people tile counts only the people the attaché may see: their own post's one person.
    agents_tile = page.split('href="/organisation/agents/"')[1]
    assert re.search(r'relais-count">1<', agents_tile)
    assert 'href="/organisation/postes/"' in page


def test_main_navigation_has_organisation(users, client_for):
    page = html(client_for(users.lecteur).get("/"))
    assert re.search(r'href="/organisation/"[^>]*>\s*Organisation', page)


# --- Units -----------------------------------------------------------------------------------


def test_units_tree_nests_units_and_works_without_javascript(users, org, client_for):
    page = html(client_for(users.correspondant_dgef).get("/organisation/unites/"))
    assert 'aria-label="Arbre de l’organisation"' in page
    # Native <details>: collapsible without JavaScript, top levels open.
    assert "<details open>" in page
    assert "<summary>" in page
    # Nesting: the Madrid post sits inside the network, itself inside the DCI, inside the MI.
    mi = page.index('href="/organisation/unites/MI/"')
    dci = page.index('href="/organisation/unites/DCI/"')
    network = page.index('href="/organisation/unites/DCI-RESEAU/"')
    madrid = page.index('href="/organisation/unites/SSI-MADRID/"')
    assert mi < dci < network < madrid
    network_block = page[network : page.index("</details>", madrid)]
    assert "2 unités rattachées" in network_block
    assert "SSI-BAMAKO" in network_block
    # Intelligence services are flagged.
    dgsi = page[page.index('href="/organisation/unites/DGSI/"') :][:400]
    assert "Renseignement" in dgsi
    # Export links are there, for the whole list.
    assert 'href="?export=csv"' in page
    assert 'href="?export=xlsx"' in page


def test_units_search_shows_matching_units_as_a_table(users, client_for):
    client = client_for(users.analyste)
    page = html(client.get("/organisation/unites/", {"q": "sécurité intérieure"}))
    assert "<caption>Unités correspondant à la recherche</caption>" in page
    assert "Service de sécurité intérieure de Madrid" in page
    assert "Service de sécurité intérieure de Bamako" in page
    assert "Direction générale de la sécurité intérieure" in page  # DGSI, by name
    assert "Réseau des services de sécurité intérieure" in page
    assert "Direction générale des étrangers en France" not in page
    assert "4 résultats" in page

    page = html(client.get("/organisation/unites/", {"q": "dcpj"}))  # by code
    assert "Direction centrale de la police judiciaire" in page
    assert "1 résultat" in page

    page = html(client.get("/organisation/unites/", {"kind": UnitKind.POST}))
    assert "SSI Madrid" in page or "Service de sécurité intérieure de Madrid" in page
    assert "Direction générale de la police nationale" not in page
    assert 'href="?kind=post&amp;export=csv"' in page


def test_unit_detail_shows_chain_children_beneficiary_and_users(users, org, staff, client_for):
    responses = check_matrix(
        "/organisation/unites/DCPJ/",
        other_unit=(users.attache_bamako, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.admin, 200),
    )
    page = html(responses["right_user"])
    # Breadcrumb: Organisation › Unités › MI › DGPN › this unit.
    crumbs = page[page.index("fr-breadcrumb__list") : page.index("</ol>")]
    assert crumbs.index("Unités") < crumbs.index(">MI<") < crumbs.index(">DGPN<")
    assert 'aria-current="page">Direction centrale de la police judiciaire<' in crumbs
    # Beneficiary inherited from the directorate.
    assert "DGPN</abbr> — Direction générale de la police nationale (par sa direction)" in page
    assert 'href="/organisation/unites/DCPJ/modifier/">Modifier</a>' in page
    # The lecteur, at headquarters, sees the staff but has no « Modifier ».
    lecteur = html(responses["read_only"])
    assert "Modifier</a>" not in lecteur
    assert "Sophie RENAUDIN" in lecteur
    # The Bamako attaché sees the unit, not its staff.
    other = html(responses["other_unit"])
    assert "Renaudin" not in other.replace("RENAUDIN", "Renaudin")
    assert STAFF_NOTE in other


def test_unit_detail_of_the_network_lists_children_and_counts_users(users, org, client_for):
    page = html(client_for(users.pilotage).get("/organisation/unites/DCI-RESEAU/"))
    children = page[page.index("Unités rattachées") : page.index("Agents de l’unité")]
    assert 'href="/organisation/unites/SSI-BAMAKO/"' in children
    assert 'href="/organisation/unites/SSI-MADRID/"' in children
    assert re.search(r"Comptes Relais dans l’unité</dt><dd>0<", page)

    page = html(client_for(users.pilotage).get("/organisation/unites/SSI-MADRID/"))
    assert re.search(r"Comptes Relais dans l’unité</dt><dd>1<", page)  # attache.madrid
    assert 'href="/organisation/postes/SSI-MADRID/">Voir la fiche du poste' in page


def test_unit_detail_for_the_post_itself_shows_its_staff(users, staff, client_for):
    page = html(client_for(users.attache_madrid).get("/organisation/unites/SSI-MADRID/"))
    assert "Hélène MARCHETTI" in page
    assert "helene.marchetti@interieur.test" not in page or "mailto:" in page
    assert f'href="/organisation/agents/{staff.madrid_asi.pk}/"' in page


def test_unknown_unit_is_404(users, client_for):
    assert client_for(users.admin).get("/organisation/unites/NEANT/").status_code == 404


# --- Posts -----------------------------------------------------------------------------------


def test_posts_list_shows_countries_and_headcount(users, staff, client_for):
    page = html(client_for(users.correspondant_dgef).get("/organisation/postes/"))
    assert "<caption>Postes à l’étranger</caption>" in page
    madrid_row = page[page.index('href="/organisation/postes/SSI-MADRID/"') :]
    madrid_row = madrid_row[: madrid_row.index("</tr>")]
    assert 'href="/pays/AD/">Andorre</a>, <a href="/pays/ES/">Espagne</a>' in madrid_row
    assert "Ambassade de France en Espagne" in madrid_row
    # Headcount: the two current assignments (the former deputy does not count).
    assert "<td>2</td>" in madrid_row
    bamako_row = page[page.index('href="/organisation/postes/SSI-BAMAKO/"') :]
    assert "<td>1</td>" in bamako_row[: bamako_row.index("</tr>")]


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"zone": "europe"}, "SSI-MADRID", "SSI-BAMAKO"),
        ({"zone": "afrique-moyen-orient"}, "SSI-BAMAKO", "SSI-MADRID"),
        ({"country": "AD"}, "SSI-MADRID", "SSI-BAMAKO"),
        ({"country": "ML"}, "SSI-BAMAKO", "SSI-MADRID"),
        ({"q": "andorre"}, "SSI-MADRID", "SSI-BAMAKO"),
        ({"q": "Mali"}, "SSI-BAMAKO", "SSI-MADRID"),
    ],
)
def test_posts_filters(params, shown, hidden, users, org, client_for):
    page = html(client_for(users.attache_bamako).get("/organisation/postes/", params))
    assert f'href="/organisation/postes/{shown}/"' in page
    assert f'href="/organisation/postes/{hidden}/"' not in page
    assert "1 résultat" in page


def test_posts_invalid_filter_is_explained_not_ignored(users, org, client_for):
    response = client_for(users.lecteur).get("/organisation/postes/", {"zone": "atlantide"})
    assert response.status_code == 200
    page = html(response)
    assert "fr-select-group--error" in page
    assert "fr-error-text" in page
    assert "Aucun poste ne correspond à ces critères." in page
    assert 'href="/organisation/postes/SSI-MADRID/"' not in page


def test_post_detail_staff_matrix(users, org, staff, client_for):
    url = "/organisation/postes/SSI-MADRID/"
    responses = check_matrix(
        url,
        other_unit=(users.attache_bamako, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.attache_madrid, 200),
    )
    own = html(responses["right_user"])
    assert "Hélène MARCHETTI" in own
    assert "Attaché de sécurité intérieure" in own
    assert "Julien FERRAND" in own
    assert "Officier de liaison" in own
    assert "Immigration irrégulière" in own
    assert "Gaston" not in own  # former deputy, no longer in post
    assert STAFF_NOTE not in own
    assert "Modifier</a>" not in own  # attachés do not edit the referential
    # Countries covered link to the country sheets.
    assert 'class="fr-tag" href="/pays/AD/"' in own
    assert 'class="fr-tag" href="/pays/ES/"' in own
    assert "2 agents en poste" in own

    other = html(responses["other_unit"])
    assert "MARCHETTI" not in other and "FERRAND" not in other
    assert STAFF_NOTE in other
    assert "2 agents en poste" in other  # the headcount, not who they are
    assert "Modifier</a>" not in other

    lecteur = html(responses["read_only"])  # headquarters: sees staff, cannot edit
    assert "Hélène MARCHETTI" in lecteur
    assert "Modifier</a>" not in lecteur


@pytest.mark.parametrize("who", ["charge_afrique", "pilotage", "analyste", "admin"])
def test_post_staff_visible_to_headquarters_and_administrators(who, users, staff, client_for):
    page = html(client_for(getattr(users, who)).get("/organisation/postes/SSI-MADRID/"))
    assert "Hélène MARCHETTI" in page
    assert "Julien FERRAND" in page
    assert ('href="/organisation/postes/SSI-MADRID/modifier/">Modifier' in page) == (who == "admin")


@pytest.mark.parametrize("who", ["correspondant_dgpn", "correspondant_dgef", "attache_bamako"])
def test_post_staff_hidden_from_others(who, users, staff, client_for):
    page = html(client_for(getattr(users, who)).get("/organisation/postes/SSI-MADRID/"))
    assert "MARCHETTI" not in page
    assert "marchetti" not in page
    assert STAFF_NOTE in page


def test_post_without_staff_says_so(users, org, client_for):
    page = html(client_for(users.attache_madrid).get("/organisation/postes/SSI-BAMAKO/"))
    assert "Aucun agent n’est actuellement affecté à ce poste." in page
    assert client_for(users.admin).get("/organisation/postes/DGPN/").status_code == 404


# --- Countries -------------------------------------------------------------------------------


def test_countries_list_zone_filter_and_covering_posts(users, org, client_for):
    client = client_for(users.correspondant_dgpn)
    page = html(client.get("/organisation/pays/"))
    spain_row = page[page.index('href="/pays/ES/"') :]
    spain_row = spain_row[: spain_row.index("</tr>")]
    assert "<code>ES</code>" in spain_row
    assert "Europe" in spain_row
    assert 'href="/organisation/postes/SSI-MADRID/">Madrid</a>' in spain_row

    page = html(client.get("/organisation/pays/", {"zone": "afrique-moyen-orient"}))
    assert 'href="/pays/ML/"' in page
    assert 'href="/pays/ES/"' not in page

    page = html(client.get("/organisation/pays/", {"q": "esp"}))
    assert 'href="/pays/ES/"' in page
    assert 'href="/pays/AD/"' not in page
    page = html(client.get("/organisation/pays/", {"q": "and"}))  # ISO alpha-3 or name
    assert 'href="/pays/AD/"' in page


# --- Partner bodies --------------------------------------------------------------------------


def test_partners_list_filters(users, partners, client_for):
    client = client_for(users.attache_madrid)
    page = html(client.get("/organisation/partenaires/"))
    assert "Guardia Civil" in page and "Europol" in page and "Police nationale du Mali" in page

    page = html(client.get("/organisation/partenaires/", {"kind": PartnerKind.EU_BODY}))
    assert "Europol" in page and "Guardia Civil" not in page

    page = html(client.get("/organisation/partenaires/", {"country": "ES"}))
    assert "Guardia Civil" in page and "Police nationale du Mali" not in page

    page = html(client.get("/organisation/partenaires/", {"q": "haye"}))
    assert "Europol" in page and "Guardia Civil" not in page


def test_partner_detail_matrix(users, partners, client_for):
    url = f"/organisation/partenaires/{partners.guardia.pk}/"
    responses = check_matrix(
        url,
        other_unit=(users.attache_bamako, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.admin, 200),
    )
    admin = html(responses["right_user"])
    assert "<h1" in admin and "Guardia Civil" in admin
    assert 'href="/pays/ES/">Espagne</a>' in admin
    assert f'href="/organisation/partenaires/{partners.guardia.pk}/modifier/">Modifier' in admin
    for name in ("other_unit", "read_only"):
        assert "Modifier</a>" not in html(responses[name])
        assert "Guardia Civil" in html(responses[name])
    assert client_for(users.admin).get("/organisation/partenaires/999999/").status_code == 404


def test_partners_pagination(users, client_for):
    for i in range(62):
        PartnerBodyFactory(name=f"Organisme {i:03d}", kind=PartnerKind.FUNDER)
    client = client_for(users.lecteur)
    page = html(client.get("/organisation/partenaires/", {"kind": PartnerKind.FUNDER}))
    assert "62 résultats" in page
    assert "Organisme 049" in page and "Organisme 050" not in page
    assert 'class="fr-pagination' in page
    assert 'href="?kind=funder&amp;page=2"' in page
    assert 'aria-current="page" title="Page 1"' in page
    page = html(client.get("/organisation/partenaires/", {"kind": PartnerKind.FUNDER, "page": 2}))
    assert "Organisme 050" in page and "Organisme 061" in page and "Organisme 049" not in page
    assert 'aria-current="page" title="Page 2"' in page


# --- People ----------------------------------------------------------------------------------


def people_names(response) -> set[str]:
    return set(re.findall(r'href="/organisation/agents/\d+/">([^<]+)</a>', html(response)))


def test_people_list_is_scoped_by_visibility(users, staff, client_for):
    assert people_names(client_for(users.attache_bamako).get("/organisation/agents/")) == {
        "Arnaud DELORME"
    }
    assert people_names(client_for(users.attache_madrid).get("/organisation/agents/")) == {
        "Hélène MARCHETTI",
        "Julien FERRAND",
        "Gaston VIDALENC",
    }
    assert people_names(client_for(users.correspondant_dgpn).get("/organisation/agents/")) == {
        "Sophie RENAUDIN"
    }
    assert people_names(client_for(users.correspondant_dgef).get("/organisation/agents/")) == set()
    assert len(people_names(client_for(users.charge_afrique).get("/organisation/agents/"))) == 5


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"corps": Corps.GENDARMERIE}, {"Julien FERRAND"}),
        ({"unit": "DGPN"}, {"Sophie RENAUDIN"}),  # the unit and the units under it
        ({"unit": "SSI-BAMAKO"}, {"Arnaud DELORME"}),
        ({"function": "asi"}, {"Hélène MARCHETTI", "Arnaud DELORME"}),
        ({"function": "deputy"}, set()),  # the deputy's assignment has ended
        ({"q": "marchet"}, {"Hélène MARCHETTI"}),
    ],
)
def test_people_filters(params, expected, users, staff, client_for):
    response = client_for(users.admin).get("/organisation/agents/", params)
    assert people_names(response) == expected


def test_person_detail_matrix(users, staff, client_for):
    url = f"/organisation/agents/{staff.madrid_liaison.pk}/"
    responses = check_matrix(
        url,
        other_unit=(users.attache_bamako, 404),
        read_only=(users.lecteur, 200),
        right_user=(users.attache_madrid, 200),
    )
    own = html(responses["right_user"])
    assert "Julien FERRAND" in own
    assert "Gendarmerie nationale" in own
    assert "Immigration irrégulière" in own
    assert 'href="/organisation/postes/SSI-MADRID/"' in own
    assert "Modifier</a>" not in own
    assert "Modifier</a>" not in html(responses["read_only"])
    assert "FERRAND" not in html(responses["other_unit"])
    admin = html(client_for(users.admin).get(url))
    assert f'href="/organisation/agents/{staff.madrid_liaison.pk}/modifier/">Modifier' in admin
    # A correspondent outside the post gets the same 404 as for a missing person.
    assert client_for(users.correspondant_dgef).get(url).status_code == 404


# --- Exports: the links carry the filters and the view hands the filtered list over ----------


def test_export_hands_the_filtered_queryset_to_the_exporter(users, org, monkeypatch, client_for):
    calls = []

    def fake_export(request, queryset, *, columns, filename, fmt):
        calls.append((list(queryset), [c.header for c in columns], filename, fmt))
        return HttpResponse("exporté")

    monkeypatch.setattr("relais.core.kit.export_response", fake_export)
    client = client_for(users.lecteur)
    page = html(client.get("/organisation/postes/", {"zone": "europe"}))
    assert 'href="?zone=europe&amp;export=csv"' in page
    assert 'href="?zone=europe&amp;export=xlsx"' in page

    response = client.get("/organisation/postes/", {"zone": "europe", "export": "xlsx"})
    assert response.content.decode() == "exporté"
    ((rows, headers, filename, fmt),) = calls
    assert [p.unit.code for p in rows] == ["SSI-MADRID"]
    assert headers[:4] == ["Poste", "Code", "Ville", "Ambassade"]
    assert (filename, fmt) == ("postes", "xlsx")

    # People exports go through the same visibility as the list.
    calls.clear()
    PersonFactory(unit=org.madrid.unit, last_name="Secret")
    client_for(users.attache_bamako).get("/organisation/agents/", {"export": "csv"})
    assert calls[0][0] == []


# --- Home page sections ----------------------------------------------------------------------


def test_home_shows_my_post_to_attaches(users, staff, client_for):
    page = html(client_for(users.attache_madrid).get("/"))
    section = page[page.index(">Mon poste<") :]
    assert 'href="/organisation/postes/SSI-MADRID/">SSI Madrid</a>' in section
    assert 'relais-count">2<' in section[: section.index("</section>")]

    for who in ("lecteur", "charge_afrique"):
        assert ">Mon poste<" not in html(client_for(getattr(users, who)).get("/"))


def test_home_shows_organisation_counts_to_everyone(users, partners, client_for):
    page = html(client_for(users.correspondant_dgef).get("/"))
    section = page[page.index(">Organisation<") :]
    section = section[: section.index("</section>")]
    counts = re.findall(
        r'href="([^"]+)">([^<]+)</a></h3>\s*<p class="fr-tile__detail relais-count">(\d+)<', section
    )
    assert ("/organisation/postes/", "Postes à l’étranger", "2") in counts
    assert ("/organisation/pays/?covered=true", "Pays couverts", "3") in counts
    assert ("/organisation/partenaires/", "Organismes partenaires", "3") in counts


# --- Query budget: a fixed number of queries whatever the volume -----------------------------


def _codes(n):
    taken = set(Country.objects.values_list("code", flat=True))
    letters = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    free = (a + b for a in letters for b in letters if a + b not in taken)
    return [next(free) for _ in range(n)]


def _units(parent, n, kind=UnitKind.SERVICE):
    start = Unit.objects.count()
    codes = [f"VOL-{start + i}" for i in range(n)]
    return Unit.objects.bulk_create(
        Unit(
            code=code,
            name=f"Unité {code}",
            kind=kind,
            parent=parent,
            path=f"{parent.path}{code}/",
            depth=parent.depth + 1,
        )
        for code in codes
    )


def _staff(units):
    people = Person.objects.bulk_create(
        Person(first_name="Prénom", last_name=f"Nom{unit.code}", corps=Corps.POLICE, unit=unit)
        for unit in units
    )
    Assignment.objects.bulk_create(
        Assignment(
            person=person,
            unit=person.unit,
            function=Function.LIAISON_OFFICER,
            start_date=datetime.date(2024, 9, 1),
        )
        for person in people
    )


def grow(kind, org, n):
    """Add n records of a kind, with the relations their list shows (bulk, to stay fast)."""
    if kind == "units":
        _units(org.dcpj, n)
    elif kind == "posts":
        units = _units(org.network, n, kind=UnitKind.POST)
        posts = Post.objects.bulk_create(
            Post(unit=unit, city=f"Ville {unit.code}", embassy="Ambassade", host_country=org.mali)
            for unit in units
        )
        Post.countries.through.objects.bulk_create(
            Post.countries.through(post_id=post.pk, country_id=country.pk)
            for post in posts
            for country in (org.spain, org.andorra)
        )
        _staff(units)
    elif kind == "countries":
        countries = Country.objects.bulk_create(
            Country(code=code, code3=f"{code}Q", name=f"Pays {code}", zone=org.europe)
            for code in _codes(n)
        )
        org.madrid.countries.add(*countries)
    elif kind == "partners":
        start = PartnerBody.objects.count()
        PartnerBody.objects.bulk_create(
            PartnerBody(name=f"Organisme {start + i}", kind=PartnerKind.FUNDER, country=org.spain)
            for i in range(n)
        )
    elif kind == "people":
        people = Person.objects.bulk_create(
            Person(
                first_name="Prénom", last_name=f"Nom{i}", corps=Corps.POLICE, unit=org.madrid.unit
            )
            for i in range(n)
        )
        Assignment.objects.bulk_create(
            Assignment(
                person=person,
                unit=org.madrid.unit,
                function=Function.LIAISON_OFFICER,
                start_date=datetime.date(2024, 9, 1),
            )
            for person in people
        )


PAGE_BUDGET = 10


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("/organisation/unites/", "units"),
        ("/organisation/unites/?q=VOL", "units"),
        ("/organisation/postes/", "posts"),
        ("/organisation/postes/?zone=europe&q=ville", "posts"),
        ("/organisation/pays/", "countries"),
        ("/organisation/pays/?zone=europe", "countries"),
        ("/organisation/partenaires/", "partners"),
        ("/organisation/partenaires/?country=ES", "partners"),
        ("/organisation/agents/", "people"),
        ("/organisation/agents/?unit=SSI-MADRID&function=liaison_officer", "people"),
    ],
)
def test_list_pages_run_a_fixed_number_of_queries(url, kind, users, org, client_for):
    client = client_for(users.admin)
    grow(kind, org, 10)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(kind, org, 190)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(small) == len(large), [q["sql"] for q in large.captured_queries]
    assert len(large) <= PAGE_BUDGET


def test_record_pages_print_as_pdf_within_scope(org, users, client_for):
    from tests.factories import AssignmentFactory, PersonFactory

    person = PersonFactory(unit=org.madrid.unit, last_name="Imprimable")
    AssignmentFactory(person=person, unit=org.madrid.unit)
    page = client_for(users.pilotage).get("/organisation/postes/SSI-MADRID/").content.decode()
    assert 'href="/organisation/postes/SSI-MADRID/pdf/"' in page
    response = client_for(users.pilotage).get("/organisation/postes/SSI-MADRID/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # Staff details of Madrid are not for the Bamako post: the PDF is out of reach as well.
    assert (
        client_for(users.attache_bamako).get(f"/organisation/agents/{person.pk}/pdf/").status_code
        == 404
    )
    assert (
        client_for(users.attache_madrid).get(f"/organisation/agents/{person.pk}/pdf/").status_code
        == 200
    )
