"""What the schemathesis fuzz tests share: the API's schema and Hypothesis settings.

The ``keep_test_connection`` fixture they need lives in ``tests/conftest.py``.
"""

from __future__ import annotations

import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


def fuzz_settings(max_examples: int) -> settings:
    """Reproducible runs (derandomized, no example database) with no deadline or health checks."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
