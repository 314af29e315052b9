"""Edit pages of the referential for administrators (optimistic locking, audit, markings).

Each page is `relais.core.edit.edit_record`: 404 outside the user's scope, 403 for those who may
see but not change (everyone but administrators here), the version check on save, the audit
event, the change history under the form, then back to the record's page.
"""

from django.urls import reverse

from relais.core.edit import edit_record
from relais.referential.edit_forms import PartnerBodyForm, PersonForm, PostForm, UnitForm
from relais.referential.models import PartnerBody, Person, Post, Unit

TEMPLATE = "referential/edit_form.html"


def _crumbs(list_label, list_url_name, obj, detail_url):
    return [
        ("Organisation", reverse("referential:index")),
        (list_label, reverse(list_url_name)),
        (str(obj), detail_url),
        ("Modifier", None),
    ]


def unit_edit(request, code):
    def detail(unit):
        return reverse("referential:unit-detail", args=[unit.code])

    return edit_record(
        request,
        Unit.objects.select_related("parent"),
        {"code": code},
        form_class=UnitForm,
        template_name=TEMPLATE,
        success_url=detail,
        breadcrumb_factory=lambda u: _crumbs("Unités", "referential:units", u, detail(u)),
    )


def post_edit(request, code):
    def detail(post):
        return reverse("referential:post-detail", args=[post.unit.code])

    return edit_record(
        request,
        Post.objects.select_related("unit", "host_country"),
        {"unit__code": code},
        form_class=PostForm,
        template_name=TEMPLATE,
        success_url=detail,
        breadcrumb_factory=lambda p: _crumbs("Postes", "referential:posts", p, detail(p)),
    )


def person_edit(request, pk):
    def detail(person):
        return reverse("referential:person-detail", args=[person.pk])

    return edit_record(
        request,
        Person.objects.with_related(),
        {"pk": pk},
        form_class=PersonForm,
        template_name=TEMPLATE,
        success_url=detail,
        breadcrumb_factory=lambda p: _crumbs("Agents", "referential:people", p, detail(p)),
    )


def partner_edit(request, pk):
    def detail(partner):
        return reverse("referential:partner-detail", args=[partner.pk])

    return edit_record(
        request,
        PartnerBody.objects.select_related("country"),
        {"pk": pk},
        form_class=PartnerBodyForm,
        template_name=TEMPLATE,
        success_url=detail,
        breadcrumb_factory=lambda p: _crumbs(
            "Organismes partenaires", "referential:partners", p, detail(p)
        ),
    )
