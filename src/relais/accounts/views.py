"""Login, logout and « Mon compte » (profile, API tokens)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from relais.accounts import services
from relais.accounts.forms import LoginForm, TokenForm
from relais.core.audit.events import Action, log_event


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": "Connexion"}


class LogoutView(auth_views.LogoutView):
    """Log out, then say so on the login page."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "Vous avez été déconnecté.")
        return response


@receiver(user_logged_in)
def _log_login(sender, request, user, **kwargs):
    log_event(Action.LOGIN, user, user)


@receiver(user_logged_out)
def _log_logout(sender, request, user, **kwargs):
    if user is not None:
        log_event(Action.LOGOUT, user, user)


@receiver(user_login_failed)
def _log_login_failed(sender, credentials, request=None, **kwargs):
    log_event(
        Action.LOGIN_FAILED,
        None,
        None,
        model_label="accounts.user",
        object_repr=str(credentials.get("username", ""))[:150],
    )


def account(request):
    tokens = request.user.api_tokens.all()
    return render(
        request,
        "accounts/account.html",
        {
            "title": "Mon compte",
            "tokens": tokens,
            "form": TokenForm(),
            "new_token": request.session.pop("new_token", None),
        },
    )


@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        tokens = request.user.api_tokens.all()
        return render(
            request,
            "accounts/account.html",
            {"title": "Mon compte", "tokens": tokens, "form": form},
            status=400,
        )
    _token, raw = services.create_api_token(request.user, form.cleaned_data["name"])
    request.session["new_token"] = raw
    messages.success(request, "Jeton créé. Copiez-le maintenant : il ne sera plus affiché.")
    return redirect("accounts:account")


@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    services.revoke_api_token(request.user, token)
    messages.success(request, f"Le jeton « {token.name} » est révoqué.")
    return redirect("accounts:account")
