"""Loading the reference data and the demo data of the organisation from `data/`.

`load_reference()` loads what every installation needs: the units tree (organisation.yaml), the
zones and the ISO 3166-1 countries with their French names (countries.yaml + pycountry) and the
partner bodies (partners.yaml). `load_demo()` loads the demo network: posts abroad with the
countries they cover, invented staff and their assignments (data/demo/), and one account per
role (data/demo/accounts.yaml).

Both are idempotent and respect what users entered: they create the rows that are missing (by
their natural key: unit code, zone code, country ISO code, partner name and seat, post unit
code, username) and never change or re-create a row that exists. A post that exists keeps its
countries and staff as they are. Both run in one transaction, with bulk inserts (reference data
does not go through `relais.core.records`: nothing is being edited, rows are only added).
"""

import datetime
import gettext
import random
import sys
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry
import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify

from relais.accounts.roles import Role
from relais.core.markings import Marking
from relais.referential.models import (
    NETWORK_CODE,
    Assignment,
    Corps,
    Country,
    Function,
    PartnerBody,
    Person,
    Post,
    Unit,
    UnitKind,
    Zone,
)
from relais.referential.workflows import AssignmentStatus

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_DIR = DATA_DIR / "demo"
#: Domain of every demo e-mail address: obviously not a real mailbox.
DEMO_EMAIL_DOMAIN = "demo.relais.interieur.gouv.fr"


#: libyaml's safe loader when PyYAML was built with it (ten times faster), else the Python one.
_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LoadError(Exception):
    """The data files are inconsistent, or the demo needs reference data that is missing."""


@cache
def read_yaml(name: str) -> dict:
    """A data file, parsed once per process (paths relative to `data/`)."""
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_YamlLoader)


def _progress(items, enabled: bool, desc: str):
    """Wrap `items` in a progress bar on a terminal only."""
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, leave=False, file=sys.stderr)


def _email(*parts: str) -> str:
    local = ".".join(slugify(p).replace("-", "") for p in parts if p)
    return f"{local}@{DEMO_EMAIL_DOMAIN}"


# --- Units -------------------------------------------------------------------------------


def _flatten_units(nodes: list[dict], parent_code: str | None = None):
    """Yield (parent code, unit spec) in tree order (parents before children)."""
    for node in nodes:
        yield parent_code, node
        yield from _flatten_units(node.get("children") or [], node["code"])


def _create_units(specs: list[tuple[str | None, dict]]) -> int:
    """Create the units of `specs` that do not exist yet; parents must come first.

    Paths and depths are computed here (bulk inserts skip `Unit.save`), from the parent as it
    is in the database, so a unit a user moved keeps its place and new children follow it.
    """
    existing = {
        code: (pk, path) for pk, code, path in Unit.objects.values_list("pk", "code", "path")
    }
    # Create level by level so that each new unit's parent has a primary key.
    pending = [(parent, spec) for parent, spec in specs if spec["code"] not in existing]
    created = 0
    while pending:
        ready, later = [], []
        for parent, spec in pending:
            (ready if parent is None or parent in existing else later).append((parent, spec))
        if not ready:
            missing = sorted({parent for parent, _ in later})
            raise LoadError(f"Unités de rattachement introuvables : {', '.join(missing)}.")
        units = []
        for parent, spec in ready:
            parent_pk, parent_path = existing[parent] if parent else (None, "")
            unit = Unit(
                code=spec["code"],
                name=spec["name"],
                short_name=spec.get("short_name", ""),
                kind=spec["kind"],
                parent_id=parent_pk,
                beneficiary=spec.get("beneficiary", ""),
                is_intelligence=bool(spec.get("is_intelligence", False)),
                description=(spec.get("description") or "").strip(),
                path=f"{parent_path}{spec['code']}/",
            )
            unit.depth = unit.path.count("/") - 1
            unit.clean_fields(exclude=["parent"])
            units.append(unit)
        for unit in Unit.objects.bulk_create(units):
            existing[unit.code] = (unit.pk, unit.path)
        created += len(units)
        pending = later
    return created


