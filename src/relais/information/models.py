"""Mission a: information reports (*fiches d'information*), their grading, dissemination,
acknowledgement and feedback, the analysts' work on them, and what is kept when a report is
redirected to the intelligence services or purged at the end of its retention period.

The DCI *recueille et analyse les informations intéressant la sécurité de la France et les
transmet aux directions et services de police et de gendarmerie concernés*; matters
exclusively for the intelligence services are not the DCI's (first paragraph of article 1):
such a report is never stored — only a `RedirectionReceipt` without content is.

Need to know (`InformationReportQuerySet.scope_for`): a report is seen by its author's unit,
the analysts and pilotage at headquarters (once submitted), and the units it was disseminated
to; the marking rules apply on top (`visible_to`). Every read is in the access log
(`audit_reads`). The content fields are left out of the change history (`audit_exclude`): a
digest of the content is audited instead, so that redirection and purge leave no content
behind in the hash-chained audit trail.
"""

import hashlib
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from relais.accounts.roles import Role
from relais.core.markings import refuse_classified_text
from relais.core.models import Record, VisibleQuerySet
from relais.information.grading import SCHEMES, SchemeCode, default_scheme_code, get_scheme
from relais.information.workflows import AUTHOR_ROLES, ReportStatus
from relais.legal.models import LegalBasisMixin

#: Fields that carry the content of a report: never in the audit trail, never in a receipt.
CONTENT_FIELDS = (
    "title",
    "summary",
    "body",
    "facts_place",
    "source_description",
    "handling_conditions",
)
ANALYST_ROLES = frozenset({Role.ANALYSTE, Role.PILOTAGE})


def is_analyst(user) -> bool:
    """An analyst of the operational information cell, at headquarters."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.role == Role.ANALYSTE
        and user.in_headquarters
    )


def is_analyst_or_pilotage(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.role in ANALYST_ROLES
        and user.in_headquarters
    )


def normalise_text(text: str) -> str:
    """Lower case, no accents, words separated by one space (for duplicate detection)."""
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


# --- Reference: themes --------------------------------------------------------------------------


class ThemeQuerySet(VisibleQuerySet):
    def scope_for(self, user):
        return self.all()


class Theme(models.Model):
    """A theme of operational information, with its retention period.

    Codes are those of the API (`drugs`, `irregular_immigration`…); the table is filled by a
    data migration. `retention_years` is the period reports of this theme are kept after their
    last update (a report with several themes is kept for the longest).
    """

    code = models.SlugField("code", max_length=40, unique=True)
    label = models.CharField("libellé", max_length=120)
    order = models.PositiveSmallIntegerField("ordre", default=0)
    retention_years = models.PositiveSmallIntegerField(
        "durée de conservation (années)",
        default=5,
        help_text="Après la dernière mise à jour de la fiche.",
    )

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = "thème"
        verbose_name_plural = "thèmes"
        ordering = ["order", "label"]
        constraints = [
            models.CheckConstraint(
                condition=Q(retention_years__gte=1), name="%(app_label)s_%(class)s_retention_min"
            )
        ]

    def __str__(self):
        return self.label


#: The themes of the API, in display order (the data migration creates them).
THEMES = (
    ("terrorism", "Terrorisme (coopération policière)"),
    ("organised_crime", "Criminalité organisée"),
    ("drugs", "Trafic de stupéfiants"),
    ("irregular_immigration", "Immigration irrégulière"),
    ("document_fraud", "Fraude documentaire"),
    ("human_trafficking", "Traite des êtres humains"),
    ("cybercrime", "Cybercriminalité"),
    ("arms_trafficking", "Trafic d'armes"),
    ("public_order", "Ordre public"),
    ("nationals_security", "Sécurité des ressortissants français"),
    ("other", "Autre"),
)


# --- The report ---------------------------------------------------------------------------------


class HandlingCode(models.TextChoices):
    """Europol handling codes."""

    H0 = "H0", "H0 – usage limité à la prévention et la lutte contre la criminalité"
    H1 = "H1", "H1 – pas d'usage judiciaire sans l'accord du fournisseur"
    H2 = "H2", "H2 – pas de diffusion sans l'accord du fournisseur"
    H3 = "H3", "H3 – autres restrictions fixées par le fournisseur"


class ReportKind(models.TextChoices):
    REPORT = "report", "Fiche d'information"
    SYNTHESIS = "synthesis", "Synthèse"


def has_unit_scope(user) -> bool:
    """An active, signed-in user of a unit who is not an administrator: the others see no
    report nor dissemination."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and not user.is_administrator
        and user.unit_id is not None
    )


