"""What the referential's edit pages change, through the API (administrators, version, audit),
and the zones."""

from relais.core.audit.models import Action
from relais.referential.models import Unit
from tests.api_checks import last_event, queries_for, send
from tests.factories import ZoneFactory
from tests.matrix import Persona, check_matrix


def test_unit_edit_matrix_version_and_audit(users, org, client_for):
    url = "/api/v1/units/SSI-MADRID/"
    unit = Unit.objects.get(code="SSI-MADRID")
    responses = check_matrix(
        url,
        method="patch",
        data={"short_name": "SSI Madrid (Espagne)", "version": unit.version},
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_bamako, 403),
        read_only=(users.lecteur, 403),
        right_user=(users.admin, 200),
    )
    assert responses["right_user"].json()["short_name"] == "SSI Madrid (Espagne)"
    event = last_event(unit, Action.UPDATE)
    assert event.actor == users.admin and event.changes["short_name"][1] == "SSI Madrid (Espagne)"
    client = client_for(users.admin)
    stale = send(client, "patch", url, {"short_name": "x", "version": unit.version})
    assert stale.status_code == 409
    assert send(client, "patch", url, {"short_name": "x"}).json().keys() >= {"version"}
    bad = send(client, "patch", url, {"kind": "nimporte", "version": unit.version + 1})
    assert bad.status_code == 400 and "kind" in bad.json()
    secret = send(client, "patch", url, {"marking": "secret", "version": unit.version + 1})
    assert secret.status_code == 400 and "marking" in secret.json()


def test_post_person_partner_edits(users, org, staff, partners, client_for):
    client = client_for(users.admin)
    post = org.madrid
    response = send(
        client,
        "patch",
        "/api/v1/posts/SSI-MADRID/",
        {"countries": ["ES", "AD"], "phone": "+34 91 000 00 00", "version": post.version},
    )
    assert response.status_code == 200, response.content
    post.refresh_from_db()
    assert {c.code for c in post.countries.all()} == {"ES", "AD"}
    assert last_event(post, Action.UPDATE).actor == users.admin
    bad = send(
        client, "patch", "/api/v1/posts/SSI-MADRID/", {"countries": ["ZZ"], "version": post.version}
    )
    assert bad.status_code == 400 and "countries" in bad.json()

    person = staff.madrid_asi
    url = f"/api/v1/people/{person.pk}/"
    changed = send(
        client,
        "patch",
        url,
        {
            "grade": "Commissaire général",
            "email": "helene.marchetti@interieur.test",
            "version": person.version,
        },
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["grade"] == "Commissaire général"
    last_event(person, Action.UPDATE)
    check_matrix(
        url,
        method="patch",
        data={"grade": "x", "version": person.version + 1},
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_madrid, 403),
        read_only=(users.lecteur, 403),
    )

    partner = partners.guardia
    url = f"/api/v1/partners/{partner.pk}/"
    changed = send(client, "patch", url, {"city": "Madrid (siège)", "version": partner.version})
    assert changed.status_code == 200 and changed.json()["city"] == "Madrid (siège)"
    last_event(partner, Action.UPDATE)
    bad = send(client, "patch", url, {"website": "pas une adresse", "version": partner.version + 1})
    assert bad.status_code == 400 and "website" in bad.json()


def test_zones(users, org, client_for):
    responses = check_matrix(
        "/api/v1/zones/",
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_bamako, 200),
        read_only=(users.lecteur, 200),
        right_user=(users.charge_afrique, 200),
    )
    zones = {z["code"]: z for z in responses["right_user"].json()["results"]}
    assert zones["afrique-moyen-orient"]["division"] == org.africa.code
    assert zones["afrique-moyen-orient"]["countries"] == ["ML"]
    assert sorted(zones["europe"]["countries"]) == ["AD", "ES"]
    client = client_for(users.lecteur)
    assert client.get("/api/v1/zones/europe/").json()["name"] == "Europe"
    assert client.get("/api/v1/zones/nulle-part/").status_code == 404
    before = queries_for(client, "/api/v1/zones/?limit=100")
    for n in range(40):
        ZoneFactory(code=f"zone-{n}", name=f"Zone {n}", order=10 + n)
    assert queries_for(client, "/api/v1/zones/?limit=100") == before
