"""The OpenAPI 3 description of /api/v1/, generated from the views and serializers."""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.urls import include, path, reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import patched_settings

API_VERSION = "1"
DESCRIPTION = """\
Read moot's public records as JSON: written questions and their answers, members with their
seats and offices, departments, consultations with their sections and files, documents, and
published summaries of responses, and search them all.

Every list is paged with a cursor: follow `next` (and `previous`) until it is null. Every
response carries an `ETag` and most a `Last-Modified`; send them back in `If-None-Match` or
`If-Modified-Since` to get a 304 when nothing changed. Errors are problem details
(`application/problem+json`). Anyone may call the API without a key, a limited number of
times an hour; a key lifts the limit.
"""
_lock = threading.Lock()
_cache: dict[str, dict[str, Any]] = {}


def _spectacular_settings() -> dict[str, Any]:
    return {
        "TITLE": "moot API",
        "VERSION": API_VERSION,
        "DESCRIPTION": DESCRIPTION,
        "SERVERS": [{"url": settings.SITE_URL}],
        "SCHEMA_PATH_PREFIX": "/api/v1",
        "COMPONENT_NO_READ_ONLY_REQUIRED": True,
        # The docs page lists each enum's values itself; parameters stay in declared order.
        "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
        "SORT_OPERATION_PARAMETERS": False,
        "ENUM_NAME_OVERRIDES": {
            "HouseEnum": "moot.parliament.models.House",
        },
        "APPEND_COMPONENTS": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API key: `Authorization: Bearer moot_…`.",
                },
                "apiKeyHeader": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-API-Key",
                    "description": "The same key in an X-API-Key header.",
                },
            }
        },
        # A key is optional: it only lifts the rate limit.
        "SECURITY": [{}, {"bearer": []}, {"apiKeyHeader": []}],
        "POSTPROCESSING_HOOKS": [
            "drf_spectacular.hooks.postprocess_schema_enums",
            "moot.api.schema.parameters_never_empty",
        ],
        "EXTERNAL_DOCS": {
            "description": "How to use the API",
            "url": settings.SITE_URL + reverse("api:docs"),
        },
    }


def parameters_never_empty(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """An empty query parameter is an error (a 400), so say so: text parameters have at
    least one character."""
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter["in"] == "query" and schema.get("type") == "string":
                    schema.setdefault("minLength", 1)
    return result


def openapi_schema() -> dict[str, Any]:
    """The description as a dict; built once per process (and per ``SITE_URL``)."""
    key = settings.SITE_URL
    with _lock:
        if key not in _cache:
            from moot.api.urls import v1_patterns

            patterns = [path("api/v1/", include(v1_patterns))]
            with patched_settings(_spectacular_settings()):
                generator = SchemaGenerator(patterns=patterns)
                _cache[key] = generator.get_schema(request=None, public=True)
        return _cache[key]
