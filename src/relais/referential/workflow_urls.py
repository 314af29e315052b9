"""Pages of the assignment workflow (to mount under /organisation/):

path("organisation/", include("relais.referential.workflow_urls")),
"""

from django.urls import path

from relais.core.workflow.views import transition_view, workflow_page
from relais.referential.models import Assignment

app_name = "referential_workflow"

urlpatterns = [
    path(
        "affectations/<int:pk>/circuit/",
        workflow_page,
        {"model": Assignment},
        name="assignment-workflow",
    ),
    path(
        "affectations/<int:pk>/circuit/<slug:transition>/",
        transition_view,
        {"model": Assignment},
        name="assignment-transition",
    ),
]
