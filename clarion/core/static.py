"""Static files (the API docs' Swagger UI, the admin's styles) served by WhiteNoise."""

from __future__ import annotations

from pathlib import Path

from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFiles(WhiteNoiseMiddleware):
    """WhiteNoise, from the installed apps (``WHITENOISE_USE_FINDERS``) and from STATIC_ROOT
    once `clarion manage collectstatic` has filled it; until then, without a warning."""

    def add_files(self, root: str, prefix: str | None = None) -> None:
        if Path(root).is_dir():
            super().add_files(root, prefix)
