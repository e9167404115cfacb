"""WSGI entry point: ``gunicorn clarion.wsgi`` (or any WSGI server)."""

from __future__ import annotations

import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clarion.settings")
application = get_wsgi_application()
import_module(settings.ROOT_URLCONF)  # the URLconf, the views and the API, loaded now

# What start-up loaded lives as long as the process: moved out of the collector's
# reach, it is not walked again by every full collection (on a 500-post campaign's
# graph, one request in twenty paid ~90 ms for that).
gc.collect()
gc.freeze()