class InformationReportQuerySet(VisibleQuerySet):
    """Need to know.

    - the author's unit: its own reports (drafts included);
    - analysts and pilotage at headquarters: every report once submitted;
    - a unit a report was disseminated to: that report;
    - nobody else (administrators, readers and chargés de mission included) by role alone.
    """

    def _rule(self, user) -> tuple[Q, Q] | None:
        """The need-to-know rule as two conditions, (seen, not seen), each written so that an
        index serves it; None when the user sees no report."""
        if not has_unit_scope(user):
            return None
        own = Q(unit_id=user.unit_id)
        if is_analyst_or_pilotage(user):
            # The state first: it settles almost every row from an index on the status.
            return ~Q(status=ReportStatus.DRAFT) | own, Q(status=ReportStatus.DRAFT) & ~own
        received = Q(pk__in=Dissemination.objects.filter(unit_id=user.unit_id).values("report_id"))
        return own | received, ~own & ~received

    def scope_for(self, user):
        rule = self._rule(user)
        return self.none() if rule is None else self.filter(rule[0])

    def hidden_from(self, user):
        """Exactly the reports `visible_to(user)` leaves out. Statistics count what an analyst
        sees (nearly everything) as « all minus this », which reads far fewer rows."""
        rule = self._rule(user)
        if rule is None:
            return self.all()
        markings = self.marking_q(user)
        return self.filter(rule[1] if markings is None else rule[1] | ~markings)

    def with_related(self):
        """What lists, exports and the API show, in a fixed number of queries."""
        return self.select_related("unit", "created_by").prefetch_related("countries", "themes")

    def to_validate(self):
        return self.filter(status=ReportStatus.SUBMITTED)

    def to_disseminate(self):
        return self.filter(status=ReportStatus.VALIDATED)

    def possible_duplicates(self):
        return self.filter(possible_duplicate_of__isnull=False).exclude(status=ReportStatus.CLOSED)


