"""WSGI entry point (gunicorn acquisition_hr.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acquisition_hr.settings")
application = get_wsgi_application()
