"""Demo data of the network (registered in registrations.py, run by `relais setup-demo`).

Over the last year: about ten taskings of headquarters to all posts, to the posts of a zone or
to a few posts (instructions, surveys, requests for information), in every state, with the
posts' answers — most on time, some late, some still missing — and the annual report of last
year for most posts (validated, transmitted or still being written). The posts, countries and
organisations are those of the referential; the texts are invented and say so.

Idempotent: a tasking whose title exists and a report that exists for a post and a year are
left alone. Bulk inserts (the demo command rebuilds the search index afterwards): a few
hundred rows in well under a second.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from relais.core.workflow.models import TransitionLog
from relais.legal.models import Mission
from relais.network.models import PostAnnualReport, Tasking, TaskingKind, TaskingRecipient
from relais.network.workflows import ReportStatus, TaskingStatus
from relais.referential.models import Post

NOTE = "\n\n(Exemple fictif créé pour la démonstration.)"
K = TaskingKind
S = TaskingStatus


@dataclass(frozen=True)
class DemoTasking:
    title: str
    kind: str
    body: str
    sent_days_ago: int | None  # None: still in preparation
    answer_days: int  # due date = sending + answer_days
    status: str
    recipients: object  # "all", a zone code, or a tuple of cities
    answer_rate: float
    author: str = "pilotage"
    #: Cities whose answer is left missing (to show pending and late answers).
    missing: tuple[str, ...] = ()


TASKINGS = [
    DemoTasking(
        "Recensement des besoins de formation des partenaires",
        K.SURVEY,
        "Pour préparer la programmation, indiquez pour chaque pays de votre compétence les "
        "besoins de formation exprimés par les services partenaires (thème, public, volume), "
        "par ordre de priorité, et les financements envisageables.",
        330,
        30,
        S.CLOSED,
        "all",
        0.92,
    ),
    DemoTasking(
        "Point de situation sur les flux migratoires irréguliers",
        K.INFORMATION_REQUEST,
        "Merci de transmettre un point de situation sur les flux migratoires irréguliers "
        "observés dans vos pays de compétence au cours du dernier semestre : routes, "
        "nationalités, réponse des autorités, coopération avec les services français.",
        280,
        21,
        S.CLOSED,
        "afrique-moyen-orient",
        0.88,
        "charge.afrique",
    ),
    DemoTasking(
        "Sécurité des ressortissants français pendant la période estivale",
        K.INSTRUCTION,
        "En liaison avec les consulats, vous vérifierez les plans de sécurité des ressortissants "
        "et signalerez tout événement de nature à les affecter. Accusez réception en indiquant "
        "les mesures prises.",
        240,
        10,
        S.CLOSED,
        "all",
        0.95,
    ),
    DemoTasking(
        "Organisation de la lutte contre la cybercriminalité chez les partenaires",
        K.SURVEY,
        "Décrivez l'organisation des services chargés de la lutte contre la cybercriminalité "
        "dans vos pays de compétence, leurs moyens, et leurs attentes en matière de coopération.",
        200,
        30,
        S.CLOSED,
        "europe",
        0.85,
    ),
    DemoTasking(
        "Routes de la cocaïne : saisies et modes opératoires",
        K.INFORMATION_REQUEST,
        "Transmettez les saisies significatives de cocaïne du trimestre, les modes opératoires "
        "observés (conteneurs, voie aérienne, voiliers) et les services partenaires impliqués.",
        150,
        21,
        S.CLOSED,
        (
            "Bogota",
            "Lima",
            "Panama",
            "Saint-Domingue",
            "Mexico",
            "Brasilia",
            "Madrid",
            "La Haye",
            "Abidjan",
            "Dakar",
        ),
        0.9,
    ),
    DemoTasking(
        "Préparation de la programmation : priorités des postes",
        K.SURVEY,
        "En vue de la programmation de l'année prochaine, indiquez vos trois priorités de "
        "coopération technique par pays, les directions françaises concernées et les "
        "financements identifiés (MEAE/DCSD, Union européenne, budget du ministère).",
        90,
        30,
        S.SENT,
        "all",
        0.78,
        missing=("Madrid",),
    ),
    DemoTasking(
        "Capacités des écoles nationales à vocation régionale",
        K.INFORMATION_REQUEST,
        "Pour les écoles nationales à vocation régionale de votre compétence, indiquez les "
        "formations conduites cette année, le nombre de stagiaires par pays et les besoins "
        "d'experts français.",
        60,
        20,
        S.SENT,
        "afrique-moyen-orient",
        0.7,
        "charge.afrique",
        missing=("Bamako",),
    ),
    DemoTasking(
        "Préparation des missions d'experts au Sahel",
        K.INSTRUCTION,
        "Les missions d'experts prévues au prochain trimestre sont confirmées. Vous prendrez "
        "l'attache des services partenaires pour arrêter les dates et la logistique, et "
        "confirmerez la sécurité des déplacements.",
        20,
        25,
        S.SENT,
        ("Bamako", "Niamey", "Nouakchott", "Ouagadougou", "N'Djamena", "Dakar"),
        0.4,
        "charge.afrique",
    ),
    DemoTasking(
        "Filières d'immigration irrégulière en Méditerranée",
        K.INFORMATION_REQUEST,
        "Transmettez les éléments disponibles sur les filières actives vers l'Europe par la "
        "Méditerranée centrale et occidentale : passeurs identifiés, points de départ, "
        "coopération judiciaire en cours.",
        5,
        14,
        S.SENT,
        ("Madrid", "Rome", "Athènes", "Zagreb", "Tunis", "Rabat", "Alger"),
        0.3,
        missing=("Madrid",),
    ),
    DemoTasking(
        "Recensement des officiers de liaison et de leurs thèmes",
        K.SURVEY,
        "Vérifiez la liste des officiers de liaison de votre poste, leurs thèmes et les dates "
        "de fin d'affectation connues.",
        10,
        40,
        S.SENT,
        "all",
        0.35,
    ),
    DemoTasking(
        "Besoins en matériel de police technique et scientifique",
        K.SURVEY,
        "Projet : recenser les besoins des partenaires en matériel de police technique et "
        "scientifique pouvant faire l'objet d'un don.",
        None,
        45,
        S.DRAFT,
        "ameriques-asie",
        0.0,
    ),
]

ANSWERS = {
    K.SURVEY: [
        "Les autorités de {countries} ont exprimé les besoins suivants : formation des "
        "enquêteurs, appui à la police technique et scientifique, échanges sur la gestion "
        "des foules. Financement envisagé : MEAE/DCSD et fonds européens.",
        "Réponse du {post} : trois besoins prioritaires identifiés pour {countries} "
        "(criminalité organisée, fraude documentaire, formation des cadres). Détail en pièce "
        "jointe du télégramme diplomatique.",
        "Après consultation des services partenaires de {countries}, le poste propose de "
        "concentrer l'effort sur la formation de formateurs et les visites d'étude en France.",
    ],
    K.INFORMATION_REQUEST: [
        "Éléments recueillis auprès des services de {countries} : tendance stable sur la "
        "période, deux affaires significatives en cours, coopération satisfaisante avec les "
        "services français.",
        "Le {post} signale une hausse sensible sur la période ; les autorités de {countries} "
        "sollicitent un appui en analyse criminelle.",
        "Peu d'éléments nouveaux pour {countries} ; le poste reste attentif et transmettra "
        "toute information utile.",
    ],
    K.INSTRUCTION: [
        "Instruction reçue et mise en œuvre par le {post} ; contacts pris avec les services "
        "de {countries} et les consulats.",
        "Le {post} accuse réception : les mesures demandées sont en place pour {countries}.",
    ],
}

CONTEXT = (
    "Contexte sécuritaire de {countries} sur l'année {year} : évolution de la criminalité "
    "organisée et des flux migratoires, réformes institutionnelles en cours chez les "
    "partenaires, qualité des échanges opérationnels avec les services français."
)
SUMMARY = (
    "Coopération réalisée en {year} : {n} actions de coopération technique suivies par le "
    "poste (formations en France et sur place, missions d'experts, visites d'étude), en liaison "
    "avec l'ambassade et les bailleurs."
)
PRIORITIES = {
    "europe": [
        "Lutte contre la criminalité organisée et les trafics d'armes",
        "Cybercriminalité : échanges d'experts et formation",
        "Immigration irrégulière et fraude documentaire",
        "Coopération transfrontalière et centres de coopération policière",
        "Protection des grands événements",
    ],
    "afrique-moyen-orient": [
        "Formation des unités d'intervention et de maintien de l'ordre",
        "Lutte contre le terrorisme : renseignement criminel et police judiciaire",
        "Contrôle des frontières et lutte contre la fraude documentaire",
        "Appui aux écoles nationales à vocation régionale",
        "Sécurité civile : formation des sapeurs-pompiers",
        "Police technique et scientifique",
    ],
    "ameriques-asie": [
        "Lutte contre le trafic de stupéfiants (voies maritimes et aériennes)",
        "Cybercriminalité et cryptoactifs",
        "Traite des êtres humains",
        "Blanchiment et saisie des avoirs criminels",
        "Sécurité routière : échanges de bonnes pratiques",
    ],
}


def _users():
    by_name = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    attaches = {}
    for user in by_name.values():
        if user.role == "attache" and user.unit_id:
            attaches.setdefault(user.unit_id, user)
    return by_name, attaches


def _targets(spec, posts):
    if spec == "all":
        return list(posts)
    if isinstance(spec, str):
        return [p for p in posts if p.host_country.zone and p.host_country.zone.code == spec]
    wanted = set(spec)
    return [p for p in posts if p.city in wanted]


def _countries(post) -> str:
    names = [c.name for c in post.countries.all()]
    return ", ".join(names) if names else post.host_country.name


def _log(model, obj, transition, source, target, actor, when, comment=""):
    return TransitionLog(
        model=model,
        object_id=str(obj.pk),
        transition=transition,
        from_state=source,
        to_state=target,
        actor=actor,
        actor_name=(actor.get_full_name() or actor.username) if actor else "",
        timestamp=when,
        comment=comment,
    )


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def load_taskings(today, posts, users, attaches, mission) -> tuple[int, int]:
    created_taskings = created_answers = 0
    existing = set(Tasking.objects.values_list("title", flat=True))
    logs = []
    for spec in TASKINGS:
        if spec.title in existing:
            continue
        author = users.get(spec.author) or users.get("pilotage")
        sent_on = today - datetime.timedelta(days=spec.sent_days_ago or 0)
        due_on = sent_on + datetime.timedelta(days=spec.answer_days)
        targets = _targets(spec.recipients, posts)
        tasking = Tasking.objects.create(
            kind=spec.kind,
            title=spec.title,
            body=spec.body + NOTE,
            due_on=due_on,
            all_posts=spec.recipients == "all",
            status=spec.status,
            created_by=author,
            updated_by=author,
        )
        created_on = sent_on - datetime.timedelta(days=3)
        Tasking.objects.filter(pk=tasking.pk).update(created_at=_moment(created_on))
        tasking.missions.add(mission)
        created_taskings += 1
        rng = random.Random(spec.title)
        rows = []
        for post in targets:
            row = TaskingRecipient(tasking=tasking, post=post, created_by=author)
            answers = spec.status != S.DRAFT and post.city not in spec.missing
            if answers and rng.random() < spec.answer_rate:
                # Most answer before the due date; about one in six after it.
                latest = min(today, due_on + datetime.timedelta(days=12))
                if rng.random() < 0.17 and latest > due_on:
                    day = due_on + datetime.timedelta(days=rng.randint(1, (latest - due_on).days))
                else:
                    span = max(1, (min(due_on, today) - sent_on).days)
                    day = sent_on + datetime.timedelta(days=rng.randint(1, span))
                if day <= today:
                    attache = attaches.get(post.unit_id)
                    template = rng.choice(ANSWERS[spec.kind])
                    row.answer = template.format(post=post, countries=_countries(post)) + NOTE
                    row.answered_on = day
                    row.answered_by = attache
            rows.append(row)
        TaskingRecipient.objects.bulk_create(rows)
        created_answers += len(rows)
        if spec.status != S.DRAFT:
            logs.append(
                _log("network.tasking", tasking, "send", S.DRAFT, S.SENT, author, _moment(sent_on))
            )
        if spec.status == S.CLOSED:
            closed_on = due_on + datetime.timedelta(days=15)
            logs.append(
                _log(
                    "network.tasking",
                    tasking,
                    "close",
                    S.SENT,
                    S.CLOSED,
                    author,
                    _moment(min(closed_on, today)),
                )
            )
    TransitionLog.objects.bulk_create(logs)
    return created_taskings, created_answers


def load_reports(today, posts, users, attaches, mission) -> int:
    year = today.year - 1
    done = set(PostAnnualReport.objects.filter(year=year).values_list("post_id", flat=True))
    reports, logs = [], []
    pilotage = users.get("pilotage")
    for index, post in enumerate(posts):
        if post.pk in done:
            continue
        rng = random.Random(f"report-{post.city}-{year}")
        # About one post in eight has not opened its report yet (Madrid and Bamako always have).
        if post.city not in ("Madrid", "Bamako") and index % 8 == 7:
            continue
        draw = rng.random()
        if post.city == "Bamako":
            status = ReportStatus.DRAFT
        elif post.city == "Madrid":
            status = ReportStatus.ACCEPTED
        else:
            status = (
                ReportStatus.ACCEPTED
                if draw < 0.6
                else ReportStatus.SUBMITTED
                if draw < 0.85
                else ReportStatus.DRAFT
            )
        zone = post.host_country.zone.code if post.host_country.zone else "europe"
        pool = PRIORITIES.get(zone, PRIORITIES["europe"])
        countries = _countries(post)
        attache = attaches.get(post.unit_id)
        reports.append(
            PostAnnualReport(
                post=post,
                year=year,
                context=CONTEXT.format(countries=countries, year=year) + NOTE,
                cooperation_summary=SUMMARY.format(year=year, n=rng.randint(6, 60)) + NOTE,
                priorities="\n".join(rng.sample(pool, 3)),
                status=status,
                created_by=attache,
                updated_by=attache,
            )
        )
    PostAnnualReport.objects.bulk_create(reports)
    fresh = PostAnnualReport.objects.filter(year=year, pk__isnull=False).exclude(post_id__in=done)
    through = PostAnnualReport.missions.through
    through.objects.bulk_create([through(postannualreport=r, mission=mission) for r in fresh])
    submitted_on = datetime.date(today.year, 1, 25)
    if submitted_on > today:
        submitted_on = today
    for report in fresh.select_related("post"):
        attache = attaches.get(report.post.unit_id)
        if report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
            logs.append(
                _log(
                    "network.postannualreport",
                    report,
                    "submit",
                    ReportStatus.DRAFT,
                    ReportStatus.SUBMITTED,
                    attache,
                    _moment(submitted_on),
                )
            )
        if report.status == ReportStatus.ACCEPTED:
            logs.append(
                _log(
                    "network.postannualreport",
                    report,
                    "accept",
                    ReportStatus.SUBMITTED,
                    ReportStatus.ACCEPTED,
                    pilotage,
                    _moment(min(submitted_on + datetime.timedelta(days=10), today), 15),
                )
            )
    TransitionLog.objects.bulk_create(logs)
    return len(reports)


def load_demo() -> dict[str, int]:
    posts = list(
        Post.objects.select_related("unit", "host_country__zone")
        .prefetch_related("countries")
        .order_by("city")
    )
    if not posts:
        return {}
    mission = Mission.objects.filter(code="b").first()
    users, attaches = _users()
    today = timezone.localdate()
    taskings, answers = load_taskings(today, posts, users, attaches, mission)
    reports = load_reports(today, posts, users, attaches, mission)
    return {
        "sollicitations du réseau": taskings,
        "destinataires de sollicitations": answers,
        "rapports annuels de poste": reports,
    }
