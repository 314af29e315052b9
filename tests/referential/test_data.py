"""The reference data (units, zones, ISO countries, partner bodies), the demo network and the
demo accounts, as loaded from src/relais/referential/data/, and their Django admin pages."""

import html
import re
from collections import Counter

import pycountry
import pytest
from django.contrib.auth.hashers import check_password

from relais.accounts.models import ApiToken, User
from relais.accounts.roles import Role
from relais.core.audit.models import AuditEvent
from relais.core.markings import Marking
from relais.referential.loaders import (
    DEMO_EMAIL_DOMAIN,
    demo_accounts,
    demo_password,
    demo_posts,
    iso_countries,
    load_demo,
    load_reference,
    read_yaml,
)
from relais.referential.models import (
    Assignment,
    Beneficiary,
    Corps,
    Country,
    Function,
    PartnerBody,
    PartnerKind,
    Person,
    Post,
    Unit,
    UnitKind,
    Zone,
)

ZONES = {"europe", "afrique-moyen-orient", "ameriques-asie"}

#: The regional posts of shared/reference/context.md, exactly.
REGIONAL_POSTS = {
    "Madrid": {"ES", "AD"},
    "Belgrade": {"RS", "ME"},
    "Bucarest": {"RO", "MD"},
    "Bruxelles": {"BE"},
    "New Delhi": {"IN", "NP", "LK", "MV", "BD"},
    "Rome": {"IT", "VA", "MT"},
    "Riga": {"LV", "EE", "LT"},
    "N'Djamena": {"TD"},
    "Djibouti": {"DJ"},
    "Bamako": {"ML"},
    "Ottawa": {"CA"},
}

POLICE_GRADES = set().union(*read_yaml("demo/people.yaml")["grades"]["police"].values())
GENDARMERIE_GRADES = set().union(*read_yaml("demo/people.yaml")["grades"]["gendarmerie"].values())


@pytest.fixture
def reference(db):
    load_reference()


@pytest.fixture
def demo(reference):
    load_demo()


# --- Countries and zones (from the data files alone) ------------------------------------


def test_every_iso_3166_country_is_there_with_its_french_name():
    countries = {c["code"]: c for c in iso_countries()}
    assert len(countries) == 249
    assert set(countries) == {c.alpha_2 for c in pycountry.countries}
    assert countries["ES"]["name"] == "Espagne"
    assert countries["DE"]["name"] == "Allemagne"
    assert countries["CI"]["name"] == "Côte d'Ivoire"
    assert countries["GB"]["name"] == "Royaume-Uni"
    # The usual French name replaces the ISO inverted form.
    assert countries["RU"]["name"] == "Russie"
    assert countries["KR"]["name"] == "Corée du Sud"
    assert countries["ES"]["official_name"] == "Royaume d'Espagne"
    assert countries["ES"]["code3"] == "ESP"
    assert countries["ES"]["numeric"] == "724"
    # No inverted ISO form is left («Corée, République de»); these two commas are the names.
    assert sorted(code for code, c in countries.items() if "," in c["name"]) == ["BQ", "SH"]


def test_every_country_is_in_exactly_one_zone():
    data = read_yaml("countries.yaml")
    listed = Counter(
        code for zone in data["zones"] for codes in zone["regions"].values() for code in codes
    )
    assert all(n == 1 for n in listed.values()), [c for c, n in listed.items() if n > 1]
    assert {c["zone"] for c in iso_countries()} == ZONES


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("FR", "europe"),
        ("RU", "europe"),
        ("TR", "europe"),
        ("CY", "europe"),
        ("GE", "europe"),
        ("AZ", "europe"),
        ("MA", "afrique-moyen-orient"),
        ("ZA", "afrique-moyen-orient"),
        ("SA", "afrique-moyen-orient"),
        ("IL", "afrique-moyen-orient"),
        ("PS", "afrique-moyen-orient"),
        ("YE", "afrique-moyen-orient"),
        ("IR", "ameriques-asie"),
        ("AF", "ameriques-asie"),
        ("KZ", "ameriques-asie"),
        ("BR", "ameriques-asie"),
        ("US", "ameriques-asie"),
        ("AU", "ameriques-asie"),
        ("AQ", "ameriques-asie"),
    ],
)
def test_zone_rule(code, zone):
    assert {c["code"]: c["zone"] for c in iso_countries()}[code] == zone


