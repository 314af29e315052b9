"""Mission k: internal security agreements and technical arrangements, their negotiation
(rounds, versions of the text, comments requested) and their follow-up (renewals, joint
committees and their meetings).

The DCI *assure, pour les directeurs généraux…* the preparation, negotiation, drafting and
follow-up of these texts: every agreement names the directorate(s) it is negotiated for, and
that is what scopes correspondents (`AgreementQuerySet.scope_for`).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from relais.accounts.roles import Role
from relais.agreements.workflows import (
    BEFORE_SIGNATURE,
    ENDED_STATES,
    SIGNED_STATES,
    AgreementStatus,
)
from relais.core.markings import refuse_classified_text
from relais.core.models import Record, VisibleQuerySet
from relais.legal.models import LegalBasisMixin

#: Roles that write agreements (at DCI headquarters).
EDITOR_ROLES = frozenset({Role.PILOTAGE, Role.CHARGE_MISSION})


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by `months` (negative to go back), clamped to the end of the month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def is_editor(user) -> bool:
    """DCI headquarters staff who negotiate and follow agreements (pilotage, chargés de mission)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and not user.is_read_only
        and user.role in EDITOR_ROLES
        and user.in_headquarters
    )


def headquarters_users():
    """Active users of DCI headquarters (the DCI and its units, outside the network of posts):
    the people who may lead an agreement."""
    from django.contrib.auth import get_user_model

    from relais.referential.models import DCI_CODE, NETWORK_CODE

    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(unit__path__startswith=f"{DCI_CODE}/") | Q(unit__path__contains=f"/{DCI_CODE}/"))
        .exclude(unit__path__contains=f"{NETWORK_CODE}/")
        .exclude(role=Role.ADMINISTRATEUR)
    )


# --- Reference: domains ----------------------------------------------------------------------


class DomainQuerySet(VisibleQuerySet):
    """The list of domains is reference data every signed-in user reads."""

    def scope_for(self, user):
        return self.all()


class Domain(models.Model):
    """A domain an agreement covers (terrorism, organised crime, drugs…).

    A small reference table (filled by a data migration) rather than a JSON list, so that
    filtering by domain is a plain join on SQLite and PostgreSQL alike.
    """

    code = models.SlugField("code", max_length=40, unique=True)
    label = models.CharField("libellé", max_length=120)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = DomainQuerySet.as_manager()

    class Meta:
        verbose_name = "domaine couvert"
        verbose_name_plural = "domaines couverts"
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


# --- The agreement -----------------------------------------------------------------------------


class AgreementKind(models.TextChoices):
    """Kinds of text; the codes are those of the API."""

    INTERGOVERNMENTAL = (
        "intergovernmental_agreement",
        "Accord intergouvernemental de sécurité intérieure",
    )
    CIVIL_SECURITY = "civil_security_agreement", "Accord de sécurité civile"
    TECHNICAL_ARRANGEMENT = "technical_arrangement", "Arrangement administratif ou technique"
    LETTER_OF_INTENT = "letter_of_intent", "Lettre ou déclaration d'intention"
    MEMORANDUM = "memorandum_of_understanding", "Mémorandum d'entente"


#: Kinds concluded between governments, which need a law authorising their approval and a
#: publication decree (article 53 of the Constitution) before they enter into force.
APPROVAL_KINDS = frozenset({AgreementKind.INTERGOVERNMENTAL, AgreementKind.CIVIL_SECURITY})


class DatePrecision(models.TextChoices):
    DAY = "day", "Jour"
    YEAR = "year", "Année"