class InformationReport(LegalBasisMixin, Record):
    """An information report (article 1, a): written by a post or headquarters, graded,
    validated by another analyst, disseminated to the units concerned."""

    #: Operational cooperation of the police and the gendarmerie: the first paragraph and a, as
    #: the assessment answers (`basis_for("operational", "DGPN")`; tests/information keeps them equal).
    default_missions = ("preamble-1", "a")
    audit_reads = True
    audit_exclude = CONTENT_FIELDS

    kind = models.CharField(
        "nature", max_length=12, choices=ReportKind.choices, default=ReportKind.REPORT
    )
    title = models.CharField("titre", max_length=300, validators=[refuse_classified_text])
    summary = models.TextField("résumé", validators=[refuse_classified_text])
    body = models.TextField("contenu", blank=True, validators=[refuse_classified_text])
    facts_date = models.DateField("date des faits", null=True, blank=True)
    facts_place = models.CharField(
        "lieu des faits", max_length=200, blank=True, validators=[refuse_classified_text]
    )
    countries = models.ManyToManyField(
        "referential.Country", verbose_name="pays concernés", related_name="information_reports"
    )
    themes = models.ManyToManyField(Theme, verbose_name="thèmes", related_name="reports")
    source_description = models.TextField(
        "description de la source",
        blank=True,
        validators=[refuse_classified_text],
        help_text="Nature de la source, sans élément permettant de l'identifier.",
    )
    source_key = models.CharField(
        "empreinte de la source", max_length=64, blank=True, db_index=True, editable=False
    )
    content_digest = models.CharField(
        "empreinte du contenu", max_length=64, blank=True, editable=False
    )
    grading_scheme = models.CharField(
        "grille de cotation",
        max_length=20,
        choices=SchemeCode.choices,
        default=default_scheme_code,
    )
    source_reliability = models.CharField("fiabilité de la source", max_length=1)
    information_credibility = models.CharField("crédibilité de l'information", max_length=1)
    handling_code = models.CharField(
        "code de traitement", max_length=2, choices=HandlingCode.choices, default=HandlingCode.H0
    )
    handling_conditions = models.TextField(
        "conditions du fournisseur",
        blank=True,
        validators=[refuse_classified_text],
        help_text="Obligatoires pour le code H3.",
    )
    unit = models.ForeignKey(
        "referential.Unit",
        verbose_name="unité d'origine",
        on_delete=models.PROTECT,
        related_name="information_reports",
    )
    status = models.CharField(
        "état",
        max_length=20,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        editable=False,
    )
    submitted_at = models.DateTimeField("soumise le", null=True, blank=True, editable=False)
    validated_at = models.DateTimeField("validée le", null=True, blank=True, editable=False)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="validée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    disseminated_at = models.DateTimeField(
        "première diffusion le", null=True, blank=True, editable=False
    )
    possible_duplicate_of = models.ForeignKey(
        "self",
        verbose_name="doublon possible de",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="possible_duplicates",
        editable=False,
    )
    sources = models.ManyToManyField(
        "self",
        verbose_name="fiches synthétisées",
        symmetrical=False,
        blank=True,
        related_name="syntheses",
    )

    objects = InformationReportQuerySet.as_manager()

    class Meta:
        verbose_name = "fiche d'information"
        verbose_name_plural = "fiches d'information"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="information_report_status_idx"),
            models.Index(fields=["unit", "-created_at"], name="information_report_unit_idx"),
            models.Index(fields=["-created_at", "-id"], name="information_report_recent_idx"),
            models.Index(fields=["updated_at"], name="information_report_updated_idx"),
            # Counting what an analyst sees (state, or own unit) without reading the table.
            models.Index(fields=["status", "unit"], name="information_report_scope_idx"),
            # The analyst queue: to validate / to disseminate, oldest first; possible duplicates.
            models.Index(
                fields=["status", "submitted_at", "id"], name="information_report_submit_idx"
            ),
            models.Index(
                fields=["status", "validated_at", "id"], name="information_report_valid_idx"
            ),
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(possible_duplicate_of__isnull=False),
                name="information_report_dup_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(handling_code="H3") | ~Q(handling_conditions=""),
                name="%(app_label)s_%(class)s_h3_conditions",
            ),
        ]

    def __str__(self):
        # The reference only: it goes into notifications, e-mails and the audit trail.
        return self.reference

    @property
    def reference(self) -> str:
        if self.pk is None:
            return "fiche non enregistrée"
        prefix = "SY" if self.kind == ReportKind.SYNTHESIS else "RO"
        year = self.created_at.year if self.created_at else ""
        return f"{prefix}-{year}-{self.pk:06d}"

    def get_absolute_url(self):
        return reverse("information:detail", args=[self.pk])

    @property
    def scheme(self):
        return get_scheme(self.grading_scheme)

    @property
    def grading(self) -> str:
        return f"{self.source_reliability}{self.information_credibility}"

    def get_source_reliability_display(self) -> str:
        return self.scheme.reliability_label(self.source_reliability)

    def get_information_credibility_display(self) -> str:
        return self.scheme.credibility_label(self.information_credibility)

    def compute_digests(self) -> None:
        content = "\x1f".join(str(getattr(self, name) or "") for name in CONTENT_FIELDS)
        self.content_digest = hashlib.sha256(content.encode()).hexdigest()
        source = normalise_text(self.source_description)
        self.source_key = hashlib.sha256(source.encode()).hexdigest()[:64] if source else ""

    def clean(self):
        super().clean()
        errors = {}
        scheme = SCHEMES.get(self.grading_scheme)
        if scheme is None:
            errors["grading_scheme"] = "Grille de cotation inconnue."
        else:
            if self.source_reliability not in scheme.reliability_codes:
                errors["source_reliability"] = (
                    f"Fiabilité inconnue pour la grille {scheme.label} : "
                    f"{', '.join(scheme.reliability_codes)}."
                )
            if self.information_credibility not in scheme.credibility_codes:
                errors["information_credibility"] = (
                    f"Crédibilité inconnue pour la grille {scheme.label} : "
                    f"{', '.join(scheme.credibility_codes)}."
                )
        if self.handling_code == HandlingCode.H3 and not (self.handling_conditions or "").strip():
            errors["handling_conditions"] = (
                "Le code H3 exige les conditions fixées par le fournisseur de l'information."
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.compute_digests()
        super().save(*args, **kwargs)

    @classmethod
    def can_create(cls, user) -> bool:
        return bool(
            user is not None
            and user.is_authenticated
            and user.is_active
            and not user.is_read_only
            and user.role in AUTHOR_ROLES
            and user.unit_id is not None
        )

    def can_edit_content(self, user) -> bool:
        """The author's unit edits a draft; nobody edits the content afterwards."""
        return bool(
            self.status == ReportStatus.DRAFT
            and user.is_authenticated
            and not user.is_read_only
            and user.role in AUTHOR_ROLES
            and user.unit_id == self.unit_id
        )

    def can_change(self, user) -> bool:
        if not user.is_authenticated or user.is_read_only:
            return False
        if self.can_edit_content(user):
            return True
        return self.status != ReportStatus.DRAFT and is_analyst_or_pilotage(user)

    def can_analyse(self, user) -> bool:
        """Notes, links, re-grading, duplicate flags: analysts, once the report is submitted."""
        return self.status != ReportStatus.DRAFT and is_analyst(user)

    def disseminations_seen_by(self, user, disseminations) -> list:
        """Need-to-know over `disseminations` (this report's, usually prefetched): the analysts,
        pilotage and the author's unit see every recipient, acknowledgement and feedback; a
        recipient sees its own dissemination only. The page, the API and every other view of
        a report's recipients go through this one rule."""
        unit_id = getattr(user, "unit_id", None)
        if is_analyst_or_pilotage(user) or (unit_id is not None and unit_id == self.unit_id):
            return list(disseminations)
        return [d for d in disseminations if unit_id is not None and d.unit_id == unit_id]

    @property
    def is_redisseminable(self) -> bool:
        """H2: not to be disseminated further without the provider's consent."""
        return self.handling_code != HandlingCode.H2


# --- Dissemination, acknowledgement, feedback -----------------------------------------------------


class DisseminationQuerySet(VisibleQuerySet):
    """A dissemination is seen by whoever sees its report (`InformationReportQuerySet`).

    Written without a join on the report, so that the inbox and the follow-up board count and
    sort on the dissemination's own indexes at a million reports:
    - analysts and pilotage see every report once submitted, and only a validated report is
      disseminated (no transition leads a disseminated report back to a draft): they see every
      dissemination;
    - anyone else sees the report of their unit and the reports disseminated to their unit:
      the disseminations to their unit, and every dissemination of one of those reports;
    - the marking is the report's, copied on the dissemination (a report's marking no longer
      changes once submitted), and filtered by `visible_to`.
    """

    def scope_for(self, user):
        if not has_unit_scope(user):
            return self.none()
        if is_analyst_or_pilotage(user):
            return self.all()
        unit = user.unit_id
        received = Dissemination.objects.filter(unit_id=unit).values("report_id")
        own = InformationReport.objects.filter(unit_id=unit).values("pk")
        return self.filter(Q(unit_id=unit) | Q(report_id__in=received) | Q(report_id__in=own))

    def for_unit(self, unit_id):
        return self.filter(unit_id=unit_id)

    def received_by(self, user):
        """`visible_to(user).for_unit(user.unit_id)` without the scope's other branches: a
        dissemination to the user's unit is visible to them by definition (the inbox)."""
        if not has_unit_scope(user):
            return self.none()
        return self.filter(unit_id=user.unit_id).readable_by(user)

    def of_own_reports(self, user):
        """`visible_to(user)` restricted to the reports written by the user's unit, which that
        unit sees by definition (a post following what it wrote)."""
        if not has_unit_scope(user):
            return self.none()
        own = InformationReport.objects.filter(unit_id=user.unit_id).values("pk")
        return self.filter(report_id__in=own).readable_by(user)

    def pending(self):
        return self.filter(acknowledged_at__isnull=True)

    def overdue(self, today):
        return self.pending().filter(acknowledgement_due__lt=today)


class Dissemination(Record):
    """The transmission of a report to one unit: handling code and conditions as sent, time,
    response deadline, acknowledgement."""

    audit_exclude = ("handling_conditions",)

    report = models.ForeignKey(
        InformationReport,
        verbose_name="fiche",
        on_delete=models.CASCADE,
        related_name="disseminations",
    )
    unit = models.ForeignKey(
        "referential.Unit",
        verbose_name="unité destinataire",
        on_delete=models.PROTECT,
        related_name="information_disseminations",
    )
    handling_code = models.CharField(
        "code de traitement", max_length=2, choices=HandlingCode.choices
    )
    handling_conditions = models.TextField("conditions du fournisseur", blank=True)
    disseminated_at = models.DateTimeField("diffusée le")
    disseminated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="diffusée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="rediffusion de",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="redisseminations",
    )
    deadline = models.DateField("réponse attendue le", null=True, blank=True)
    acknowledgement_due = models.DateField("accusé de réception attendu le", db_index=True)
    acknowledged_at = models.DateTimeField("accusé de réception le", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="accusé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = DisseminationQuerySet.as_manager()

    class Meta:
        verbose_name = "diffusion"
        verbose_name_plural = "diffusions"
        ordering = ["-disseminated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "unit"], name="%(app_label)s_%(class)s_unique_unit"
            )
        ]
        indexes = [
            models.Index(
                fields=["unit", "-disseminated_at", "-id"], name="information_diss_unit_idx"
            ),
            # What is still to acknowledge: a unit's pending inbox, the overdue board.
            models.Index(
                fields=["unit", "-disseminated_at", "-id"],
                condition=Q(acknowledged_at__isnull=True),
                name="information_diss_pending_idx",
            ),
            models.Index(
                fields=["acknowledgement_due", "id"],
                condition=Q(acknowledged_at__isnull=True),
                name="information_diss_overdue_idx",
            ),
            # Answers awaited, soonest first.
            models.Index(
                fields=["deadline", "id"],
                condition=Q(deadline__isnull=False),
                name="information_diss_deadline_idx",
            ),
        ]

    def __str__(self):
        return f"Diffusion de {self.report_id and self.report} à {self.unit.label}"

    def can_change(self, user) -> bool:
        return bool(
            user.is_authenticated and not user.is_read_only and user.unit_id == self.unit_id
        )

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None