# --- Posts (from the data files alone) --------------------------------------------------


def test_regional_posts_are_exactly_those_of_the_context():
    posts = {p["city"]: p for p in demo_posts()}
    for city, countries in REGIONAL_POSTS.items():
        assert set(posts[city]["countries"]) == countries, city
    # Zagreb is the regional coordinator for the Balkans.
    assert posts["Zagreb"]["host"] == "HR"
    assert "HR" in posts["Zagreb"]["countries"]
    assert "Balkans" in posts["Zagreb"]["regional_role"]
    assert "Benelux" in posts["Bruxelles"]["regional_role"]
    assert "IGAD" in posts["Djibouti"]["regional_role"]
    assert posts["Bamako"]["opened_year"] == 1961
    assert posts["Madrid"]["embassy"] == "Ambassade de France en Espagne"


def test_network_size_and_coverage():
    posts = demo_posts()
    assert 70 <= len(posts) <= 80
    covered = Counter(code for p in posts for code in p["countries"])
    assert 145 <= len(covered) <= 165
    assert [c for c, n in covered.items() if n > 1] == [], "pays couvert par deux postes"
    iso = {c.alpha_2 for c in pycountry.countries}
    assert set(covered) <= iso
    for post in posts:
        assert post["host"] in post["countries"], post["city"]
        assert re.fullmatch(r"SSI-[A-Z0-9-]+", post["code"]), post["code"]
        assert post["embassy"].startswith(("Ambassade de France", "Consulat")), post["city"]
        assert post["email"].endswith("@" + DEMO_EMAIL_DOMAIN)
    assert len({p["code"] for p in posts}) == len(posts)
    assert {p["code"] for p in posts} >= {"SSI-MADRID", "SSI-BAMAKO", "SSI-NDJAMENA"}


# --- Reference data in the database -----------------------------------------------------


def test_load_reference_builds_the_organisation(reference):
    dci = Unit.objects.get(code="DCI")
    network = Unit.objects.get(code="DCI-RESEAU")
    assert network.parent == dci and network.kind == UnitKind.DIVISION
    for code in ["DCI-CAB", "DCI-CVO", "DCI-AUDIT", "DCI-SDCS-AFR", "DCI-SDCMP-CRISES", "DCI-SDAF"]:
        unit = Unit.objects.get(code=code)
        assert unit.is_within(dci) and unit.is_dci_headquarters, code
    assert not network.is_dci_headquarters
    assert Unit.objects.get(code="DCI-SDCS-EUR").parent.code == "DCI-SDCS"
    # The seven beneficiaries named by the article, one directorate each, under the ministry.
    beneficiaries = {u.beneficiary: u for u in Unit.objects.beneficiaries()}
    assert set(beneficiaries) == set(Beneficiary.values)
    assert all(u.parent.code == "MI" for u in beneficiaries.values())
    assert dci.beneficiary == ""
    # Intelligence services are flagged; the SCRT belongs to the police and is not.
    assert Unit.objects.get(code="DGSI").is_intelligence
    dgse = Unit.objects.get(code="DGSE")
    assert dgse.is_intelligence and dgse.parent.code == "MINARM"
    scrt = Unit.objects.get(code="SCRT")
    assert not scrt.is_intelligence and scrt.beneficiary_code == "DGPN"
    assert set(Unit.objects.filter(is_intelligence=True).values_list("code", flat=True)) == {
        "DGSI",
        "DGSE",
    }
    assert Unit.objects.get(code="MEAE-DCSD").parent.code == "MEAE"
    assert Unit.objects.get(code="MEAE-DSD").kind == UnitKind.PARTNER
    # Materialised paths are consistent with the parents.
    for unit in Unit.objects.select_related("parent"):
        expected = (unit.parent.path if unit.parent else "") + unit.code + "/"
        assert unit.path == expected and unit.depth == expected.count("/") - 1


