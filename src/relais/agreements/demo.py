"""Demo data of mission k, registered with `relais.core.demo.register` (registrations.py).

Real texts (context.md): the dated agreements below, with their real dates and places and
nothing else presented as fact — no article text, no approval references we do not hold
(entry into force is recorded only where context.md gives it: Algeria, 1 April 2008). Where
only the year of signature is known (Bulgaria 2002, Lebanon 2010), only the year is shown.

Invented texts: plausible arrangements and agreements in every state of the workflow, whose
title ends with « (exemple fictif) », reference starts with « DEMO- », and notes say that no
real text corresponds. Idempotent: an agreement whose title exists is left alone.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from relais.agreements import services
from relais.agreements.models import (
    Addressee,
    Agreement,
    AgreementKind,
    DatePrecision,
    Domain,
    RenewalKind,
    add_months,
)
from relais.agreements.workflows import AgreementStatus
from relais.referential.models import Country, PartnerBody, Post, Unit, UnitKind

D = datetime.date
NEW_GENERATION = [
    "terrorism",
    "organised_crime",
    "arms_nrbc",
    "irregular_immigration",
    "human_trafficking",
    "drugs",
    "money_laundering",
    "counterfeiting",
]
REAL_NOTE = (
    "Accord réel (dates publiques). Les données absentes ici (entrée en vigueur, références de "
    "la loi d'approbation et du décret de publication) sont à compléter depuis le Journal "
    "officiel."
)
FICTIONAL_NOTE = "Exemple fictif créé pour la démonstration : aucun texte réel ne correspond."

REAL = [
    {
        "title": "Accord de coopération en matière de sécurité intérieure avec la Roumanie",
        "kind": AgreementKind.INTERGOVERNMENTAL,
        "countries": ["RO"],
        "directorates": ["DGPN", "DGGN"],
        "domains": ["organised_crime", "irregular_immigration", "human_trafficking", "drugs"],
        "signed_on": D(1997, 2, 21),
        "signed_place": "Bucarest",
        "post": "Bucarest",
        "status": AgreementStatus.SIGNED,
    },
    {
        "title": "Protocole additionnel à l'accord de coopération en matière de sécurité "
        "intérieure avec la Roumanie",
        "kind": AgreementKind.INTERGOVERNMENTAL,
        "countries": ["RO"],
        "directorates": ["DGPN", "DGGN"],
        "domains": ["organised_crime", "irregular_immigration"],
        "signed_on": D(2002, 8, 30),
        "post": "Bucarest",
        "amends": "Accord de coopération en matière de sécurité intérieure avec la Roumanie",
        "status": AgreementStatus.SIGNED,
    },
    {
        "title": "Accord de coopération en matière de sécurité intérieure avec la Bulgarie",
        "kind": AgreementKind.INTERGOVERNMENTAL,
        "countries": ["BG"],
        "directorates": ["DGPN", "DGGN", "DGEF"],
        "domains": NEW_GENERATION,
        "signed_on": D(2002, 1, 1),
        "signed_on_precision": DatePrecision.YEAR,
        "post": "Sofia",
        "status": AgreementStatus.SIGNED,
        "summary": "Premier accord de la « nouvelle génération ».",
    },
    {
        "title": "Accord de coopération en matière de sécurité et de lutte contre la "
        "criminalité organisée avec l'Algérie",
        "kind": AgreementKind.INTERGOVERNMENTAL,
        "countries": ["DZ"],
        "directorates": ["DGPN", "DGGN", "DGEF"],
        "domains": NEW_GENERATION,
        "signed_on": D(2003, 10, 25),
        "signed_place": "Alger",
        "in_force_on": D(2008, 4, 1),
        "post": "Alger",
        "status": AgreementStatus.IN_FORCE,
        "committee": ("Comité mixte franco-algérien de sécurité", "annuelle"),
    },
    {
        "title": "Accord de coopération en matière de sécurité intérieure avec l'Arabie saoudite",
        "kind": AgreementKind.INTERGOVERNMENTAL,
        "countries": ["SA"],
        "directorates": ["DGPN", "DGGN"],
        "domains": NEW_GENERATION,
        "signed_on": D(2008, 2, 24),
        "signed_place": "Riyad",
        "post": "Riyad",
        "status": AgreementStatus.SIGNED,
    },
    {
        "title": "Accord de coopération en matière de sécurité intérieure avec Maurice",
        "kind": AgreementKind.INTERGOVERNMENTAL,
        "countries": ["MU"],
        "directorates": ["DGPN", "DGGN"],
        "domains": NEW_GENERATION,
        "signed_on": D(2008, 6, 13),
        "signed_place": "Paris",
        "post": "Antananarivo",
        "status": AgreementStatus.SIGNED,
    },
    {
        "title": "Accord de coopération en matière de sécurité intérieure avec les Émirats "
        "arabes unis",
        "kind": AgreementKind.INTERGOVERNMENTAL,
        "countries": ["AE"],
        "directorates": ["DGPN", "DGGN"],
        "domains": NEW_GENERATION,
        "signed_on": D(2009, 5, 26),
        "signed_place": "Abou Dabi",
        "post": "Abou Dabi",
        "status": AgreementStatus.SIGNED,
    },
    {
        "title": "Accord de coopération en matière de sécurité intérieure avec le Vietnam",
        "kind": AgreementKind.INTERGOVERNMENTAL,
        "countries": ["VN"],
        "directorates": ["DGPN", "DGGN"],
        "domains": NEW_GENERATION,
        "signed_on": D(2009, 11, 12),
        "signed_place": "Hanoï",
        "post": "Hanoï",
        "status": AgreementStatus.SIGNED,
    },
    {
        "title": "Accord de coopération en matière de sécurité intérieure avec le Liban",
        "kind": AgreementKind.INTERGOVERNMENTAL,
        "countries": ["LB"],
        "directorates": ["DGPN", "DGGN"],
        "domains": NEW_GENERATION,
        "signed_on": D(2010, 1, 1),
        "signed_on_precision": DatePrecision.YEAR,
        "post": "Beyrouth",
        "status": AgreementStatus.SIGNED,
    },
]


def _today():
    return timezone.localdate()


def _fictional(today: datetime.date) -> list[dict]:
    """Invented texts, dated relative to today so the demo always has live deadlines."""
    return [
        {
            "title": "Arrangement technique de coopération en matière de sécurité routière "
            "avec le Maroc (exemple fictif)",
            "reference": "DEMO-K-001",
            "kind": AgreementKind.TECHNICAL_ARRANGEMENT,
            "countries": ["MA"],
            "directorates": ["DSCR"],
            "domains": ["road_safety", "training"],
            "post": "Rabat",
            "walk": ["prepare", "negotiate"],
            "rounds": [
                (
                    today - datetime.timedelta(days=120),
                    "Rabat",
                    "Premier échange sur le projet français.",
                ),
                (
                    today - datetime.timedelta(days=40),
                    "Paris",
                    "Accord sur les articles 1 à 4 ; l'annexe reste ouverte.",
                ),
            ],
            "versions": [
                (
                    "Projet français (exemple fictif)",
                    "Article 1 — Objet\nLes parties coopèrent en matière de sécurité routière.\nArticle 2 — Formation\nÉchanges de formateurs.",
                ),
                (
                    "Contre-projet de la partie marocaine (exemple fictif)",
                    "Article 1 — Objet\nLes parties coopèrent en matière de sécurité et d'éducation routières.\nArticle 2 — Formation\nÉchanges de formateurs et d'experts.\nArticle 3 — Comité de suivi",
                ),
            ],
            "requests": [
                (
                    Addressee.DIRECTORATE,
                    "DSCR",
                    "Observations sur le contre-projet",
                    today + datetime.timedelta(days=5),
                ),
                (
                    Addressee.MEAE,
                    None,
                    "Avis sur la forme de l'arrangement",
                    today + datetime.timedelta(days=20),
                ),
            ],
        },
        {
            "title": "Déclaration d'intention sur la formation en sécurité civile avec le "
            "Sénégal (exemple fictif)",
            "reference": "DEMO-K-002",
            "kind": AgreementKind.LETTER_OF_INTENT,
            "countries": ["SN"],
            "directorates": ["DGSCGC"],
            "domains": ["civil_security", "training"],
            "post": "Dakar",
            "walk": [],
        },
        {
            "title": "Accord de sécurité civile avec la Tunisie (exemple fictif)",
            "reference": "DEMO-K-003",
            "kind": AgreementKind.CIVIL_SECURITY,
            "countries": ["TN"],
            "directorates": ["DGSCGC"],
            "domains": ["civil_security"],
            "post": "Tunis",
            "walk": ["prepare", "negotiate", "stabilise", "sign", "submit_for_approval"],
            "sign": {"signed_on": today - datetime.timedelta(days=200), "signed_place": "Tunis"},
        },
        {
            "title": "Mémorandum d'entente sur la lutte contre la fraude documentaire avec la "
            "Côte d'Ivoire (exemple fictif)",
            "reference": "DEMO-K-004",
            "kind": AgreementKind.MEMORANDUM,
            "countries": ["CI"],
            "directorates": ["DGEF", "DGPN"],
            "domains": ["document_fraud", "irregular_immigration"],
            "post": "Abidjan",
            "status": AgreementStatus.IN_FORCE,
            "signed_on": add_months(today, -48) - datetime.timedelta(days=10),
            "signed_place": "Abidjan",
            "in_force_on": add_months(today, -48),
            "duration_years": 5,
            "tacit_renewal": True,
            "renewal_years": 5,
            "notice_months": 6,
            "expires_on": add_months(today, 12) - datetime.timedelta(days=150),
            "committee": ("Comité de suivi franco-ivoirien", "semestrielle"),
            "meeting": today + datetime.timedelta(days=10),
        },
        {
            "title": "Arrangement technique de coopération transfrontalière entre unités de "
            "gendarmerie avec l'Espagne (exemple fictif)",
            "reference": "DEMO-K-005",
            "kind": AgreementKind.TECHNICAL_ARRANGEMENT,
            "countries": ["ES", "AD"],
            "directorates": ["DGGN"],
            "domains": ["organised_crime", "public_order"],
            "post": "Madrid",
            "status": AgreementStatus.IN_FORCE,
            "signed_on": D(2019, 6, 3),
            "signed_place": "Madrid",
            "in_force_on": D(2019, 6, 3),
            "duration_years": 3,
            "tacit_renewal": True,
            "renewal_years": 3,
            "notice_months": 3,
            "expires_on": D(2022, 6, 2),
            "renewals": [D(2022, 6, 3), D(2025, 6, 3)],
        },
        {
            "title": "Arrangement technique sur l'échange d'officiers de liaison avec le Mali "
            "(exemple fictif)",
            "reference": "DEMO-K-006",
            "kind": AgreementKind.TECHNICAL_ARRANGEMENT,
            "countries": ["ML"],
            "directorates": ["DGPN"],
            "domains": ["terrorism", "drugs"],
            "post": "Bamako",
            "walk": ["prepare", "abandon"],
        },
        {
            "title": "Mémorandum d'entente sur la formation à la lutte antidrogue avec l'ONUDC "
            "(exemple fictif)",
            "reference": "DEMO-K-007",
            "kind": AgreementKind.MEMORANDUM,
            "partner_bodies": ["ONUDC"],
            "directorates": ["DGPN", "DGGN"],
            "domains": ["drugs", "training"],
            "walk": ["prepare", "negotiate", "stabilise"],
        },
    ]


def _demo_user(username: str, fallback: str = "pilotage"):
    users = get_user_model().objects
    return users.filter(username=username).first() or users.filter(username=fallback).first()


def _posts() -> dict:
    return {p.city: p for p in Post.objects.select_related("unit")}


def _directorates(codes) -> list:
    units = Unit.objects.filter(kind=UnitKind.DIRECTORATE, beneficiary__in=codes)
    return list(units)


def _fields(spec: dict, posts: dict, lead) -> dict:
    fields = {
        "title": spec["title"],
        "kind": spec["kind"],
        "lead": lead,
        "post": posts.get(spec.get("post", "")),
    }
    for name in (
        "reference",
        "summary",
        "signed_on",
        "signed_on_precision",
        "signed_place",
        "in_force_on",
        "duration_years",
        "tacit_renewal",
        "renewal_years",
        "notice_months",
        "expires_on",
    ):
        if name in spec:
            fields[name] = spec[name]
    return fields


def _relations(spec: dict) -> dict:
    return {
        "countries": list(Country.objects.filter(code__in=spec.get("countries", []))),
        "partner_bodies": list(
            PartnerBody.objects.filter(acronym__in=spec.get("partner_bodies", []))
        ),
        "directorates": _directorates(spec["directorates"]),
        "domains": list(Domain.objects.filter(code__in=spec.get("domains", []))),
    }


def _extras(agreement, spec, user, today) -> None:
    if "committee" in spec:
        name, periodicity = spec["committee"]
        committee = services.add_committee(agreement, user, name=name, periodicity=periodicity)
        if "meeting" in spec:
            services.add_meeting(
                committee, user, held_on=spec["meeting"], place="Paris", agenda="Bilan annuel."
            )
    for held_on, place, outcome in spec.get("rounds", []):
        services.add_round(agreement, user, held_on=held_on, place=place, outcome=outcome)
    for label, text in spec.get("versions", []):
        services.add_text_version(agreement, user, label=label, pasted_text=text)
    for addressee, code, subject, due in spec.get("requests", []):
        directorate = _directorates([code])[0] if code else None
        services.request_comments(
            agreement,
            user,
            addressee=addressee,
            directorate=directorate,
            subject=subject,
            due_on=due,
            requested_on=today - datetime.timedelta(days=10),
        )
    for renewed_on in spec.get("renewals", []):
        services.record_renewal(agreement, user, kind=RenewalKind.TACIT, renewed_on=renewed_on)


def load_demo() -> dict[str, int]:
    """Create the demo agreements that do not exist yet (by title)."""
    pilotage = _demo_user("pilotage")
    if pilotage is None:  # the organisation's demo (accounts) is not loaded
        return {"accords": 0}
    africa = _demo_user("charge.afrique")
    today = _today()
    posts = _posts()
    existing = set(Agreement.objects.values_list("title", flat=True))
    created = 0
    for spec in REAL:
        if spec["title"] in existing:
            continue
        with transaction.atomic():
            fields = _fields(spec, posts, africa if spec["countries"][0] == "DZ" else pilotage)
            fields["notes"] = REAL_NOTE
            if "amends" in spec:
                fields["amends"] = Agreement.objects.filter(title=spec["amends"]).first()
            agreement = services.import_agreement(
                pilotage, status=spec["status"], **fields, **_relations(spec)
            )
            _extras(agreement, spec, pilotage, today)
        created += 1
    for spec in _fictional(today):
        if spec["title"] in existing:
            continue
        lead = (
            africa
            if spec.get("post") in {"Rabat", "Dakar", "Tunis", "Abidjan", "Bamako"}
            else pilotage
        )
        with transaction.atomic():
            fields = _fields(spec, posts, lead)
            fields["notes"] = FICTIONAL_NOTE
            relations = _relations(spec)
            if "status" in spec:
                agreement = services.import_agreement(
                    pilotage, status=spec["status"], **fields, **relations
                )
            else:
                for name in ("signed_on", "signed_place"):
                    fields.pop(name, None)
                agreement = services.create_agreement(pilotage, **relations, **fields)
                for name in spec.get("walk", []):
                    extra = spec.get(name, {}) if name != "sign" else spec.get("sign", {})
                    comment = "Abandon (exemple fictif)." if name == "abandon" else ""
                    services.move(agreement, name, pilotage, comment, **extra)
            _extras(agreement, spec, pilotage, today)
        created += 1
    return {"accords": created}