class Usefulness(models.TextChoices):
    VERY_USEFUL = "very_useful", "Très utile"
    USEFUL = "useful", "Utile"
    NOT_USEFUL = "not_useful", "Peu ou pas utile"
    ALREADY_KNOWN = "already_known", "Déjà connue"


class FollowUp(models.TextChoices):
    NONE = "none", "Aucune suite pour l'instant"
    INVESTIGATION = "investigation", "Enquête ouverte ou enrichie"
    OPERATION = "operation", "Opération ou interpellations"
    SHARED = "shared", "Transmise à un service partenaire"
    OTHER = "other", "Autre suite"


class FeedbackQuerySet(VisibleQuerySet):
    def scope_for(self, user):
        return self.filter(
            dissemination__report__in=InformationReport.objects.visible_to(user).values("pk")
        )


class Feedback(Record):
    """What a recipient unit says of a report: usefulness and follow-up given."""

    audit_exclude = ("comment",)

    dissemination = models.ForeignKey(
        Dissemination,
        verbose_name="diffusion",
        on_delete=models.CASCADE,
        related_name="feedbacks",
    )
    usefulness = models.CharField("utilité", max_length=20, choices=Usefulness.choices)
    follow_up = models.CharField("suite donnée", max_length=20, choices=FollowUp.choices)
    comment = models.TextField("commentaire", blank=True, validators=[refuse_classified_text])

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = "retour"
        verbose_name_plural = "retours"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Retour de {self.dissemination.unit.label}"