def test_load_reference_countries_zones_and_partners(reference):
    assert Country.objects.count() == 249
    assert not Country.objects.filter(zone__isnull=True).exists()
    zones = {z.code: z for z in Zone.objects.select_related("division")}
    assert set(zones) == ZONES
    assert zones["europe"].division.code == "DCI-SDCS-EUR"
    assert zones["afrique-moyen-orient"].division.code == "DCI-SDCS-AFR"
    assert zones["ameriques-asie"].division.code == "DCI-SDCS-AMA"
    assert Country.objects.get(code="CI").name == "Côte d'Ivoire"
    assert Country.objects.get(code="ML").zone.code == "afrique-moyen-orient"

    assert PartnerBody.objects.count() == len(read_yaml("partners.yaml")["partners"])
    europol = PartnerBody.objects.get(acronym="Europol")
    assert (europol.kind, europol.country.code, europol.city) == (
        PartnerKind.EU_BODY,
        "NL",
        "La Haye",
    )
    assert PartnerBody.objects.get(acronym="Interpol").city == "Lyon"
    assert PartnerBody.objects.get(acronym="EUROGENDFOR").country.code == "IT"
    assert PartnerBody.objects.get(name="CIVIPOL").kind == PartnerKind.OPERATOR
    assert PartnerBody.objects.get(acronym="DCSD").kind == PartnerKind.FUNDER
    assert PartnerBody.objects.get(acronym="G7 Roma-Lyon").country is None
    for acronym in ["CEPOL", "Frontex", "ONUDC", "OSCE", "COSI", "LEWP", "GENVAL", "TAIEX"]:
        assert PartnerBody.objects.filter(acronym=acronym).exists(), acronym
    assert PartnerBody.objects.filter(
        kind=PartnerKind.FOREIGN_INSTITUTION, country__code="ES", name="Guardia Civil"
    ).exists()


def test_load_reference_twice_creates_nothing_and_keeps_edits(reference):
    counts = [Unit.objects.count(), Country.objects.count(), PartnerBody.objects.count()]
    Unit.objects.filter(code="DCI-CVO").update(name="Centre de veille (renommé)")
    Country.objects.filter(code="ES").update(name="España")
    PartnerBody.objects.filter(acronym="Europol").update(city="Den Haag")

    created = load_reference()

    assert set(created.values()) == {0}
    assert [Unit.objects.count(), Country.objects.count(), PartnerBody.objects.count()] == counts
    assert Unit.objects.get(code="DCI-CVO").name == "Centre de veille (renommé)"
    assert Country.objects.get(code="ES").name == "España"
    assert PartnerBody.objects.get(acronym="Europol").city == "Den Haag"


def test_load_reference_recreates_only_what_is_missing(reference):
    PartnerBody.objects.filter(acronym="Frontex").delete()
    Unit.objects.filter(code="DCI-SDCS-AMA").update(name="Division Amériques (renommée)")

    created = load_reference()

    assert created["organismes partenaires"] == 1
    assert created["unités"] == 0
    assert PartnerBody.objects.filter(acronym="Frontex").count() == 1
    assert Unit.objects.get(code="DCI-SDCS-AMA").name == "Division Amériques (renommée)"


# --- Demo data in the database ----------------------------------------------------------


def test_demo_posts_in_the_database(demo):
    assert Post.objects.count() == len(demo_posts())
    madrid = Post.objects.with_related().get(unit__code="SSI-MADRID")
    assert madrid.unit.parent.code == "DCI-RESEAU"
    assert madrid.unit.name == "Service de sécurité intérieure de Madrid"
    assert madrid.host_country.code == "ES"
    assert {c.code for c in madrid.countries.all()} == {"ES", "AD"}
    assert Post.objects.get(unit__code="SSI-ABIDJAN").unit.name.endswith("d'Abidjan")
    assert Post.objects.get(unit__code="SSI-LE-CAIRE").unit.name.endswith("du Caire")
    for post in Post.objects.with_related():
        assert post.unit.kind == UnitKind.POST
        assert not post.unit.is_dci_headquarters


