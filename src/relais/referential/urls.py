"""Pages of the organisation, mounted at /organisation/."""

from django.urls import path

from relais.core.exports.pdf import record_pdf_view
from relais.referential import edit_views, views
from relais.referential.models import PartnerBody, Person, Post, Unit

app_name = "referential"

urlpatterns = [
    path("", views.index, name="index"),
    path("unites/", views.units, name="units"),
    path("unites/<slug:code>/", views.unit_detail, name="unit-detail"),
    path("unites/<slug:code>/modifier/", edit_views.unit_edit, name="unit-edit"),
    path("postes/", views.posts, name="posts"),
    path("postes/<slug:code>/", views.post_detail, name="post-detail"),
    path("postes/<slug:code>/modifier/", edit_views.post_edit, name="post-edit"),
    path("pays/", views.countries, name="countries"),
    path("partenaires/", views.partners, name="partners"),
    path("partenaires/<int:pk>/", views.partner_detail, name="partner-detail"),
    path("partenaires/<int:pk>/modifier/", edit_views.partner_edit, name="partner-edit"),
    path("agents/", views.people, name="people"),
    path("agents/<int:pk>/", views.person_detail, name="person-detail"),
    path("agents/<int:pk>/modifier/", edit_views.person_edit, name="person-edit"),
    # « Imprimer en PDF » of every record page.
    path(
        "unites/<slug:code>/pdf/",
        record_pdf_view(Unit, lookup="code", filename=lambda u: f"unite-{u.code}"),
        name="unit-pdf",
    ),
    path(
        "postes/<slug:code>/pdf/",
        record_pdf_view(
            Post, lookup="unit__code", url_kwarg="code", filename=lambda p: f"poste-{p.unit.code}"
        ),
        name="post-pdf",
    ),
    path("agents/<int:pk>/pdf/", record_pdf_view(Person), name="person-pdf"),
    path("partenaires/<int:pk>/pdf/", record_pdf_view(PartnerBody), name="partner-pdf"),
]
