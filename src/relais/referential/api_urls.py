"""Referential API, mounted under /api/v1/ (namespace "api").

`countries/<ISO>/` only matches two letters, leaving `countries/<ISO>/sheet/` to the countries app.
"""

from rest_framework.routers import SimpleRouter

from relais.referential import api

router = SimpleRouter()
router.register("units", api.UnitViewSet, basename="unit")
router.register("posts", api.PostViewSet, basename="post")
router.register("countries", api.CountryViewSet, basename="country")
router.register("partners", api.PartnerBodyViewSet, basename="partner")
router.register("people", api.PersonViewSet, basename="person")

urlpatterns = router.urls

# --- Zones ----------------------------------------------------------------------------------------
zones = SimpleRouter()
zones.register("zones", api.ZoneViewSet, basename="zone")
urlpatterns += zones.urls