class AgreementQuerySet(VisibleQuerySet):
    """Who sees which agreement.

    - DCI headquarters (pilotage, chargés de mission, analysts, readers): all;
    - correspondents: the agreements negotiated for their own directorate;
    - attachés: the agreements with a country their post covers;
    - administrators and everyone else: none (the role alone gives no access).
    """

    def scope_for(self, user):
        if user.is_administrator:
            return self.none()
        if user.in_headquarters:
            return self.all()
        if user.is_correspondent:
            directorate = user.directorate
            if directorate is None:
                return self.none()
            return self.filter(pk__in=self._for_directorate(directorate))
        if user.is_attache:
            post = user.post
            if post is None:
                return self.none()
            return self.filter(pk__in=Agreement.objects.filter(countries__posts=post).values("pk"))
        return self.none()

    @staticmethod
    def _for_directorate(directorate):
        return Agreement.objects.filter(directorates=directorate).values("pk")

    def for_directorate(self, directorate):
        """Agreements negotiated for `directorate` (a `Unit`)."""
        return self.filter(pk__in=self._for_directorate(directorate))

    def with_related(self):
        """What lists, exports and the API show, in a fixed number of queries."""
        return self.select_related("lead", "post", "post__unit").prefetch_related(
            "countries", "partner_bodies", "directorates", "domains", "missions"
        )

    def in_force_on(self, day: datetime.date):
        """Agreements in force on `day` (entered into force, not yet expired nor ended)."""
        return (
            self.filter(in_force_on__isnull=False, in_force_on__lte=day)
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
            .exclude(status__in=[*BEFORE_SIGNATURE, AgreementStatus.ABANDONED])
        )

    def in_force(self):
        return self.filter(status=AgreementStatus.IN_FORCE)

    def under_negotiation(self):
        return self.filter(status__in=BEFORE_SIGNATURE)


