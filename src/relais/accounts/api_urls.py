from django.urls import path

from relais.accounts import api

urlpatterns = [
    path("me/", api.me, name="me"),
]
