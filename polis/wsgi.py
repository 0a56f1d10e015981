"""WSGI entry point, served by Granian (`polis serve`)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polis.settings")
application = get_wsgi_application()

# What loading the app made lives as long as the process: keep it out of the cyclic
# collector's full passes, which otherwise stall a request for up to ~100 ms.
gc.collect()
gc.freeze()