class Agreement(LegalBasisMixin, Record):
    """An internal security agreement or a technical arrangement, negotiated by the DCI for one
    or more directorates (article 1, k)."""

    default_missions = ("k",)

    kind = models.CharField("nature", max_length=40, choices=AgreementKind.choices)
    title = models.CharField("intitulé", max_length=300, validators=[refuse_classified_text])
    reference = models.CharField(
        "référence interne",
        max_length=60,
        blank=True,
        help_text="Référence de suivi à la DCI (facultative).",
    )
    summary = models.TextField("objet et contenu", blank=True, validators=[refuse_classified_text])
    countries = models.ManyToManyField(
        "referential.Country",
        verbose_name="pays partenaires",
        blank=True,
        related_name="agreements",
    )
    partner_bodies = models.ManyToManyField(
        "referential.PartnerBody",
        verbose_name="organismes partenaires",
        blank=True,
        related_name="agreements",
    )
    directorates = models.ManyToManyField(
        "referential.Unit",
        verbose_name="directions pour lesquelles il est négocié",
        related_name="agreements",
        limit_choices_to=~Q(beneficiary=""),
        help_text="Article 1, k : la DCI agit pour le compte de ces directions.",
    )
    domains = models.ManyToManyField(
        Domain, verbose_name="domaines couverts", blank=True, related_name="agreements"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="responsable à la DCI",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_agreements",
    )
    post = models.ForeignKey(
        "referential.Post",
        verbose_name="poste concerné",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
    )
    amends = models.ForeignKey(
        "self",
        verbose_name="complète ou modifie",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="amendments",
        help_text="Pour un protocole additionnel ou un avenant : le texte qu'il complète.",
    )
    status = models.CharField(
        "état",
        max_length=20,
        choices=AgreementStatus.choices,
        default=AgreementStatus.INITIATIVE,
        db_index=True,
        editable=False,
        help_text="Ne change que par le circuit (agreements/workflows.py).",
    )
    # Signature and entry into force.
    signed_on = models.DateField("signé le", null=True, blank=True)
    signed_on_precision = models.CharField(
        "précision de la date de signature",
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="« Année » quand seule l'année de signature est connue.",
    )
    signed_place = models.CharField("lieu de signature", max_length=120, blank=True)
    in_force_on = models.DateField("en vigueur depuis le", null=True, blank=True)
    duration_years = models.PositiveSmallIntegerField(
        "durée (années)", null=True, blank=True, help_text="Vide : durée indéterminée."
    )
    tacit_renewal = models.BooleanField("reconduction tacite", default=False)
    renewal_years = models.PositiveSmallIntegerField(
        "durée de chaque reconduction (années)", null=True, blank=True
    )
    notice_months = models.PositiveSmallIntegerField(
        "préavis de dénonciation ou de non-reconduction (mois)", null=True, blank=True
    )
    expires_on = models.DateField("échéance", null=True, blank=True)
    ended_on = models.DateField("fin (dénonciation ou expiration) le", null=True, blank=True)
    # Parliamentary approval (intergovernmental agreements only).
    approval_law_reference = models.CharField(
        "loi autorisant l'approbation", max_length=200, blank=True
    )
    approval_law_on = models.DateField("date de la loi", null=True, blank=True)
    publication_decree_reference = models.CharField(
        "décret de publication", max_length=200, blank=True
    )
    publication_decree_on = models.DateField("date du décret", null=True, blank=True)
    notes = models.TextField("observations", blank=True, validators=[refuse_classified_text])

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = "accord"
        verbose_name_plural = "accords"
        ordering = ["-signed_on", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(in_force_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(in_force_on__gte=models.F("signed_on")),
                name="%(app_label)s_%(class)s_in_force_after_signature",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(in_force_on__isnull=True)
                | Q(expires_on__gte=models.F("in_force_on")),
                name="%(app_label)s_%(class)s_expiry_after_entry_into_force",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agreements:detail", args=[self.pk])

    # --- Rules -------------------------------------------------------------------------------

    @property
    def requires_approval(self) -> bool:
        """Intergovernmental agreements need a parliamentary approval and a publication decree."""
        return self.kind in APPROVAL_KINDS

    def can_change(self, user) -> bool:
        """Headquarters editors (pilotage, chargés de mission) and the agreement's lead."""
        if not is_editor(user):
            return bool(
                user is not None
                and user.is_authenticated
                and not user.is_read_only
                and self.lead_id is not None
                and self.lead_id == user.pk
                and user.in_headquarters
            )
        return True

    @classmethod
    def can_create(cls, user) -> bool:
        return is_editor(user)

    def clean(self):
        """Refuse dates that contradict the life of the text (French messages, per field)."""
        super().clean()
        errors: dict[str, list[str]] = {}

        def add(field, message):
            errors.setdefault(field, []).append(message)

        signed = self.status in SIGNED_STATES
        if signed and not self.signed_on:
            add("signed_on", "La date de signature est obligatoire une fois le texte signé.")
        if not signed and self.status != AgreementStatus.ABANDONED and self.signed_on:
            add(
                "signed_on",
                "Un texte qui n'est pas encore signé ne peut pas avoir de date de signature : "
                "enregistrez la signature par l'action « Enregistrer la signature ».",
            )
        today = timezone.localdate()
        if self.signed_on and self.signed_on > today:
            add("signed_on", "La date de signature ne peut pas être dans le futur.")
        in_force_states = (AgreementStatus.IN_FORCE, *ENDED_STATES)
        if self.status in in_force_states and not self.in_force_on:
            add("in_force_on", "La date d'entrée en vigueur est obligatoire.")
        if self.in_force_on and not self.signed_on:
            add("in_force_on", "Un texte non signé ne peut pas être entré en vigueur.")
        if self.in_force_on and self.signed_on and self.in_force_on < self.signed_on:
            add(
                "in_force_on",
                "L'entrée en vigueur ne peut pas précéder la signature "
                f"(signé le {self.signed_on:%d/%m/%Y}).",
            )
        if self.expires_on and self.in_force_on and self.expires_on < self.in_force_on:
            add(
                "expires_on",
                "L'échéance ne peut pas précéder l'entrée en vigueur "
                f"(en vigueur le {self.in_force_on:%d/%m/%Y}).",
            )
        if self.expires_on and self.signed_on and self.expires_on < self.signed_on:
            add("expires_on", "L'échéance ne peut pas précéder la signature.")
        if self.status in ENDED_STATES and not self.ended_on:
            add("ended_on", "La date de fin (dénonciation ou expiration) est obligatoire.")
        if self.ended_on and self.in_force_on and self.ended_on < self.in_force_on:
            add("ended_on", "La fin ne peut pas précéder l'entrée en vigueur.")
        if self.ended_on and self.status not in ENDED_STATES:
            add("ended_on", "Seul un accord dénoncé ou expiré a une date de fin.")
        if not self.requires_approval and (
            self.approval_law_reference or self.publication_decree_reference
        ):
            add(
                "approval_law_reference",
                "Seuls les accords intergouvernementaux ont une loi d'approbation et un décret "
                "de publication.",
            )
        if self.approval_law_on and self.signed_on and self.approval_law_on < self.signed_on:
            add("approval_law_on", "La loi d'approbation ne peut pas précéder la signature.")
        if (
            self.publication_decree_on
            and self.approval_law_on
            and self.publication_decree_on < self.approval_law_on
        ):
            add(
                "publication_decree_on",
                "Le décret de publication ne peut pas précéder la loi d'approbation.",
            )
        if self.renewal_years and not self.tacit_renewal:
            add("renewal_years", "La durée de reconduction suppose la reconduction tacite.")
        if self.amends_id and self.pk and self.amends_id == self.pk:
            add("amends", "Un texte ne peut pas se compléter lui-même.")
        if errors:
            raise ValidationError(errors)

    # --- Follow-up ---------------------------------------------------------------------------

    @property
    def signed_on_known(self) -> datetime.date | int | None:
        """The signature date as known: the date, or the year alone when only it is known."""
        if self.signed_on and self.signed_on_precision == DatePrecision.YEAR:
            return self.signed_on.year
        return self.signed_on

    @property
    def signed_display(self) -> str:
        """The signature date as known: « 25/10/2003 », or « 2002 » when only the year is."""
        if not self.signed_on:
            return ""
        if self.signed_on_precision == DatePrecision.YEAR:
            return str(self.signed_on.year)
        return self.signed_on.strftime("%d/%m/%Y")

    def current_expiry(self, today: datetime.date | None = None) -> datetime.date | None:
        """The expiry that applies now: the recorded `expires_on`, else entry into force plus
        the duration; with tacit renewal, rolled forward by the renewal period (default: the
        duration) past `today`. None for an agreement of indefinite duration."""
        today = today or datetime.date.today()
        expiry = self.expires_on
        if expiry is None and self.in_force_on and self.duration_years:
            expiry = add_months(self.in_force_on, 12 * self.duration_years)
        step = self.renewal_years or self.duration_years
        if expiry and self.tacit_renewal and step and self.ended_on is None:
            while expiry < today:
                expiry = add_months(expiry, 12 * step)
        return expiry

    @property
    def notice_deadline(self) -> datetime.date | None:
        """Last day to give notice (denunciation or non-renewal) before the next expiry."""
        if not self.expires_on:
            return None
        return add_months(self.expires_on, -(self.notice_months or 0))

    def is_in_force_on(self, day: datetime.date) -> bool:
        return bool(
            self.in_force_on
            and self.in_force_on <= day
            and (self.expires_on is None or self.expires_on >= day)
            and (self.ended_on is None or self.ended_on > day)
            and self.status not in (*BEFORE_SIGNATURE, AgreementStatus.ABANDONED)
        )

    @cached_property
    def country_codes(self) -> list[str]:
        return [c.code for c in self.countries.all()]

    @cached_property
    def directorate_codes(self) -> list[str]:
        return [d.beneficiary_code or d.code for d in self.directorates.all()]

    def partners_label(self) -> str:
        names = [c.name for c in self.countries.all()] + [str(p) for p in self.partner_bodies.all()]
        return ", ".join(names) or "—"

    def followers(self):
        """Who hears of its changes and deadlines: the lead and the correspondents of the
        directorates it is negotiated for (and of their services)."""
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(is_active=True)
        paths = [d.path for d in self.directorates.all()]
        condition = Q(pk=self.lead_id) if self.lead_id else Q(pk__in=[])
        for path in paths:
            condition |= Q(role=Role.CORRESPONDANT, unit__path__startswith=path)
        return list(users.filter(condition).select_related("unit"))


# --- Children of an agreement ------------------------------------------------------------------


class AgreementChildQuerySet(VisibleQuerySet):
    """A child record is visible with its agreement."""

    agreement_path = "agreement"

    def scope_for(self, user):
        visible = Agreement.objects.visible_to(user).values("pk")
        return self.filter(**{f"{self.agreement_path}__in": visible})


class AgreementChild(Record):
    """Base of the records that belong to one agreement: changed by who may change it."""

    class Meta:
        abstract = True

    def can_change(self, user) -> bool:
        return self.agreement.can_change(user)

    def get_absolute_url(self):
        return self.agreement.get_absolute_url()


class NegotiationRound(AgreementChild):
    """A negotiation round: when, where, who, and what came out of it."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name="accord",
        on_delete=models.CASCADE,
        related_name="rounds",
    )
    held_on = models.DateField("date")
    place = models.CharField("lieu", max_length=120)
    french_delegation = models.TextField(
        "délégation française", blank=True, validators=[refuse_classified_text]
    )
    partner_delegation = models.TextField(
        "délégation partenaire", blank=True, validators=[refuse_classified_text]
    )
    outcome = models.TextField("résultat", blank=True, validators=[refuse_classified_text])

    objects = AgreementChildQuerySet.as_manager()

    class Meta:
        verbose_name = "tour de négociation"
        verbose_name_plural = "tours de négociation"
        ordering = ["agreement", "held_on", "pk"]

    def __str__(self):
        return f"Tour du {self.held_on:%d/%m/%Y} à {self.place}"


class TextSource(models.TextChoices):
    EXTRACTED = "extracted", "Extrait automatiquement du fichier"
    PASTED = "pasted", "Collé par l'utilisateur"
    NONE = "none", "Aucun texte comparable"


class TextVersion(AgreementChild):
    """A successive version of the text, as an uploaded document, with its text for comparison."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name="accord",
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveSmallIntegerField("numéro")
    label = models.CharField(
        "intitulé de la version", max_length=200, help_text="Ex. « Contre-projet de la partie X »."
    )
    document = models.FileField(
        "document",
        upload_to="agreements/versions/%Y/",
        blank=True,
        help_text="Conservé sous MEDIA_ROOT, jamais servi directement : téléchargement contrôlé.",
    )
    original_name = models.CharField("nom du fichier", max_length=255, blank=True)
    content_type = models.CharField("type", max_length=100, blank=True)
    size = models.PositiveIntegerField("taille (octets)", default=0)
    text = models.TextField(
        "texte de la version",
        blank=True,
        help_text="Le texte sur lequel porte la comparaison des versions.",
    )
    text_source = models.CharField(
        "origine du texte", max_length=20, choices=TextSource.choices, default=TextSource.NONE
    )

    objects = AgreementChildQuerySet.as_manager()
    #: Downloads of a negotiated text go to the access log.
    audit_reads = True
    # `document` is excluded because core.audit.events.snapshot cannot serialise a FieldFile;
    # the file name (`original_name`), type and size are audited instead.
    audit_exclude = ("text", "document")

    class Meta:
        verbose_name = "version du texte"
        verbose_name_plural = "versions du texte"
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="%(app_label)s_%(class)s_unique_number"
            )
        ]

    def __str__(self):
        return f"Version {self.number} : {self.label}"


