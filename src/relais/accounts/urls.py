from django.urls import path

from relais.accounts import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("", views.account, name="account"),
    path("jetons/", views.token_create, name="token-create"),
    path("jetons/<int:pk>/revoquer/", views.token_revoke, name="token-revoke"),
]
