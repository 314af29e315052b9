"""Pages of the assignment workflow (to mount under /organisation/):

path("organisation/", include("relais.referential.workflow_urls")),
"""

from relais.core import kit
from relais.referential.models import Assignment

app_name = "referential_workflow"

urlpatterns = kit.workflow_urls(Assignment, "affectations/<int:pk>/", "assignment")
