"""What the network declares to the shared mechanisms at start-up (AppConfig.ready()):
navigation, home sections per role, the « L'article 1 » counts under b, its notification kind
and the demo loader.

Search (`search.py`), the country sheet (`panels.py`), reminders (`deadlines.py`), iCalendar
(`calendars.py`) and the workflows (`workflows.py`) are discovered by their own apps.
"""

from relais.accounts.roles import Role


def sees_network(user) -> bool:
    """Headquarters and the posts; not correspondents nor administrators (no operational
    content by their role)."""
    return bool(
        user.is_authenticated
        and not user.is_administrator
        and (user.in_headquarters or user.is_attache)
    )


def _count_taskings(user) -> int:
    from relais.network.models import Tasking

    return Tasking.objects.visible_to(user).filter(missions__code="b").count()


def _count_reports(user) -> int:
    from relais.network.models import PostAnnualReport

    return PostAnnualReport.objects.visible_to(user).filter(missions__code="b").count()


def _home_attache(user):
    from relais.network.views import home_attache

    return home_attache(user)


def _home_headquarters(user):
    from relais.network.views import home_headquarters

    return home_headquarters(user) if user.in_headquarters else []


def register_all() -> None:
    from relais.core import demo, home, navigation
    from relais.core.notifications.kinds import register_kind
    from relais.legal import counts
    from relais.network.services import ANSWER_KIND

    navigation.register(
        navigation.NavEntry("Réseau", "network:index", letters="b", order=25, visible=sees_network)
    )
    home.register(
        home.HomeSection(
            "Le réseau à l'étranger (b)",
            _home_headquarters,
            roles=frozenset({Role.PILOTAGE, Role.CHARGE_MISSION, Role.ANALYSTE, Role.LECTEUR}),
            order=25,
        )
    )
    home.register(
        home.HomeSection(
            "Mon poste et l'administration centrale (b)",
            _home_attache,
            roles=frozenset({Role.ATTACHE}),
            order=25,
        )
    )
    counts.register("b", "Sollicitations du réseau", _count_taskings, "network:taskings")
    counts.register("b", "Rapports annuels des postes", _count_reports, "network:reports")
    register_kind(
        ANSWER_KIND,
        "Réponse d'un poste",
        email_default=False,
        description="Un poste a transmis sa réponse à une sollicitation que vous avez créée.",
    )
    from relais.network.demo import load_demo

    demo.register(load_demo, order=40, name="network")
