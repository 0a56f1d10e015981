"""ASGI entry point, for deployments that prefer an ASGI server."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polis.settings")
application = get_asgi_application()

# What loading the app made lives as long as the process: keep it out of the cyclic
# collector's full passes, which otherwise stall a request for up to ~100 ms.
gc.collect()
gc.freeze()