def test_demo_staff(demo):
    abroad = Person.objects.filter(unit__kind=UnitKind.POST)
    assert 250 <= abroad.count() <= 300
    current = Assignment.objects.current()
    # Exactly one current ASI per post.
    asi_per_post = Counter(
        current.filter(function=Function.ASI).values_list("unit__code", flat=True)
    )
    assert set(asi_per_post.values()) == {1}
    assert len(asi_per_post) == Post.objects.count()
    # Madrid: 17 staff; N'Djamena: the ASI and three ETI (context.md).
    assert Person.objects.filter(unit__code="SSI-MADRID").count() == 17
    ndjamena = Counter(current.filter(unit__code="SSI-NDJAMENA").values_list("function", flat=True))
    assert ndjamena == {Function.ASI: 1, Function.ETI: 3}
    # Liaison officers have themes; some staff have a finished earlier posting.
    liaison = current.filter(function=Function.LIAISON_OFFICER)
    assert liaison.exists() and not liaison.filter(theme="").exists()
    assert Assignment.objects.filter(end_date__isnull=False).count() > 30
    for end in Assignment.objects.filter(end_date__isnull=False).values_list("end_date", flat=True):
        assert end.month == 8 and end.day == 31
    # About 18 civil-protection advisers.
    assert 15 <= abroad.filter(corps=Corps.CIVIL_PROTECTION).count() <= 20
    # Grades match the corps.
    for person in abroad.filter(corps=Corps.POLICE):
        assert person.grade in POLICE_GRADES, person.grade
    for person in abroad.filter(corps=Corps.GENDARMERIE):
        assert person.grade in GENDARMERIE_GRADES, person.grade
    # No two staff with the same name; demo e-mail addresses only.
    names = Counter(abroad.values_list("first_name", "last_name"))
    assert max(names.values()) == 1
    assert not abroad.exclude(email__endswith="@" + DEMO_EMAIL_DOMAIN).exists()


def test_demo_accounts(demo):
    expected = {
        "admin": (Role.ADMINISTRATEUR, "DCI-SDAF"),
        "pilotage": (Role.PILOTAGE, "DCI-CAB"),
        "charge.afrique": (Role.CHARGE_MISSION, "DCI-SDCS-AFR"),
        "analyste": (Role.ANALYSTE, "DCI-CVO"),
        "attache.madrid": (Role.ATTACHE, "SSI-MADRID"),
        "attache.bamako": (Role.ATTACHE, "SSI-BAMAKO"),
        "correspondant.dgpn": (Role.CORRESPONDANT, "DGPN"),
        "correspondant.dgef": (Role.CORRESPONDANT, "DGEF"),
        "lecteur": (Role.LECTEUR, "DCI-AUDIT"),
    }
    users = {u.username: u for u in User.objects.select_related("unit")}
    assert set(users) == set(expected)
    assert [a.username for a in demo_accounts()] == list(expected)
    for username, (role, unit) in expected.items():
        user = users[username]
        assert (user.role, user.unit.code) == (role, unit), username
        assert user.first_name and user.last_name and user.is_active
        clearance = Marking.NON_PROTEGE if username == "admin" else Marking.DIFFUSION_RESTREINTE
        assert user.clearance == clearance, username
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert not any(u.is_staff or u.is_superuser for n, u in users.items() if n != "admin")
    assert check_password(demo_password(), users["lecteur"].password)
    assert users["lecteur"].password.startswith("argon2")
    # Roles behave as their unit says.
    assert users["pilotage"].in_headquarters and users["charge.afrique"].in_headquarters
    assert users["attache.madrid"].post.city == "Madrid"
    assert not users["attache.madrid"].in_headquarters
    assert users["correspondant.dgef"].directorate.code == "DGEF"
    # The attachés are the ASI of their post (same name and e-mail).
    for username in ["attache.madrid", "attache.bamako"]:
        user = users[username]
        person = Person.objects.get(email=user.email)
        assert (person.first_name, person.last_name) == (user.first_name, user.last_name)
        assert person.unit == user.unit
        assert person.assignments.current().get().function == Function.ASI


