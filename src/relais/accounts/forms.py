from django import forms
from django.contrib.auth.forms import AuthenticationForm

from relais.accounts import throttle
from relais.core.middleware import client_ip


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Identifiant ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
        "locked": (
            "Trop de tentatives de connexion ont échoué. Réessayez dans quelques minutes ou "
            "contactez l'administrateur."
        ),
    }

    username = forms.CharField(
        label="Identifiant",
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request else ""
        if throttle.is_locked(username, ip):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record_failure(username, ip)
            raise
        throttle.reset(username, ip)
        return cleaned


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        help_text="Pour vous rappeler où il sert, ex. « script de synchronisation ».",
    )
