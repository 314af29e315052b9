"""Settings come from the environment, fail loudly on bad values, and are deploy-clean."""

import os
import subprocess
import sys

import pytest


def _relais(args, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("RELAIS_", "DATABASE_URL", "DJANGO_"))
    }
    base.update(env)
    return subprocess.run(
        [sys.executable, "-m", "relais.cli", *args],
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def production_env(tmp_path):
    return {
        "RELAIS_ENV": "production",
        "RELAIS_SECRET_KEY": "k" * 20 + "-production-secret-with-enough-entropy-Zq81!xP",
        "RELAIS_ALLOWED_HOSTS": "relais.interieur.gouv.fr",
        "RELAIS_DATA_DIR": str(tmp_path),
    }


def test_check_deploy_is_clean_with_production_settings(production_env):
    result = _relais(["check", "--deploy", "--fail-level", "WARNING"], **production_env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_without_secret_key_fails_loudly(production_env):
    production_env.pop("RELAIS_SECRET_KEY")
    result = _relais(["check"], **production_env)
    assert result.returncode != 0
    assert "RELAIS_SECRET_KEY est obligatoire en production." in result.stderr


def test_bad_boolean_fails_loudly(tmp_path):
    result = _relais(["check"], RELAIS_DEBUG="peut-être", RELAIS_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "RELAIS_DEBUG='peut-être' n'est pas un booléen" in result.stderr


def test_production_cookies_and_headers():
    from relais import settings as relais_settings

    assert relais_settings.SECURE_CONTENT_TYPE_NOSNIFF is True
    assert relais_settings.X_FRAME_OPTIONS == "DENY"
    assert relais_settings.SESSION_COOKIE_HTTPONLY is True


def test_configuration_errors_are_one_line_not_a_traceback(tmp_path):
    result = _relais(["check"], RELAIS_ENV="recette", RELAIS_DATA_DIR=str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "relais : configuration invalide : RELAIS_ENV doit valoir demo, production ou test."
    )


@pytest.mark.parametrize("value", ["31-01", "02-30", "02-29", "0131", "fin janvier"])
def test_bad_annual_report_due_date_is_one_line(tmp_path, value):
    result = _relais(
        ["check"], RELAIS_NETWORK_ANNUAL_REPORT_DUE=value, RELAIS_DATA_DIR=str(tmp_path)
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "relais : configuration invalide : RELAIS_NETWORK_ANNUAL_REPORT_DUE doit être une date "
        "« MM-JJ » (par exemple 01-31)."
    )