def test_load_demo_twice_creates_nothing_and_keeps_edits(demo):
    counts = [
        Unit.objects.count(),
        Post.objects.count(),
        Person.objects.count(),
        Assignment.objects.count(),
        User.objects.count(),
    ]
    madrid = Post.objects.get(unit__code="SSI-MADRID")
    madrid.embassy = "Ambassade (modifiée)"
    madrid.save()
    madrid.countries.remove(Country.objects.get(code="AD"))
    User.objects.filter(username="lecteur").update(role=Role.PILOTAGE, first_name="Modifié")

    created = load_demo()

    assert set(created.values()) == {0}
    assert [
        Unit.objects.count(),
        Post.objects.count(),
        Person.objects.count(),
        Assignment.objects.count(),
        User.objects.count(),
    ] == counts
    madrid.refresh_from_db()
    assert madrid.embassy == "Ambassade (modifiée)"
    assert {c.code for c in madrid.countries.all()} == {"ES"}
    lecteur = User.objects.get(username="lecteur")
    assert (lecteur.role, lecteur.first_name) == (Role.PILOTAGE, "Modifié")


def test_a_deleted_post_comes_back_without_doubling_its_staff(demo):
    people = Person.objects.count()
    Post.objects.filter(unit__code="SSI-BAMAKO").delete()

    created = load_demo()

    assert (created["postes"], created["agents"], created["unités"]) == (1, 0, 0)
    assert Person.objects.count() == people
    assert {c.code for c in Post.objects.get(unit__code="SSI-BAMAKO").countries.all()} == {"ML"}


def test_load_demo_is_deterministic(demo):
    first = sorted(Person.objects.values_list("first_name", "last_name", "grade", "unit__code"))
    Assignment.objects.all().delete()
    Person.objects.all().delete()
    Post.objects.all().delete()
    load_demo()
    again = sorted(Person.objects.values_list("first_name", "last_name", "grade", "unit__code"))
    assert again == first


def test_load_demo_needs_the_reference(db):
    from relais.referential.loaders import LoadError

    with pytest.raises(LoadError, match="load-reference"):
        load_demo()


# --- Django admin -------------------------------------------------------------------------

ADMIN_PAGES = [
    ("referential/unit/", "unité", "Direction centrale de la police judiciaire"),
    ("referential/zone/", "zone", "Afrique, Afrique du Nord et Moyen-Orient"),
    ("referential/country/", "pays", "Andorre"),
    ("referential/post/", "poste (SSI)", "Ambassade de France en Espagne"),
    ("referential/partnerbody/", "organisme partenaire", "Guardia Civil"),
    ("referential/person/", "agent", "MARCHETTI"),
    ("referential/assignment/", "affectation", "Attaché de sécurité intérieure"),
    ("accounts/user/", "utilisateur", "correspondant.dgef"),
    ("accounts/apitoken/", "jeton d'API", "Révoquer les jetons sélectionnés"),
]


@pytest.mark.parametrize(("path", "verbose_name", "content"), ADMIN_PAGES)
def test_admin_lists_for_the_administrator(
    users, client_for, staff, partners, path, verbose_name, content
):
    ApiToken.issue(users.correspondant_dgpn, "Jeton de test")
    response = client_for(users.admin).get(f"/admin/{path}")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert f"Sélectionnez l’objet {verbose_name} à changer" in page
    assert content in page


