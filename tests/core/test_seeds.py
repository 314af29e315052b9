"""Rows seeded by data migrations come back after a flush (post_migrate), and only when absent."""

import pytest
from django.core.management import call_command

from relais.agreements.models import Domain as AgreementDomain
from relais.cooperation.models import Domain as CooperationDomain


@pytest.mark.django_db(transaction=True)
def test_domains_survive_a_flush_and_user_edits_stay():
    assert CooperationDomain.objects.filter(code="civil_protection").exists()
    CooperationDomain.objects.filter(code="cyber").update(label="Cyber (libellé modifié)")
    call_command("flush", interactive=False, verbosity=0)
    assert CooperationDomain.objects.count() == 12
    assert AgreementDomain.objects.exists()
    # A plain migrate on a populated table changes nothing a user edited.
    CooperationDomain.objects.filter(code="cyber").update(label="Cyber (libellé modifié)")
    call_command("migrate", verbosity=0)
    assert CooperationDomain.objects.get(code="cyber").label == "Cyber (libellé modifié)"
