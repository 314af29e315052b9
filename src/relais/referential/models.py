"""The organisation: units, zones and countries, posts abroad, partner bodies, people."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from relais.core.models import Record, VisibleQuerySet
from relais.referential.workflows import AssignmentStatus


class Beneficiary(models.TextChoices):
    """The directorates named by article 1, by their acronym (stable API codes)."""

    DGPN = "DGPN", "Direction générale de la police nationale"
    DGGN = "DGGN", "Direction générale de la gendarmerie nationale"
    SG = "SG", "Secrétariat général"
    DGSCGC = "DGSCGC", "Direction générale de la sécurité civile et de la gestion des crises"
    DGEF = "DGEF", "Direction générale des étrangers en France"
    DGCL = "DGCL", "Direction générale des collectivités locales"
    DSCR = "DSCR", "Délégation à la sécurité et à la circulation routières"


class PublicQuerySet(VisibleQuerySet):
    """Reference data every signed-in user may read."""

    def scope_for(self, user):
        return self.all()


class ReferenceRecord(Record):
    """A referential record: readable by all signed-in users, edited by administrators."""

    class Meta:
        abstract = True

    def can_change(self, user) -> bool:
        return bool(user.is_authenticated and user.is_administrator)


# --- Units ---------------------------------------------------------------------------------


class UnitKind(models.TextChoices):
    MINISTRY = "ministry", "Ministère"
    DIRECTORATE = "directorate", "Direction générale ou délégation"
    SERVICE = "service", "Service"
    SUBDIRECTORATE = "subdirectorate", "Sous-direction"
    DIVISION = "division", "Division ou bureau"
    POST = "post", "Service de sécurité intérieure (poste)"
    INTELLIGENCE = "intelligence", "Service de renseignement"
    PARTNER = "partner", "Partenaire"


#: Codes of the units the rules rely on: the ministry of the interior (root of its tree), the
#: DCI and its network of posts abroad.
MINISTRY_CODE = "MI"
DCI_CODE = "DCI"
NETWORK_CODE = "DCI-RESEAU"


class UnitQuerySet(PublicQuerySet):
    def with_parent(self):
        return self.select_related("parent")

    def subtree(self, unit):
        return self.filter(path__startswith=unit.path)

    def directorates(self):
        return self.filter(kind=UnitKind.DIRECTORATE)

    def beneficiaries(self):
        return self.exclude(beneficiary="")

    def of_ministry(self):
        """The units below the ministry of the interior (its root excluded)."""
        return self.filter(path__startswith=f"{MINISTRY_CODE}/").exclude(code=MINISTRY_CODE)

    def within_any(self, units):
        """The units in the subtree of one of `units` (each included)."""
        paths = [u.path for u in units]
        if not paths:
            return self.none()
        condition = Q()
        for path in paths:
            condition |= Q(path__startswith=path)
        return self.filter(condition)


class Unit(ReferenceRecord):
    """A node of the organisation tree: the ministry, a directorate, a service, a post abroad…"""

    code = models.SlugField(
        "code", max_length=40, unique=True, help_text="Identifiant stable, ex. « DGPN »."
    )
    name = models.CharField("nom", max_length=200)
    short_name = models.CharField("sigle", max_length=40, blank=True)
    kind = models.CharField("nature", max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="unité de rattachement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField("chemin", max_length=500, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField("profondeur", default=0, editable=False)
    beneficiary = models.CharField(
        "bénéficiaire au sens de l'article 1",
        max_length=10,
        choices=Beneficiary.choices,
        blank=True,
        help_text="Pour les directions nommées par l'article 1.",
    )
    is_intelligence = models.BooleanField(
        "service de renseignement",
        default=False,
        help_text="Les questions relevant exclusivement de ces services sont hors du champ de la DCI.",
    )
    description = models.TextField("description", blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "unité"
        verbose_name_plural = "unités"
        ordering = ["path"]

    def __str__(self):
        return (
            f"{self.name} ({self.short_name})"
            if self.short_name and self.short_name != self.name
            else self.name
        )

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        parent_path = self.parent.path if self.parent_id else ""
        self.path = f"{parent_path}{self.code}/"
        self.depth = self.path.count("/") - 1
        super().save(*args, **kwargs)

    def ancestors(self):
        codes = [c for c in self.path.split("/") if c][:-1]
        return sorted(Unit.objects.filter(code__in=codes), key=lambda u: u.depth)

    @property
    def is_dci_headquarters(self) -> bool:
        """Inside the DCI (code `DCI`) but outside its network of posts (code `DCI-RESEAU`)."""
        return f"/{DCI_CODE}/" in f"/{self.path}" and f"/{NETWORK_CODE}/" not in f"/{self.path}"

    def is_within(self, other: "Unit") -> bool:
        return self.path.startswith(other.path)

    @property
    def in_ministry(self) -> bool:
        """Below the ministry of the interior in the organisation tree."""
        return self.path.startswith(f"{MINISTRY_CODE}/") and self.code != MINISTRY_CODE

    @property
    def directorate(self):
        """The first ancestor (or self) that is a directorate; the root otherwise."""
        if self.kind == UnitKind.DIRECTORATE:
            return self
        for unit in reversed(self.ancestors()):
            if unit.kind == UnitKind.DIRECTORATE:
                return unit
        return None

    @property
    def beneficiary_code(self) -> str:
        """The article 1 beneficiary this unit belongs to (its own or its directorate's)."""
        if self.beneficiary:
            return self.beneficiary
        directorate = self.directorate
        return directorate.beneficiary if directorate else ""


# --- Zones and countries ---------------------------------------------------------------------


class Zone(ReferenceRecord):
    """A geographic zone, matching one of the DCI's regional divisions."""

    code = models.SlugField("code", max_length=40, unique=True)
    name = models.CharField("nom", max_length=120)
    division = models.ForeignKey(
        Unit,
        verbose_name="division géographique",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="zones",
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = PublicQuerySet.as_manager()

    class Meta:
        verbose_name = "zone"
        verbose_name_plural = "zones"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


#: France and its overseas territories as ISO 3166-1 lists them (overseas departments and
#: regions, collectivities, New Caledonia, the French Southern Territories): never a partner
#: country of international cooperation. A report's « pays concernés » may name them.
FRENCH_TERRITORIES = frozenset(
    {"FR", "GF", "GP", "MQ", "RE", "YT", "PM", "BL", "MF", "WF", "PF", "NC", "TF"}
)


def french_partner_message(names) -> str:
    """The refusal when France or one of its territories is given as a foreign partner."""
    return (
        "La France et ses territoires d'outre-mer ne sont pas des pays partenaires de la "
        f"coopération internationale ({', '.join(names)}) : choisissez un pays étranger."
    )


class CountryQuerySet(PublicQuerySet):
    def with_zone(self):
        return self.select_related("zone")

    def partners(self):
        """The countries that may be a foreign partner: all but France and its territories."""
        return self.exclude(code__in=FRENCH_TERRITORIES)


class Country(ReferenceRecord):
    """A country or territory of ISO 3166-1, with its French name."""

    code = models.CharField("code ISO", max_length=2, unique=True)
    code3 = models.CharField("code ISO alpha-3", max_length=3, unique=True)
    numeric = models.CharField("code numérique", max_length=3, blank=True)
    name = models.CharField("nom", max_length=120)
    official_name = models.CharField("nom officiel", max_length=200, blank=True)
    zone = models.ForeignKey(
        Zone,
        verbose_name="zone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="countries",
    )

    objects = CountryQuerySet.as_manager()

    class Meta:
        verbose_name = "pays"
        verbose_name_plural = "pays"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_french(self) -> bool:
        """France or one of its overseas territories (`FRENCH_TERRITORIES`)."""
        return self.code in FRENCH_TERRITORIES


# --- Posts abroad ---------------------------------------------------------------------------


class PostQuerySet(PublicQuerySet):
    def with_related(self):
        return self.select_related("unit", "host_country", "host_country__zone").prefetch_related(
            "countries"
        )

    def covering(self, country):
        return self.filter(countries=country)


class Post(ReferenceRecord):
    """A *service de sécurité intérieure* (SSI) in an embassy, with the countries it covers."""

    unit = models.OneToOneField(
        Unit, verbose_name="unité", on_delete=models.PROTECT, related_name="post"
    )
    city = models.CharField("ville", max_length=100)
    embassy = models.CharField("ambassade", max_length=200)
    host_country = models.ForeignKey(
        Country,
        verbose_name="pays de résidence",
        on_delete=models.PROTECT,
        related_name="hosted_posts",
    )
    countries = models.ManyToManyField(Country, verbose_name="pays couverts", related_name="posts")
    regional_role = models.CharField("compétence régionale", max_length=200, blank=True)
    email = models.EmailField("courriel", blank=True)
    phone = models.CharField("téléphone", max_length=40, blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    opened_year = models.PositiveSmallIntegerField("ouvert en", null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = "poste (SSI)"
        verbose_name_plural = "postes (SSI)"
        ordering = ["city"]

    def __str__(self):
        return f"SSI {self.city}"

    def can_change(self, user) -> bool:
        return bool(user.is_authenticated and user.is_administrator)


# --- Partner bodies ------------------------------------------------------------------------


class PartnerKind(models.TextChoices):
    FOREIGN_INSTITUTION = "foreign_institution", "Institution étrangère"
    INTERNATIONAL_ORGANISATION = "international_organisation", "Organisation internationale"
    EU_BODY = "eu_body", "Instance ou agence de l'Union européenne"
    FUNDER = "funder", "Financeur"
    OPERATOR = "operator", "Opérateur"


class PartnerBody(ReferenceRecord):
    """A foreign institution, an international organisation, a funder or an operator."""

    name = models.CharField("nom", max_length=200)
    acronym = models.CharField("sigle", max_length=40, blank=True)
    kind = models.CharField("nature", max_length=30, choices=PartnerKind.choices)
    country = models.ForeignKey(
        Country,
        verbose_name="pays du siège",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_bodies",
    )
    city = models.CharField("ville du siège", max_length=100, blank=True)
    website = models.URLField("site", blank=True)
    description = models.TextField("description", blank=True)

    objects = PublicQuerySet.as_manager()

    class Meta:
        verbose_name = "organisme partenaire"
        verbose_name_plural = "organismes partenaires"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country"], name="%(app_label)s_%(class)s_unique_name"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


# --- People --------------------------------------------------------------------------------


class Corps(models.TextChoices):
    POLICE = "police", "Police nationale"
    GENDARMERIE = "gendarmerie", "Gendarmerie nationale"
    CIVIL = "civil", "Personnel civil"
    CIVIL_PROTECTION = "civil_protection", "Sécurité civile"


class PersonQuerySet(VisibleQuerySet):
    """Staff details: visible to their own unit (and the units above it), DCI headquarters and
    administrators only."""

    def scope_for(self, user):
        if user.is_administrator or user_in_headquarters(user):
            return self.all()
        if user.unit_id is None:
            return self.none()
        return self.filter(unit__path__startswith=user.unit.path)

    def with_related(self):
        return self.select_related("unit")


def user_in_headquarters(user) -> bool:
    """DCI headquarters: the DCI itself or one of its units, except the network of posts abroad."""
    return bool(getattr(user, "in_headquarters", False))


class Person(Record):
    """A member of staff: police, gendarme or civil servant."""

    first_name = models.CharField("prénom", max_length=80)
    last_name = models.CharField("nom", max_length=80)
    corps = models.CharField("corps", max_length=20, choices=Corps.choices)
    grade = models.CharField("grade", max_length=80, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name="unité", on_delete=models.PROTECT, related_name="people"
    )
    function = models.CharField("fonction", max_length=150, blank=True)
    email = models.EmailField("courriel", blank=True)
    phone = models.CharField("téléphone", max_length=40, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "agent"
        verbose_name_plural = "agents"
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name.upper()}"

    def can_change(self, user) -> bool:
        return bool(user.is_authenticated and user.is_administrator)


class Function(models.TextChoices):
    ASI = "asi", "Attaché de sécurité intérieure"
    DEPUTY = "deputy", "Attaché adjoint"
    LIAISON_OFFICER = "liaison_officer", "Officier de liaison"
    ETI = "eti", "Expert technique international"
    CIVIL_PROTECTION_EXPERT = "civil_protection_expert", "Conseiller sécurité civile"
    VOLUNTEER = "volunteer", "Volontaire international"
    ASSISTANT = "assistant", "Assistant"
    INTERPRETER = "interpreter", "Interprète"


class AssignmentQuerySet(VisibleQuerySet):
    def scope_for(self, user):
        people = Person.objects.visible_to(user)
        return self.filter(person__in=people.values("pk"))

    def current(self, on=None):
        """Assignments in force on a day (today by default): active, started, not ended."""
        day = on or timezone.localdate()
        return self.filter(status=AssignmentStatus.ACTIVE, start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class Assignment(Record):
    """A person assigned to a unit (typically a post abroad) in a function for a period."""

    person = models.ForeignKey(
        Person, verbose_name="agent", on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="unité", on_delete=models.PROTECT, related_name="assignments"
    )
    function = models.CharField("fonction", max_length=30, choices=Function.choices)
    theme = models.CharField(
        "thème", max_length=120, blank=True, help_text="Pour un officier de liaison."
    )
    start_date = models.DateField("début")
    end_date = models.DateField("fin", null=True, blank=True)
    status = models.CharField(
        "état",
        max_length=20,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ACTIVE,
        db_index=True,
        editable=False,
        help_text="Ne change que par le circuit de validation (referential/workflows.py).",
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "affectation"
        verbose_name_plural = "affectations"
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="%(app_label)s_%(class)s_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.person} — {self.get_function_display()} ({self.unit.label})"

    def can_change(self, user) -> bool:
        return bool(user.is_authenticated and user.is_administrator)