# --- Countries ---------------------------------------------------------------------------


@cache
def _french():
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])


def iso_countries() -> list[dict]:
    """Every ISO 3166-1 country with its French name, official name and zone code."""
    data = read_yaml("countries.yaml")
    zone_of = {}
    for zone in data["zones"]:
        for region, codes in zone["regions"].items():
            for code in codes:
                if not isinstance(code, str) or code in zone_of:
                    raise LoadError(
                        f"countries.yaml : code {code!r} invalide ou répété ({region})."
                    )
                zone_of[code] = zone["code"]
    names = data.get("names") or {}
    tr = _french().gettext
    countries = []
    for entry in pycountry.countries:
        official = getattr(entry, "official_name", "")
        countries.append(
            {
                "code": entry.alpha_2,
                "code3": entry.alpha_3,
                "numeric": entry.numeric,
                "name": names.get(entry.alpha_2) or tr(entry.name),
                "official_name": tr(official) if official else "",
                "zone": zone_of.get(entry.alpha_2),
            }
        )
    return countries


def _load_zones_and_countries() -> dict[str, int]:
    data = read_yaml("countries.yaml")
    units = dict(Unit.objects.values_list("code", "pk"))
    existing_zones = set(Zone.objects.values_list("code", flat=True))
    zones = [
        Zone(
            code=z["code"],
            name=z["name"],
            division_id=units.get(z.get("division")),
            order=z.get("order", 0),
        )
        for z in data["zones"]
        if z["code"] not in existing_zones
    ]
    Zone.objects.bulk_create(zones)
    zone_pks = dict(Zone.objects.values_list("code", "pk"))
    existing = set(Country.objects.values_list("code", flat=True))
    countries = []
    for spec in iso_countries():
        if spec["code"] in existing:
            continue
        country = Country(
            code=spec["code"],
            code3=spec["code3"],
            numeric=spec["numeric"],
            name=spec["name"],
            official_name=spec["official_name"],
            zone_id=zone_pks.get(spec["zone"]),
        )
        country.clean_fields(exclude=["zone"])
        countries.append(country)
    Country.objects.bulk_create(countries)
    return {"zones": len(zones), "pays": len(countries)}


# --- Partner bodies ----------------------------------------------------------------------


def _load_partners() -> int:
    countries = dict(Country.objects.values_list("code", "pk"))
    existing = set(PartnerBody.objects.values_list("name", "country__code"))
    bodies = []
    for spec in read_yaml("partners.yaml")["partners"]:
        code = spec.get("country")
        if (spec["name"], code) in existing:
            continue
        if code and code not in countries:
            raise LoadError(f"partners.yaml : pays inconnu {code!r} pour {spec['name']}.")
        body = PartnerBody(
            name=spec["name"],
            acronym=spec.get("acronym") or "",
            kind=spec["kind"],
            country_id=countries.get(code) if code else None,
            city=spec.get("city") or "",
            website=spec.get("website") or "",
            description=(spec.get("description") or "").strip(),
        )
        body.clean_fields(exclude=["country"])
        bodies.append(body)
        existing.add((spec["name"], code))
    PartnerBody.objects.bulk_create(bodies)
    return len(bodies)


@transaction.atomic
def load_reference() -> dict[str, int]:
    """Create the missing units, zones, countries and partner bodies; return what was created."""
    created = {
        "unités": _create_units(list(_flatten_units(read_yaml("organisation.yaml")["units"])))
    }
    created.update(_load_zones_and_countries())
    created["organismes partenaires"] = _load_partners()
    return created


# --- Demo: posts abroad, their staff, accounts --------------------------------------------


def post_code(city: str) -> str:
    """The unit code of a post: SSI-<CITY> in upper-case ASCII (N'Djamena → SSI-NDJAMENA)."""
    return "SSI-" + slugify(city.replace("'", "")).upper()


