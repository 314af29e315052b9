"""Demo data of mission a: a few thousand invented information reports over three years.

Everything here is invented (facts, places, sources); the organisations (posts, directorates,
services) and countries are the real ones of the referential. Reports come from the posts of
the network (their countries), in every state of the circuit; the validated ones were
validated by the demo analyst, disseminated to the units the routing rules propose, mostly
acknowledged, some with feedback, some overdue.

Loaded with bulk operations (a few seconds on SQLite); the search index is rebuilt by the
demo command afterwards. Idempotent: nothing is created when demo reports already exist
(their source description starts with `DEMO_PREFIX`). `load_demo(count=…, years=…)` is also
what `bench/information.py` uses to generate a large volume.
"""

import contextlib
import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from relais.information import services
from relais.information.models import (
    Dissemination,
    Feedback,
    FollowUp,
    InformationReport,
    RoutingRule,
    Theme,
    Usefulness,
)
from relais.information.workflows import ReportStatus
from relais.legal.models import Mission
from relais.referential.models import Post

DEMO_PREFIX = "Démonstration – "
DEFAULT_COUNT = 3000

#: A seaport per coastal country the posts cover: facts about containers or boats happen there
#: (never in a landlocked capital such as Addis-Abeba, nor in Pékin, which has no port).
SEAPORTS = {
    "ES": "Algésiras", "PT": "Sines", "IT": "Gioia Tauro", "BE": "Anvers", "NL": "Rotterdam",
    "DE": "Hambourg", "GB": "Felixstowe", "GR": "Le Pirée", "HR": "Rijeka", "MT": "La Valette",
    "CY": "Limassol", "TR": "Mersin", "MA": "Tanger", "DZ": "Oran", "TN": "Sfax",
    "LY": "Zouara", "EG": "Alexandrie", "LB": "Beyrouth", "SN": "Dakar", "MR": "Nouadhibou",
    "CI": "Abidjan", "GH": "Tema", "TG": "Lomé", "BJ": "Cotonou", "NG": "Lagos",
    "CM": "Douala", "GA": "Libreville", "CG": "Pointe-Noire", "GN": "Conakry", "GW": "Bissau",
    "CV": "Praia", "KE": "Mombasa", "TZ": "Dar es Salaam", "DJ": "Djibouti", "MG": "Toamasina",
    "ZA": "Durban", "CO": "Carthagène", "EC": "Guayaquil", "BR": "Santos", "PE": "Callao",
    "PA": "Colón", "MX": "Veracruz", "DO": "Saint-Domingue", "VE": "La Guaira",
    "US": "Miami", "CN": "Shanghai", "VN": "Haïphong", "TH": "Laem Chabang", "IN": "Bombay",
    "AE": "Djebel Ali", "SA": "Djeddah", "JO": "Aqaba", "UA": "Odessa", "GE": "Batoumi",
}  # fmt: skip

#: Invented facts per theme: (title, summary) templates; {city}, {country} are filled in, {port}
#: with the country's seaport (a fact with {port} is only told of a country in SEAPORTS).
FACTS = {
    "drugs": [
        (
            "Cargaison de résine de cannabis attendue à {city}",
            "Un go-fast doit livrer une cargaison depuis {country} dans les prochains jours.",
        ),
        (
            "Laboratoire clandestin de drogues de synthèse près de {city}",
            "Des précurseurs chimiques ont été achetés en quantité inhabituelle.",
        ),
        (
            "Conteneur de cocaïne suspect au port de {port}",
            "Un conteneur de fruits en provenance d'Amérique du Sud est signalé.",
        ),
    ],
    "irregular_immigration": [
        (
            "Filière de passeurs entre {country} et l'espace Schengen",
            "Un réseau organise des départs groupés depuis {city}.",
        ),
        (
            "Hausse des départs d'embarcations depuis {port}",
            "Les services locaux signalent une reprise des traversées.",
        ),
    ],
    "document_fraud": [
        (
            "Atelier de faux documents d'identité à {city}",
            "Des passeports contrefaits sont proposés à la vente.",
        ),
        (
            "Fraude aux visas au consulat de {city}",
            "Des justificatifs falsifiés circulent parmi les demandeurs.",
        ),
    ],
    "human_trafficking": [
        (
            "Réseau d'exploitation de victimes de traite à {city}",
            "Des femmes recrutées en {country} seraient acheminées vers l'Europe.",
        ),
    ],
    "terrorism": [
        (
            "Signalement d'un ressortissant radicalisé de retour de zone",
            "Les autorités de {country} signalent un retour par {city}.",
        ),
        (
            "Coopération policière : menace contre un événement à {city}",
            "Les services locaux relèvent la sécurité d'un rassemblement.",
        ),
    ],
    "organised_crime": [
        (
            "Groupe criminel itinérant actif à {city}",
            "Des cambriolages en série sont attribués à un groupe connu en France.",
        ),
        (
            "Blanchiment par des sociétés écrans à {city}",
            "Des flux financiers suspects transitent par {country}.",
        ),
    ],
    "cybercrime": [
        (
            "Campagne d'hameçonnage visant des ressortissants français",
            "Un serveur hébergé en {country} diffuse de faux messages administratifs.",
        ),
        (
            "Rançongiciel : infrastructure identifiée à {city}",
            "Les autorités de {country} ont localisé des serveurs de commande.",
        ),
    ],
    "arms_trafficking": [
        (
            "Trafic d'armes de guerre via {city}",
            "Des armes issues de stocks anciens transiteraient vers l'Europe.",
        ),
    ],
    "public_order": [
        (
            "Manifestations prévues à {city}",
            "Des rassemblements sont annoncés devant les représentations étrangères.",
        ),
    ],
    "nationals_security": [
        (
            "Sécurité des ressortissants français à {city}",
            "Tensions signalées dans un quartier fréquenté par la communauté française.",
        ),
    ],
}
WEIGHTS = {
    "drugs": 26,
    "irregular_immigration": 18,
    "document_fraud": 10,
    "organised_crime": 12,
    "human_trafficking": 7,
    "terrorism": 8,
    "cybercrime": 8,
    "arms_trafficking": 4,
    "public_order": 4,
    "nationals_security": 3,
}
SOURCES = [
    "Service de police partenaire",
    "Officier de liaison",
    "Source humaine du service partenaire",
    "Autorités douanières locales",
    "Presse locale recoupée",
    "Gendarmerie du pays hôte",
]


