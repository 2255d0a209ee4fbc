"""Per-client rate limits and client identity for public forms and votes.

Counts live in Django's cache: in-process for the embedded default, shared between processes
when ``CACHE_URL`` points at Redis. Client addresses are only ever kept as keyed hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


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

    Fixed windows: cheap, and the cache's atomic add and increment make it safe under
    concurrency.
    """
    window = int(time.time() // window_seconds)
    key = f"ratelimit:{scope}:{identity}:{window}"
    if cache.add(key, 1, timeout=window_seconds + 1):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:
        # The key expired between add and incr: this is the first attempt in a new window.
        cache.add(key, 1, timeout=window_seconds + 1)
        return 1


def rate_limit_window_ends_in(*, window_seconds: int) -> int:
    """Seconds until the current fixed window ends (at least 1)."""
    return max(1, window_seconds - int(time.time()) % window_seconds)


def rate_limit_allows(*, scope: str, identity: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt by ``identity``; False once it has made ``limit`` in this window."""
    if limit <= 0:
        return True
    return rate_limit_count(scope=scope, identity=identity, window_seconds=window_seconds) <= limit


def request_allowed(
    request: HttpRequest, *, scope: str, limit: int, window_seconds: int = 3600
) -> bool:
    """Rate-limit a request by a hash of its client address."""
    identity = ip_hash(client_ip(request), purpose=f"ratelimit:{scope}")
    return rate_limit_allows(
        scope=scope, identity=identity, limit=limit, window_seconds=window_seconds
    )
