"""Pages of mission a, mounted under /information/ (namespace "information")."""

from django.urls import path

from relais.core.exports.pdf import record_pdf_view
from relais.information import views
from relais.information.models import InformationReport

app_name = "information"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("nouvelle/", views.report_create, name="create"),
    path("importer/", views.report_import, name="import"),
    path("file-analyste/", views.queue, name="queue"),
    path("reception/", views.inbox, name="inbox"),
    path("suivi/", views.board, name="board"),
    path("statistiques/", views.statistics, name="statistics"),
    path("syntheses/nouvelle/", views.synthesis_create, name="synthesis-create"),
    path("dossiers/", views.file_list, name="files"),
    path("dossiers/nouveau/", views.file_create, name="file-create"),
    path("dossiers/<int:pk>/", views.file_detail, name="file-detail"),
    path("dossiers/<int:pk>/modifier/", views.file_edit, name="file-edit"),
    path("regles/", views.rule_list, name="rules"),
    path("regles/nouvelle/", views.rule_create, name="rule-create"),
    path("regles/<int:pk>/modifier/", views.rule_edit, name="rule-edit"),
    path("recepisses/<int:pk>/", views.receipt_detail, name="receipt"),
    path("purges/", views.purge_list, name="purges"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/modifier/", views.report_edit, name="edit"),
    path(
        "<int:pk>/pdf/",
        record_pdf_view(
            InformationReport.objects.select_related("unit").prefetch_related(
                "countries", "themes"
            ),
            filename=lambda r: r.reference,
        ),
        name="pdf",
    ),
    path("<int:pk>/stix/", views.report_stix, name="stix"),
    path("<int:pk>/action/<slug:name>/", views.transition, name="transition"),
    path("<int:pk>/diffuser/", views.disseminate, name="disseminate"),
    path("<int:pk>/accuser-reception/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/retour/", views.feedback, name="feedback"),
    path("<int:pk>/recoter/", views.regrade, name="regrade"),
    path("<int:pk>/notes/", views.add_note, name="note"),
    path("<int:pk>/liens/", views.add_link, name="link"),
    path("<int:pk>/dossier/", views.add_to_file, name="add-to-file"),
    path("<int:pk>/doublon/", views.clear_duplicate, name="clear-duplicate"),
    path("<int:pk>/ecarter/", views.redirect_to_intelligence, name="redirect"),
    path("<int:pk>/pieces/", views.attachment_add, name="attachment-add"),
    path("<int:pk>/pieces/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path(
        "<int:pk>/pieces/<int:attachment_pk>/retirer/",
        views.attachment_remove,
        name="attachment-remove",
    ),
]