# --- Analysis -------------------------------------------------------------------------------------


class AnalystOnlyQuerySet(VisibleQuerySet):
    """Analysts' working records: analysts and pilotage at headquarters."""

    report_field = "report"

    def scope_for(self, user):
        if not is_analyst_or_pilotage(user):
            return self.none()
        return self.filter(
            **{f"{self.report_field}__in": InformationReport.objects.visible_to(user).values("pk")}
        )


class AnalystNote(Record):
    """An analyst's note on a report (seen by analysts and pilotage only)."""

    audit_exclude = ("text",)

    report = models.ForeignKey(
        InformationReport, verbose_name="fiche", on_delete=models.CASCADE, related_name="notes"
    )
    text = models.TextField("note", validators=[refuse_classified_text])

    objects = AnalystOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "note d'analyste"
        verbose_name_plural = "notes d'analyste"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Note sur {self.report}"

    def can_change(self, user) -> bool:
        return is_analyst(user)


class Regrading(Record):
    """A change of grading, with its reason."""

    audit_exclude = ("reason",)

    report = models.ForeignKey(
        InformationReport, verbose_name="fiche", on_delete=models.CASCADE, related_name="regradings"
    )
    grading_scheme = models.CharField("grille", max_length=20, choices=SchemeCode.choices)
    old_reliability = models.CharField("ancienne fiabilité", max_length=1)
    old_credibility = models.CharField("ancienne crédibilité", max_length=1)
    new_reliability = models.CharField("nouvelle fiabilité", max_length=1)
    new_credibility = models.CharField("nouvelle crédibilité", max_length=1)
    reason = models.TextField("motif", validators=[refuse_classified_text])

    objects = AnalystOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "recotation"
        verbose_name_plural = "recotations"
        ordering = ["created_at", "id"]

    def __str__(self):
        return (
            f"Recotation de {self.report} : {self.old_reliability}{self.old_credibility} → "
            f"{self.new_reliability}{self.new_credibility}"
        )


