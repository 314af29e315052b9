"""Pages to browse the organisation: units tree, posts, countries, partner bodies and people.

Every page starts from `visible_to(request.user)` (through the list querysets of `filters.py`
or `get_visible_or_404`); lists use the same FilterSets as the API, are paginated, export what
their filters show, and cost a fixed number of queries whatever the volume.
"""

from dataclasses import dataclass, field

from django.shortcuts import render
from django.urls import reverse

from relais.core import kit
from relais.core.access import get_visible_or_404
from relais.core.exports.lists import Column
from relais.core.home import HomeItem
from relais.referential.filters import (
    CountryFilterSet,
    PartnerBodyFilterSet,
    PersonFilterSet,
    PostFilterSet,
    UnitFilterSet,
    countries_for,
    headcount,
    partners_for,
    people_for,
    posts_for,
    units_for,
)
from relais.referential.models import (
    Assignment,
    Beneficiary,
    Country,
    Function,
    PartnerBody,
    Person,
    Post,
    Unit,
)

STAFF_NOTE = (
    "Les coordonnées du personnel ne sont visibles que du poste et de l’administration centrale."
)


# --- Helpers ---------------------------------------------------------------------------------


def _join(items) -> str:
    return ", ".join(str(item) for item in items)


_crumbs = kit.Crumbs("Organisation", "referential:index")


def _list_page(
    request, filterset, *, template, title, columns, filename, context=None, paginate=True
):
    """Render a filtered list, or export it when `?export=csv|xlsx` is asked."""
    return kit.list_page(
        request,
        filterset.queryset,
        filterset=filterset,
        columns=columns,
        filename=filename,
        template=template,
        title=title,
        breadcrumb=_crumbs((title, None)),
        context=context,
        paginate_rows=paginate,
    )


def _detail_context(request, obj, *, title, crumbs, edit_url_name, edit_arg) -> dict:
    return kit.record_context(
        request,
        obj,
        title=title,
        breadcrumb=_crumbs(*crumbs, (title, None)),
        edit_url=reverse(edit_url_name, args=[edit_arg]),
        pdf_url=reverse(edit_url_name.replace("-edit", "-pdf"), args=[edit_arg]),
    )


# --- Landing ---------------------------------------------------------------------------------


def index(request):
    """The organisation at a glance: one tile per list, with what the user can see."""
    user = request.user
    tiles = [
        HomeItem(
            "Unités",
            reverse("referential:units"),
            Unit.objects.visible_to(user).count(),
            "L’arbre du ministère, des directions à leurs services.",
        ),
        HomeItem(
            "Postes à l’étranger",
            reverse("referential:posts"),
            Post.objects.visible_to(user).count(),
            "Les services de sécurité intérieure et les pays qu’ils couvrent.",
        ),
        HomeItem(
            "Pays",
            reverse("referential:countries"),
            Country.objects.visible_to(user).count(),
            "Les pays et territoires par zone, avec le poste qui les couvre.",
        ),
        HomeItem(
            "Organismes partenaires",
            reverse("referential:partners"),
            PartnerBody.objects.visible_to(user).count(),
            "Institutions étrangères, organisations internationales, financeurs et opérateurs.",
        ),
        HomeItem(
            "Agents",
            reverse("referential:people"),
            Person.objects.visible_to(user).count(),
            "Les agents dont vous pouvez consulter les coordonnées.",
        ),
    ]
    return render(
        request,
        "referential/index.html",
        {
            "title": "Organisation",
            "breadcrumb": [("Organisation", None)],
            "tiles": tiles,
        },
    )


# --- Units -----------------------------------------------------------------------------------

UNIT_COLUMNS = [
    Column("Code", "code"),
    Column("Nom", "name"),
    Column("Sigle", "short_name"),
    Column("Nature", lambda u: u.get_kind_display()),
    Column("Unité de rattachement", lambda u: u.parent.name if u.parent else ""),
    Column("Bénéficiaire (article 1)", "beneficiary"),
    Column("Service de renseignement", lambda u: "oui" if u.is_intelligence else "non"),
]


@dataclass
class TreeNode:
    unit: Unit
    children: list["TreeNode"] = field(default_factory=list)


