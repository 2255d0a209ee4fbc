"""Per-client rate limits and client identity for public forms and votes.

Counts (rate limits here, staff sign-in lockouts in ``two_factor``) must be shared by every
process that serves requests, or each process counts its own and an attacker gets the
limit once per process. ``settings.RATE_LIMIT_STORE`` says where they live: ``"database"``
(the default without ``CACHE_URL``: the table ``moot_counters``, created by ``moot
migrate``) or ``"cache"`` (Django's cache: Redis when ``CACHE_URL`` is set; in-process memory
only in the test suite). Client addresses are only ever kept as keyed hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest

COUNTER_TABLE = "moot_counters"
# About one count in this many also deletes expired counters, so the table stays the size of
# the clients seen in the last window or lockout.
PRUNE_ONE_IN = 512

# One statement, atomic on SQLite and PostgreSQL alike: a new or expired counter starts at 1
# with a new expiry, a live one goes up by one and keeps its expiry. Not Django's database
# cache: its incr() is a get then a set, which loses counts when processes race and resets
# the expiry to the default timeout, so a window would end early.
_HIT_SQL = f"""
INSERT INTO {COUNTER_TABLE} (counter_key, hits, expires) VALUES (%s, 1, %s)
ON CONFLICT (counter_key) DO UPDATE SET
    hits = CASE WHEN {COUNTER_TABLE}.expires <= %s THEN 1 ELSE {COUNTER_TABLE}.hits + 1 END,
    expires = CASE
        WHEN {COUNTER_TABLE}.expires <= %s THEN excluded.expires ELSE {COUNTER_TABLE}.expires
    END
RETURNING hits
"""  # noqa: S608 - the table name is a constant; values are parameters


def rate_limit_store() -> str:
    """Where counts live: "database" or "cache" (see the module docstring)."""
    return str(getattr(settings, "RATE_LIMIT_STORE", "cache"))


def rate_limit_store_description() -> str:
    """One line for start-up logs: where rate limits and lockouts are counted."""
    if rate_limit_store() == "database":
        return (
            "Rate limits and sign-in lockouts are counted in the database "
            f"(table {COUNTER_TABLE}), shared by every process."
        )
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    shared = "in-process only" if backend == "LocMemCache" else "shared by every process"
    return f"Rate limits and sign-in lockouts are counted in the cache ({backend}), {shared}."


def counter_hit(*, key: str, timeout: int) -> int:
    """Count one event under ``key``: how many there have been, this one too, since the
    counter started (it lasts ``timeout`` seconds from its first event). Atomic across
    processes."""
    if rate_limit_store() == "database":
        now = int(time.time())
        with connection.cursor() as cursor:
            cursor.execute(_HIT_SQL, [key, now + timeout, now, now])
            hits = int(cursor.fetchone()[0])
            if secrets.randbelow(PRUNE_ONE_IN) == 0:
                cursor.execute(
                    f"DELETE FROM {COUNTER_TABLE} WHERE expires <= %s",  # noqa: S608
                    [now],
                )
        return hits
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:
        # The key expired between add and incr: this is the first event of a new counter.
        cache.add(key, 1, timeout=timeout)
        return 1


def counter_give_back(*, key: str) -> None:
    """Take back one event counted under ``key`` (never below 0), keeping its expiry."""
    if rate_limit_store() == "database":
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {COUNTER_TABLE} SET hits = hits - 1 "  # noqa: S608
                "WHERE counter_key = %s AND hits > 0 AND expires > %s",
                [key, int(time.time())],
            )
        return
    try:
        if int(cache.decr(key)) < 0:
            cache.incr(key)
    except ValueError:
        pass  # expired or never counted: nothing to give back


def counters_clear(*, keys: list[str]) -> None:
    if rate_limit_store() == "database":
        placeholders = ", ".join(["%s"] * len(keys))
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {COUNTER_TABLE} WHERE counter_key IN ({placeholders})",  # noqa: S608
                keys,
            )
        return
    cache.delete_many(keys)


def client_ip(request: HttpRequest) -> str:
    """The client's address, trusting ``X-Forwarded-For`` only from configured proxies.

    ``settings.TRUSTED_PROXY_COUNT`` is how many proxies in front of moot append to the
    header; with 0 (the default) the header is ignored, so clients cannot spoof it.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    address = request.META.get("REMOTE_ADDR", "")
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return "unknown"


def ip_hash(ip: str, *, purpose: str) -> str:
    """A keyed hash of an address: stable for one purpose, useless to anyone without the key.

    IPv6 addresses are reduced to their /64 network first, since one household or phone
    usually holds a whole /64.
    """
    try:
        parsed = ipaddress.ip_address(ip)
    except ValueError:
        parsed = None
    if parsed is not None and parsed.version == 6:
        ip = str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    key = hashlib.sha256(f"moot-ip-hash:{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, ip.encode(), hashlib.sha256).hexdigest()


def rate_limit_count(*, scope: str, identity: str, window_seconds: int) -> int:
    """Count one attempt by ``identity``: how many it has made in this window, this one too.

    Fixed windows: cheap, and ``counter_hit`` is atomic, so safe under concurrency.
    """
    window = int(time.time() // window_seconds)
    return counter_hit(key=f"ratelimit:{scope}:{identity}:{window}", timeout=window_seconds + 1)


def rate_limit_window_ends_in(*, window_seconds: int) -> int:
    """Seconds until the current fixed window ends (at least 1)."""
    return max(1, window_seconds - int(time.time()) % window_seconds)


def rate_limit_allows(*, scope: str, identity: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt by ``identity``; False once it has made ``limit`` in this window."""
    if limit <= 0:
        return True
    return rate_limit_count(scope=scope, identity=identity, window_seconds=window_seconds) <= limit


def email_address_allows(*, email: str, scope: str, limit: int) -> bool:
    """Count one email to ``email``; False once it has been sent ``limit`` in the hour.

    Emails people can make moot send to an address they type (alert confirmations, resume
    links, receipts) are limited per address, so nobody can use moot to flood an inbox. The
    address is counted under a keyed hash, never in the clear.
    """
    identity = hashlib.sha256(f"{settings.SECRET_KEY}:{email.strip().lower()}".encode()).hexdigest()
    return rate_limit_allows(scope=scope, identity=identity, limit=limit, window_seconds=3600)


def request_allowed(
    request: HttpRequest, *, scope: str, limit: int, window_seconds: int = 3600
) -> bool:
    """Rate-limit a request by a hash of its client address."""
    identity = ip_hash(client_ip(request), purpose=f"ratelimit:{scope}")
    return rate_limit_allows(
        scope=scope, identity=identity, limit=limit, window_seconds=window_seconds
    )
