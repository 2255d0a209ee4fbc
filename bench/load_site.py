"""Django settings for ``bench/load.py`` and ``bench/faults.py``: moot's own settings, with a
URL module that adds the benchmark's own views. Never used by moot."""

from __future__ import annotations

from moot.settings import *  # noqa: F403 - moot's settings, unchanged but for what follows

ROOT_URLCONF = "load_urls"
# Where the what-if view of load_urls keeps its copies of pages: in files, so that every
# gunicorn process shares one copy of each page (moot's own cache is left as it is).
CACHES = {
    **CACHES,  # noqa: F405
    "bench-pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "bench-pages"),  # noqa: F405
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    },
}
