"""API of the assignment workflow (to include in the /api/v1/ list of the root urls):

GET  /api/v1/assignments/<pk>/transitions/   state, allowed transitions, history
POST /api/v1/assignments/<pk>/<transition>/  {"comment": "…", "version": 3}
"""

from relais.core.workflow.api import transition_api_urls
from relais.referential.models import Assignment

urlpatterns = transition_api_urls("assignments", Assignment, basename="assignment")