def _of_city(city: str) -> str:
    """« de Madrid », « d'Abidjan », « du Caire »."""
    if city.startswith("Le "):
        return "du " + city[3:]
    if slugify(city[:1]) in set("aeiouy"):
        return "d'" + city
    return "de " + city


def demo_posts() -> list[dict]:
    """The posts of posts.yaml with their unit code and names filled in."""
    posts = []
    for spec in read_yaml("demo/posts.yaml")["posts"]:
        city = spec["city"]
        posts.append(
            {
                **spec,
                "code": spec.get("code") or post_code(city),
                "unit_name": f"Service de sécurité intérieure {_of_city(city)}",
                "short_name": f"SSI {city}",
                "email": spec.get("email") or _email("ssi", city),
            }
        )
    return posts


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    unit_code: str
    first_name: str
    last_name: str
    clearance: str
    superuser: bool
    person: dict | None

    @property
    def email(self) -> str:
        return _email(self.first_name, self.last_name)

    @property
    def role_label(self) -> str:
        return Role(self.role).label


def demo_password() -> str:
    return read_yaml("demo/accounts.yaml")["password"]


def demo_accounts() -> list[DemoAccount]:
    return [
        DemoAccount(
            username=a["username"],
            role=a["role"],
            unit_code=a["unit"],
            first_name=a["first_name"],
            last_name=a["last_name"],
            clearance=a.get("clearance", Marking.DIFFUSION_RESTREINTE),
            superuser=bool(a.get("superuser", False)),
            person=a.get("person"),
        )
        for a in read_yaml("demo/accounts.yaml")["accounts"]
    ]


_FIRST_START = 2021  # current assignments start on 1 September, 2021 to 2025


def _functions_for(spec: dict, zone: str | None) -> list[str]:
    """The functions of a post's staff: an explicit mapping, or composed from a head count."""
    staff = spec.get("staff", 2)
    if isinstance(staff, dict):
        functions = [f for f, n in staff.items() for _ in range(n)]
    else:
        sequence = [
            Function.ASI,
            Function.LIAISON_OFFICER,
            Function.DEPUTY,
            Function.ETI if zone == "afrique-moyen-orient" else Function.LIAISON_OFFICER,
            Function.VOLUNTEER,
            Function.LIAISON_OFFICER,
            Function.ASSISTANT,
            Function.LIAISON_OFFICER,
            Function.INTERPRETER,
        ]
        functions = [sequence[i % len(sequence)] for i in range(staff)]
    if spec.get("civil_protection"):
        functions.append(Function.CIVIL_PROTECTION_EXPERT)
    for function in functions:
        if function not in Function.values:
            raise LoadError(f"posts.yaml : fonction inconnue {function!r} ({spec['city']}).")
    return functions


class _StaffMaker:
    """Invents staff with a fixed seed per post: same data on every machine and every run."""

    def __init__(self, taken_emails: set[str]):
        people = read_yaml("demo/people.yaml")
        self.first_names = people["first_names"]
        self.last_names = people["last_names"]
        self.grades = people["grades"]
        self.default_themes = people["themes"]
        self.taken = taken_emails

    def name(self, rng: random.Random, avoid: set[str]) -> tuple[str, str]:
        """A new first and last name; the last name is not in `avoid` (colleagues' names)."""
        for _ in range(1000):
            first, last = rng.choice(self.first_names), rng.choice(self.last_names)
            if first != last and last not in avoid and _email(first, last) not in self.taken:
                self.taken.add(_email(first, last))
                avoid.add(last)
                return first, last
        raise LoadError("Plus assez de noms de démonstration disponibles.")

    @staticmethod
    def corps(function: str, rng: random.Random, head: str | None) -> str:
        if function in {Function.VOLUNTEER, Function.ASSISTANT, Function.INTERPRETER}:
            return Corps.CIVIL
        if function == Function.CIVIL_PROTECTION_EXPERT:
            return Corps.CIVIL_PROTECTION
        if function == Function.DEPUTY and head in {Corps.POLICE, Corps.GENDARMERIE}:
            # Posts are mixed: the deputy comes from the other force than the ASI.
            return Corps.GENDARMERIE if head == Corps.POLICE else Corps.POLICE
        return Corps.POLICE if rng.random() < 0.55 else Corps.GENDARMERIE

    def grade(self, corps: str, function: str, rng: random.Random) -> str:
        return rng.choice(self.grades[corps][function])

    def themes(self, spec: dict) -> list[str]:
        own = list(spec.get("themes") or [])
        return own + [t for t in self.default_themes if t not in own]


