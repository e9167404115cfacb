"""Secure defaults of the web settings: no debug pages, secure cookies and HSTS behind HTTPS."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.cli.test_cli import ROOT

SHOW = (
    "import json; from django.conf import settings as s; print(json.dumps({n: getattr(s, n, None) "
    "for n in ['DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', "
    "'SECURE_HSTS_SECONDS', 'SECURE_PROXY_SSL_HEADER', 'ALLOWED_HOSTS']}))"
)


def settings_with(tmp_path, **env: str) -> dict:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("CLARION_", "DJANGO_"))}
    environ.update(CLARION_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="clarion.settings", **env)
    result = subprocess.run(
        [sys.executable, "-c", SHOW], env=environ, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_by_default_debug_is_off_and_only_local_hosts_are_served(tmp_path):
    found = settings_with(tmp_path)

    assert found["DEBUG"] is False
    assert found["SESSION_COOKIE_SECURE"] is False  # plain HTTP on one machine
    assert found["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]", "testserver"]


def test_behind_https_cookies_are_secure_and_browsers_keep_to_https(tmp_path):
    found = settings_with(
        tmp_path, CLARION_HTTPS="true", CLARION_ALLOWED_HOSTS="clarion.example.org"
    )

    assert found["SESSION_COOKIE_SECURE"] is found["CSRF_COOKIE_SECURE"] is True
    assert found["SECURE_SSL_REDIRECT"] is True
    assert found["SECURE_HSTS_SECONDS"] == 31_536_000
    assert found["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert found["ALLOWED_HOSTS"] == ["clarion.example.org"]
