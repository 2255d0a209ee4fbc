import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory

from moot.core import ratelimit
from moot.core.ratelimit import (
    client_ip,
    counter_give_back,
    counter_hit,
    ip_hash,
    rate_limit_allows,
    rate_limit_store_description,
    request_allowed,
)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def test_limit_is_enforced_per_identity() -> None:
    results = [
        rate_limit_allows(scope="t", identity="a", limit=3, window_seconds=60) for _ in range(5)
    ]
    assert results == [True, True, True, False, False]
    assert rate_limit_allows(scope="t", identity="b", limit=3, window_seconds=60)


def test_forwarded_header_is_ignored_unless_proxies_are_trusted(settings) -> None:  # type: ignore[no-untyped-def]
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "1.2.3.4"


def test_ip_hash_is_keyed_and_never_the_address() -> None:
    digest = ip_hash("192.0.2.7", purpose="votes")
    assert "192.0.2.7" not in digest
    assert digest == ip_hash("192.0.2.7", purpose="votes")
    assert digest != ip_hash("192.0.2.7", purpose="other")
    # One IPv6 /64 is one client.
    assert ip_hash("2001:db8::1", purpose="v") == ip_hash("2001:db8::ffff", purpose="v")


def test_request_allowed_counts_by_address() -> None:
    factory = RequestFactory()
    first = factory.post("/", REMOTE_ADDR="192.0.2.1")
    assert [request_allowed(first, scope="form", limit=2) for _ in range(3)] == [True, True, False]
    assert request_allowed(factory.post("/", REMOTE_ADDR="192.0.2.2"), scope="form", limit=2)


# The database store: what production counts in without CACHE_URL.


@pytest.fixture
def database_store(settings, db: None) -> None:  # type: ignore[no-untyped-def]
    settings.RATE_LIMIT_STORE = "database"


def test_the_database_store_limits_per_identity(database_store: None) -> None:
    results = [
        rate_limit_allows(scope="t", identity="a", limit=3, window_seconds=60) for _ in range(5)
    ]
    assert results == [True, True, True, False, False]
    assert rate_limit_allows(scope="t", identity="b", limit=3, window_seconds=60)


def test_a_database_counter_keeps_its_expiry_and_then_starts_again(database_store: None) -> None:
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        assert counter_hit(key="k", timeout=60) == 1
        clock.shift(50)
        assert counter_hit(key="k", timeout=60) == 2  # counting does not push the expiry on
        clock.shift(9)
        assert counter_hit(key="k", timeout=60) == 3
        clock.shift(1)
        assert counter_hit(key="k", timeout=60) == 1


@pytest.mark.parametrize("store", ["cache", "database"])
def test_giving_back_never_goes_below_nothing(store: str, settings, db: None) -> None:  # type: ignore[no-untyped-def]
    settings.RATE_LIMIT_STORE = store
    counter_give_back(key="never-counted")
    counter_hit(key="g", timeout=60)
    counter_give_back(key="g")
    counter_give_back(key="g")
    assert counter_hit(key="g", timeout=60) == 1


def test_the_database_store_prunes_expired_counters(database_store: None, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        for number in range(20):
            counter_hit(key=f"old-{number}", timeout=10)
        clock.shift(11)
        monkeypatch.setattr(ratelimit, "PRUNE_ONE_IN", 1)
        counter_hit(key="new", timeout=10)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT counter_key FROM {ratelimit.COUNTER_TABLE}")  # noqa: S608
        assert [row[0] for row in cursor.fetchall()] == ["new"]


def test_the_start_up_line_says_where_counts_are_kept(settings) -> None:  # type: ignore[no-untyped-def]
    settings.RATE_LIMIT_STORE = "database"
    assert "counted in the database" in rate_limit_store_description()
    assert "shared by every process" in rate_limit_store_description()
    settings.RATE_LIMIT_STORE = "cache"
    assert "in-process only" in rate_limit_store_description()


# Several processes, as `moot serve` runs them: one count for all.

SIGN_IN_ATTEMPTS = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "moot.settings"
import moot.settings
# Pages name static files without the manifest `collectstatic` writes: not what is tested.
moot.settings.STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
import django
django.setup()
from django.test import Client
from moot.core.ratelimit import rate_limit_store_description
address, password, tries = sys.argv[1], sys.argv[2], int(sys.argv[3])
client = Client(REMOTE_ADDR=address)
statuses = [
    client.post("/staff/login/", {"username": "chief", "password": password}).status_code
    for _ in range(tries)
]
print(json.dumps({"store": rate_limit_store_description(), "statuses": statuses}))
"""
CHIEF_PASSWORD = "a long and unguessable passphrase"


@pytest.fixture
def production_database(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A database of its own, migrated by `moot migrate` as in production, on the engine the
    suite runs on; the environment of a production process that uses it."""
    vendor = connection.vendor
    name = f"{connection.settings_dict['NAME']}_processes"
    if vendor == "postgresql":
        import psycopg

        admin = {**connection.get_connection_params(), "dbname": "postgres"}
        with psycopg.connect(**admin, autocommit=True) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{name}"')
            pg.execute(f'CREATE DATABASE "{name}"')
        params = connection.settings_dict
        url = f"postgres://{params['USER']}@{params['HOST']}:{params['PORT'] or 5432}/{name}"
    else:
        url = f"sqlite:///{tmp_path / 'production.sqlite3'}"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "TEST_DATABASE_NAME"}},
        "DATABASE_URL": url,
        "SECRET_KEY": "a-secret-for-this-test-only",
        "ALLOWED_HOSTS": "testserver",
        "MOOT_VAR_DIR": str(tmp_path / "var"),
        "LOGIN_FAILURE_LIMIT": "5",
    }
    moot = [sys.executable, "-m", "moot.cli"]
    subprocess.run([*moot, "migrate", "-v0"], env=env, check=True, timeout=300)  # noqa: S603
    make_chief = (
        "from moot.core.models import User; "
        f"User.objects.create_user('chief', password={CHIEF_PASSWORD!r}, is_staff=True, "
        "is_superuser=True)"
    )
    subprocess.run([*moot, "shell", "-c", make_chief], env=env, check=True, timeout=120)  # noqa: S603
    yield env
    if vendor == "postgresql":
        with psycopg.connect(**admin, autocommit=True) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _attempts(env: dict[str, str], address: str, password: str, tries: int) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", SIGN_IN_ATTEMPTS, address, password, str(tries)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _result(process: subprocess.Popen) -> dict[str, object]:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    result: dict[str, object] = json.loads(out)
    return result


@pytest.mark.slow
@pytest.mark.django_db
def test_three_processes_share_one_count_of_wrong_passwords(
    production_database: dict[str, str],
) -> None:
    """Three web processes at once, five wrong passwords each: five are checked in all, not
    fifteen, and then the account is locked at that address in every process — but not for
    its owner elsewhere."""
    attacker = "198.51.100.66"
    processes = [_attempts(production_database, attacker, "wrong", 5) for _ in range(3)]
    results = [_result(process) for process in processes]
    statuses = [status for result in results for status in result["statuses"]]  # type: ignore[attr-defined]
    assert statuses.count(400) == 5
    assert statuses.count(429) == 10
    assert {result["store"] for result in results} == {
        "Rate limits and sign-in lockouts are counted in the database (table moot_counters), "
        "shared by every process."
    }
    locked = _result(_attempts(production_database, attacker, CHIEF_PASSWORD, 1))
    assert locked["statuses"] == [429]
    owner = _result(_attempts(production_database, "192.0.2.10", CHIEF_PASSWORD, 1))
    assert owner["statuses"] == [302]
