"""Django settings and URLs for ``bench/responses.py``: moot as it is, plus one minimal view
that inserts a row, the baseline the submission is measured against. Never used by moot."""

from __future__ import annotations

from moot.settings import *  # noqa: F403 - moot's settings, unchanged but for the URLs

ROOT_URLCONF = "responses_urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The benchmark serves no static files; keep the finders so no manifest is needed.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