class LinkKind(models.TextChoices):
    RELATED = "related", "En rapport"
    SAME_CASE = "same_case", "Même affaire"
    FOLLOW_UP = "follow_up", "Suite de"
    CONFIRMS = "confirms", "Corrobore"
    CONTRADICTS = "contradicts", "Contredit"
    DUPLICATE = "duplicate", "Doublon"


class LinkQuerySet(AnalystOnlyQuerySet):
    report_field = "source"


class ReportLink(Record):
    """A link an analyst draws between two reports."""

    source = models.ForeignKey(
        InformationReport,
        verbose_name="fiche",
        on_delete=models.CASCADE,
        related_name="links_from",
    )
    target = models.ForeignKey(
        InformationReport,
        verbose_name="fiche liée",
        on_delete=models.CASCADE,
        related_name="links_to",
    )
    kind = models.CharField("nature du lien", max_length=20, choices=LinkKind.choices)

    objects = LinkQuerySet.as_manager()

    class Meta:
        verbose_name = "lien entre fiches"
        verbose_name_plural = "liens entre fiches"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target"], name="%(app_label)s_%(class)s_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="%(app_label)s_%(class)s_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.source} – {self.get_kind_display().lower()} – {self.target}"


class AnalysisFileQuerySet(VisibleQuerySet):
    def scope_for(self, user):
        return self.all() if is_analyst_or_pilotage(user) else self.none()


