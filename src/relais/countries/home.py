"""The home section of attachés: the sheets of the countries their post covers."""

from django.urls import reverse

from relais.core.home import HomeItem
from relais.referential.models import Country, Post


def attache_country_sheets(user) -> list[HomeItem]:
    if user.unit_id is None:
        return []
    posts = Post.objects.visible_to(user).filter(unit_id=user.unit_id)
    countries = Country.objects.visible_to(user).filter(posts__in=posts).distinct().order_by("name")
    return [
        HomeItem(
            label=country.name,
            url=reverse("countries:sheet", args=[country.code]),
            description="Fiche pays : poste, zone, partenaires et activité des modules.",
        )
        for country in countries
    ]
