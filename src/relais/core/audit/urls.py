from django.urls import path

from relais.core.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="list"),
]
