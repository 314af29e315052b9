"""The referential's contribution to the country sheet: posts and their staff, zone, partners.

Imported by `CountriesConfig.ready()` (autodiscovery of `<app>.panels`). Every query starts from
`visible_to(user)` and each panel runs a fixed number of queries whatever the data volume.
"""

from django.db.models import Count, Prefetch
from django.urls import reverse

from relais.countries.panels import CountryCount, Panel, highest_marking, register, register_count
from relais.referential.models import (
    Assignment,
    Country,
    Function,
    PartnerBody,
    Post,
    Zone,
)

_FUNCTION_ORDER = {value: index for index, value in enumerate(Function.values)}


def _country_ref(country) -> dict:
    return {
        "code": country.code,
        "name": country.name,
        "url": reverse("countries:sheet", args=[country.code]),
    }


# --- Posts covering the country, with their current staff ------------------------------------


def build_posts(country, user) -> dict:
    """The posts covering `country`, each with the current staff the user may see."""
    posts = list(
        Post.objects.visible_to(user)
        .covering(country)
        .select_related("unit", "host_country")
        .prefetch_related(
            Prefetch("countries", queryset=Country.objects.visible_to(user).order_by("name"))
        )
        .order_by("city")
    )
    staff_by_unit: dict[int, list] = {}
    if posts:
        assignments = (
            Assignment.objects.visible_to(user)
            .current()
            .filter(unit_id__in=[post.unit_id for post in posts])
            .select_related("person")
        )
        for assignment in assignments:
            staff_by_unit.setdefault(assignment.unit_id, []).append(assignment)
    markings = []
    items = []
    for post in posts:
        staff = sorted(
            staff_by_unit.get(post.unit_id, []),
            key=lambda a: (_FUNCTION_ORDER.get(a.function, 99), a.person.last_name),
        )
        markings.append(post.marking)
        markings.extend(a.marking for a in staff)
        markings.extend(a.person.marking for a in staff)
        items.append(
            {
                "name": str(post),
                "url": reverse("referential:post-detail", args=[post.unit.code]),
                "unit": post.unit.name,
                "unit_code": post.unit.code,
                "city": post.city,
                "embassy": post.embassy,
                "host_country": _country_ref(post.host_country),
                "resident": post.host_country_id == country.pk,
                "countries": [_country_ref(c) for c in post.countries.all()],
                "regional_role": post.regional_role,
                "email": post.email,
                "phone": post.phone,
                "address": post.address,
                "staff": [
                    {
                        "name": str(a.person),
                        "url": reverse("referential:person-detail", args=[a.person_id]),
                        "function": a.get_function_display(),
                        "grade": a.person.grade,
                        "corps": a.person.get_corps_display(),
                        "theme": a.theme,
                        "since": a.start_date,
                        "until": a.end_date,
                        "email": a.person.email,
                        "phone": a.person.phone,
                    }
                    for a in staff
                ],
            }
        )
    return {"count": len(items), "posts": items, "marking": highest_marking(markings)}


# --- Zone and its DCI division ----------------------------------------------------------------


def build_zone(country, user) -> dict:
    """The zone of `country`, the DCI division in charge and the other countries of the zone."""
    zone = (
        Zone.objects.visible_to(user).select_related("division").filter(pk=country.zone_id).first()
        if country.zone_id
        else None
    )
    if zone is None:
        return {"zone": None, "division": None, "countries": []}
    others = (
        Country.objects.visible_to(user)
        .filter(zone=zone)
        .exclude(pk=country.pk)
        .order_by("name")
        .only("code", "name")
    )
    division = zone.division
    return {
        "zone": {"code": zone.code, "name": zone.name},
        "division": (
            {"code": division.code, "name": division.name, "short_name": division.short_name}
            if division
            else None
        ),
        "countries": [_country_ref(c) for c in others],
        "marking": zone.marking,
    }


# --- Partner bodies based in the country ------------------------------------------------------


def build_partners(country, user) -> dict:
    """The partner bodies whose headquarters are in `country`."""
    bodies = list(PartnerBody.objects.visible_to(user).filter(country=country).order_by("name"))
    return {
        "count": len(bodies),
        "partners": [
            {
                "name": body.name,
                "url": reverse("referential:partner-detail", args=[body.pk]),
                "acronym": body.acronym,
                "kind": body.get_kind_display(),
                "city": body.city,
                "website": body.website,
            }
            for body in bodies
        ],
        "marking": highest_marking(b.marking for b in bodies),
    }


# --- Counts of the world overview -------------------------------------------------------------


def count_posts(user) -> dict[int, int]:
    """Posts covering each country (one grouped query)."""
    rows = (
        Post.objects.visible_to(user)
        .order_by()
        .values("countries")
        .annotate(n=Count("pk", distinct=True))
        .values_list("countries", "n")
    )
    return {country_id: n for country_id, n in rows if country_id is not None}


def count_partners(user) -> dict[int, int]:
    """Partner bodies based in each country (one grouped query)."""
    rows = (
        PartnerBody.objects.visible_to(user)
        .exclude(country=None)
        .order_by()
        .values("country")
        .annotate(n=Count("pk"))
        .values_list("country", "n")
    )
    return dict(rows)


register(
    Panel(
        "posts",
        "Postes et effectifs",
        10,
        build_posts,
        template="countries/panels/posts.html",
        letters="b",
    )
)
register(Panel("zone", "Zone et division", 20, build_zone, template="countries/panels/zone.html"))
register(
    Panel(
        "partners",
        "Organismes partenaires",
        30,
        build_partners,
        template="countries/panels/partners.html",
    )
)
register_count(CountryCount("posts", "Postes", count_posts, order=10))
register_count(CountryCount("partners", "Organismes partenaires", count_partners, order=20))
