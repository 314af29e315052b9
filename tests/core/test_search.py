"""Global search: full-text engine of the database, accent-insensitive, index follows every write,
results grouped by kind and always filtered by visible_to, fixed query budget."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relais.core import records
from relais.core.search.index import normalise, rebuild
from relais.core.search.models import SearchEntry
from relais.core.search.query import QueryTooShort, search
from relais.core.search.registry import get_registration
from relais.referential.models import Person, Post, Unit
from tests.factories import PartnerBodyFactory, PersonFactory, UnitFactory


def kinds(groups):
    return {g.kind: g for g in groups}


def titles(groups, kind):
    return [e.title for e in kinds(groups)[kind].entries] if kind in kinds(groups) else []


@pytest.fixture
def staff(org):
    """One person at SSI Madrid, one at SSI Bamako."""
    return {
        "madrid": PersonFactory(
            first_name="Inès",
            last_name="Garçon",
            grade="Commissaire",
            function="Attachée de sécurité intérieure",
            unit=org.madrid.unit,
        ),
        "bamako": PersonFactory(
            first_name="Moussa",
            last_name="Keïta",
            grade="Commandant",
            function="Officier de liaison",
            unit=org.bamako.unit,
        ),
    }


# --- Registration and the engine ------------------------------------------------------------


def test_referential_is_registered_by_autodiscovery():
    for model in (Unit, Post, Person):
        assert get_registration(model) is not None, model


def test_engine_objects_exist_in_the_database(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_searchentry_fts'")
            sql = cursor.fetchone()[0]
            assert "fts5" in sql and "remove_diacritics 2" in sql
        else:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'search_searchentry_vector_gin'"
            )
            assert "gin" in cursor.fetchone()[0].lower()
            cursor.execute(
                "SELECT generation_expression FROM information_schema.columns "
                "WHERE table_name = 'search_searchentry' AND column_name = 'search_vector'"
            )
            assert "french" in cursor.fetchone()[0]


def test_normalise_removes_accents_case_and_ligatures():
    assert normalise("Œuvre de la SÉCURITÉ intérieure, Bamako !") == (
        "oeuvre de la securite interieure bamako"
    )


# --- Finding things --------------------------------------------------------------------------


def test_finds_posts_units_and_countries_accent_insensitive(users, org):
    groups = search(users.pilotage, "securite interieure madrid")
    assert "SSI Madrid — Ambassade de France en Espagne" in titles(groups, "Postes à l'étranger")
    assert any("Madrid" in t for t in titles(groups, "Unités"))
    assert "SSI Bamako — Ambassade de France au Mali" not in titles(groups, "Postes à l'étranger")
    # Accents in the query are ignored as well.
    groups = search(users.pilotage, "ÉSPAGNE")
    assert "Espagne" in titles(groups, "Pays")


def test_last_word_is_a_prefix(users, org):
    groups = search(users.pilotage, "ambassade bamak")
    assert titles(groups, "Postes à l'étranger") == ["SSI Bamako — Ambassade de France au Mali"]


def test_iso_codes_find_countries_and_the_posts_covering_them(users, org):
    groups = search(users.pilotage, "AND")
    assert "Andorre" in titles(groups, "Pays")
    assert "SSI Madrid — Ambassade de France en Espagne" in titles(groups, "Postes à l'étranger")


def test_results_are_grouped_by_kind_with_counts(users, org):
    for i in range(3):
        PartnerBodyFactory(name=f"Académie de police numéro {i}")
    groups = kinds(search(users.pilotage, "academie police", limit_per_kind=2))
    group = groups["Organismes partenaires"]
    assert group.total == 3
    assert len(group.entries) == 2
    assert group.truncated


def test_query_too_short_is_refused(users):
    with pytest.raises(QueryTooShort):
        search(users.pilotage, " é ! ")


def test_anonymous_gets_nothing(org):
    from django.contrib.auth.models import AnonymousUser

    assert search(AnonymousUser(), "madrid") == []


# --- Visibility ------------------------------------------------------------------------------


def test_people_follow_visible_to(users, staff):
    assert titles(search(users.attache_madrid, "garcon"), "Agents") == ["Inès GARÇON"]
    assert titles(search(users.attache_bamako, "garcon"), "Agents") == []
    assert titles(search(users.attache_bamako, "keita"), "Agents") == ["Moussa KEÏTA"]
    # Headquarters sees both; a directorate correspondent sees neither.
    assert titles(search(users.pilotage, "commissaire"), "Agents") == ["Inès GARÇON"]
    assert titles(search(users.correspondant_dgpn, "garcon keita"), "Agents") == []


def test_counts_only_count_what_the_user_may_see(users, org):
    for i in range(5):
        PersonFactory(last_name=f"Durand{i}", grade="Lieutenant", unit=org.madrid.unit)
    PersonFactory(last_name="Durand-Mali", grade="Lieutenant", unit=org.bamako.unit)
    madrid = kinds(search(users.attache_madrid, "lieutenant"))
    bamako = kinds(search(users.attache_bamako, "lieutenant"))
    assert madrid["Agents"].total == 5
    assert bamako["Agents"].total == 1


def test_diffusion_restreinte_rows_need_the_clearance(users, org):
    PersonFactory(last_name="Restreint", unit=org.cabinet, marking="diffusion_restreinte")
    assert titles(search(users.pilotage, "restreint"), "Agents")
    users.pilotage.clearance = "non_protege"
    users.pilotage.save(update_fields=["clearance"])
    assert titles(search(users.pilotage, "restreint"), "Agents") == []


# --- The index follows every write ----------------------------------------------------------


def test_records_create_update_delete_keep_the_index(users, org):
    person = Person(
        first_name="Hélène",
        last_name="Zéphyr",
        corps="police",
        unit=org.madrid.unit,
    )
    records.create(person, users.admin)
    assert titles(search(users.pilotage, "zephyr"), "Agents") == ["Hélène ZÉPHYR"]

    person.last_name = "Aquilon"
    records.update(person, users.admin, expected_version=person.version)
    assert titles(search(users.pilotage, "zephyr"), "Agents") == []
    assert titles(search(users.pilotage, "aquilon"), "Agents") == ["Hélène AQUILON"]

    records.delete(person, users.admin)
    assert titles(search(users.pilotage, "aquilon"), "Agents") == []
    assert not SearchEntry.objects.filter(model="referential.person").exists()


def test_many_to_many_values_written_through_records_are_indexed(users, org):
    post = org.bamako
    records.update(post, users.admin, m2m={"countries": [org.mali, org.andorra]})
    assert "SSI Bamako — Ambassade de France au Mali" in titles(
        search(users.pilotage, "andorre"), "Postes à l'étranger"
    )


def test_plain_save_is_indexed_by_the_safety_net(users, org):
    unit = UnitFactory(code="DCI-XYZ", name="Bureau des quinquennats")
    assert titles(search(users.pilotage, "quinquennats"), "Unités") == [str(unit)]
    unit.delete()
    assert titles(search(users.pilotage, "quinquennats"), "Unités") == []


def test_unregistered_models_are_not_indexed(users):
    assert not SearchEntry.objects.filter(model="accounts.user").exists()


def test_reindex_rebuilds_from_scratch(users, org, staff):
    SearchEntry.objects.all().delete()
    assert search(users.pilotage, "madrid") == []
    out = io.StringIO()
    call_command("reindex", stdout=out)
    output = out.getvalue()
    assert "Postes à l'étranger : 2" in output
    assert "Agents : 2" in output
    assert "Pays : 3" in output
    assert "Index reconstruit" in output
    assert titles(search(users.pilotage, "garcon"), "Agents") == ["Inès GARÇON"]
    # Rebuilding twice gives the same index (no duplicates).
    counts = rebuild()
    assert counts["Agents"] == 2
    assert SearchEntry.objects.filter(model="referential.person").count() == 2


# --- Query budget ----------------------------------------------------------------------------


def _queries_for(user, q):
    with CaptureQueriesContext(connection) as ctx:
        groups = search(user, q, limit_per_kind=10)
    return len(ctx.captured_queries), groups


@pytest.mark.parametrize("count", [10, 200])
def test_query_budget_is_fixed(users, org, count):
    for i in range(count):
        PersonFactory(last_name=f"Budget{i}", grade="Brigadier", unit=org.madrid.unit)
        PartnerBodyFactory(name=f"Brigadier partenaire {i}")
    queries, groups = _queries_for(users.pilotage, "brigadier")
    by_kind = kinds(groups)
    assert by_kind["Agents"].total == count
    assert by_kind["Organismes partenaires"].total == count
    # One query for the candidate kinds, one per kind that has matches.
    assert queries == 3
    queries, groups = _queries_for(users.attache_bamako, "brigadier")
    assert "Agents" not in kinds(groups)
    assert queries == 3


# --- Page and API ----------------------------------------------------------------------------


def test_page_requires_login(client, db):
    response = client.get("/recherche/?q=madrid")
    assert response.status_code == 302
    assert "/compte/connexion/" in response["Location"]


def test_page_groups_results_and_echoes_the_query(users, staff, client_for):
    response = client_for(users.attache_madrid).get("/recherche/", {"q": "garçon"})
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["search_query"] == "garçon"
    assert 'value="garçon"' in html  # echoed in the header search box
    assert "Agents" in html and "Inès GARÇON" in html
    assert html.count("<h1") == 1
    assert "1 résultat pour « garçon »" in html


def test_page_hides_out_of_scope_people(users, staff, client_for):
    html = client_for(users.attache_bamako).get("/recherche/", {"q": "garcon"}).content.decode()
    assert "GARÇON" not in html
    assert "Aucun résultat" in html


def test_page_too_short_query(users, client_for):
    response = client_for(users.pilotage).get("/recherche/", {"q": "a"})
    assert response.status_code == 400
    assert "Saisissez au moins 2 lettres" in response.content.decode()


def test_page_one_kind(users, org, client_for):
    for i in range(12):
        PartnerBodyFactory(name=f"Coopérative {i}")
    client = client_for(users.pilotage)
    html = client.get("/recherche/", {"q": "cooperative"}).content.decode()
    assert "Voir les 12 résultats" in html
    response = client.get("/recherche/", {"q": "cooperative", "type": "referential.partnerbody"})
    html = response.content.decode()
    assert len(response.context["groups"][0].entries) == 12
    assert len(re.findall(r'href="/organisation/partenaires/\d+/">Coopérative \d+</a>', html)) == 12


def test_api_search(users, staff, client_for):
    response = client_for(users.attache_madrid).get("/api/v1/search/", {"q": "garcon"})
    assert response.status_code == 200
    body = response.json()
    agents = next(g for g in body["groups"] if g["key"] == "referential.person")
    assert agents["kind"] == "Agents"
    assert agents["count"] == 1
    assert agents["results"][0]["title"] == "Inès GARÇON"
    assert agents["results"][0]["id"] == staff["madrid"].pk
    assert "Commissaire" in agents["results"][0]["excerpt"]


def test_api_respects_visibility(users, staff, client_for):
    body = client_for(users.attache_bamako).get("/api/v1/search/", {"q": "garcon"}).json()
    assert body["count"] == 0
    assert body["groups"] == []


def test_api_refusals(users, client_for, client, db):
    assert client.get("/api/v1/search/", {"q": "madrid"}).status_code in (401, 403)
    api = client_for(users.pilotage)
    response = api.get("/api/v1/search/", {"q": "é"})
    assert response.status_code == 400
    assert "q" in response.json()
    assert api.get("/api/v1/search/").status_code == 400
    assert api.get("/api/v1/search/", {"q": "madrid", "type": "nope"}).status_code == 400


def test_api_bearer_token(users, staff, client):
    from relais.accounts.services import create_api_token

    _token, raw = create_api_token(users.attache_madrid)
    response = client.get(
        "/api/v1/search/", {"q": "garcon"}, headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 200
    assert response.json()["count"] == 1