def build_tree(units) -> list[TreeNode]:
    """Nest units (any order) under their parents; siblings sorted by name.

    A unit whose parent is not in `units` becomes a root, so a partial list still renders.
    """
    nodes = {unit.pk: TreeNode(unit) for unit in units}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id)
        (parent.children if parent else roots).append(node)

    def sort(level):
        level.sort(key=lambda n: n.unit.name.lower())
        for node in level:
            sort(node.children)

    sort(roots)
    return roots


def units(request):
    """The organisation tree; with a filter, the matching units as a paginated table."""
    filterset = UnitFilterSet(request.GET, queryset=units_for(request.user), request=request)
    tree = None
    if not filterset.is_active:
        tree = build_tree(filterset.qs)
    return _list_page(
        request,
        filterset,
        template="referential/unit_list.html",
        title="Unités",
        columns=UNIT_COLUMNS,
        filename="unites",
        context={"tree": tree},
        paginate=filterset.is_active,
    )


def unit_detail(request, code):
    unit = get_visible_or_404(
        Unit.objects.select_related("parent", "post"), request.user, code=code
    )
    ancestors = unit.ancestors()
    context = _detail_context(
        request,
        unit,
        title=unit.name,
        crumbs=[("Unités", reverse("referential:units"))]
        + [(a.label, reverse("referential:unit-detail", args=[a.code])) for a in ancestors],
        edit_url_name="referential:unit-edit",
        edit_arg=unit.code,
    )
    beneficiary = unit.beneficiary or next(
        (a.beneficiary for a in reversed(ancestors) if a.beneficiary), ""
    )
    context.update(
        {
            "ancestors": ancestors,
            "children": Unit.objects.visible_to(request.user)
            .filter(parent=unit)
            .select_related("post")
            .order_by("name"),
            "post": getattr(unit, "post", None),
            "beneficiary": Beneficiary(beneficiary) if beneficiary else None,
            "staff": Person.objects.visible_to(request.user).filter(unit=unit),
            "users_count": unit.users.filter(is_active=True).count(),
            "staff_note": STAFF_NOTE,
        }
    )
    return render(request, "referential/unit_detail.html", context)


# --- Posts -----------------------------------------------------------------------------------

POST_COLUMNS = [
    Column("Poste", lambda p: p.unit.name),
    Column("Code", "unit.code"),
    Column("Ville", "city"),
    Column("Ambassade", "embassy"),
    Column("Pays de résidence", "host_country.name"),
    Column("Pays couverts", lambda p: _join(p.countries.all())),
    Column("Compétence régionale", "regional_role"),
    Column("Effectif", "headcount"),
]


def posts(request):
    filterset = PostFilterSet(request.GET, queryset=posts_for(request.user), request=request)
    return _list_page(
        request,
        filterset,
        template="referential/post_list.html",
        title="Postes à l’étranger",
        columns=POST_COLUMNS,
        filename="postes",
    )


def _function_rank(assignment) -> int:
    return list(Function.values).index(assignment.function)


def post_detail(request, code):
    post = get_visible_or_404(
        Post.objects.with_related().annotate(headcount=headcount()),
        request.user,
        unit__code=code,
    )
    context = _detail_context(
        request,
        post,
        title=post.unit.name,
        crumbs=[("Postes à l’étranger", reverse("referential:posts"))],
        edit_url_name="referential:post-edit",
        edit_arg=post.unit.code,
    )
    staff = (
        Assignment.objects.visible_to(request.user)
        .current()
        .filter(unit=post.unit)
        .select_related("person")
    )
    context.update(
        {
            "post": post,
            "staff": sorted(staff, key=lambda a: (_function_rank(a), a.person.last_name)),
            "staff_note": STAFF_NOTE,
        }
    )
    return render(request, "referential/post_detail.html", context)


# --- Countries -------------------------------------------------------------------------------

COUNTRY_COLUMNS = [
    Column("Nom", "name"),
    Column("Code ISO", "code"),
    Column("Code ISO alpha-3", "code3"),
    Column("Zone", lambda c: c.zone.name if c.zone else ""),
    Column("Poste(s) compétent(s)", lambda c: _join(p.city for p in c.covering_posts)),
]


