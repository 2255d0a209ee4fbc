"""With CACHE_URL pointing at Redis, rate limits and cached pages are shared by processes.

The tests run against a redis-server they start themselves, on a free loopback port with its
files in a temporary directory, and flush only that one: a Redis already running on the
machine (someone's 6379) is never touched.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class RedisServer:
    url: str
    process: subprocess.Popen[bytes]
    directory: Path


def _free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_redis(executable: str, directory: Path) -> RedisServer:
    redis = pytest.importorskip("redis")
    # Another process may take the free port between the probe and redis binding it; try again.
    for _attempt in range(3):
        port = _free_loopback_port()
        log = directory / f"redis-{port}.log"
        arguments = ["--bind", "127.0.0.1", "--port", str(port), "--dir", str(directory)]
        arguments += ["--save", "", "--appendonly", "no", "--logfile", str(log)]
        process = subprocess.Popen(  # noqa: S603 - redis-server found on PATH, fixed arguments
            [executable, *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        url = f"redis://127.0.0.1:{port}/0"
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while process.poll() is None and time.monotonic() < deadline:
            try:
                client.ping()
            except redis.RedisError:
                time.sleep(0.05)
                continue
            return RedisServer(url=url, process=process, directory=directory)
        process.kill()
        process.wait()
    log_text = log.read_text() if log.exists() else "(no log)"
    raise RuntimeError(f"redis-server would not start on loopback:\n{log_text}")


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.skip(
            "redis-server is not installed (apt-get install redis-server); these tests start "
            "their own on a free loopback port and never use a Redis already running"
        )
    server = _start_redis(executable, tmp_path_factory.mktemp("redis"))
    try:
        yield server
    finally:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


@pytest.fixture
def redis_cache(redis_server: RedisServer, settings) -> str:  # type: ignore[no-untyped-def]
    import redis

    # Safe to flush: this server was started by the fixture above and serves no one else.
    redis.Redis.from_url(redis_server.url).flushdb()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
        }
    }
    return redis_server.url


def test_the_redis_flushed_is_the_one_the_tests_started(redis_server: RedisServer) -> None:
    import redis

    client = redis.Redis.from_url(redis_server.url, decode_responses=True)
    assert client.info("server")["process_id"] == redis_server.process.pid
    assert client.config_get("dir")["dir"] == str(redis_server.directory.resolve())
    assert int(redis_server.url.split(":")[2].split("/")[0]) != 6379


def test_rate_limits_are_counted_across_processes(redis_cache: str) -> None:
    # Windows are fixed and aligned to the epoch; one of about 116 days makes it all but
    # impossible for the four processes (seconds apart) to straddle a window's end.
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'moot.settings'; "
        "django.setup(); from moot.core.ratelimit import rate_limit_allows; "
        "print(rate_limit_allows(scope='shared', identity='one', limit=3, "
        "window_seconds=10_000_000))"
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
