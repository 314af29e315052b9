"""Demo data of missions b to g: three years of programmes and actions (about a thousand a
year), consistent with the posts abroad, the directorates, the funders and the kinds of action
(shared/reference/context.md). Titles and figures are invented; organisations, countries,
funders and instruments are real.

`generate(...)` is also what `bench/cooperation.py` calls to build a large volume: it writes
with bulk inserts (actions, legal basis, implementing services, funding lines, evaluations), so
a hundred thousand actions take seconds, not hours. Bulk inserts send no signal: the demo
commands rebuild the search index afterwards (relais.core.demo).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from relais.cooperation.models import (
    ActionCooperationKind,
    ActionKind,
    CooperationAction,
    Domain,
    Evaluation,
    Funding,
    FundingInstrument,
    FundingStatus,
    ObjectivesReached,
    Programme,
)
from relais.cooperation.services import PROGRAMME_LETTERS
from relais.cooperation.workflows import ActionStatus, MeaeOpinion, ProgrammeStatus
from relais.legal.models import Mission
from relais.referential.models import PartnerBody, PartnerKind, Post, Unit

#: Directorates by domain (weights), as the DCI's activity suggests.
DOMAIN_DIRECTORATES = {
    "judicial_police": [("DGPN", 6), ("DGGN", 4)],
    "intervention": [("DGPN", 5), ("DGGN", 5)],
    "forensics": [("DGGN", 6), ("DGPN", 4)],
    "public_order": [("DGPN", 5), ("DGGN", 5)],
    "border_document_fraud": [("DGPN", 7), ("DGEF", 3)],
    "irregular_immigration": [("DGEF", 6), ("DGPN", 4)],
    "road_safety": [("DSCR", 8), ("DGGN", 2)],
    "civil_protection": [("DGSCGC", 10)],
    "local_administration": [("DGCL", 10)],
    "cyber": [("DGGN", 5), ("DGPN", 5)],
    "anti_corruption": [("DGPN", 6), ("DGGN", 4)],
    "governance": [("SG", 8), ("SG-DLPAJ", 2)],
}
DOMAIN_WEIGHTS = {
    "judicial_police": 16,
    "intervention": 8,
    "forensics": 7,
    "public_order": 12,
    "border_document_fraud": 11,
    "irregular_immigration": 8,
    "road_safety": 5,
    "civil_protection": 8,
    "local_administration": 3,
    "cyber": 9,
    "anti_corruption": 5,
    "governance": 4,
}
#: Services that carry out the actions, by directorate (unit codes of the referential).
SERVICES = {
    "DGPN": ["DCPJ", "DCPAF", "DCSP", "DCCRS", "RAID", "OFAST"],
    "DGGN": ["GIGN", "PJGN", "DGGN-DOE", "OCLAESP"],
    "SG": ["SG-DLPAJ", "SG-DRH", "SG-DSIC"],
    "DGSCGC": ["DGSCGC-UIISC", "DGSCGC-COGIC"],
    "DGEF": ["DGEF-DIMM", "DGEF-DA"],
    "DGCL": [],
    "DSCR": [],
}
KIND_WEIGHTS = {
    ActionKind.TRAINING_FRANCE: 14,
    ActionKind.TRAINING_LOCAL: 26,
    ActionKind.TRAINING_REGIONAL_SCHOOL: 8,
    ActionKind.EXPERT_MISSION: 20,
    ActionKind.SEMINAR: 10,
    ActionKind.STUDY_VISIT: 9,
    ActionKind.AUDIT: 5,
    ActionKind.EQUIPMENT_DONATION: 6,
    ActionKind.TWINNING: 2,
}
TOPICS = {
    "judicial_police": [
        "techniques d'enquête en matière de stupéfiants",
        "lutte antiterroriste",
        "enquêtes financières",
        "traite des êtres humains",
        "analyse criminelle",
    ],
    "intervention": [
        "formation d'une unité d'intervention",
        "négociation de crise",
        "tireurs de précision",
        "protection de hautes personnalités",
    ],
    "forensics": [
        "police technique et scientifique",
        "identification criminelle",
        "constatations sur les scènes de crime",
        "laboratoire d'analyse ADN",
    ],
    "public_order": [
        "maintien de l'ordre",
        "gestion démocratique des foules",
        "commandement des unités de maintien de l'ordre",
    ],
    "border_document_fraud": [
        "fraude documentaire",
        "contrôle aux frontières aériennes",
        "analyse de risque aux frontières",
        "faux documents d'identité",
    ],
    "irregular_immigration": [
        "lutte contre les filières d'immigration irrégulière",
        "retour et réadmission",
        "état civil et biométrie",
    ],
    "road_safety": ["sécurité routière", "contrôle automatisé de la vitesse", "secours routier"],
    "civil_protection": [
        "lutte contre les feux de forêt",
        "secours en milieu périlleux",
        "gestion de crise et planification ORSEC",
        "déminage",
    ],
    "local_administration": [
        "décentralisation et finances locales",
        "administration territoriale",
        "état civil communal",
    ],
    "cyber": [
        "lutte contre la cybercriminalité",
        "preuve numérique",
        "investigations sur les cryptoactifs",
    ],
    "anti_corruption": [
        "éthique et déontologie policière",
        "inspection des services",
        "lutte contre la corruption",
    ],
    "governance": [
        "gouvernance des forces de sécurité",
        "gestion des ressources humaines",
        "systèmes d'information du ministère",
        "élections et libertés publiques",
    ],
}
KIND_TITLES = {
    ActionKind.TRAINING_FRANCE: "Stage en France : {topic}",
    ActionKind.TRAINING_LOCAL: "Formation : {topic}",
    ActionKind.TRAINING_REGIONAL_SCHOOL: "ENVR — session : {topic}",
    ActionKind.EXPERT_MISSION: "Mission d'expertise : {topic}",
    ActionKind.SEMINAR: "Séminaire régional : {topic}",
    ActionKind.STUDY_VISIT: "Visite d'étude en France : {topic}",
    ActionKind.AUDIT: "Audit : {topic}",
    ActionKind.EQUIPMENT_DONATION: "Don de matériel : {topic}",
    ActionKind.TWINNING: "Jumelage : {topic}",
}
LESSONS = [
    "Public motivé ; prévoir un module pratique plus long.",
    "Bonne appropriation par les formateurs locaux, qui reprendront le module.",
    "Interprétation insuffisante le premier jour ; à anticiper.",
    "Le matériel est en service ; prévoir la maintenance l'an prochain.",
    "Objectifs atteints ; demande de suite exprimée par l'institution partenaire.",
]

#: Countries where the EU neighbourhood instruments are the usual funders.
NEIGHBOURHOOD = {"MA", "DZ", "TN", "EG", "LB", "JO", "LY", "IL", "PS", "UA", "MD", "GE", "AM", "AZ"}
CANDIDATES = {"RS", "ME", "AL", "MK", "BA", "TR", "XK"}
#: TAIEX and Twinning fund the enlargement and neighbourhood countries only.
EU_INSTRUMENT_COUNTRIES = NEIGHBOURHOOD | CANDIDATES
#: High-income partners: peers for exchanges, never beneficiaries of equipment donations or of
#: sessions of the regional schools (ENVR).
PEERS = {
    # European Union
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    # Other high-income partners
    "GB", "US", "CA", "AU", "NZ", "JP", "KR", "CH", "NO", "IS", "LI", "MC", "AD", "SM", "SG",
    "IL", "AE", "QA", "KW", "BH", "SA",
}  # fmt: skip
#: The regional schools (ENVR) train African and Middle-Eastern cadres.
ENVR_ZONE = "afrique-moyen-orient"
#: No technical cooperation since (year): war, sanctions, juntas that expelled French forces.
SUSPENDED_SINCE = {
    "RU": 2022,
    "BY": 2022,
    "AF": 2021,
    "IR": 2019,
    "ML": 2022,
    "BF": 2023,
    "NE": 2023,
}


def plausible_kind(kind, country) -> str:
    """`kind`, or an expert mission when it makes no sense for this country (see above)."""
    zone = country.zone.code if country.zone_id else ""
    if kind == ActionKind.EQUIPMENT_DONATION and country.code in PEERS:
        return ActionKind.EXPERT_MISSION
    if kind == ActionKind.TRAINING_REGIONAL_SCHOOL and (zone != ENVR_ZONE or country.code in PEERS):
        return ActionKind.TRAINING_LOCAL
    if kind == ActionKind.TWINNING and country.code not in EU_INSTRUMENT_COUNTRIES:
        return ActionKind.EXPERT_MISSION
    return kind


def _weighted(rng: random.Random, pairs):
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights=weights, k=1)[0]


@dataclass
class Context:
    posts: list
    directorates: dict
    services: dict
    domains: dict
    funders: dict
    institutions: dict
    letters: dict
    missions: dict


def _context() -> Context | None:
    from relais.cooperation.services import ACTION_LETTERS, assess_action, directorate_choices

    posts = list(
        Post.objects.select_related("unit", "host_country__zone").prefetch_related("countries")
    )
    if not posts:
        return None
    directorates = {u.code: u for u in directorate_choices()}
    if not directorates:
        return None
    services = {code: list(Unit.objects.filter(code__in=codes)) for code, codes in SERVICES.items()}
    domains = {d.code: d for d in Domain.objects.all()}
    bodies = PartnerBody.objects.filter(kind__in=[PartnerKind.FUNDER, PartnerKind.OPERATOR])
    funders = {b.acronym: b for b in bodies}
    institutions: dict[int, list] = {}
    for body in PartnerBody.objects.filter(
        kind=PartnerKind.FOREIGN_INSTITUTION, country__isnull=False
    ):
        institutions.setdefault(body.country_id, []).append(body)
    letters = {}
    for code, unit in directorates.items():
        for kind in ActionCooperationKind.values:
            answer = assess_action(unit, kind)
            letters[(code, kind)] = answer.letters if answer.competent else ()
    missions = {m.code: m for m in Mission.objects.filter(code__in=ACTION_LETTERS)}
    return Context(posts, directorates, services, domains, funders, institutions, letters, missions)


def _status(rng: random.Random, start: datetime.date, end: datetime.date, today: datetime.date):
    if end < today - datetime.timedelta(days=120):
        return _weighted(
            rng,
            [
                (ActionStatus.EVALUATED, 60),
                (ActionStatus.COMPLETED, 22),
                (ActionStatus.CANCELLED, 10),
                (ActionStatus.POSTPONED, 3),
            ],
        )
    if end < today:
        return _weighted(
            rng,
            [
                (ActionStatus.COMPLETED, 70),
                (ActionStatus.EVALUATED, 20),
                (ActionStatus.CANCELLED, 10),
            ],
        )
    if start <= today:
        return ActionStatus.IN_PROGRESS
    if start < today + datetime.timedelta(days=60):
        return _weighted(
            rng,
            [
                (ActionStatus.PROGRAMMED, 80),
                (ActionStatus.POSTPONED, 8),
                (ActionStatus.CANCELLED, 4),
                (ActionStatus.MEAE_OPINION, 8),
            ],
        )
    return _weighted(
        rng,
        [
            (ActionStatus.PROGRAMMED, 35),
            (ActionStatus.MEAE_OPINION, 20),
            (ActionStatus.UNDER_REVIEW, 20),
            (ActionStatus.PROPOSED, 20),
            (ActionStatus.CANCELLED, 5),
        ],
    )


def _fundings(rng, action, ctx: Context, country_code: str, zone_code: str):
    """One or two funding lines consistent with the country, the kind and the state."""
    lines = []
    if action.kind == ActionKind.TWINNING and "Twinning" in ctx.funders:
        choices = [("Twinning", FundingInstrument.EU_TWINNING, 10)]
    elif zone_code == "afrique-moyen-orient" and country_code not in NEIGHBOURHOOD:
        choices = [
            ("DCSD", FundingInstrument.MEAE_DCSD, 7),
            (None, FundingInstrument.MINISTRY_BUDGET, 2),
            ("EF", FundingInstrument.OPERATOR, 1),
        ]
    elif country_code in NEIGHBOURHOOD:
        choices = [
            ("NDICI", FundingInstrument.EU_NDICI, 4),
            ("CIVIPOL", FundingInstrument.OPERATOR, 3),
            ("DCSD", FundingInstrument.MEAE_DCSD, 2),
            (None, FundingInstrument.MINISTRY_BUDGET, 1),
        ]
    elif country_code in CANDIDATES:
        choices = [
            (None, FundingInstrument.MINISTRY_BUDGET, 4),
            ("TAIEX", FundingInstrument.EU_TAIEX, 3),
            ("FSI", FundingInstrument.EU_ISF, 2),
            ("EMPACT (subventions)", FundingInstrument.EU_EMPACT, 1),
        ]
    elif zone_code == "europe":
        choices = [
            (None, FundingInstrument.MINISTRY_BUDGET, 6),
            ("FSI", FundingInstrument.EU_ISF, 2),
            ("EMPACT (subventions)", FundingInstrument.EU_EMPACT, 1),
        ]
    else:
        choices = [
            (None, FundingInstrument.MINISTRY_BUDGET, 6),
            ("DCSD", FundingInstrument.MEAE_DCSD, 3),
            ("EF", FundingInstrument.OPERATOR, 1),
        ]
    choices = [(a, i, w) for a, i, w in choices if a is None or a in ctx.funders] or [
        (None, FundingInstrument.MINISTRY_BUDGET, 1)
    ]
    base = {
        ActionKind.TRAINING_FRANCE: 18000,
        ActionKind.TRAINING_LOCAL: 9000,
        ActionKind.TRAINING_REGIONAL_SCHOOL: 14000,
        ActionKind.EXPERT_MISSION: 7000,
        ActionKind.SEMINAR: 12000,
        ActionKind.STUDY_VISIT: 10000,
        ActionKind.AUDIT: 15000,
        ActionKind.EQUIPMENT_DONATION: 40000,
        ActionKind.TWINNING: 250000,
    }[action.kind]
    count = 2 if rng.random() < 0.2 else 1
    for _ in range(count):
        acronym, instrument, _w = rng.choices(choices, weights=[c[2] for c in choices], k=1)[0]
        amount = Decimal(int(base * rng.uniform(0.5, 1.8) / 100) * 100)
        if action.status in (ActionStatus.COMPLETED, ActionStatus.EVALUATED):
            status = FundingStatus.PAID if rng.random() < 0.85 else FundingStatus.COMMITTED
        elif action.status in (ActionStatus.IN_PROGRESS, ActionStatus.PROGRAMMED):
            status = FundingStatus.COMMITTED if rng.random() < 0.7 else FundingStatus.PLANNED
        else:
            status = FundingStatus.PLANNED
        lines.append(
            Funding(
                action=action,
                funder=ctx.funders.get(acronym) if acronym else None,
                instrument=instrument,
                amount=amount,
                status=status,
            )
        )
    return lines


def generate(
    *,
    per_year: int = 1000,
    years: list[int] | None = None,
    seed: int = 2013,
    batch_size: int = 2000,
    with_programmes: bool = True,
    progress=None,
) -> dict[str, int]:
    """Create `per_year` actions for each year in `years` (default: the last three years), with
    their programmes, legal basis, funding lines and evaluations. Returns counts created."""
    ctx = _context()
    if ctx is None:
        return {}
    rng = random.Random(seed)
    today = timezone.localdate()
    years = years or [today.year - 2, today.year - 1, today.year]
    created = {"programmes": 0, "actions": 0, "fundings": 0, "evaluations": 0}
    # Where the actions go: each country covered by a post, weighted (host countries more).
    places = []
    for post in ctx.posts:
        for country in post.countries.all():
            weight = 5 if country.pk == post.host_country_id else 1
            if country.zone_id and country.zone.code == "afrique-moyen-orient":
                weight *= 2
            places.append((post, country, weight))
    place_weights = [w for _, _, w in places]
    domain_pairs = [(ctx.domains[c], w) for c, w in DOMAIN_WEIGHTS.items() if c in ctx.domains]
    kind_pairs = list(KIND_WEIGHTS.items())
    ThroughMissions = CooperationAction.missions.through
    ThroughServices = CooperationAction.implementing_services.through
    ProgrammeMissions = Programme.missions.through

    for year in years:
        programmes = {}
        if with_programmes:
            new = []
            for post in ctx.posts:
                country = post.host_country
                if SUSPENDED_SINCE.get(country.code, 9999) <= year:
                    continue
                status = (
                    ProgrammeStatus.ADOPTED
                    if year < today.year
                    else rng.choice([ProgrammeStatus.ADOPTED, ProgrammeStatus.SUBMITTED])
                    if year == today.year
                    else ProgrammeStatus.PREPARATION
                )
                new.append(
                    Programme(
                        year=year,
                        title=f"Programmation {year} — {country.name}",
                        country=country,
                        post=post,
                        division=country.zone.division if country.zone_id else None,
                        summary="Priorités arrêtées avec le poste et la division géographique.",
                        status=status,
                        meae_opinion=MeaeOpinion.FAVOURABLE
                        if status == ProgrammeStatus.ADOPTED
                        else "",
                        meae_opinion_on=datetime.date(year - 1, 12, 10)
                        if status == ProgrammeStatus.ADOPTED
                        else None,
                    )
                )
            Programme.objects.bulk_create(new, batch_size=batch_size)
            ProgrammeMissions.objects.bulk_create(
                [
                    ProgrammeMissions(programme_id=p.pk, mission_id=ctx.missions[code].pk)
                    for p in new
                    for code in PROGRAMME_LETTERS
                    if code in ctx.missions
                ],
                batch_size=batch_size,
            )
            programmes = {p.country_id: p for p in new}
            created["programmes"] += len(new)

        remaining = per_year
        while remaining > 0:
            size = min(batch_size, remaining)
            remaining -= size
            actions = []
            for _ in range(size):
                post, country, _w = rng.choices(places, weights=place_weights, k=1)[0]
                while SUSPENDED_SINCE.get(country.code, 9999) <= year:
                    post, country, _w = rng.choices(places, weights=place_weights, k=1)[0]
                domain = _weighted(rng, domain_pairs)
                code = _weighted(rng, DOMAIN_DIRECTORATES.get(domain.code, [("DGPN", 1)]))
                directorate = (
                    ctx.directorates.get(code)
                    or ctx.directorates.get("DGPN")
                    or next(iter(ctx.directorates.values()))
                )
                coop_kind = (
                    ActionCooperationKind.ADMINISTRATIVE_GOVERNANCE
                    if directorate.beneficiary in ("SG", "DGCL")
                    and ctx.letters.get(
                        (directorate.code, ActionCooperationKind.ADMINISTRATIVE_GOVERNANCE)
                    )
                    else ActionCooperationKind.TECHNICAL
                )
                kind = plausible_kind(_weighted(rng, kind_pairs), country)
                start = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(0, 350))
                length = {
                    ActionKind.TRAINING_FRANCE: 20,
                    ActionKind.TWINNING: 300,
                    ActionKind.EQUIPMENT_DONATION: 2,
                }.get(kind, 5)
                end = start + datetime.timedelta(days=max(0, int(length * rng.uniform(0.6, 1.5))))
                status = _status(rng, start, end, today)
                done = status in (ActionStatus.COMPLETED, ActionStatus.EVALUATED)
                started = done or status == ActionStatus.IN_PROGRESS
                opinion = (
                    (MeaeOpinion.FAVOURABLE if rng.random() < 0.85 else MeaeOpinion.RESERVED)
                    if status
                    not in (
                        ActionStatus.PROPOSED,
                        ActionStatus.UNDER_REVIEW,
                        ActionStatus.MEAE_OPINION,
                        ActionStatus.CANCELLED,
                    )
                    else ""
                )
                if "b" not in ctx.letters[(directorate.code, coop_kind)]:
                    opinion = ""  # optional outside b: the demo's other actions skip it
                trainees = (
                    0
                    if kind in (ActionKind.AUDIT, ActionKind.EQUIPMENT_DONATION)
                    else rng.randint(6, 30)
                )
                experts = rng.randint(1, 4)
                days = experts * max(1, (end - start).days + 1)
                institutions = ctx.institutions.get(country.pk) or [None]
                programme = programmes.get(country.pk) if rng.random() < 0.85 else None
                action = CooperationAction(
                    programme=programme,
                    kind=kind,
                    title=KIND_TITLES[kind].format(
                        topic=rng.choice(TOPICS.get(domain.code, ["coopération"]))
                    ),
                    objectives=f"Renforcer les capacités de l'institution partenaire ({domain.label.lower()}).",
                    domain=domain,
                    cooperation_kind=coop_kind,
                    country=country,
                    beneficiary_institution=rng.choice(institutions),
                    directorate=directorate,
                    post=post,
                    year=start.year,
                    planned_start=start,
                    planned_end=end,
                    actual_start=start if started else None,
                    actual_end=end if done else None,
                    postponed_to=(end + datetime.timedelta(days=180))
                    if status == ActionStatus.POSTPONED
                    else None,
                    participants=trainees,
                    experts=experts,
                    expert_days=days,
                    status=status,
                    meae_opinion=opinion,
                    meae_opinion_on=(start - datetime.timedelta(days=rng.randint(20, 90)))
                    if opinion
                    else None,
                )
                # Funding lines first, so that the actual cost is known before the insert
                # (a bulk update afterwards is slow on large volumes).
                lines = _fundings(
                    rng, action, ctx, country.code, country.zone.code if country.zone_id else ""
                )
                action.pending_fundings = lines
                if status in (ActionStatus.COMPLETED, ActionStatus.EVALUATED):
                    action.actual_cost = sum((f.amount for f in lines), Decimal("0")) * Decimal(
                        str(round(rng.uniform(0.8, 1.05), 2))
                    )
                actions.append(action)
            CooperationAction.objects.bulk_create(actions, batch_size=batch_size)
            missions, services, fundings, evaluations = [], [], [], []
            for action in actions:
                for letter in ctx.letters[(action.directorate.code, action.cooperation_kind)]:
                    if letter in ctx.missions:
                        missions.append(
                            ThroughMissions(
                                cooperationaction_id=action.pk, mission_id=ctx.missions[letter].pk
                            )
                        )
                pool = ctx.services.get(action.directorate.beneficiary_code) or []
                if pool:
                    services.append(
                        ThroughServices(cooperationaction_id=action.pk, unit_id=rng.choice(pool).pk)
                    )
                for line in action.pending_fundings:
                    line.action_id = action.pk
                fundings.extend(action.pending_fundings)
                if action.status == ActionStatus.EVALUATED:
                    rating = _weighted(rng, [(4, 3), (3, 5), (2, 2), (1, 1)])
                    evaluations.append(
                        Evaluation(
                            action=action,
                            objectives_reached={
                                4: ObjectivesReached.FULLY,
                                3: ObjectivesReached.MOSTLY,
                                2: ObjectivesReached.PARTLY,
                                1: ObjectivesReached.NOT,
                            }[rating],
                            rating=rating,
                            lessons=rng.choice(LESSONS),
                            follow_up="Session de perfectionnement proposée pour l'an prochain."
                            if rating >= 3
                            else "",
                            evaluated_on=action.actual_end
                            + datetime.timedelta(days=rng.randint(15, 90)),
                        )
                    )
            ThroughMissions.objects.bulk_create(missions, batch_size=batch_size * 2)
            ThroughServices.objects.bulk_create(services, batch_size=batch_size * 2)
            Funding.objects.bulk_create(fundings, batch_size=batch_size)
            Evaluation.objects.bulk_create(evaluations, batch_size=batch_size)
            created["actions"] += len(actions)
            created["fundings"] += len(fundings)
            created["evaluations"] += len(evaluations)
            if progress is not None:
                progress(len(actions))
    return created


def _thematic_divisions() -> None:
    """Civil protection is followed by the crisis management division (thematic scope)."""
    division = Unit.objects.filter(code="DCI-SDCMP-CRISES").first()
    if division is not None:
        Domain.objects.filter(code="civil_protection", division__isnull=True).update(
            division=division
        )


@transaction.atomic
def load_demo() -> dict[str, int]:
    """Idempotent: creates the cooperation demo only when there is no action yet."""
    _thematic_divisions()
    if CooperationAction.objects.exists():
        return {}
    created = generate(per_year=1000)
    return {
        "programmes de coopération": created.get("programmes", 0),
        "actions de coopération": created.get("actions", 0),
        "lignes de financement": created.get("fundings", 0),
        "évaluations": created.get("evaluations", 0),
    }


#: States in which an agreement is signed (or in force): actions may be carried out under it.
LINKABLE_AGREEMENT_STATES = ("signed", "approval", "in_force")


def _share(pk: int) -> bool:
    """A stable choice of about three actions in five (the same ones on every run)."""
    return pk % 5 < 3


@transaction.atomic
def link_demo_agreements() -> dict[str, int]:
    """Attach a plausible share of the demo actions to the agreement they are carried out under
    (article 1, k, « Vie de l'accord »): the actions of a directorate the agreement is negotiated
    for, in one of its countries, starting after its signature. The base text is preferred to
    its additional protocols, then the most recently signed one. Idempotent: only actions with
    no agreement are considered and the choice is stable; one UPDATE per agreement.

    Runs after both the cooperation and the agreements demos (see registrations.py)."""
    from relais.agreements.models import Agreement

    agreements = sorted(
        Agreement.objects.filter(status__in=LINKABLE_AGREEMENT_STATES, signed_on__isnull=False)
        .prefetch_related("countries", "directorates")
        .exclude(countries=None),
        key=lambda a: (a.amends_id is not None, -a.signed_on.toordinal(), a.pk),
    )
    if not agreements:
        return {}
    countries = {c.pk for a in agreements for c in a.countries.all()}
    candidates = CooperationAction.objects.filter(
        agreement__isnull=True, country_id__in=countries
    ).values_list("pk", "country_id", "directorate_id", "planned_start")
    chosen: dict[int, list[int]] = {}
    for pk, country_id, directorate_id, start in candidates.iterator(chunk_size=2000):
        if not _share(pk):
            continue
        for agreement in agreements:
            if (
                start >= agreement.signed_on
                and any(c.pk == country_id for c in agreement.countries.all())
                and any(d.pk == directorate_id for d in agreement.directorates.all())
            ):
                chosen.setdefault(agreement.pk, []).append(pk)
                break
    linked = 0
    for agreement_id, pks in chosen.items():
        for start in range(0, len(pks), 500):
            linked += CooperationAction.objects.filter(
                pk__in=pks[start : start + 500], agreement__isnull=True
            ).update(agreement_id=agreement_id)
    return {"actions rattachées à un accord": linked} if linked else {}