def countries(request):
    filterset = CountryFilterSet(request.GET, queryset=countries_for(request.user), request=request)
    return _list_page(
        request,
        filterset,
        template="referential/country_list.html",
        title="Pays",
        columns=COUNTRY_COLUMNS,
        filename="pays",
    )


# --- Partner bodies --------------------------------------------------------------------------

PARTNER_COLUMNS = [
    Column("Nom", "name"),
    Column("Sigle", "acronym"),
    Column("Nature", lambda p: p.get_kind_display()),
    Column("Pays du siège", lambda p: p.country.name if p.country else ""),
    Column("Ville du siège", "city"),
    Column("Site", "website"),
]


def partners(request):
    filterset = PartnerBodyFilterSet(
        request.GET, queryset=partners_for(request.user), request=request
    )
    return _list_page(
        request,
        filterset,
        template="referential/partner_list.html",
        title="Organismes partenaires",
        columns=PARTNER_COLUMNS,
        filename="partenaires",
    )


def partner_detail(request, pk):
    partner = get_visible_or_404(PartnerBody.objects.select_related("country"), request.user, pk=pk)
    context = _detail_context(
        request,
        partner,
        title=str(partner),
        crumbs=[("Organismes partenaires", reverse("referential:partners"))],
        edit_url_name="referential:partner-edit",
        edit_arg=partner.pk,
    )
    return render(request, "referential/partner_detail.html", context)


# --- People ----------------------------------------------------------------------------------

PERSON_COLUMNS = [
    Column("Nom", "last_name"),
    Column("Prénom", "first_name"),
    Column("Corps", lambda p: p.get_corps_display()),
    Column("Grade", "grade"),
    Column("Unité", "unit.name"),
    Column("Fonction", "function"),
    Column(
        "Affectation actuelle",
        lambda p: _join(
            f"{a.get_function_display()} ({a.unit.label})" for a in p.current_assignments
        ),
    ),
    Column("Courriel", "email"),
    Column("Téléphone", "phone"),
]


def people(request):
    filterset = PersonFilterSet(request.GET, queryset=people_for(request.user), request=request)
    return _list_page(
        request,
        filterset,
        template="referential/person_list.html",
        title="Agents",
        columns=PERSON_COLUMNS,
        filename="agents",
    )


def person_detail(request, pk):
    person = get_visible_or_404(Person.objects.with_related(), request.user, pk=pk)
    context = _detail_context(
        request,
        person,
        title=str(person),
        crumbs=[("Agents", reverse("referential:people"))],
        edit_url_name="referential:person-edit",
        edit_arg=person.pk,
    )
    context["assignments"] = (
        Assignment.objects.visible_to(request.user)
        .filter(person=person)
        .select_related("unit", "unit__post")
    )
    return render(request, "referential/person_detail.html", context)


# --- Home page sections (registered in apps.py) ----------------------------------------------


def home_my_post(user) -> list[HomeItem]:
    """« Mon poste »: an attaché's post, with its current headcount."""
    post = (
        Post.objects.visible_to(user)
        .select_related("unit")
        .filter(unit_id=user.unit_id)
        .annotate(headcount=headcount())
        .first()
    )
    if post is None:
        return []
    return [
        HomeItem(
            label=post.unit.label,
            url=reverse("referential:post-detail", args=[post.unit.code]),
            count=post.headcount,
            description=f"Agents en poste — {post.embassy}",
        )
    ]


def home_organisation(user) -> list[HomeItem]:
    """« Organisation »: posts, countries covered and partner bodies, each counted as its list
    shows it (`list_tile`)."""
    from types import SimpleNamespace

    from relais.core.home import list_tile

    request = SimpleNamespace(user=user)
    return [
        list_tile(
            "Postes à l’étranger",
            "referential:posts",
            filterset=PostFilterSet,
            queryset=posts_for(user),
            description="Services de sécurité intérieure",
            request=request,
        ),
        list_tile(
            "Pays couverts",
            "referential:countries",
            filterset=CountryFilterSet,
            queryset=countries_for(user),
            params={"covered": "true"},
            description="Couverts par un poste",
            request=request,
        ),
        list_tile(
            "Organismes partenaires",
            "referential:partners",
            filterset=PartnerBodyFilterSet,
            queryset=partners_for(user),
            description="Institutions, organisations, financeurs",
            request=request,
        ),
    ]