class Addressee(models.TextChoices):
    DIRECTORATE = "directorate", "Direction concernée"
    MEAE = "meae", "Ministère de l'Europe et des affaires étrangères"


class CommentRequestQuerySet(AgreementChildQuerySet):
    def open(self):
        return self.filter(answered_on__isnull=True)


class CommentRequest(AgreementChild):
    """Comments requested on the text from a directorate concerned or from the MEAE."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name="accord",
        on_delete=models.CASCADE,
        related_name="comment_requests",
    )
    addressee = models.CharField("destinataire", max_length=20, choices=Addressee.choices)
    directorate = models.ForeignKey(
        "referential.Unit",
        verbose_name="direction sollicitée",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_comment_requests",
        limit_choices_to=~Q(beneficiary=""),
    )
    text_version = models.ForeignKey(
        TextVersion,
        verbose_name="version soumise",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comment_requests",
    )
    subject = models.CharField("objet", max_length=300, validators=[refuse_classified_text])
    requested_on = models.DateField("demandé le", default=timezone.localdate)
    due_on = models.DateField("réponse attendue le")
    answered_on = models.DateField("répondu le", null=True, blank=True)
    answer = models.TextField("réponse", blank=True, validators=[refuse_classified_text])
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="réponse saisie par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = CommentRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande d'observations"
        verbose_name_plural = "demandes d'observations"
        ordering = ["agreement", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("requested_on")),
                name="%(app_label)s_%(class)s_due_after_request",
            ),
        ]

    def __str__(self):
        return f"Observations de {self.addressee_label} : {self.subject}"

    @property
    def addressee_label(self) -> str:
        if self.addressee == Addressee.DIRECTORATE and self.directorate_id:
            return self.directorate.label
        return "MEAE" if self.addressee == Addressee.MEAE else "—"

    @property
    def is_open(self) -> bool:
        return self.answered_on is None

    def clean(self):
        super().clean()
        if self.addressee == Addressee.DIRECTORATE and not self.directorate_id:
            raise ValidationError({"directorate": "Choisissez la direction sollicitée."})
        if self.addressee == Addressee.MEAE and self.directorate_id:
            raise ValidationError(
                {"directorate": "Une demande au MEAE ne désigne pas de direction."}
            )
        if self.due_on and self.requested_on and self.due_on < self.requested_on:
            raise ValidationError(
                {"due_on": "La réponse ne peut pas être attendue avant la demande."}
            )
        if self.answered_on and self.requested_on and self.answered_on < self.requested_on:
            raise ValidationError({"answered_on": "La réponse ne peut pas précéder la demande."})

    def can_answer(self, user) -> bool:
        """Headquarters editors record any answer; a correspondent answers for their own
        directorate (the request addressed to it)."""
        if self.agreement.can_change(user):
            return True
        return bool(
            user.is_authenticated
            and user.is_correspondent
            and self.addressee == Addressee.DIRECTORATE
            and user.directorate is not None
            and user.directorate.pk == self.directorate_id
        )

    def recipients(self):
        """Who is reminded of the due date: the lead and the directorate's correspondents."""
        from django.contrib.auth import get_user_model

        condition = Q(pk=self.agreement.lead_id) if self.agreement.lead_id else Q(pk__in=[])
        if self.directorate_id:
            condition |= Q(role=Role.CORRESPONDANT, unit__path__startswith=self.directorate.path)
        return list(get_user_model().objects.filter(condition, is_active=True))