def _function_text(function: str, theme: str) -> str:
    """« Officier de liaison (Stupéfiants) », « Attaché de sécurité intérieure »."""
    label = Function(function).label
    return f"{label} ({theme})" if theme else label


@transaction.atomic
def load_demo(*, progress: bool = False) -> dict[str, int]:
    """Create the missing demo posts (with their countries and staff) and demo accounts."""
    units = dict(Unit.objects.values_list("code", "pk"))
    if NETWORK_CODE not in units:
        raise LoadError(
            f"L'unité {NETWORK_CODE} est absente : chargez d'abord le référentiel "
            "(relais load-reference)."
        )
    posts = demo_posts()
    accounts = demo_accounts()
    created = {
        "unités": _create_units(
            [
                (
                    NETWORK_CODE,
                    {
                        "code": p["code"],
                        "name": p["unit_name"],
                        "short_name": p["short_name"],
                        "kind": UnitKind.POST,
                    },
                )
                for p in posts
            ]
        )
    }
    units = dict(Unit.objects.values_list("code", "pk"))
    new_posts = _create_posts(posts, units)
    created["postes"] = len(new_posts)
    # Staff only for a new post whose unit has nobody yet (a post deleted and re-created keeps
    # the people who stayed attached to its unit).
    staffed = set(Person.objects.values_list("unit__code", flat=True).distinct())
    to_staff = [p for p in new_posts if p["code"] not in staffed]
    people, assignments = _create_staff(to_staff, posts, accounts, units, progress)
    created["agents"] = people
    created["affectations"] = assignments
    created["comptes"] = _create_accounts(accounts, units)
    return created


def _create_posts(posts: list[dict], units: dict[str, int]) -> list[dict]:
    """Create the posts whose unit has no post yet, with their countries; return their specs."""
    countries = dict(Country.objects.values_list("code", "pk"))
    existing = set(Post.objects.values_list("unit__code", flat=True))
    new_posts = [p for p in posts if p["code"] not in existing]
    rows = []
    for spec in new_posts:
        for code in [spec["host"], *spec["countries"]]:
            if code not in countries:
                raise LoadError(f"posts.yaml : pays inconnu {code!r} ({spec['city']}).")
        post = Post(
            unit_id=units[spec["code"]],
            city=spec["city"],
            embassy=spec["embassy"],
            host_country_id=countries[spec["host"]],
            regional_role=spec.get("regional_role") or "",
            email=spec["email"],
            opened_year=spec.get("opened_year"),
        )
        post.clean_fields(exclude=["unit", "host_country"])
        rows.append(post)
    rows = Post.objects.bulk_create(rows)
    Post.countries.through.objects.bulk_create(
        [
            Post.countries.through(post_id=post.pk, country_id=countries[code])
            for post, spec in zip(rows, new_posts, strict=True)
            for code in spec["countries"]
        ]
    )
    return new_posts


