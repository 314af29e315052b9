"""API routes of missions b to g, mounted under /api/v1/ (namespace "api")."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from relais.cooperation import api
from relais.cooperation.api import ActionViewSet, IatiExportAPIView
from relais.cooperation.models import Programme
from relais.core.workflow.api import transition_api_urls

router = SimpleRouter()
router.register("cooperation/actions", ActionViewSet, basename="cooperation-action")

urlpatterns = [
    path("cooperation/iati/", IatiExportAPIView.as_view(), name="cooperation-iati"),
    *router.urls,
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
    *transition_api_urls("cooperation/programmes", Programme, basename="cooperation-programme"),
]