class AnalysisFileStatus(models.TextChoices):
    OPEN = "open", "suivi en cours"
    CLOSED = "closed", "clos"


class AnalysisFile(Record):
    """An analysis file (*dossier*): a theme or a case followed over time."""

    title = models.CharField("intitulé", max_length=300, validators=[refuse_classified_text])
    description = models.TextField("objet", blank=True, validators=[refuse_classified_text])
    themes = models.ManyToManyField(Theme, verbose_name="thèmes", blank=True, related_name="+")
    countries = models.ManyToManyField(
        "referential.Country", verbose_name="pays", blank=True, related_name="+"
    )
    reports = models.ManyToManyField(
        InformationReport, verbose_name="fiches", blank=True, related_name="analysis_files"
    )
    state = models.CharField(
        "état", max_length=10, choices=AnalysisFileStatus.choices, default="open"
    )

    objects = AnalysisFileQuerySet.as_manager()

    class Meta:
        verbose_name = "dossier d'analyse"
        verbose_name_plural = "dossiers d'analyse"
        ordering = ["-updated_at", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("information:file-detail", args=[self.pk])

    def can_change(self, user) -> bool:
        return is_analyst(user)


# --- Recipients of mission a ----------------------------------------------------------------------

#: The words of letter a that say to whom the DCI transmits information.
RECIPIENTS_QUOTE = (
    "leur transmission aux directions et services concernés de la police et de la gendarmerie "
    "nationales"
)


def mission_a_recipients():
    """The units a report may be transmitted to (article 1, a): the directorates and services of
    the police and the gendarmerie nationales — the directorates mission a names in the article
    file (DGPN, DGGN) and every unit below them — and the DCI, their joint directorate (its
    headquarters: the posts abroad write reports, they do not receive them); never an
    intelligence service. Other directorates of the ministry (DGEF, DGSCGC…) and bodies outside
    it (MEAE…) are not recipients of mission a."""
    from relais.legal.article import load_article
    from relais.referential.models import DCI_CODE, NETWORK_CODE, Unit

    named = load_article().mission("a").beneficiaries
    roots = Unit.objects.filter(Q(beneficiary__in=named) | Q(code=DCI_CODE))
    return (
        Unit.objects.within_any(list(roots))
        .exclude(is_intelligence=True)
        .exclude(path__contains=f"/{NETWORK_CODE}/")
        .order_by("path")
    )


def ineligible_recipients(units) -> list:
    """The units among `units` that are not recipients of mission a."""
    units = list(units)
    eligible = set(
        mission_a_recipients().filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True)
    )
    return [u for u in units if u.pk not in eligible]


def ineligible_recipients_message(units) -> str:
    """The refusal, quoting letter a, for the units that are not its recipients."""
    labels = ", ".join(u.label for u in units)
    many = len(units) > 1
    return (
        f"Article 1, a) : la DCI assure « {RECIPIENTS_QUOTE} ». {labels} "
        + ("n'en relèvent pas" if many else "n'en relève pas")
        + f" : la fiche ne peut pas {'leur' if many else 'lui'} être transmise."
    )


# --- Routing rules --------------------------------------------------------------------------------


class RoutingRuleQuerySet(VisibleQuerySet):
    def scope_for(self, user):
        return self.all() if (user.in_headquarters and not user.is_administrator) else self.none()

    def active(self):
        return self.filter(active=True)


class RoutingRule(Record):
    """Theme (and optionally country) → units a report of that kind should go to.

    The rules propose; the analyst chooses. Pilotage edits them.
    """

    theme = models.ForeignKey(
        Theme, verbose_name="thème", on_delete=models.CASCADE, related_name="routing_rules"
    )
    country = models.ForeignKey(
        "referential.Country",
        verbose_name="pays",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Vide : tous les pays.",
    )
    units = models.ManyToManyField(
        "referential.Unit", verbose_name="unités destinataires", related_name="+"
    )
    active = models.BooleanField("active", default=True)
    note = models.CharField("observation", max_length=300, blank=True)

    objects = RoutingRuleQuerySet.as_manager()

    class Meta:
        verbose_name = "règle d'orientation"
        verbose_name_plural = "règles d'orientation"
        ordering = ["theme__order", "country__name", "id"]

    def __str__(self):
        where = self.country.name if self.country_id else "tous pays"
        return f"{self.theme} ({where})"

    def can_change(self, user) -> bool:
        return bool(
            user.is_authenticated
            and ((user.role == Role.PILOTAGE and user.in_headquarters) or user.is_administrator)
        )


