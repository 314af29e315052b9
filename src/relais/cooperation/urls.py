"""Pages of missions b to g, mounted under /cooperation/ (namespace "cooperation")."""

from django.urls import path

from relais.cooperation import views
from relais.cooperation.models import CooperationAction, Programme
from relais.core import kit
from relais.core.exports.pdf import record_pdf_view

app_name = "cooperation"

urlpatterns = [
    path("", views.action_list, name="actions"),
    path("actions/nouvelle/", views.action_create, name="action-create"),
    path("calendrier/", views.action_calendar, name="calendar"),
    path("portefeuille/", views.portfolio, name="portfolio"),
    path("statistiques/", views.statistics, name="statistics"),
    path("iati/", views.iati_export, name="iati-export"),
    path("autres-bailleurs/", views.other_donors, name="other-donors"),
    path("autres-bailleurs/importer/", views.iati_import, name="iati-import"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("actions/<int:pk>/modifier/", views.action_edit, name="action-edit"),
    path(
        "actions/<int:pk>/pdf/",
        record_pdf_view(
            CooperationAction.objects.select_related("country", "directorate", "domain"),
            filename=lambda a: f"action-{a.pk}",
        ),
        name="action-pdf",
    ),
    *kit.workflow_urls(CooperationAction, "actions/<int:pk>/", "action"),
    path("actions/<int:pk>/financements/nouveau/", views.funding_create, name="funding-create"),
    path(
        "actions/<int:pk>/financements/<int:funding_pk>/modifier/",
        views.funding_edit,
        name="funding-edit",
    ),
    path(
        "actions/<int:pk>/financements/<int:funding_pk>/supprimer/",
        views.funding_delete,
        name="funding-delete",
    ),
    path("actions/<int:pk>/evaluation/", views.evaluation_edit, name="evaluation"),
    path("actions/<int:pk>/commentaires/", views.comment_create, name="comment-create"),
    path("programmes/", views.programme_list, name="programmes"),
    path("programmes/nouveau/", views.programme_create, name="programme-create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme-detail"),
    path("programmes/<int:pk>/modifier/", views.programme_edit, name="programme-edit"),
    path(
        "programmes/<int:pk>/financements/nouveau/",
        views.programme_funding_create,
        name="programme-funding-create",
    ),
    *kit.workflow_urls(Programme, "programmes/<int:pk>/", "programme"),
]
