"""A small organisation and one user per role, for tests of every app.

`org` builds: MI › DGPN › DCPJ (a service), MI › DGEF, MI › DGSI (intelligence), MI › DCI with
its cabinet, the Africa division and the network of posts (SSI Madrid covering ES/AD, SSI Bamako
covering ML). `users` holds one user per demo account name.
"""

from types import SimpleNamespace

import pytest

from relais.accounts.roles import Role
from relais.core.markings import Marking
from relais.referential.models import Beneficiary, UnitKind
from tests.factories import CountryFactory, PostFactory, UnitFactory, UserFactory, ZoneFactory


@pytest.fixture
def org(db):
    mi = UnitFactory(
        code="MI", name="Ministère de l'Intérieur", short_name="MI", kind=UnitKind.MINISTRY
    )
    dgpn = UnitFactory(
        code="DGPN",
        name="Direction générale de la police nationale",
        short_name="DGPN",
        kind=UnitKind.DIRECTORATE,
        parent=mi,
        beneficiary=Beneficiary.DGPN,
    )
    dcpj = UnitFactory(
        code="DCPJ",
        name="Direction centrale de la police judiciaire",
        short_name="DCPJ",
        parent=dgpn,
    )
    dgef = UnitFactory(
        code="DGEF",
        name="Direction générale des étrangers en France",
        short_name="DGEF",
        kind=UnitKind.DIRECTORATE,
        parent=mi,
        beneficiary=Beneficiary.DGEF,
    )
    dgsi = UnitFactory(
        code="DGSI",
        name="Direction générale de la sécurité intérieure",
        short_name="DGSI",
        kind=UnitKind.INTELLIGENCE,
        parent=mi,
        is_intelligence=True,
    )
    dci = UnitFactory(
        code="DCI",
        name="Direction de la coopération internationale",
        short_name="DCI",
        kind=UnitKind.DIRECTORATE,
        parent=mi,
    )
    cabinet = UnitFactory(
        code="DCI-CAB", name="Cabinet", short_name="Cabinet", kind=UnitKind.DIVISION, parent=dci
    )
    audit_unit = UnitFactory(
        code="DCI-AUDIT",
        name="Mission d'analyse prospective et d'audit",
        short_name="Audit",
        kind=UnitKind.DIVISION,
        parent=dci,
    )
    africa = UnitFactory(
        code="DCI-SDCS-AFR",
        name="Division Afrique, Afrique du Nord et Moyen-Orient",
        short_name="Division Afrique",
        kind=UnitKind.DIVISION,
        parent=dci,
    )
    analysis = UnitFactory(
        code="DCI-CVO",
        name="Centre de veille opérationnelle",
        short_name="CVO",
        kind=UnitKind.DIVISION,
        parent=dci,
    )
    network = UnitFactory(
        code="DCI-RESEAU",
        name="Réseau des services de sécurité intérieure",
        short_name="Réseau",
        kind=UnitKind.DIVISION,
        parent=dci,
    )
    europe = ZoneFactory(code="europe", name="Europe", division=None, order=1)
    africa_zone = ZoneFactory(
        code="afrique-moyen-orient",
        name="Afrique, Afrique du Nord et Moyen-Orient",
        division=africa,
        order=2,
    )
    spain = CountryFactory(code="ES", code3="ESP", name="Espagne", zone=europe)
    andorra = CountryFactory(code="AD", code3="AND", name="Andorre", zone=europe)
    mali = CountryFactory(code="ML", code3="MLI", name="Mali", zone=africa_zone)
    madrid = PostFactory(
        unit=UnitFactory(
            code="SSI-MADRID",
            name="Service de sécurité intérieure de Madrid",
            short_name="SSI Madrid",
            kind=UnitKind.POST,
            parent=network,
        ),
        city="Madrid",
        embassy="Ambassade de France en Espagne",
        host_country=spain,
        countries=[spain, andorra],
    )
    bamako = PostFactory(
        unit=UnitFactory(
            code="SSI-BAMAKO",
            name="Service de sécurité intérieure de Bamako",
            short_name="SSI Bamako",
            kind=UnitKind.POST,
            parent=network,
        ),
        city="Bamako",
        embassy="Ambassade de France au Mali",
        host_country=mali,
        countries=[mali],
    )
    return SimpleNamespace(
        mi=mi,
        dgpn=dgpn,
        dcpj=dcpj,
        dgef=dgef,
        dgsi=dgsi,
        dci=dci,
        cabinet=cabinet,
        audit=audit_unit,
        africa=africa,
        analysis=analysis,
        network=network,
        europe=europe,
        africa_zone=africa_zone,
        spain=spain,
        andorra=andorra,
        mali=mali,
        madrid=madrid,
        bamako=bamako,
    )


@pytest.fixture
def users(org):
    dr = Marking.DIFFUSION_RESTREINTE

    def make(username, role, unit, clearance=dr, **kw):
        return UserFactory(username=username, role=role, unit=unit, clearance=clearance, **kw)

    return SimpleNamespace(
        admin=make(
            "admin",
            Role.ADMINISTRATEUR,
            org.dci,
            clearance=Marking.NON_PROTEGE,
            is_staff=True,
            is_superuser=True,
        ),
        pilotage=make("pilotage", Role.PILOTAGE, org.cabinet),
        charge_afrique=make("charge.afrique", Role.CHARGE_MISSION, org.africa),
        analyste=make("analyste", Role.ANALYSTE, org.analysis),
        attache_madrid=make("attache.madrid", Role.ATTACHE, org.madrid.unit),
        attache_bamako=make("attache.bamako", Role.ATTACHE, org.bamako.unit),
        correspondant_dgpn=make("correspondant.dgpn", Role.CORRESPONDANT, org.dgpn),
        correspondant_dgef=make("correspondant.dgef", Role.CORRESPONDANT, org.dgef),
        lecteur=make("lecteur", Role.LECTEUR, org.audit),
    )


@pytest.fixture
def client_for(db):
    """`client_for(user)` returns a new test client logged in as `user`."""
    from django.test import Client

    def login(user):
        client = Client()
        client.force_login(user)
        return client

    return login