# --- Attachments -----------------------------------------------------------------------------------


class AttachmentQuerySet(VisibleQuerySet):
    def scope_for(self, user):
        return self.filter(report__in=InformationReport.objects.visible_to(user).values("pk"))


def attachment_path(instance, filename):
    # The stored name never carries the uploaded name (content): a random token.
    import secrets

    return f"information/{secrets.token_hex(16)}"


class Attachment(Record):
    """A file attached to a report: stored under MEDIA_ROOT (outside the web root), served only
    through an access-checked view."""

    audit_exclude = ("file", "name")

    report = models.ForeignKey(
        InformationReport,
        verbose_name="fiche",
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField("fichier", upload_to=attachment_path, max_length=200)
    name = models.CharField("nom du fichier", max_length=200)
    content_type = models.CharField("type", max_length=100)
    size = models.PositiveBigIntegerField("taille (octets)")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Pièce jointe n°{self.pk} de {self.report}"

    def can_change(self, user) -> bool:
        return self.report.can_edit_content(user)


# --- What is kept without content ------------------------------------------------------------------


class ReceiptQuerySet(VisibleQuerySet):
    """A receipt is seen by its author's unit, analysts and pilotage."""

    def scope_for(self, user):
        if not has_unit_scope(user):
            return self.none()
        if is_analyst_or_pilotage(user):
            return self.all()
        return self.filter(unit_id=user.unit_id)


class ReceiptOrigin(models.TextChoices):
    INTAKE = "intake", "à la saisie"
    TRIAGE = "triage", "au tri par un analyste"


class RedirectionReceipt(Record):
    """What Relais keeps of a matter exclusively for the intelligence services: date, author,
    unit and the redirection made — never the content (first paragraph of article 1)."""

    unit = models.ForeignKey(
        "referential.Unit",
        verbose_name="unité de l'auteur",
        on_delete=models.PROTECT,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    origin = models.CharField("écartée", max_length=10, choices=ReceiptOrigin.choices)
    redirect_to = models.CharField("orientée vers", max_length=200)
    reason = models.TextField("motif")
    former_reference = models.CharField("référence de la fiche écartée", max_length=30, blank=True)

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = "récépissé d'orientation"
        verbose_name_plural = "récépissés d'orientation"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"RR-{self.created_at.year if self.created_at else ''}-{self.pk or 0:06d}"

    def get_absolute_url(self):
        return reverse("information:receipt", args=[self.pk])

    def can_change(self, user) -> bool:
        return False


class PurgeQuerySet(VisibleQuerySet):
    def scope_for(self, user):
        if user.role in (Role.PILOTAGE, Role.LECTEUR, Role.ANALYSTE) and user.in_headquarters:
            return self.all()
        return self.none()


class PurgeRecord(models.Model):
    """The trace of a report deleted at the end of its retention period: what, when, under
    which rule — without the content."""

    report_reference = models.CharField("fiche", max_length=30)
    report_id = models.BigIntegerField("identifiant de la fiche")
    unit_code = models.CharField("unité d'origine", max_length=40)
    themes = models.CharField("thèmes", max_length=300)
    rule = models.CharField("règle appliquée", max_length=300)
    last_updated_at = models.DateTimeField("dernière mise à jour")
    purged_at = models.DateTimeField("supprimée le")

    objects = PurgeQuerySet.as_manager()

    class Meta:
        verbose_name = "trace de purge"
        verbose_name_plural = "traces de purge"
        ordering = ["-purged_at", "-id"]

    def __str__(self):
        return f"Purge de {self.report_reference}"