def _create_staff(
    new_posts: list[dict],
    posts: list[dict],
    accounts: list[DemoAccount],
    units: dict[str, int],
    progress: bool,
) -> tuple[int, int]:
    """Invent the staff of the new posts: current assignment and, for some, a previous one.

    The ASI of a post that has a demo account with a `person` is that account's holder.
    Returns the numbers of people and assignments created.
    """
    zone_of = dict(Country.objects.values_list("code", "zone__code"))
    holders = {a.unit_code: a for a in accounts if a.person}
    maker = _StaffMaker(set(Person.objects.values_list("email", flat=True)))
    maker.taken.update(a.email for a in accounts)
    all_post_codes = [p["code"] for p in posts]
    african_posts = [p["code"] for p in posts if zone_of.get(p["host"]) == "afrique-moyen-orient"]
    people = []
    for spec in _progress(new_posts, progress, "Postes"):
        rng = random.Random(zlib.crc32(spec["code"].encode()))
        unit_id = units[spec["code"]]
        themes = maker.themes(spec)
        head_corps = None
        holder = holders.get(spec["code"])
        surnames = {holder.last_name} if holder else set()
        for function in _functions_for(spec, zone_of.get(spec["host"])):
            if holder and function == holder.person.get("function", Function.ASI):
                first, last = holder.first_name, holder.last_name
                corps, grade = holder.person["corps"], holder.person["grade"]
                holder = None
            else:
                first, last = maker.name(rng, surnames)
                corps = maker.corps(function, rng, head_corps)
                grade = maker.grade(corps, function, rng)
            if function == Function.ASI:
                head_corps = corps
            theme = themes.pop(0) if function == Function.LIAISON_OFFICER and themes else ""
            start = datetime.date(_FIRST_START + rng.randrange(5), 9, 1)
            person = Person(
                first_name=first,
                last_name=last,
                corps=corps,
                grade=grade,
                unit_id=unit_id,
                function=_function_text(function, theme),
                email=_email(first, last),
            )
            person.clean_fields(exclude=["unit"])
            history = [(spec["code"], function, theme, start, None)]
            if corps in {Corps.POLICE, Corps.GENDARMERIE} and rng.random() < 0.35:
                # A previous posting abroad: ETI in another African post, otherwise liaison
                # officer in any other post.
                if function == Function.ETI:
                    before, previous, theme_before = rng.choice(african_posts), function, ""
                else:
                    before = rng.choice(all_post_codes)
                    previous = Function.LIAISON_OFFICER
                    theme_before = rng.choice(maker.default_themes)
                if before != spec["code"] and before in units:
                    end = start - datetime.timedelta(days=1)
                    start_before = start.replace(year=start.year - 4)
                    history.append((before, previous, theme_before, start_before, end))
            people.append((person, history))
    persons = Person.objects.bulk_create([p for p, _ in people])
    assignments = [
        Assignment(
            person_id=person.pk,
            unit_id=units[code],
            function=function,
            theme=theme,
            start_date=start,
            end_date=end,
            status=AssignmentStatus.ACTIVE if end is None else AssignmentStatus.ENDED,
        )
        for person, (_, history) in zip(persons, people, strict=True)
        for code, function, theme, start, end in history
    ]
    Assignment.objects.bulk_create(assignments)
    return len(persons), len(assignments)


def _create_accounts(accounts: list[DemoAccount], units: dict[str, int]) -> int:
    """Create the demo accounts that do not exist (an existing account is left untouched)."""
    User = get_user_model()
    existing = set(User.objects.values_list("username", flat=True))
    missing = [a for a in accounts if a.username not in existing]
    if not missing:
        return 0
    # One Argon2 hash for all: the demo password is shared and printed anyway, and hashing
    # it once per account would cost a quarter of a second each.
    password = make_password(demo_password())
    users = []
    for account in missing:
        if account.unit_code not in units:
            raise LoadError(
                f"Unité {account.unit_code} introuvable pour le compte {account.username}."
            )
        users.append(
            User(
                username=account.username,
                first_name=account.first_name,
                last_name=account.last_name,
                email=account.email,
                role=account.role,
                unit_id=units[account.unit_code],
                clearance=account.clearance,
                is_staff=account.superuser,
                is_superuser=account.superuser,
                password=password,
            )
        )
    User.objects.bulk_create(users)
    return len(users)


__all__ = [
    "DEMO_EMAIL_DOMAIN",
    "DemoAccount",
    "LoadError",
    "demo_accounts",
    "demo_password",
    "demo_posts",
    "iso_countries",
    "load_demo",
    "load_reference",
    "post_code",
    "read_yaml",
]
