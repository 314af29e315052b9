"""Pages of the network abroad (mission b), mounted under /reseau/ (namespace "network")."""

from django.urls import path

from relais.core import kit
from relais.core.exports.pdf import record_pdf_view
from relais.network import views
from relais.network.models import PostAnnualReport, Tasking

app_name = "network"

urlpatterns = [
    path("", views.index, name="index"),
    path("postes/<slug:code>/", views.post_detail, name="post-detail"),
    path("sollicitations/", views.tasking_list, name="taskings"),
    path("sollicitations/nouvelle/", views.tasking_create, name="tasking-create"),
    path("sollicitations/<int:pk>/", views.tasking_detail, name="tasking-detail"),
    path("sollicitations/<int:pk>/modifier/", views.tasking_edit, name="tasking-edit"),
    path("sollicitations/<int:pk>/reponses/", views.tasking_answers, name="tasking-answers"),
    path("sollicitations/<int:pk>/reponses/<slug:code>/", views.answer, name="answer"),
    path("sollicitations/<int:pk>/relancer/", views.tasking_remind, name="tasking-remind"),
    *kit.workflow_urls(Tasking, "sollicitations/<int:pk>/", "tasking", page=False),
    path("rapports/", views.report_list, name="reports"),
    path("rapports/nouveau/", views.report_create, name="report-create"),
    path("rapports/<int:pk>/", views.report_detail, name="report-detail"),
    path("rapports/<int:pk>/modifier/", views.report_edit, name="report-edit"),
    path(
        "rapports/<int:pk>/pdf/",
        record_pdf_view(
            PostAnnualReport.objects.with_related(),
            filename=lambda r: f"rapport-annuel-{r.year}-{r.post.city}",
        ),
        name="report-pdf",
    ),
    *kit.workflow_urls(PostAnnualReport, "rapports/<int:pk>/", "report", page=False),
]