@contextlib.contextmanager
def _keep_dates(*models):
    """Let bulk inserts keep the dates we give (auto_now / auto_now_add off for the load)."""
    fields = [
        f
        for model in models
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add


def _pick_status(age_days: int, rnd: random.Random) -> str:
    if age_days < 3:
        return rnd.choice([ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.SUBMITTED])
    if age_days < 10:
        return rnd.choice(
            [ReportStatus.SUBMITTED, ReportStatus.VALIDATED, ReportStatus.DISSEMINATED]
        )
    roll = rnd.random()
    if roll < 0.78:
        return ReportStatus.DISSEMINATED
    if roll < 0.93:
        return ReportStatus.CLOSED
    return ReportStatus.VALIDATED


def load_demo(count: int = DEFAULT_COUNT, years: int = 3, seed: int = 2013, *, force=False):
    """Create `count` invented reports over `years` years (see the module docstring)."""
    if (
        not force
        and InformationReport.objects.filter(source_description__startswith=DEMO_PREFIX).exists()
    ):
        return {}
    posts = list(Post.objects.select_related("unit", "host_country").prefetch_related("countries"))
    themes = {t.code: t for t in Theme.objects.all()}
    if not posts or not themes:
        return {}
    rules_created = services.seed_routing_rules()
    rules = {}
    for rule in RoutingRule.objects.filter(country__isnull=True).prefetch_related("units"):
        rules.setdefault(rule.theme_id, []).extend(rule.units.all())
    users = get_user_model().objects
    analyst = users.filter(username="analyste").first() or users.filter(role="analyste").first()
    accounts = {u.unit_id: u for u in users.filter(role="attache")}
    recipients_users = {}
    missions_a = list(Mission.objects.filter(code__in=InformationReport.default_missions))
    rnd = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    span = years * 365 * 24 * 3600
    weighted = [code for code, w in WEIGHTS.items() for _ in range(w) if code in themes]
    # Bigger posts write more.
    post_weights = [
        3
        if p.host_country.code
        in {"ES", "IT", "MA", "DZ", "TN", "SN", "ML", "CO", "BE", "DE", "GB", "TR", "NG"}
        else 1
        for p in posts
    ]

    reports, plan = [], []
    for _ in range(count):
        post = rnd.choices(posts, post_weights)[0]
        countries = list(post.countries.all()) or [post.host_country]
        country = rnd.choice(countries)
        theme = rnd.choice(weighted)
        extra_theme = rnd.choice(weighted) if rnd.random() < 0.2 else None
        port = SEAPORTS.get(country.code)
        title, summary = rnd.choice(
            [fact for fact in FACTS[theme] if port or "{port}" not in fact[0] + fact[1]]
        )
        created = now - datetime.timedelta(seconds=rnd.randrange(span))
        age = (now - created).days
        status = _pick_status(age, rnd)
        report = InformationReport(
            title=title.format(city=post.city, country=country.name, port=port),
            summary=summary.format(city=post.city, country=country.name, port=port),
            body="Fiche fictive de démonstration : les faits, les lieux et les personnes sont inventés.",
            facts_date=(created - datetime.timedelta(days=rnd.randrange(1, 20))).date(),
            facts_place=port if "{port}" in title else post.city,
            source_description=DEMO_PREFIX + rnd.choice(SOURCES),
            source_reliability=rnd.choice("AABBBBCX"),
            information_credibility=rnd.choice("1122223334"),
            handling_code=rnd.choice(["H0", "H0", "H0", "H1", "H1", "H2", "H3"]),
            marking="diffusion_restreinte" if rnd.random() < 0.35 else "non_protege",
            unit=post.unit,
            status=status,
            created_by=accounts.get(post.unit_id),
            updated_by=accounts.get(post.unit_id),
            created_at=created,
        )
        if report.handling_code == "H3":
            report.handling_conditions = (
                "Pas de transmission hors des services destinataires sans accord."
            )
        if status != ReportStatus.DRAFT:
            report.submitted_at = created + datetime.timedelta(hours=rnd.randrange(1, 12))
        if status in (ReportStatus.VALIDATED, ReportStatus.DISSEMINATED, ReportStatus.CLOSED):
            report.validated_at = report.submitted_at + datetime.timedelta(
                hours=rnd.randrange(2, 96)
            )
            report.validated_by = analyst
        if status in (ReportStatus.DISSEMINATED, ReportStatus.CLOSED):
            report.disseminated_at = report.validated_at + datetime.timedelta(
                hours=rnd.randrange(1, 48)
            )
        report.updated_at = (
            report.disseminated_at or report.validated_at or report.submitted_at or created
        )
        report.version = 1 + sum(
            x is not None
            for x in (report.submitted_at, report.validated_at, report.disseminated_at)
        )
        report.compute_digests()
        reports.append(report)
        plan.append((country, themes[theme], themes.get(extra_theme)))

    with transaction.atomic(), _keep_dates(InformationReport, Dissemination, Feedback):
        InformationReport.objects.bulk_create(reports, batch_size=1000)
        if not reports[0].pk:  # backends that do not return ids (none of ours)
            raise RuntimeError("bulk_create sans identifiants")
        country_rows, theme_rows, mission_rows = [], [], []
        CountryLink = InformationReport.countries.through
        ThemeLink = InformationReport.themes.through
        MissionLink = InformationReport.missions.through
        for report, (country, theme, extra) in zip(reports, plan, strict=True):
            country_rows.append(CountryLink(informationreport_id=report.pk, country_id=country.pk))
            theme_rows.append(ThemeLink(informationreport_id=report.pk, theme_id=theme.pk))
            if extra is not None and extra.pk != theme.pk:
                theme_rows.append(ThemeLink(informationreport_id=report.pk, theme_id=extra.pk))
            mission_rows.extend(
                MissionLink(informationreport_id=report.pk, mission_id=mission.pk)
                for mission in missions_a
            )
        CountryLink.objects.bulk_create(country_rows, batch_size=2000)
        ThemeLink.objects.bulk_create(theme_rows, batch_size=2000)
        MissionLink.objects.bulk_create(mission_rows, batch_size=2000)

        unit_ids = {u.pk for units in rules.values() for u in units}
        for user in users.filter(unit_id__in=unit_ids, is_active=True).order_by("pk"):
            recipients_users.setdefault(user.unit_id, user)
        disseminations = []
        for report, (_country, theme, extra) in zip(reports, plan, strict=True):
            if report.disseminated_at is None:
                continue
            units = list(
                dict.fromkeys(
                    [*rules.get(theme.pk, []), *(rules.get(extra.pk, []) if extra else [])]
                )
            )
            for unit in units[:3] or []:
                due = (report.disseminated_at + datetime.timedelta(days=5)).date()
                deadline = due + datetime.timedelta(days=10) if rnd.random() < 0.25 else None
                acknowledged = None
                if (
                    due < today - datetime.timedelta(days=1) and rnd.random() < 0.93
                ) or rnd.random() < 0.4:
                    acknowledged = report.disseminated_at + datetime.timedelta(
                        hours=rnd.randrange(2, 150)
                    )
                    if acknowledged > now:
                        acknowledged = None
                disseminations.append(
                    Dissemination(
                        report=report,
                        unit=unit,
                        handling_code=report.handling_code,
                        handling_conditions=report.handling_conditions,
                        disseminated_at=report.disseminated_at,
                        disseminated_by=analyst,
                        deadline=deadline,
                        acknowledgement_due=due,
                        acknowledged_at=acknowledged,
                        acknowledged_by=recipients_users.get(unit.pk) if acknowledged else None,
                        marking=report.marking,
                        created_at=report.disseminated_at,
                        updated_at=acknowledged or report.disseminated_at,
                        created_by=analyst,
                        updated_by=analyst,
                    )
                )
        Dissemination.objects.bulk_create(disseminations, batch_size=2000)
        feedbacks = [
            Feedback(
                dissemination=d,
                usefulness=rnd.choice(Usefulness.values),
                follow_up=rnd.choice(FollowUp.values),
                comment="Retour fictif de démonstration.",
                marking=d.marking,
                created_at=d.acknowledged_at,
                updated_at=d.acknowledged_at,
                created_by=d.acknowledged_by,
                updated_by=d.acknowledged_by,
            )
            for d in disseminations
            if d.acknowledged_at is not None and rnd.random() < 0.3
        ]
        Feedback.objects.bulk_create(feedbacks, batch_size=2000)
    return {
        "fiches d'information": len(reports),
        "diffusions": len(disseminations),
        "retours": len(feedbacks),
        "règles d'orientation": rules_created,
    }