def test_admin_change_pages_render(users, client_for, staff, org):
    client = client_for(users.admin)
    pages = {
        f"/admin/referential/unit/{org.network.pk}/change/": "SSI-MADRID",  # child units
        f"/admin/referential/zone/{org.europe.pk}/change/": "Espagne",  # its countries
        f"/admin/referential/post/{org.madrid.pk}/change/": "Andorre",
        f"/admin/referential/person/{staff.madrid_former.pk}/change/": "2021",  # assignments
        f"/admin/accounts/user/{users.attache_madrid.pk}/change/": "Rôle et périmètre",
    }
    for url, content in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert content in html.unescape(response.content.decode()), url


def test_admin_revokes_tokens_with_an_audit_event(users, client_for):
    token, _ = ApiToken.issue(users.correspondant_dgpn, "Jeton à révoquer")
    response = client_for(users.admin).post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk], "index": 0},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.for_object(users.correspondant_dgpn).latest("pk")
    assert event.actor_username == "admin"
    assert event.extra["operation"] == "révocation par un administrateur"


def _listed(client, url) -> set[str]:
    """The rows of an admin change list, as their `str()`."""
    response = client.get(url)
    assert response.status_code == 200
    return {str(obj) for obj in response.context["cl"].result_list}


def test_admin_search_and_filters(users, client_for, org):
    client = client_for(users.admin)
    assert _listed(client, "/admin/referential/unit/?q=Madrid") == {
        "Service de sécurité intérieure de Madrid (SSI Madrid)"
    }
    posts = _listed(client, "/admin/referential/unit/?kind__exact=post")
    assert posts == {
        "Service de sécurité intérieure de Madrid (SSI Madrid)",
        "Service de sécurité intérieure de Bamako (SSI Bamako)",
    }
    attaches = _listed(client, "/admin/accounts/user/?role__exact=attache")
    assert {u.split("(")[-1] for u in attaches} == {"attache.madrid)", "attache.bamako)"}
    # A post is found by a country it covers.
    assert _listed(client, "/admin/referential/post/?q=Andorre") == {"SSI Madrid"}
    zone = org.africa_zone.pk
    assert _listed(client, f"/admin/referential/country/?zone__id__exact={zone}") == {"Mali"}


def test_admin_is_refused_to_other_roles(users, client_for):
    for user in [users.pilotage, users.attache_madrid, users.lecteur]:
        response = client_for(user).get("/admin/referential/unit/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_admin_change_goes_through_records(users, client_for, org):
    client = client_for(users.admin)
    unit = org.dcpj
    response = client.post(
        f"/admin/referential/unit/{unit.pk}/change/",
        {
            "name": "Direction nationale de la police judiciaire",
            "short_name": "DNPJ",
            "kind": UnitKind.SERVICE,
            "description": "",
            "beneficiary": "",
            "marking": Marking.NON_PROTEGE,
            "children-TOTAL_FORMS": "0",
            "children-INITIAL_FORMS": "0",
            "children-MIN_NUM_FORMS": "0",
            "children-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit.refresh_from_db()
    assert unit.name == "Direction nationale de la police judiciaire"
    assert unit.version == 2 and unit.updated_by == users.admin
    assert unit.code == "DCPJ" and unit.parent == org.dgpn  # fixed once created
    event = AuditEvent.objects.for_object(unit).latest("pk")
    assert event.actor_username == "admin"
    assert event.changes["name"][1] == "Direction nationale de la police judiciaire"


def test_admin_user_change_is_audited_without_password(users, client_for):
    client = client_for(users.admin)
    target = users.lecteur
    response = client.post(
        f"/admin/accounts/user/{target.pk}/change/",
        {
            "username": target.username,
            "first_name": target.first_name,
            "last_name": target.last_name,
            "email": target.email,
            "role": Role.ANALYSTE,
            "unit": target.unit_id,
            "clearance": target.clearance,
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    target.refresh_from_db()
    assert target.role == Role.ANALYSTE
    event = AuditEvent.objects.for_object(target).latest("pk")
    assert event.changes == {"role": [Role.LECTEUR, Role.ANALYSTE]}
    assert "password" not in str(event.changes)
