from django.urls import path

from relais.core.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/lue/", views.mark_read, name="mark-read"),
    path("tout-lire/", views.mark_all_read, name="mark-all-read"),
    path("preferences/", views.preferences, name="preferences"),
]
