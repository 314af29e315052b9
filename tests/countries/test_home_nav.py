"""Navigation entry and the attachés' home section."""

import re


def test_nav_has_the_countries_entry(users, client_for, org):
    html = client_for(users.correspondant_dgpn).get("/").content.decode()
    assert re.search(r'<a class="fr-nav__link" href="/pays/"[^>]*>\s*Pays\s*</a>', html)


def test_attache_home_links_the_sheets_of_their_post_countries(users, client_for, org):
    html = client_for(users.attache_madrid).get("/").content.decode()
    assert "Fiches pays de mon poste" in html
    assert '<a href="/pays/AD/">Andorre</a>' in html
    assert '<a href="/pays/ES/">Espagne</a>' in html
    assert '<a href="/pays/ML/">' not in html
    bamako = client_for(users.attache_bamako).get("/").content.decode()
    assert '<a href="/pays/ML/">Mali</a>' in bamako
    assert '<a href="/pays/ES/">' not in bamako


def test_other_roles_have_no_post_section(users, client_for, org):
    for user in (users.pilotage, users.correspondant_dgpn, users.lecteur):
        html = client_for(user).get("/").content.decode()
        assert "Fiches pays de mon poste" not in html
