"""What mission k declares to the shared mechanisms at start-up (AppConfig.ready()):
navigation, home sections per role, the « L'article 1 » count under k and the demo loader.

Search (`search.py`), the country sheet (`panels.py`), deadline reminders (`deadlines.py`),
iCalendar (`calendars.py`) and the workflow (`workflows.py`) are discovered by their own apps.
"""

from django.urls import reverse

from relais.accounts.roles import Role


def _can_see_agreements(user) -> bool:
    return bool(
        user.is_authenticated
        and not user.is_administrator
        and (user.in_headquarters or user.is_correspondent or user.is_attache)
    )


def _hq_items(user):
    return _items(user) + _deadline_items(user)


def _items(user):
    """Tiles counting the agreements list with the filters their link carries (`list_tile`)."""
    from types import SimpleNamespace

    from relais.agreements.filters import AgreementFilterSet, agreements_for
    from relais.core.home import list_tile

    def tile(label, params, description):
        return list_tile(
            label,
            "agreements:list",
            filterset=AgreementFilterSet,
            queryset=agreements_for(user),
            params=params,
            description=description,
            request=SimpleNamespace(user=user),
        )

    return [
        tile("Accords en vigueur", {"status": "in_force"}, "Textes dont la DCI assure le suivi."),
        tile(
            "Accords en négociation",
            {"phase": "negotiating"},
            "De l'initiative au texte stabilisé.",
        ),
        tile(
            "Signés, en attente d'entrée en vigueur",
            {"phase": "pending"},
            "Signature enregistrée ; approbation ou entrée en vigueur à constater.",
        ),
    ]


def _deadline_items(user):
    import datetime

    from django.utils import timezone

    from relais.agreements.views import upcoming_deadlines
    from relais.core.home import HomeItem

    today = timezone.localdate()
    deadlines = upcoming_deadlines(user, today, today + datetime.timedelta(days=90))
    return [
        HomeItem(
            "Échéances des 90 prochains jours",
            reverse("agreements:calendar"),
            len(deadlines),
            "Préavis, reconductions, comités mixtes, observations attendues.",
        )
    ]


def _correspondent_items(user):
    from relais.agreements.models import Agreement, CommentRequest
    from relais.core.home import HomeItem

    directorate = user.directorate
    if directorate is None:
        return []
    agreements = Agreement.objects.visible_to(user).for_directorate(directorate).count()
    waiting = CommentRequest.objects.visible_to(user).open().filter(directorate=directorate).count()
    return [
        HomeItem(
            "Accords de ma direction",
            reverse("agreements:my-directorate"),
            agreements,
            f"Accords négociés par la DCI pour {directorate.label}.",
        ),
        HomeItem(
            "Observations attendues de ma direction",
            reverse("agreements:my-directorate") + "#observations",
            waiting,
            "Demandes d'observations sur les textes en négociation.",
        ),
    ]


def _attache_items(user):
    return [_items(user)[0]]


def _count_k(user) -> int:
    from relais.agreements.models import Agreement

    return Agreement.objects.visible_to(user).filter(missions__code="k").count()


def register_all() -> None:
    from relais.core import demo, home, navigation
    from relais.core.notifications.kinds import register_kind
    from relais.legal import counts

    navigation.register(navigation.NavEntry("Accords", "agreements:list", letters="k", order=60))
    home.register(
        home.HomeSection(
            "Accords de sécurité intérieure (k)",
            _hq_items,
            roles=frozenset({Role.PILOTAGE, Role.CHARGE_MISSION, Role.ANALYSTE, Role.LECTEUR}),
            order=60,
        )
    )
    home.register(
        home.HomeSection(
            "Accords négociés pour ma direction (k)",
            _correspondent_items,
            roles=frozenset({Role.CORRESPONDANT}),
            order=60,
        )
    )
    home.register(
        home.HomeSection(
            "Accords avec les pays du poste (k)",
            _attache_items,
            roles=frozenset({Role.ATTACHE}),
            order=60,
        )
    )
    counts.register(
        "k",
        "Accords de sécurité intérieure et arrangements techniques",
        _count_k,
        "agreements:list",
    )
    register_kind(
        "agreement_deadline",
        "Échéance d'un accord",
        email_default=True,
        description="Préavis de dénonciation, reconduction, réunion de comité mixte, "
        "observations attendues sur un accord.",
    )
    from relais.agreements.demo import load_demo

    demo.register(load_demo, order=60, name="agreements")
