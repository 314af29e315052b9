"""The referential in the global search (imported by the search app's autodiscovery).

Units, posts, countries and partner bodies are readable by every signed-in user; people follow
`Person.objects.visible_to(user)` (their own unit and above, DCI headquarters, administrators),
which the search applies to every result.
"""

from django.urls import NoReverseMatch, reverse

from relais.core.search.registry import register
from relais.referential.models import Country, PartnerBody, Person, Post, Unit


def _url(name: str, *args) -> str:
    try:
        return reverse(f"referential:{name}", args=args)
    except NoReverseMatch:
        return ""


def _words(*values) -> str:
    return " ".join(str(v) for v in values if v)


register(
    Unit,
    kind="Unités",
    order=10,
    title=str,
    body=lambda u: _words(u.name, u.short_name, u.code, u.get_kind_display(), u.description),
    url=lambda u: _url("unit-detail", u.code),
)


def _post_body(post) -> str:
    countries = list(post.countries.all())
    return _words(
        post.city,
        post.embassy,
        post.unit.name,
        post.unit.short_name,
        post.host_country.name,
        post.regional_role,
        *(c.name for c in countries),
        *(c.code for c in countries),
    )


register(
    Post,
    kind="Postes à l'étranger",
    order=20,
    queryset=lambda: Post.objects.with_related(),
    title=lambda p: f"{p} — {p.embassy}",
    body=_post_body,
    url=lambda p: _url("post-detail", p.unit.code),
)

register(
    Country,
    kind="Pays",
    order=30,
    queryset=lambda: Country.objects.with_zone(),
    title=str,
    body=lambda c: _words(c.name, c.official_name, c.code, c.code3, c.zone),
    url=lambda c: f"/pays/{c.code}/",
)

register(
    PartnerBody,
    kind="Organismes partenaires",
    order=40,
    queryset=lambda: PartnerBody.objects.select_related("country"),
    title=str,
    body=lambda b: _words(
        b.name, b.acronym, b.get_kind_display(), b.city, b.country, b.description
    ),
    url=lambda b: _url("partner-detail", b.pk),
)

register(
    Person,
    kind="Agents",
    order=50,
    queryset=lambda: Person.objects.with_related(),
    title=str,
    body=lambda p: _words(
        p.first_name, p.last_name, p.grade, p.function, p.get_corps_display(), p.unit.label
    ),
    url=lambda p: _url("person-detail", p.pk),
)
