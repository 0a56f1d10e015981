"""WSGI entry point, served by Granian (`polis serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polis.settings")
application = get_wsgi_application()
