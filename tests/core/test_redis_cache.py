"""With CACHE_URL pointing at Redis, rate limits and cached pages are shared by processes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def redis_cache(settings):  # type: ignore[no-untyped-def]
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).flushdb()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {REDIS_URL} ({error}); CI starts one")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    return REDIS_URL


def test_rate_limits_are_counted_across_processes(redis_cache: str) -> None:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'moot.settings'; "
        "django.setup(); from moot.core.ratelimit import rate_limit_allows; "
        "print(rate_limit_allows(scope='shared', identity='one', limit=3, window_seconds=60))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env["CACHE_URL"] = redis_cache
    answers = [
        subprocess.run(  # noqa: S603 - each a separate process, as gunicorn's workers are
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(4)
    ]
    assert answers == ["True", "True", "True", "False"]


@pytest.mark.django_db
def test_a_page_cached_by_one_process_is_served_by_another(
    redis_cache: str, settings, client
) -> None:  # type: ignore[no-untyped-def]
    from moot.core import pagecache
    from tests.factories import WrittenAnswerFactory, WrittenQuestionFactory

    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    question = WrittenQuestionFactory()
    WrittenAnswerFactory(questions=[question])
    assert client.get(question.get_absolute_url())["X-Page-Cache"] == "miss"
    pagecache._local.clear()  # as if another process: nothing in its own memory
    assert client.get(question.get_absolute_url())["X-Page-Cache"] == "hit"
