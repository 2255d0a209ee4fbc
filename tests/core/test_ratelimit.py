import pytest
from django.core.cache import cache
from django.test import RequestFactory

from moot.core.ratelimit import client_ip, ip_hash, rate_limit_allows, request_allowed


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
