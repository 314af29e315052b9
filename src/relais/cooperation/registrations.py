"""What missions b to g declare to the shared mechanisms at start-up (AppConfig.ready()):
navigation, home sections per role, the « L'article 1 » counts under b to g, the actions
carried out under each agreement (« Vie de l'accord », `relais.agreements.links`) and the demo
loaders.

Search (`search.py`), the country sheet (`panels.py`), iCalendar (`calendars.py`) and the
workflows (`workflows.py`) are discovered by their own apps.
"""

from django.urls import reverse

from relais.accounts.roles import Role

#: Labels of the « L'article 1 » counts, per part of the article (each action is counted under
#: the parts its legal basis names: `services.assess_action`).
LETTER_LABELS = {
    "preamble-1": "Actions de coopération technique de la police et de la gendarmerie",
    "preamble-2": "Actions de coopération technique des autres directions du ministère",
    "b": "Actions de coopération technique (police et gendarmerie)",
    "c": "Actions de coopération administrative et de gouvernance (SG)",
    "d": "Actions de coopération administrative et de gouvernance (DGCL)",
    "e": "Actions de coopération technique de sécurité civile (DGSCGC)",
    "f": "Actions de coopération technique (DGEF)",
    "g": "Actions de coopération technique (DSCR)",
}


def _counter(letter):
    def count(user) -> int:
        from relais.cooperation.models import CooperationAction

        return CooperationAction.objects.visible_to(user).filter(missions__code=letter).count()

    return count


def _hq_items(user):
    from relais.cooperation.views import home_counts
    from relais.core.home import HomeItem

    counts = home_counts(user)
    base = reverse("cooperation:actions")
    return [
        HomeItem(
            "Demandes à instruire",
            f"{base}?status=proposed",
            counts["proposed"],
            "Actions proposées par les postes et les divisions.",
        ),
        HomeItem(
            "En attente de l'avis du MEAE",
            f"{base}?status=meae_opinion",
            counts["opinion"],
            "L'avis est une étape enregistrée du circuit.",
        ),
        HomeItem(
            "Actions en cours",
            f"{base}?status=in_progress",
            counts["in_progress"],
            "",
        ),
        HomeItem(
            "Actions réalisées à évaluer",
            f"{base}?status=completed",
            counts["to_evaluate"],
            "Objectifs atteints, appréciation, enseignements, suites.",
        ),
    ]


def _attache_items(user):
    from relais.cooperation.views import home_counts
    from relais.core.home import HomeItem

    counts = home_counts(user)
    base = reverse("cooperation:actions")
    return [
        HomeItem(
            "Actions des pays du poste",
            base,
            counts["total"],
            "Proposer, suivre et évaluer les actions de coopération technique.",
        ),
        HomeItem("Actions programmées", f"{base}?status=programmed", counts["programmed"], ""),
        HomeItem(
            "Actions réalisées à évaluer",
            f"{base}?status=completed",
            counts["to_evaluate"],
            "",
        ),
    ]


def _correspondent_items(user):
    from relais.cooperation.views import home_counts
    from relais.core.home import HomeItem

    directorate = user.directorate
    if directorate is None:
        return []
    counts = home_counts(user)
    return [
        HomeItem(
            "Actions de coopération pour ma direction",
            reverse("cooperation:portfolio"),
            counts["total"],
            f"Ce que la DCI conduit pour {directorate.label} : où, quoi, à quel coût.",
        ),
        HomeItem(
            "En attente de l'avis du MEAE",
            f"{reverse('cooperation:actions')}?status=meae_opinion",
            counts["opinion"],
            "Vous pouvez commenter chaque action.",
        ),
    ]


def count_actions_under(agreements, user) -> dict[int, int]:
    """{agreement id: number of actions `user` sees under it}, in one query."""
    from django.db.models import Count

    from relais.cooperation.models import CooperationAction

    rows = (
        CooperationAction.objects.visible_to(user)
        .filter(agreement__in=agreements)
        .order_by()
        .values("agreement_id")
        .annotate(n=Count("pk"))
        .values_list("agreement_id", "n")
    )
    return dict(rows)


def actions_under(agreements, user):
    """The actions `user` sees that are carried out under `agreements` (a list or a queryset),
    in one query whatever the number of agreements and actions."""
    from relais.agreements.links import Activity
    from relais.cooperation.models import CooperationAction

    rows = (
        CooperationAction.objects.visible_to(user)
        .filter(agreement__in=agreements)
        .only(
            "pk",
            "title",
            "agreement_id",
            "kind",
            "status",
            "planned_start",
            "actual_start",
            "year",
        )
        .order_by("-planned_start", "-pk")
    )
    return [
        Activity(
            agreement_id=a.agreement_id,
            label=f"{a.reference} — {a.title}",
            url=a.get_absolute_url(),
            date=a.start_date,
            detail=f"{a.get_kind_display()}, {a.get_status_display()}",
        )
        for a in rows
    ]


def _can_see_cooperation(user) -> bool:
    return bool(
        user.is_authenticated
        and not (user.is_administrator and not user.is_superuser)
        and (
            user.role in (Role.PILOTAGE, Role.CHARGE_MISSION, Role.ATTACHE, Role.CORRESPONDANT)
            or (user.is_read_only and user.in_headquarters)
        )
    )


def register_all() -> None:
    from relais.core import demo, home, navigation
    from relais.legal import counts

    navigation.register(
        navigation.NavEntry(
            "Coopération technique",
            "cooperation:actions",
            letters="b–g",
            order=20,
            visible=_can_see_cooperation,
        )
    )
    home.register(
        home.HomeSection(
            "Coopération technique (b à g)",
            _hq_items,
            roles=frozenset({Role.PILOTAGE, Role.CHARGE_MISSION, Role.LECTEUR}),
            order=20,
        )
    )
    home.register(
        home.HomeSection(
            "Coopération technique du poste (b)",
            _attache_items,
            roles=frozenset({Role.ATTACHE}),
            order=20,
        )
    )
    home.register(
        home.HomeSection(
            "Coopération technique pour ma direction (b à g)",
            _correspondent_items,
            roles=frozenset({Role.CORRESPONDANT}),
            order=20,
        )
    )
    for letter, label in LETTER_LABELS.items():
        counts.register(letter, label, _counter(letter), f"/cooperation/?letter={letter}")
    from relais.agreements import links
    from relais.cooperation.demo import link_demo_agreements, load_demo

    links.register(
        "cooperation_actions",
        "Actions de coopération technique",
        actions_under,
        count=count_actions_under,
    )
    demo.register(load_demo, order=30, name="cooperation")
    # After the agreements' demo (order 60): attach actions to the agreements signed or in force.
    demo.register(link_demo_agreements, order=70, name="cooperation-agreements")
