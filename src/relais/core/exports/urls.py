from django.urls import path

from relais.core.exports import views

app_name = "calendar"

urlpatterns = [
    path("nouveau-lien/", views.reset, name="reset"),
    path("<str:token>.ics", views.feed, name="feed"),
]
