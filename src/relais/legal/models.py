"""The article as data: missions (synced from data/article-1.yaml) and the legal-basis mixin."""

from django.db import models

from relais.core.models import VisibleQuerySet
from relais.legal.article import segments


class CooperationKind(models.TextChoices):
    """The kinds of cooperation the article names (stable English codes, French labels).

    The YAML file declares the same codes and labels; a test keeps the two in step.
    """

    TECHNICAL = "technical", "Coopération technique"
    OPERATIONAL = "operational", "Coopération opérationnelle"
    INSTITUTIONAL = "institutional", "Coopération institutionnelle"
    ADMINISTRATIVE_GOVERNANCE = (
        "administrative_governance",
        "Coopération administrative et de gouvernance",
    )


class MissionQuerySet(VisibleQuerySet):
    """The article is public inside Relais: every signed-in user reads every mission."""

    def scope_for(self, user):
        return self.all()

    def letters(self):
        """The lettered missions a) to n), without the two opening paragraphs."""
        return self.exclude(code__startswith="preamble")


class Mission(models.Model):
    """A part of article 1: an opening paragraph (`preamble-1`, `preamble-2`) or a letter (a–n).

    Rows are a copy of data/article-1.yaml, written only by `sync_missions()` (after every
    migration and by `relais load-article`); nobody edits them in the application.
    """

    code = models.SlugField("code", max_length=20, unique=True)
    order = models.PositiveSmallIntegerField("ordre")
    label = models.CharField("repère", max_length=40, help_text="« Premier alinéa », « a) »…")
    title = models.CharField("intitulé", max_length=200)
    text = models.TextField("texte")
    roles = models.JSONField("verbes du rôle de la DCI", default=list)
    cooperation_kinds = models.JSONField("natures de coopération", default=list)
    beneficiaries = models.JSONField("directions bénéficiaires", default=list)
    open_beneficiaries = models.BooleanField(
        "liste de bénéficiaires non limitative",
        default=False,
        help_text="« au profit notamment » : toute direction du ministère peut en bénéficier.",
    )
    liaisons = models.JSONField("liaisons requises", default=list)
    excludes_intelligence = models.BooleanField(
        "exclut les questions relevant exclusivement du renseignement", default=False
    )
    version = models.CharField("version de l'encodage", max_length=40)

    objects = MissionQuerySet.as_manager()

    class Meta:
        verbose_name = "mission (article 1)"
        verbose_name_plural = "missions (article 1)"
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["order"], name="%(app_label)s_%(class)s_unique_order")
        ]

    def __str__(self):
        return f"{self.label} {self.title}"

    @property
    def is_letter(self) -> bool:
        return len(self.code) == 1

    @property
    def anchor(self) -> str:
        """The fragment of this mission on the article page (#mission-b)."""
        return f"mission-{self.code}"

    def text_segments(self) -> list[tuple[str, bool]]:
        """The text cut into (part, is_role_verb) pieces, for highlighting the role verbs."""
        return segments(self.text, self.roles)


class LegalBasisMixin(models.Model):
    """What a business record inherits to say which parts of article 1 it serves.

        class CooperationAction(LegalBasisMixin, Record):
            default_missions = ("b",)

    Each concrete model gets its own reverse accessor on `Mission`
    (`mission.cooperation_cooperationaction_set`), so records can be counted and listed by letter
    (`CooperationAction.objects.visible_to(user).filter(missions__code="b")`) without clashes
    between the models that inherit the mixin. See docs/dev/legal-basis.md.
    """

    missions = models.ManyToManyField(
        "legal.Mission",
        verbose_name="fondement (article 1)",
        blank=True,
        related_name="%(app_label)s_%(class)s_set",
        related_query_name="%(app_label)s_%(class)s",
        help_text="Les parties de l'article 1 que cet enregistrement sert.",
    )

    #: The codes forms propose for a new record of this kind (e.g. ("b",)).
    default_missions: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def legal_basis_codes(self) -> list[str]:
        """The codes of the missions this record serves, in the article's order (sorted here, so
        that a list's `prefetch_related("missions")` serves it without a query per row)."""
        return [m.code for m in sorted(self.missions.all(), key=lambda m: m.order)]

    @classmethod
    def default_legal_basis(cls):
        """The `Mission` rows a form proposes for a new record (from `default_missions`)."""
        return Mission.objects.filter(code__in=cls.default_missions)
