"""WSGI entry point (gunicorn birlik.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "birlik.settings")
application = get_wsgi_application()