class RenewalKind(models.TextChoices):
    TACIT = "tacit", "Reconduction tacite"
    EXPRESS = "express", "Renouvellement exprès"


class Renewal(AgreementChild):
    """One renewal of an agreement in force: tacit or express, and the new expiry."""

    agreement = models.ForeignKey(
        Agreement, verbose_name="accord", on_delete=models.CASCADE, related_name="renewals"
    )
    kind = models.CharField("nature", max_length=10, choices=RenewalKind.choices)
    renewed_on = models.DateField("date d'effet")
    previous_expires_on = models.DateField("ancienne échéance", null=True, blank=True)
    new_expires_on = models.DateField("nouvelle échéance", null=True, blank=True)
    comment = models.TextField("commentaire", blank=True, validators=[refuse_classified_text])

    objects = AgreementChildQuerySet.as_manager()

    class Meta:
        verbose_name = "renouvellement"
        verbose_name_plural = "renouvellements"
        ordering = ["agreement", "renewed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_expires_on__isnull=True)
                | Q(new_expires_on__gte=models.F("renewed_on")),
                name="%(app_label)s_%(class)s_new_expiry_after_renewal",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.renewed_on:%d/%m/%Y}"


class JointCommittee(AgreementChild):
    """A joint committee (*comité mixte*) the text sets up."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name="accord",
        on_delete=models.CASCADE,
        related_name="committees",
    )
    name = models.CharField("nom", max_length=200)
    periodicity = models.CharField(
        "périodicité", max_length=100, blank=True, help_text="Ex. « annuelle »."
    )
    description = models.TextField("rôle", blank=True, validators=[refuse_classified_text])

    objects = AgreementChildQuerySet.as_manager()

    class Meta:
        verbose_name = "comité mixte"
        verbose_name_plural = "comités mixtes"
        ordering = ["agreement", "name"]

    def __str__(self):
        return self.name


class CommitteeMeetingQuerySet(AgreementChildQuerySet):
    agreement_path = "committee__agreement"

    def upcoming(self, day: datetime.date):
        return self.filter(held_on__gte=day)


class CommitteeMeeting(Record):
    """A meeting of a joint committee (planned or held)."""

    committee = models.ForeignKey(
        JointCommittee,
        verbose_name="comité mixte",
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    held_on = models.DateField("date")
    place = models.CharField("lieu", max_length=120, blank=True)
    agenda = models.TextField("ordre du jour", blank=True, validators=[refuse_classified_text])
    outcome = models.TextField(
        "relevé de conclusions", blank=True, validators=[refuse_classified_text]
    )

    objects = CommitteeMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "réunion de comité mixte"
        verbose_name_plural = "réunions de comités mixtes"
        ordering = ["committee", "held_on", "pk"]

    def __str__(self):
        return f"{self.committee} — {self.held_on:%d/%m/%Y}"

    @property
    def agreement(self):
        return self.committee.agreement

    def can_change(self, user) -> bool:
        return self.committee.agreement.can_change(user)

    def get_absolute_url(self):
        return self.committee.agreement.get_absolute_url()
