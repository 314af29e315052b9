"""Missions b to g: technical cooperation programmes and actions, their funding, the MEAE's
opinion, the experts mobilised and the evaluation; other donors' activities read from IATI files.

Article 1, b: the DCI « assure la programmation, la mise en œuvre et le suivi des actions de
coopération technique de la police et de la gendarmerie nationales en liaison avec le ministère
des affaires étrangères et les organismes concourant au financement de ces actions »; c to g
give it the same role for the other directorates. Every action names the directorate whose
cooperation it is (`directorate`), and carries the letters the competence assessment proposes
(`missions`, see `services.assess_action`).

Who sees what (`CooperationActionQuerySet.scope_for`):
- pilotage, and readers (inspection) at DCI headquarters: everything;
- chargés de mission: the actions in the countries of their division's zone (`Zone.division`)
  or in the domains their division follows (`Domain.division`), and those they created;
- attachés: the actions in the countries their post covers, or led by their post;
- correspondents: the actions of their directorate (read and comment);
- analysts, administrators and others: nothing.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from relais.accounts.roles import Role
from relais.cooperation.workflows import (
    ActionStatus,
    MeaeOpinion,
    ProgrammeStatus,
)
from relais.core.markings import refuse_classified_text
from relais.core.models import Record, VisibleQuerySet
from relais.legal.models import LegalBasisMixin
from relais.referential.models import french_partner_message

#: Roles that write programmes and actions.
WRITER_ROLES = frozenset({Role.PILOTAGE, Role.CHARGE_MISSION, Role.ATTACHE})


def _unit_path(user) -> str | None:
    return user.unit.path if user.unit_id else None


# --- Reference: domains -------------------------------------------------------------------------


class DomainQuerySet(VisibleQuerySet):
    """Domains are reference data every signed-in user reads."""

    def scope_for(self, user):
        return self.all()


class Domain(models.Model):
    """A domain of technical cooperation (judicial police, public order, cyber…), with the OECD
    DAC sector code used in IATI files and the headquarters division that follows it (thematic
    scope of the chargés de mission)."""

    code = models.SlugField("code", max_length=40, unique=True)
    label = models.CharField("libellé", max_length=120)
    dac_code = models.CharField(
        "secteur CAD (OCDE)",
        max_length=5,
        default="15210",
        help_text="Code sectoriel du CAD utilisé dans les fichiers IATI (15210 : gestion et "
        "réforme des systèmes de sécurité).",
    )
    division = models.ForeignKey(
        "referential.Unit",
        verbose_name="division thématique",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cooperation_domains",
        help_text="Division de l'administration centrale qui suit ce domaine.",
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = DomainQuerySet.as_manager()

    class Meta:
        verbose_name = "domaine de coopération"
        verbose_name_plural = "domaines de coopération"
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


# --- Choices ------------------------------------------------------------------------------------


class ActionKind(models.TextChoices):
    """Kinds of action; the codes are those of the API."""

    TRAINING_FRANCE = "training_france", "Stage de formation en France"
    TRAINING_LOCAL = "training_local", "Formation dans le pays partenaire"
    TRAINING_REGIONAL_SCHOOL = (
        "training_regional_school",
        "Formation en école nationale à vocation régionale",
    )
    EXPERT_MISSION = "expert_mission", "Mission d'expertise"
    SEMINAR = "seminar", "Séminaire"
    STUDY_VISIT = "study_visit", "Visite d'étude"
    AUDIT = "audit", "Audit"
    EQUIPMENT_DONATION = "equipment_donation", "Don de matériel"
    TWINNING = "twinning", "Jumelage"


class ActionCooperationKind(models.TextChoices):
    """The kinds of cooperation an action may carry (codes of `relais.legal`): technical
    cooperation (b, e, f, g and the second paragraph) and administrative and governance
    cooperation (c for the SG, d for the DGCL)."""

    TECHNICAL = "technical", "Coopération technique"
    ADMINISTRATIVE_GOVERNANCE = (
        "administrative_governance",
        "Coopération administrative et de gouvernance",
    )


class FundingInstrument(models.TextChoices):
    MINISTRY_BUDGET = "ministry_budget", "Budget du ministère de l'Intérieur"
    MEAE_DCSD = "meae_dcsd", "Crédits du MEAE (DCSD)"
    EU_NDICI = "eu_ndici", "UE — NDICI-Europe dans le monde"
    EU_ISF = "eu_isf", "UE — Fonds pour la sécurité intérieure"
    EU_EMPACT = "eu_empact", "UE — subventions EMPACT"
    EU_TAIEX = "eu_taiex", "UE — TAIEX"
    EU_TWINNING = "eu_twinning", "UE — jumelage institutionnel"
    OPERATOR = "operator", "Opérateur (CIVIPOL, Expertise France)"
    OTHER = "other", "Autre"


class FundingStatus(models.TextChoices):
    PLANNED = "planned", "prévu"
    COMMITTED = "committed", "engagé"
    PAID = "paid", "versé"


class ObjectivesReached(models.TextChoices):
    FULLY = "fully", "atteints"
    MOSTLY = "mostly", "largement atteints"
    PARTLY = "partly", "partiellement atteints"
    NOT = "not", "non atteints"


class Rating(models.IntegerChoices):
    VERY_GOOD = 4, "4 — très satisfaisante"
    GOOD = 3, "3 — satisfaisante"
    AVERAGE = 2, "2 — mitigée"
    POOR = 1, "1 — insuffisante"


# --- Programmes ---------------------------------------------------------------------------------


class ProgrammeQuerySet(VisibleQuerySet):
    """Programmes: the same rule as actions (see the module docstring); correspondents see the
    programmes that hold actions of their directorate."""

    def scope_for(self, user):
        if user.is_administrator:
            return self.none()
        if user.role == Role.PILOTAGE or (user.is_read_only and user.in_headquarters):
            return self.all()
        if user.role == Role.CHARGE_MISSION and user.in_headquarters:
            path = _unit_path(user)
            return self.filter(
                Q(zone__division__path__startswith=path)
                | Q(country__zone__division__path__startswith=path)
                | Q(theme__division__path__startswith=path)
                | Q(division__path__startswith=path)
            )
        if user.is_attache:
            post = user.post
            if post is None:
                return self.none()
            countries = post.countries.all()
            return self.filter(
                Q(post=post) | Q(country__in=countries) | Q(zone__in=countries.values("zone"))
            )
        if user.is_correspondent and user.directorate is not None:
            actions = CooperationAction.objects.for_directorate(user.directorate)
            return self.filter(pk__in=actions.values("programme_id"))
        return self.none()

    def with_related(self):
        return self.select_related("country", "zone", "theme", "post", "division").prefetch_related(
            "missions"
        )


class Programme(LegalBasisMixin, Record):
    """The yearly programming of technical cooperation for a country or a zone (optionally a
    theme), prepared by the post and the headquarters division, submitted to the MEAE for its
    opinion, then adopted (article 1, first paragraph and b: « assure la programmation… en
    liaison avec le ministère des affaires étrangères »)."""

    default_missions = ("preamble-1", "b")

    year = models.PositiveSmallIntegerField("année", db_index=True)
    title = models.CharField("intitulé", max_length=300, validators=[refuse_classified_text])
    country = models.ForeignKey(
        "referential.Country",
        verbose_name="pays",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cooperation_programmes",
    )
    zone = models.ForeignKey(
        "referential.Zone",
        verbose_name="zone",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cooperation_programmes",
        help_text="Pour une programmation régionale (à la place d'un pays).",
    )
    theme = models.ForeignKey(
        Domain,
        verbose_name="thème",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
    )
    post = models.ForeignKey(
        "referential.Post",
        verbose_name="poste",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cooperation_programmes",
    )
    division = models.ForeignKey(
        "referential.Unit",
        verbose_name="division de l'administration centrale",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cooperation_programmes",
    )
    summary = models.TextField(
        "orientations et priorités", blank=True, validators=[refuse_classified_text]
    )
    status = models.CharField(
        "état",
        max_length=20,
        choices=ProgrammeStatus.choices,
        default=ProgrammeStatus.PREPARATION,
        db_index=True,
        editable=False,
        help_text="Ne change que par le circuit (cooperation/workflows.py).",
    )
    meae_opinion = models.CharField(
        "avis du MEAE", max_length=12, choices=MeaeOpinion.choices, blank=True
    )
    meae_opinion_on = models.DateField("avis reçu le", null=True, blank=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = "programme de coopération"
        verbose_name_plural = "programmes de coopération"
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(country__isnull=False) & Q(zone__isnull=True))
                | (Q(country__isnull=True) & Q(zone__isnull=False)),
                name="%(app_label)s_%(class)s_country_or_zone",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def get_absolute_url(self):
        return reverse("cooperation:programme-detail", args=[self.pk])

    @property
    def scope_label(self) -> str:
        place = str(self.country or self.zone or "")
        return f"{place} — {self.theme}" if self.theme_id else place

    def clean(self):
        super().clean()
        if bool(self.country_id) == bool(self.zone_id):
            raise ValidationError(
                {"country": "Indiquez soit un pays, soit une zone (programmation régionale)."}
            )
        if self.country_id and self.country.is_french:
            raise ValidationError({"country": french_partner_message([self.country.name])})

    @classmethod
    def can_create(cls, user) -> bool:
        return bool(
            user.is_authenticated
            and not user.is_read_only
            and (
                (user.role in (Role.PILOTAGE, Role.CHARGE_MISSION) and user.in_headquarters)
                or (user.is_attache and user.post is not None)
            )
        )

    def can_change(self, user) -> bool:
        if not user.is_authenticated or user.is_read_only or user.role not in WRITER_ROLES:
            return False
        return Programme.objects.scope_for(user).filter(pk=self.pk).exists()

    def followers(self):
        """The post's attachés and the headquarters division's chargés de mission."""
        from django.contrib.auth import get_user_model

        units = [u for u in (self.post.unit_id if self.post_id else None, self.division_id) if u]
        return get_user_model().objects.filter(is_active=True, unit_id__in=units)


# --- Actions ------------------------------------------------------------------------------------


class CooperationActionQuerySet(VisibleQuerySet):
    """Who sees which action: see the module docstring."""

    def scope_for(self, user):
        if user.is_administrator:
            return self.none()
        if user.role == Role.PILOTAGE or (user.is_read_only and user.in_headquarters):
            return self.all()
        if user.role == Role.CHARGE_MISSION and user.in_headquarters:
            from relais.referential.models import Country

            # Subqueries on the small reference tables: the large table is then filtered on
            # its own indexed columns (country_id, domain_id), whatever the volume.
            path = _unit_path(user)
            countries = Country.objects.filter(zone__division__path__startswith=path)
            domains = Domain.objects.filter(division__path__startswith=path)
            return self.filter(
                Q(country__in=countries.values("pk"))
                | Q(domain__in=domains.values("pk"))
                | Q(created_by=user)
            )
        if user.is_attache:
            post = user.post
            if post is None:
                return self.none()
            return self.filter(Q(country__in=post.countries.values("pk")) | Q(post=post))
        if user.is_correspondent:
            directorate = user.directorate
            if directorate is None:
                return self.none()
            return self.for_directorate(directorate)
        return self.none()

    def with_related(self):
        """What lists, exports and the API show, in a fixed number of queries."""
        return self.select_related(
            "country",
            "directorate",
            "domain",
            "post",
            "post__unit",
            "programme",
            "beneficiary_institution",
        ).prefetch_related("missions", "fundings__funder", "implementing_services")

    def for_directorate(self, directorate):
        """The actions for `directorate` or one of its services (DLPAJ's are the SG's)."""
        return self.filter(directorate__path__startswith=directorate.path)

    def open(self):
        from relais.cooperation.workflows import OPEN_STATES

        return self.filter(status__in=OPEN_STATES)

    def between(self, start: datetime.date, end: datetime.date):
        """Actions whose dates (actual, else planned) overlap [start, end]."""
        return self.filter(
            Q(planned_start__lte=end, planned_end__gte=start)
            | Q(actual_start__lte=end, actual_end__gte=start)
            | Q(planned_start__range=(start, end))
            | Q(actual_start__range=(start, end))
        )


class CooperationAction(LegalBasisMixin, Record):
    """A technical cooperation action: a training course, an expert mission, a seminar…, for a
    partner country, on behalf of a directorate of the ministry (article 1: first paragraph and b
    for the police and the gendarmerie, c to g and the second paragraph for the others; the
    letters are set by the competence assessment, `services.assess_action`)."""

    default_missions = ("preamble-1", "b")

    programme = models.ForeignKey(
        Programme,
        verbose_name="programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        help_text="Vide pour une action hors programmation (demande urgente).",
    )
    kind = models.CharField("nature", max_length=30, choices=ActionKind.choices, db_index=True)
    title = models.CharField("intitulé", max_length=300, validators=[refuse_classified_text])
    objectives = models.TextField("objectifs", blank=True, validators=[refuse_classified_text])
    domain = models.ForeignKey(
        Domain, verbose_name="domaine", on_delete=models.PROTECT, related_name="actions"
    )
    cooperation_kind = models.CharField(
        "nature de la coopération",
        max_length=30,
        choices=ActionCooperationKind.choices,
        default=ActionCooperationKind.TECHNICAL,
    )
    country = models.ForeignKey(
        "referential.Country",
        verbose_name="pays partenaire",
        on_delete=models.PROTECT,
        related_name="cooperation_actions",
    )
    beneficiary_institution = models.ForeignKey(
        "referential.PartnerBody",
        verbose_name="institution bénéficiaire",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cooperation_actions",
    )
    directorate = models.ForeignKey(
        "referential.Unit",
        verbose_name="direction bénéficiaire",
        on_delete=models.PROTECT,
        related_name="cooperation_actions",
        help_text="La direction du ministère dont c'est la coopération (DGPN, DGGN, SG, DLPAJ…), "
        "choisie dans l'organigramme.",
    )
    implementing_services = models.ManyToManyField(
        "referential.Unit",
        verbose_name="services de mise en œuvre",
        blank=True,
        related_name="implemented_cooperation_actions",
    )
    post = models.ForeignKey(
        "referential.Post",
        verbose_name="poste chargé du suivi",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cooperation_actions",
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name="accord ou arrangement de rattachement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cooperation_actions",
        help_text="L'accord de sécurité intérieure ou l'arrangement technique au titre duquel "
        "l'action est conduite (article 1, k) ; il doit couvrir le pays partenaire.",
    )
    year = models.PositiveSmallIntegerField("année", db_index=True, editable=False)
    planned_start = models.DateField("début prévu")
    planned_end = models.DateField("fin prévue")
    actual_start = models.DateField("début réel", null=True, blank=True)
    actual_end = models.DateField("fin réelle", null=True, blank=True)
    postponed_to = models.DateField("reportée au", null=True, blank=True)
    participants = models.PositiveIntegerField("participants (stagiaires étrangers)", default=0)
    experts = models.PositiveSmallIntegerField("experts français mobilisés", default=0)
    expert_days = models.PositiveIntegerField("jours d'expertise", default=0)
    actual_cost = models.DecimalField(
        "coût réel (€)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        "état",
        max_length=20,
        choices=ActionStatus.choices,
        default=ActionStatus.PROPOSED,
        db_index=True,
        editable=False,
        help_text="Ne change que par le circuit (cooperation/workflows.py).",
    )
    meae_opinion = models.CharField(
        "avis du MEAE", max_length=12, choices=MeaeOpinion.choices, blank=True
    )
    meae_opinion_on = models.DateField("avis reçu le", null=True, blank=True)

    objects = CooperationActionQuerySet.as_manager()

    class Meta:
        verbose_name = "action de coopération technique"
        verbose_name_plural = "actions de coopération technique"
        ordering = ["-planned_start", "-pk"]
        indexes = [
            models.Index(fields=["year", "status"], name="coop_action_year_status_idx"),
            models.Index(fields=["country", "year"], name="coop_action_country_year_idx"),
            models.Index(fields=["directorate", "year"], name="coop_action_dir_year_idx"),
            models.Index(fields=["-planned_start", "-id"], name="coop_action_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")),
                name="%(app_label)s_%(class)s_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=models.F("actual_start")),
                name="%(app_label)s_%(class)s_actual_end_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cooperation:action-detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"CT-{self.year}-{self.pk:05d}" if self.pk else ""

    @property
    def start_date(self):
        return self.actual_start or self.planned_start

    @property
    def end_date(self):
        return self.actual_end or self.planned_end

    def save(self, *args, **kwargs):
        if self.planned_start:
            self.year = self.planned_start.year
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = "La fin prévue précède le début prévu."
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = "La fin réelle précède le début réel."
        if self.country_id and self.country.is_french:
            errors["country"] = french_partner_message([self.country.name])
        if self.directorate_id and not self.directorate.in_ministry:
            errors["directorate"] = (
                "Choisissez la direction bénéficiaire dans l'organigramme du ministère de "
                "l'intérieur."
            )
        if errors:
            raise ValidationError(errors)
        if self.planned_start:
            self.year = self.planned_start.year

    @classmethod
    def can_create(cls, user) -> bool:
        return bool(
            user.is_authenticated
            and not user.is_read_only
            and (
                (user.role in (Role.PILOTAGE, Role.CHARGE_MISSION) and user.in_headquarters)
                or (user.is_attache and user.post is not None)
            )
        )

    def can_change(self, user) -> bool:
        """Pilotage, and the chargés de mission and attachés whose scope holds the action."""
        if not user.is_authenticated or user.is_read_only or user.role not in WRITER_ROLES:
            return False
        if self.pk is None:
            return self.can_create(user)
        return CooperationAction.objects.scope_for(user).filter(pk=self.pk).exists()

    def can_comment(self, user) -> bool:
        """Everyone who sees the action, except readers (the correspondents above all)."""
        return bool(user.is_authenticated and not user.is_read_only)

    def followers(self):
        """Who is told of its transitions: the correspondents of its directorate, the post's
        attachés and its author."""
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(is_active=True)
        condition = Q(pk=self.created_by_id) if self.created_by_id else Q(pk__in=[])
        if self.directorate_id:
            condition |= Q(role=Role.CORRESPONDANT, unit__path__startswith=self._directorate_path)
        if self.post_id:
            condition |= Q(unit_id=self.post.unit_id)
        return users.filter(condition).select_related("unit")

    def correspondents(self):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(
            is_active=True,
            role=Role.CORRESPONDANT,
            unit__path__startswith=self._directorate_path,
        )

    @property
    def _directorate_path(self) -> str:
        """The path of the directorate whose correspondents follow the action (the SG's for an
        action of the DLPAJ)."""
        unit = self.directorate
        return (unit.directorate or unit).path

    def needs_meae_opinion(self) -> bool:
        """Letter b requires the MEAE (« en liaison avec le ministère des affaires
        étrangères »); the other letters do not."""
        return "b" in self.legal_basis_codes()

    @property
    def planned_funding(self) -> Decimal:
        return sum((f.amount for f in self.fundings.all()), Decimal("0"))


# --- Funding ------------------------------------------------------------------------------------


class FundingQuerySet(VisibleQuerySet):
    """A funding line is seen by those who see its action or its programme."""

    def scope_for(self, user):
        actions = CooperationAction.objects.visible_to(user).values("pk")
        programmes = Programme.objects.visible_to(user).values("pk")
        return self.filter(Q(action__in=actions) | Q(programme__in=programmes))


class Funding(Record):
    """A funding line of an action or a programme: who funds, through which instrument, how
    much, and where it stands (prévu, engagé, versé)."""

    action = models.ForeignKey(
        CooperationAction,
        verbose_name="action",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="fundings",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name="programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="fundings",
    )
    funder = models.ForeignKey(
        "referential.PartnerBody",
        verbose_name="financeur",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cooperation_fundings",
        help_text="Vide pour le budget du ministère de l'Intérieur.",
    )
    instrument = models.CharField("instrument", max_length=20, choices=FundingInstrument.choices)
    amount = models.DecimalField("montant (€)", max_digits=12, decimal_places=2)
    status = models.CharField(
        "statut", max_length=10, choices=FundingStatus.choices, default=FundingStatus.PLANNED
    )

    objects = FundingQuerySet.as_manager()

    class Meta:
        verbose_name = "ligne de financement"
        verbose_name_plural = "lignes de financement"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(action__isnull=False) & Q(programme__isnull=True))
                | (Q(action__isnull=True) & Q(programme__isnull=False)),
                name="%(app_label)s_%(class)s_action_or_programme",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="%(app_label)s_%(class)s_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.funder_label} — {self.amount:,.0f} € ({self.get_status_display()})".replace(
            ",", " "
        )

    @property
    def funder_label(self) -> str:
        if self.funder_id:
            return self.funder.acronym or self.funder.name
        return "Ministère de l'Intérieur"

    @property
    def parent(self):
        return self.action if self.action_id else self.programme

    def clean(self):
        super().clean()
        if not self.funder_id and self.instrument != FundingInstrument.MINISTRY_BUDGET:
            raise ValidationError(
                {"funder": "Indiquez le financeur (sauf pour le budget du ministère)."}
            )

    def can_change(self, user) -> bool:
        parent = self.parent
        return bool(parent is not None and parent.can_change(user))


# --- Comments of the correspondents --------------------------------------------------------------


class ActionCommentQuerySet(VisibleQuerySet):
    def scope_for(self, user):
        return self.filter(action__in=CooperationAction.objects.visible_to(user).values("pk"))


class ActionComment(Record):
    """A comment on an action, typically by the correspondent of the beneficiary directorate."""

    action = models.ForeignKey(
        CooperationAction, verbose_name="action", on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    body = models.TextField("commentaire", validators=[refuse_classified_text])

    objects = ActionCommentQuerySet.as_manager()

    class Meta:
        verbose_name = "commentaire sur une action"
        verbose_name_plural = "commentaires sur les actions"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Commentaire sur « {self.action} »"

    def can_change(self, user) -> bool:
        return bool(user.is_authenticated and self.author_id == user.pk)


# --- Evaluation ---------------------------------------------------------------------------------


class EvaluationQuerySet(VisibleQuerySet):
    def scope_for(self, user):
        return self.filter(action__in=CooperationAction.objects.visible_to(user).values("pk"))


class Evaluation(Record):
    """The structured evaluation of a completed action, by the post and headquarters."""

    action = models.OneToOneField(
        CooperationAction,
        verbose_name="action",
        on_delete=models.CASCADE,
        related_name="evaluation",
    )
    objectives_reached = models.CharField(
        "objectifs", max_length=10, choices=ObjectivesReached.choices
    )
    rating = models.PositiveSmallIntegerField("appréciation", choices=Rating.choices)
    lessons = models.TextField("enseignements", blank=True, validators=[refuse_classified_text])
    follow_up = models.TextField(
        "suites proposées", blank=True, validators=[refuse_classified_text]
    )
    evaluated_on = models.DateField("évaluée le", default=datetime.date.today)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = "évaluation d'action"
        verbose_name_plural = "évaluations d'actions"
        ordering = ["-evaluated_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=4),
                name="%(app_label)s_%(class)s_rating_range",
            )
        ]

    def __str__(self):
        return f"Évaluation de « {self.action} »"

    def can_change(self, user) -> bool:
        return self.action.can_change(user)


# --- Other donors (IATI import) -----------------------------------------------------------------


class OtherDonorActivityQuerySet(VisibleQuerySet):
    """Other donors' activities are public information: every signed-in user of the business
    (not administrators by virtue of their role alone) reads them."""

    def scope_for(self, user):
        if user.is_administrator and not user.is_superuser:
            return self.none()
        return self.all()


class OtherDonorActivity(Record):
    """An activity of another donor (EU, member state, operator) in a partner country, read from
    an IATI 2.0x file, shown on the country sheet for coordination."""

    iati_identifier = models.CharField("identifiant IATI", max_length=200, unique=True)
    reporting_org = models.CharField("organisation déclarante", max_length=300)
    reporting_org_ref = models.CharField("référence de l'organisation", max_length=100, blank=True)
    title = models.CharField("intitulé", max_length=500)
    description = models.TextField("description", blank=True)
    countries = models.ManyToManyField(
        "referential.Country",
        verbose_name="pays bénéficiaires",
        related_name="other_donor_activities",
    )
    participating_orgs = models.TextField("organisations participantes", blank=True)
    sectors = models.CharField("secteurs CAD", max_length=200, blank=True)
    activity_status = models.CharField("statut IATI", max_length=2, blank=True)
    start_date = models.DateField("début", null=True, blank=True)
    end_date = models.DateField("fin", null=True, blank=True)
    budget = models.DecimalField("budget", max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField("devise", max_length=3, blank=True)
    source_file = models.CharField("fichier d'origine", max_length=255, blank=True)

    objects = OtherDonorActivityQuerySet.as_manager()

    class Meta:
        verbose_name = "activité d'un autre bailleur"
        verbose_name_plural = "activités d'autres bailleurs"
        ordering = ["-start_date", "title"]

    def __str__(self):
        return self.title

    @property
    def status_label(self) -> str:
        from relais.cooperation.iati import ACTIVITY_STATUS_LABELS

        return ACTIVITY_STATUS_LABELS.get(self.activity_status, "")

    @classmethod
    def can_create(cls, user) -> bool:
        return bool(
            user.is_authenticated
            and not user.is_read_only
            and user.role in (Role.PILOTAGE, Role.CHARGE_MISSION)
            and user.in_headquarters
        )

    def can_change(self, user) -> bool:
        return self.can_create(user)
