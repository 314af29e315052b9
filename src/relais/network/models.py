"""Mission b, « anime le réseau des services de sécurité intérieure à l'étranger »: the taskings
headquarters sends to the posts, the posts' answers, and each post's annual report.

The posts themselves, their countries and their staff are referential data
(`relais.referential.models.Post`, `Assignment`); this app adds what the network *does*.

Who sees what (`visible_to`):

- **taskings**: DCI headquarters (pilotage, chargés de mission, analysts, readers) see them all;
  an attaché sees the taskings sent to their own post (never drafts, never another post's
  answer); correspondents and administrators see none (a tasking is an internal instruction of
  the DCI to its network);
- **answers** (`TaskingRecipient`): headquarters sees every post's row of the taskings it sees;
  an attaché sees only the row of their post;
- **annual reports**: headquarters sees them all; an attaché sees their post's reports.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from relais.core.markings import refuse_classified_text
from relais.core.models import Record, VisibleQuerySet
from relais.legal.models import LegalBasisMixin
from relais.network.workflows import HQ_EDITORS, ReportStatus, TaskingStatus


def _headquarters_reader(user) -> bool:
    """DCI headquarters staff, whatever their role, except administrators (who see no
    operational content by their role alone)."""
    return bool(user.in_headquarters and not user.is_administrator)


def _headquarters_editor(user) -> bool:
    return bool(user.in_headquarters and user.role in HQ_EDITORS)


class TaskingKind(models.TextChoices):
    INSTRUCTION = "instruction", "Instruction"
    SURVEY = "survey", "Enquête"
    INFORMATION_REQUEST = "information_request", "Demande de renseignements"


# --- Taskings --------------------------------------------------------------------------------


class TaskingQuerySet(VisibleQuerySet):
    def scope_for(self, user):
        if user.is_administrator:
            return self.none()
        if _headquarters_reader(user):
            return self.all()
        if user.is_attache and user.unit_id is not None:
            return self.exclude(status=TaskingStatus.DRAFT).filter(
                pk__in=TaskingRecipient.objects.filter(post__unit_id=user.unit_id).values(
                    "tasking_id"
                )
            )
        return self.none()

    def with_related(self):
        return self.select_related("created_by")

    def sent(self):
        return self.filter(status=TaskingStatus.SENT)

    def open(self):
        return self.exclude(status=TaskingStatus.CLOSED)

    def with_progress(self, user, today=None):
        """Annotate `recipient_count`, `answered_count` and `late_count` over the answers the
        user may see (an attaché counts only their own post): three subqueries, no row per
        tasking."""
        today = today or timezone.localdate()
        rows = TaskingRecipient.objects.visible_to(user).filter(tasking=OuterRef("pk")).order_by()

        def count(qs):
            return Coalesce(
                Subquery(
                    qs.values("tasking").annotate(n=Count("pk")).values("n"),
                    output_field=IntegerField(),
                ),
                0,
            )

        return self.annotate(
            recipient_count=count(rows),
            answered_count=count(rows.filter(answered_on__isnull=False)),
            late_count=count(
                rows.filter(
                    answered_on__isnull=True,
                    tasking__status=TaskingStatus.SENT,
                    tasking__due_on__lt=today,
                )
            ),
        )


class Tasking(LegalBasisMixin, Record):
    """A request from headquarters to one, several or all posts: an instruction, a survey or a
    request for information, with the date the answers are due."""

    default_missions = ("b",)

    kind = models.CharField("nature", max_length=30, choices=TaskingKind.choices)
    title = models.CharField("objet", max_length=300, validators=[refuse_classified_text])
    body = models.TextField(
        "demande",
        validators=[refuse_classified_text],
        help_text="Ce qui est attendu des postes : contexte, questions, format de la réponse.",
    )
    due_on = models.DateField("réponse attendue le")
    all_posts = models.BooleanField(
        "adressée à tous les postes",
        default=False,
        editable=False,
        help_text="Tous les postes existant au moment de l'envoi.",
    )
    status = models.CharField(
        "état",
        max_length=20,
        choices=TaskingStatus.choices,
        default=TaskingStatus.DRAFT,
        db_index=True,
        editable=False,
        help_text="Ne change que par le circuit (network/workflows.py).",
    )

    objects = TaskingQuerySet.as_manager()

    class Meta:
        verbose_name = "sollicitation du réseau"
        verbose_name_plural = "sollicitations du réseau"
        ordering = ["-due_on", "-pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="network_tasking_status_due")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("network:tasking-detail", args=[self.pk])

    @property
    def reference(self) -> str:
        year = (self.created_at or timezone.now()).year
        return f"SOL-{year}-{self.pk:04d}" if self.pk else ""

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.status == TaskingStatus.SENT and self.due_on < (today or timezone.localdate())

    @property
    def status_badge(self) -> str:
        from relais.network.workflows import TASKING_WORKFLOW

        return TASKING_WORKFLOW.badge(self.status)

    @classmethod
    def can_create(cls, user) -> bool:
        return bool(user.is_authenticated and _headquarters_editor(user))

    def can_change(self, user) -> bool:
        """Headquarters editors, until the tasking is closed."""
        return bool(
            user.is_authenticated
            and _headquarters_editor(user)
            and self.status != TaskingStatus.CLOSED
        )


class TaskingRecipientQuerySet(VisibleQuerySet):
    def scope_for(self, user):
        if user.is_administrator:
            return self.none()
        if _headquarters_reader(user):
            return self.filter(tasking__in=Tasking.objects.visible_to(user).values("pk"))
        if user.is_attache and user.unit_id is not None:
            return self.filter(post__unit_id=user.unit_id).exclude(
                tasking__status=TaskingStatus.DRAFT
            )
        return self.none()

    def with_related(self):
        return self.select_related(
            "tasking", "post", "post__unit", "post__host_country", "answered_by"
        )

    def answered(self):
        return self.filter(answered_on__isnull=False)

    def pending(self):
        """Not answered yet, on a tasking that still expects answers."""
        return self.filter(answered_on__isnull=True, tasking__status=TaskingStatus.SENT)

    def late(self, today: datetime.date | None = None):
        """Expected answers whose due date has passed."""
        return self.pending().filter(tasking__due_on__lt=today or timezone.localdate())


class TaskingRecipient(Record):
    """A post addressed by a tasking, and its answer (a draft until the post transmits it)."""

    tasking = models.ForeignKey(
        Tasking, verbose_name="sollicitation", on_delete=models.CASCADE, related_name="recipients"
    )
    post = models.ForeignKey(
        "referential.Post",
        verbose_name="poste",
        on_delete=models.PROTECT,
        related_name="tasking_answers",
    )
    answer = models.TextField("réponse", blank=True, validators=[refuse_classified_text])
    answered_on = models.DateField("réponse transmise le", null=True, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="réponse transmise par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = TaskingRecipientQuerySet.as_manager()

    class Meta:
        verbose_name = "réponse d'un poste"
        verbose_name_plural = "réponses des postes"
        ordering = ["tasking", "post__city"]
        constraints = [
            models.UniqueConstraint(
                fields=["tasking", "post"], name="%(app_label)s_%(class)s_one_per_post"
            )
        ]

    def __str__(self):
        return f"{self.post} — {self.tasking}"

    def get_absolute_url(self):
        return reverse("network:answer", args=[self.tasking_id, self.post.unit.code])

    @property
    def is_answered(self) -> bool:
        return self.answered_on is not None

    def is_late(self, today: datetime.date | None = None) -> bool:
        return not self.is_answered and self.tasking.is_overdue(today)

    @property
    def answered_late(self) -> bool:
        return self.is_answered and self.answered_on > self.tasking.due_on

    @property
    def answer_state(self) -> tuple[str, str]:
        """(French label, DSFR badge variant) of where the answer stands today."""
        if self.is_answered:
            late = " (hors délai)" if self.answered_late else ""
            return f"transmise le {self.answered_on:%d/%m/%Y}{late}", "success"
        if self.tasking.status == TaskingStatus.CLOSED:
            return "sans réponse", "beige-gris-galet"
        if self.is_late():
            return "en retard", "error"
        if self.answer:
            return "brouillon au poste", "new"
        return "attendue", "info"

    def can_change(self, user) -> bool:
        """The attachés of the post answer, while the tasking is open to answers."""
        return bool(
            user.is_authenticated
            and user.is_attache
            and not user.is_read_only
            and user.unit_id == self.post.unit_id
            and self.tasking.status == TaskingStatus.SENT
        )


# --- Annual reports --------------------------------------------------------------------------


class PostAnnualReportQuerySet(VisibleQuerySet):
    def scope_for(self, user):
        if user.is_administrator:
            return self.none()
        if _headquarters_reader(user):
            return self.all()
        if user.is_attache and user.unit_id is not None:
            return self.filter(post__unit_id=user.unit_id)
        return self.none()

    def with_related(self):
        return self.select_related(
            "post", "post__unit", "post__host_country", "post__host_country__zone"
        )

    def accepted(self):
        return self.filter(status=ReportStatus.ACCEPTED)

    def transmitted(self):
        """Submitted or accepted: what headquarters can build on."""
        return self.filter(status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])


class PostAnnualReport(LegalBasisMixin, Record):
    """The yearly report of a post: its context, the cooperation carried out and its priorities
    for the next year, which feed the next programming."""

    default_missions = ("b",)

    post = models.ForeignKey(
        "referential.Post",
        verbose_name="poste",
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    year = models.PositiveSmallIntegerField("année")
    context = models.TextField(
        "contexte",
        blank=True,
        validators=[refuse_classified_text],
        help_text="Situation sécuritaire et institutionnelle des pays du poste.",
    )
    cooperation_summary = models.TextField(
        "coopération réalisée",
        blank=True,
        validators=[refuse_classified_text],
        help_text="Actions conduites, résultats, difficultés.",
    )
    priorities = models.TextField(
        "priorités pour l'année suivante",
        blank=True,
        validators=[refuse_classified_text],
        help_text="Une priorité par ligne : elles sont reprises pour la programmation suivante.",
    )
    status = models.CharField(
        "état",
        max_length=20,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        db_index=True,
        editable=False,
        help_text="Ne change que par le circuit (network/workflows.py).",
    )

    objects = PostAnnualReportQuerySet.as_manager()

    class Meta:
        verbose_name = "rapport annuel de poste"
        verbose_name_plural = "rapports annuels des postes"
        ordering = ["-year", "post__city"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "year"], name="%(app_label)s_%(class)s_one_per_post_and_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="%(app_label)s_%(class)s_plausible_year",
            ),
        ]

    def __str__(self):
        return f"Rapport annuel {self.year} — {self.post}"

    def get_absolute_url(self):
        return reverse("network:report-detail", args=[self.pk])

    @property
    def priority_list(self) -> list[str]:
        """The priorities, one per line, without list markers."""
        items = (line.strip().lstrip("-•*").strip() for line in self.priorities.splitlines())
        return [item for item in items if item]

    @property
    def status_badge(self) -> str:
        from relais.network.workflows import REPORT_WORKFLOW

        return REPORT_WORKFLOW.badge(self.status)

    @classmethod
    def can_create(cls, user) -> bool:
        return bool(user.is_authenticated and user.is_attache and user.post is not None)

    def can_change(self, user) -> bool:
        """The post's attachés, while the report is being written."""
        return bool(
            user.is_authenticated
            and user.is_attache
            and not user.is_read_only
            and user.unit_id == self.post.unit_id
            and self.status == ReportStatus.DRAFT
        )
