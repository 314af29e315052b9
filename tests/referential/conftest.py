"""Staff for the referential tests: two people in the Madrid post (and a former one), one in
Bamako, one in the DGPN's DCPJ, plus a few partner bodies. All names are invented."""

import datetime
from types import SimpleNamespace

import pytest

from relais.referential.models import Corps, Function, PartnerKind
from tests.factories import AssignmentFactory, PartnerBodyFactory, PersonFactory


@pytest.fixture
def staff(org):
    def person(first, last, unit, function, *, corps=Corps.POLICE, theme="", start=None, end=None):
        someone = PersonFactory(
            first_name=first,
            last_name=last,
            unit=unit,
            corps=corps,
            email=f"{first.lower()}.{last.lower()}@interieur.test",
            phone="+34 000 00 00",
        )
        AssignmentFactory(
            person=someone,
            unit=unit,
            function=function,
            theme=theme,
            start_date=start or datetime.date(2023, 9, 1),
            end_date=end,
        )
        return someone

    return SimpleNamespace(
        madrid_asi=person("Hélène", "Marchetti", org.madrid.unit, Function.ASI),
        madrid_liaison=person(
            "Julien",
            "Ferrand",
            org.madrid.unit,
            Function.LIAISON_OFFICER,
            corps=Corps.GENDARMERIE,
            theme="Immigration irrégulière",
        ),
        madrid_former=person(
            "Gaston",
            "Vidalenc",
            org.madrid.unit,
            Function.DEPUTY,
            start=datetime.date(2018, 9, 1),
            end=datetime.date(2021, 8, 31),
        ),
        bamako_asi=person("Arnaud", "Delorme", org.bamako.unit, Function.ASI),
        dcpj=person("Sophie", "Renaudin", org.dcpj, Function.ASSISTANT),
    )


@pytest.fixture
def partners(org):
    return SimpleNamespace(
        europol=PartnerBodyFactory(
            name="Agence de l'Union européenne pour la coopération des services répressifs",
            acronym="Europol",
            kind=PartnerKind.EU_BODY,
            city="La Haye",
        ),
        guardia=PartnerBodyFactory(
            name="Guardia Civil",
            kind=PartnerKind.FOREIGN_INSTITUTION,
            country=org.spain,
            city="Madrid",
        ),
        police_mali=PartnerBodyFactory(
            name="Police nationale du Mali",
            kind=PartnerKind.FOREIGN_INSTITUTION,
            country=org.mali,
            city="Bamako",
        ),
    )
