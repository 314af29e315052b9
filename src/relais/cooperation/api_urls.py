"""API routes of missions b to g, mounted under /api/v1/ (namespace "api")."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from relais.cooperation import api
from relais.cooperation.api import TAG, WORKFLOW_API, ActionViewSet, IatiExportAPIView
from relais.cooperation.workflows import PROGRAMME_WORKFLOW
from relais.core.workflow.api import workflow_api_urls

router = SimpleRouter()
router.register("cooperation/actions", ActionViewSet, basename="cooperation-action")

urlpatterns = [
    path("cooperation/iati/", IatiExportAPIView.as_view(), name="cooperation-iati"),
    *router.urls,
    *workflow_api_urls("cooperation/actions", WORKFLOW_API, basename="cooperation-action", tag=TAG),
]

# --- Programmes, funding lines, evaluations, comments, other donors ----------------------------
children = SimpleRouter()
children.register("cooperation/programmes", api.ProgrammeViewSet, basename="cooperation-programme")
children.register(
    r"cooperation/programmes/(?P<programme_pk>[0-9]+)/fundings",
    api.ProgrammeFundingViewSet,
    basename="cooperation-programme-funding",
)
children.register(
    r"cooperation/actions/(?P<action_pk>[0-9]+)/fundings",
    api.ActionFundingViewSet,
    basename="cooperation-action-funding",
)
children.register(
    r"cooperation/actions/(?P<action_pk>[0-9]+)/comments",
    api.ActionCommentViewSet,
    basename="cooperation-action-comment",
)
children.register("cooperation/fundings", api.FundingViewSet, basename="cooperation-funding")
children.register(
    "cooperation/other-donors", api.OtherDonorActivityViewSet, basename="cooperation-other-donor"
)
urlpatterns += [
    path(
        "cooperation/actions/<int:action_pk>/evaluation/",
        api.ActionEvaluationView.as_view({"get": "retrieve", "put": "update"}),
        name="cooperation-action-evaluation",
    ),
    *children.urls,
    # After the router: `programmes/<id>/fundings/` is not a transition named « fundings ».
    *workflow_api_urls(
        "cooperation/programmes",
        PROGRAMME_WORKFLOW,
        basename="cooperation-programme",
        tag=TAG,
        legacy=True,
    ),
]
