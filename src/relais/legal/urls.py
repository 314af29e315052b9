"""Pages of the article, mounted at /article-1/."""

from django.urls import path

from relais.legal import views

app_name = "legal"

urlpatterns = [
    path("", views.article, name="article"),
    path("competence/", views.assessment, name="assess"),
]
