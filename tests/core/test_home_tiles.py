"""Every count on the home page is the total of the list it opens, for every demo role.

The demo is loaded once; each demo account opens its home page, then every tile that shows a
count: the list's « N résultats » must be that count. Tiles are built with
`relais.core.home.list_tile` (the list's FilterSet, base queryset and parameters), so the link and
the count cannot diverge; this test catches a tile that counts something else.
"""

import re

import pytest
import yaml
from django.core.management import call_command
from django.test import Client

from relais.accounts.models import User
from relais.core.home import sections_for
from relais.referential.loaders import DATA_DIR

pytestmark = pytest.mark.django_db

TOTAL = re.compile(r'role="status">\s*([\d\s\u202f\u00a0]+)\s*résultat')

#: Tiles opening a page that is not (yet) a list with a total: a queue section, a calendar, a
#: post's page, a section of « ma direction ». Their counts are checked by their modules' tests.
NOT_A_LIST = {
    "Fiches à valider",
    "Fiches à diffuser",
    "Accusés de réception en retard",
    "Fiches reçues à accuser",
    "Fiches de mon unité en brouillon",
    "Échéances des 90 prochains jours",
    "Observations attendues de ma direction",
}


def test_every_home_count_is_the_total_of_the_list_it_opens():
    call_command("load_reference", verbosity=0)
    call_command("load_demo", verbosity=0)
    accounts = yaml.safe_load((DATA_DIR / "demo" / "accounts.yaml").read_text(encoding="utf-8"))
    usernames = [a["username"] for a in accounts["accounts"]]
    checked, wrong = 0, []
    for user in User.objects.filter(username__in=usernames).order_by("username"):
        client = Client()
        client.force_login(user)
        for _section, items in sections_for(user):
            for item in items:
                if item.count is None or item.label in NOT_A_LIST:
                    continue
                response = client.get(item.url)
                assert response.status_code == 200, (user.username, item.url)
                found = TOTAL.search(response.content.decode())
                if found is None:
                    is_post = item.url.startswith("/organisation/postes/") and item.url != (
                        "/organisation/postes/"
                    )
                    if not is_post:
                        wrong.append(
                            f"{user.username} « {item.label} » : pas de total sur {item.url}"
                        )
                    continue
                total = int(re.sub(r"\D", "", found.group(1)))
                checked += 1
                if total != item.count:
                    wrong.append(
                        f"{user.username} « {item.label} » : {item.count} sur l'accueil, "
                        f"{total} sur {item.url}"
                    )
    assert not wrong, "\n".join(wrong)
    assert checked >= 60  # every role's tiles were opened
