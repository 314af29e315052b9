"""WSGI entry point: `gunicorn relais.wsgi` (see docs/administration.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")
application = get_wsgi_application()
