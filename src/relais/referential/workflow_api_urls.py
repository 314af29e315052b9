"""API of the assignment workflow (to include in the /api/v1/ list of the root urls):

GET  /api/v1/assignments/<pk>/transitions/   state, transitions the caller may take, history
POST /api/v1/assignments/<pk>/transitions/   {"transition": "approve", "comment": "…", "version": 3}
POST /api/v1/assignments/<pk>/<transition>/  deprecated alias, {"comment": "…", "version": 3}
"""

from relais.core.workflow.api import workflow_api_urls
from relais.referential.workflows import ASSIGNMENT_WORKFLOW

urlpatterns = workflow_api_urls(
    "assignments",
    ASSIGNMENT_WORKFLOW,
    basename="assignment",
    tag="Organisation",
    legacy=True,
)
