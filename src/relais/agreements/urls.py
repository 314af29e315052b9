"""Pages of mission k, mounted under /accords/ (namespace "agreements")."""

from django.urls import path

from relais.agreements import views
from relais.agreements.models import Agreement
from relais.core import kit
from relais.core.exports.pdf import record_pdf_view

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("nouveau/", views.agreement_create, name="create"),
    path("ma-direction/", views.my_directorate, name="my-directorate"),
    path("par-pays/", views.by_country, name="by-country"),
    path("echeances/", views.calendar, name="calendar"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/modifier/", views.agreement_edit, name="edit"),
    path(
        "<int:pk>/pdf/",
        record_pdf_view(
            Agreement.objects.with_related(),
            "agreements/print.html",
            filename=lambda a: f"accord-{a.pk}",
            extra_context=lambda a: {"agreement": a},
        ),
        name="pdf",
    ),
    *kit.workflow_urls(Agreement, "<int:pk>/", ""),
    path("<int:pk>/tours/nouveau/", views.round_create, name="round-create"),
    path("<int:pk>/tours/<int:round_pk>/modifier/", views.round_edit, name="round-edit"),
    path("<int:pk>/versions/nouvelle/", views.version_create, name="version-create"),
    path("<int:pk>/versions/comparer/", views.version_compare, name="version-compare"),
    path(
        "<int:pk>/versions/<int:number>/document/",
        views.version_download,
        name="version-download",
    ),
    path(
        "<int:pk>/observations/nouvelle/",
        views.comment_request_create,
        name="comment-request-create",
    ),
    path(
        "<int:pk>/observations/<int:request_pk>/repondre/",
        views.comment_answer,
        name="comment-answer",
    ),
    path("<int:pk>/renouvellements/nouveau/", views.renewal_create, name="renewal-create"),
    path("<int:pk>/comites/nouveau/", views.committee_create, name="committee-create"),
    path(
        "<int:pk>/comites/<int:committee_pk>/reunions/nouvelle/",
        views.meeting_create,
        name="meeting-create",
    ),
    path("<int:pk>/<slug:kind>/<int:part_pk>/supprimer/", views.part_delete, name="part-delete"),
]
