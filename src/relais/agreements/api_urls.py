"""API routes of mission k, mounted under /api/v1/ (namespace "api")."""

from rest_framework.routers import SimpleRouter

from relais.agreements import api
from relais.agreements.api import TAG, WORKFLOW_API, AgreementViewSet
from relais.core.workflow.api import workflow_api_urls

router = SimpleRouter()
router.register("agreements", AgreementViewSet, basename="agreement")

# --- Children of an agreement (nested) ----------------------------------------------------------
AGREEMENT = r"agreements/(?P<agreement_pk>[0-9]+)"
router.register(f"{AGREEMENT}/rounds", api.NegotiationRoundViewSet, basename="agreement-round")
router.register(f"{AGREEMENT}/versions", api.TextVersionViewSet, basename="agreement-version")
router.register(
    f"{AGREEMENT}/comment-requests", api.CommentRequestViewSet, basename="agreement-comment-request"
)
router.register(f"{AGREEMENT}/renewals", api.RenewalViewSet, basename="agreement-renewal")
router.register(
    f"{AGREEMENT}/committees", api.JointCommitteeViewSet, basename="agreement-committee"
)
router.register(
    rf"{AGREEMENT}/committees/(?P<committee_pk>[0-9]+)/meetings",
    api.CommitteeMeetingViewSet,
    basename="agreement-meeting",
)
# --- end of children ----------------------------------------------------------------------------

urlpatterns = [
    *router.urls,
    *workflow_api_urls("agreements", WORKFLOW_API, basename="agreement", tag=TAG),
]
