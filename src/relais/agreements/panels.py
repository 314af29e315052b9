"""The agreements panel of the country sheet and the count of the world overview
(docs/dev/country-sheet.md)."""

from django.db.models import Count
from django.utils import timezone

from relais.agreements.models import Agreement
from relais.agreements.workflows import AgreementStatus
from relais.countries.panels import CountryCount, Panel, highest_marking, register, register_count


def _detail(agreement: Agreement) -> str:
    parts = [agreement.get_kind_display(), agreement.get_status_display().lower()]
    if agreement.signed_on:
        place = f" à {agreement.signed_place}" if agreement.signed_place else ""
        parts.append(f"signé le {agreement.signed_on:%d/%m/%Y}{place}")
    if agreement.in_force_on:
        parts.append(f"en vigueur depuis le {agreement.in_force_on:%d/%m/%Y}")
    if agreement.expires_on and agreement.status == AgreementStatus.IN_FORCE:
        parts.append(f"échéance le {agreement.expires_on:%d/%m/%Y}")
    return ", ".join(parts)


def build_agreements(country, user):
    agreements = list(
        Agreement.objects.visible_to(user)
        .filter(pk__in=Agreement.objects.filter(countries=country).values("pk"))
        .order_by("-signed_on", "title")
    )
    if not agreements:
        return None
    today = timezone.localdate()
    in_force = sum(1 for a in agreements if a.is_in_force_on(today))
    return {
        "count": len(agreements),
        "marking": highest_marking(a.marking for a in agreements),
        "in_force": in_force,
        "items": [
            {
                "label": str(a),
                "url": a.get_absolute_url(),
                "detail": _detail(a),
                "status": a.status,
            }
            for a in agreements
        ],
    }


def count_agreements(user):
    rows = (
        Agreement.objects.visible_to(user)
        .order_by()
        .values("countries")
        .annotate(n=Count("pk", distinct=True))
        .values_list("countries", "n")
    )
    return {country_id: n for country_id, n in rows if country_id is not None}


register(
    Panel(
        "agreements",
        "Accords de sécurité intérieure et arrangements techniques",
        40,
        build_agreements,
        letters="k",
    )
)
register_count(CountryCount("agreements", "Accords", count_agreements, order=40))
