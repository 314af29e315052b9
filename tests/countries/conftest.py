"""Data for the country sheet tests: staff at Madrid and Bamako, partner bodies in Spain."""

import datetime
from types import SimpleNamespace

import pytest

from relais.core.markings import Marking
from relais.referential.models import Corps, Function, PartnerKind
from tests.factories import AssignmentFactory, PartnerBodyFactory, PersonFactory


@pytest.fixture
def sheet_data(org):
    alvarez = PersonFactory(
        first_name="Claire",
        last_name="Dumoulin",
        grade="Commissaire divisionnaire",
        corps=Corps.POLICE,
        unit=org.madrid.unit,
    )
    AssignmentFactory(person=alvarez, function=Function.ASI, start_date=datetime.date(2023, 9, 1))
    former = PersonFactory(first_name="Paul", last_name="Ancien", unit=org.madrid.unit)
    AssignmentFactory(
        person=former,
        function=Function.DEPUTY,
        start_date=datetime.date(2019, 9, 1),
        end_date=datetime.date(2022, 8, 31),
    )
    traore = PersonFactory(
        first_name="Marc", last_name="Keita", corps=Corps.GENDARMERIE, unit=org.bamako.unit
    )
    AssignmentFactory(person=traore, function=Function.ASI)
    guardia = PartnerBodyFactory(
        name="Guardia Civil",
        kind=PartnerKind.FOREIGN_INSTITUTION,
        country=org.spain,
        city="Madrid",
        website="https://www.guardiacivil.es",
    )
    restricted = PartnerBodyFactory(
        name="Unité conjointe restreinte",
        kind=PartnerKind.FOREIGN_INSTITUTION,
        country=org.spain,
        marking=Marking.DIFFUSION_RESTREINTE,
    )
    PartnerBodyFactory(name="Police nationale malienne", country=org.mali)
    return SimpleNamespace(
        madrid_asi=alvarez, former=former, bamako_asi=traore, guardia=guardia, restricted=restricted
    )
