"""What mission a declares to the shared mechanisms at start-up (AppConfig.ready()):
navigation, home sections per role, the « L'article 1 » count under a, the notification kind
of feedback and the demo loader.

Search (`search.py`), the country sheet (`panels.py`), the deadline source (`deadlines.py`)
and the workflow (`workflows.py`) are discovered by their own apps.
"""

from django.urls import reverse

from relais.accounts.roles import Role


def _sees_information(user) -> bool:
    return bool(user.is_authenticated and not user.is_administrator and user.unit_id)


def _analyst_items(user):
    from relais.core.home import HomeItem
    from relais.information.models import Dissemination, InformationReport

    reports = InformationReport.objects.visible_to(user)
    from django.utils import timezone

    return [
        HomeItem(
            "Fiches à valider",
            reverse("information:queue"),
            reports.to_validate().count(),
            "Soumises par les postes et l'administration centrale (règle des quatre yeux).",
        ),
        HomeItem(
            "Fiches à diffuser",
            reverse("information:queue") + "#a-diffuser",
            reports.to_disseminate().count(),
            "Validées, en attente de diffusion aux directions et services.",
        ),
        HomeItem(
            "Accusés de réception en retard",
            reverse("information:board"),
            Dissemination.objects.visible_to(user).overdue(timezone.localdate()).count(),
            "Diffusions dont l'accusé de réception est dépassé.",
        ),
    ]


def _recipient_items(user):
    from relais.core.home import HomeItem
    from relais.information.models import Dissemination

    pending = Dissemination.objects.received_by(user).pending().count()
    return [
        HomeItem(
            "Fiches reçues à accuser",
            reverse("information:inbox") + "?state=pending",
            pending,
            "Fiches d'information diffusées à votre unité par la DCI.",
        )
    ]


def _author_items(user):
    from relais.core.home import HomeItem
    from relais.information.models import InformationReport
    from relais.information.workflows import ReportStatus

    own = InformationReport.objects.visible_to(user).filter(unit_id=user.unit_id)
    return [
        HomeItem(
            "Fiches de mon unité en brouillon",
            reverse("information:list") + f"?status={ReportStatus.DRAFT}",
            own.filter(status=ReportStatus.DRAFT).count(),
            "À compléter puis soumettre à validation.",
        ),
        HomeItem(
            "Rédiger une fiche d'information",
            reverse("information:create"),
            None,
            "Information intéressant la sécurité de la France (article 1, a).",
        ),
    ]


def _count_a(user) -> int:
    from relais.information.models import InformationReport

    return InformationReport.objects.visible_to(user).count()


def register_all() -> None:
    from relais.core import demo, home, navigation
    from relais.core.notifications.kinds import register_kind
    from relais.information.demo import load_demo
    from relais.information.services import FEEDBACK_KIND
    from relais.legal import counts

    navigation.register(
        navigation.NavEntry(
            "Renseignement opérationnel",
            "information:list",
            letters="a",
            order=10,
            visible=_sees_information,
        )
    )
    home.register(
        home.HomeSection(
            "Renseignement opérationnel : file de l'analyste (a)",
            _analyst_items,
            roles=frozenset({Role.ANALYSTE, Role.PILOTAGE}),
            order=10,
        )
    )
    home.register(
        home.HomeSection(
            "Renseignement opérationnel : fiches reçues (a)",
            _recipient_items,
            roles=frozenset({Role.CORRESPONDANT}),
            order=10,
        )
    )
    home.register(
        home.HomeSection(
            "Renseignement opérationnel : fiches du poste (a)",
            _author_items,
            roles=frozenset({Role.ATTACHE}),
            order=10,
        )
    )
    counts.register(
        "a",
        "Fiches d'information et synthèses",
        _count_a,
        "information:list",
    )
    # Operational cooperation of the police and the gendarmerie rests on the first paragraph too.
    counts.register(
        "preamble-1",
        "Fiches d'information (coopération opérationnelle)",
        _count_a,
        "information:list",
    )
    register_kind(
        FEEDBACK_KIND,
        "Retour sur une fiche d'information",
        email_default=False,
        description="Une unité destinataire a fait un retour sur une fiche de votre unité.",
    )
    demo.register(load_demo, order=10, name="information")
