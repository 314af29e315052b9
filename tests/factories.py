"""factory_boy factories for the referential and accounts. Exposed as a pytest plugin."""

import datetime

import factory
from django.contrib.auth.hashers import make_password

from relais.accounts.models import User
from relais.accounts.roles import Role
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
    Zone,
)

PASSWORD = "mot-de-passe-de-test-2026"
_PASSWORD_HASH = None


def password_hash() -> str:
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = make_password(PASSWORD)
    return _PASSWORD_HASH


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"UNIT-{n}")
    name = factory.LazyAttribute(lambda o: f"Unité {o.code}")
    short_name = factory.LazyAttribute(lambda o: o.code)
    kind = UnitKind.SERVICE


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"zone-{n}")
    name = factory.LazyAttribute(lambda o: f"Zone {o.code}")


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    code3 = factory.LazyAttribute(lambda o: f"{o.code}X")
    name = factory.LazyAttribute(lambda o: f"Pays {o.code}")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    unit = factory.SubFactory(UnitFactory, kind=UnitKind.POST)
    city = factory.Sequence(lambda n: f"Ville {n}")
    embassy = factory.LazyAttribute(lambda o: f"Ambassade de France ({o.city})")
    host_country = factory.SubFactory(CountryFactory)

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create:
            self.countries.set(extracted if extracted is not None else [self.host_country])


class PartnerBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerBody

    name = factory.Sequence(lambda n: f"Organisme partenaire {n}")
    kind = PartnerKind.INTERNATIONAL_ORGANISATION


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    corps = Corps.POLICE
    grade = "Commandant"
    unit = factory.SubFactory(UnitFactory)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    person = factory.SubFactory(PersonFactory)
    unit = factory.SelfAttribute("person.unit")
    function = Function.LIAISON_OFFICER
    start_date = datetime.date(2024, 9, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"utilisateur{n}")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@interieur.gouv.fr")
    password = factory.LazyFunction(password_hash)
    role = Role.LECTEUR
    unit = factory.SubFactory(UnitFactory)
