"""Home page (per role) and health check."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from relais.core.home import sections_for


def home(request):
    return render(
        request,
        "core/home.html",
        {"title": "Accueil", "sections": sections_for(request.user)},
    )


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not ready"
        return JsonResponse(
            {
                "status": "error",
                "database": settings.DATABASE_VENDOR,
                "reason": f"base de données injoignable : {exc.__class__.__name__}",
            },
            status=503,
        )
    return JsonResponse({"status": "ok", "database": connection.vendor})
