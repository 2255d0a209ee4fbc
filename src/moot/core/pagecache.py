"""A short-lived shared cache of public pages, for readers who send no cookies.

Most reads of a page like a written answer come from crawlers and first-time readers, who
send no cookies and so see exactly the same page. For them the page is rendered once and
served from the cache for ``PUBLIC_PAGE_CACHE_SECONDS`` (tallies and new answers appear
within that time). A reader who sends any cookie — someone who has voted, signed in, or has a
message waiting — always gets a freshly rendered page, with their own state in it.

A page rendered for the cache knows it (``request.shared_page``) and leaves out everything
personal: no CSRF token (forms on shared pages are checked by the request's origin instead),
no "you said yes".
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

View = Callable[..., HttpResponse]
# Headers a cached copy keeps; everything else is added again by the middleware.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Link")
# Each process also keeps the pages it served last for a few seconds, so that a popular page
# costs one dictionary lookup rather than a round trip to the shared cache every time.
LOCAL_SECONDS = 30.0
LOCAL_ENTRIES = 512

CachedPage = tuple[int, list[tuple[str, str]], bytes, float]  # status, headers, body, expiry


class _LocalPages:
    def __init__(self) -> None:
        self.pages: OrderedDict[str, CachedPage] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> CachedPage | None:
        with self.lock:
            page = self.pages.get(key)
            if page is None:
                return None
            if page[3] <= time.time():
                del self.pages[key]
                return None
            self.pages.move_to_end(key)
            return page

    def put(self, key: str, page: CachedPage) -> None:
        status, headers, body, expires = page
        local = (status, headers, body, min(expires, time.time() + LOCAL_SECONDS))
        with self.lock:
            self.pages[key] = local
            self.pages.move_to_end(key)
            while len(self.pages) > LOCAL_ENTRIES:
                self.pages.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


_local = _LocalPages()


def _cached(key: str) -> CachedPage | None:
    page = _local.get(key)
    if page is None:
        page = cache.get(key)
        if page is not None and page[3] > time.time():
            _local.put(key, page)
        else:
            page = None
    return page


def is_shared_request(request: HttpRequest) -> bool:
    """Whether this request may be answered with (and may fill) the shared page cache."""
    return (
        settings.PUBLIC_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _key(request: HttpRequest) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"moot:page:{digest}"


def shared_page_cache(view: View) -> View:
    """Serve cookieless readers from the shared cache; render as usual for everyone else."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_shared_request(request):
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ["Cookie"])
            return response
        key = _key(request)
        cached = _cached(key)
        if cached is not None:
            status, headers, content, _expires = cached
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
        else:
            request.shared_page = True  # type: ignore[attr-defined]
            response = view(request, *args, **kwargs)
            cacheable = (
                response.status_code == 200
                and not response.cookies
                and not getattr(response, "streaming", False)
                and "no-store" not in response.get("Cache-Control", "")
            )
            if cacheable:
                if hasattr(response, "render"):
                    response.render()
                headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
                seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
                page = (response.status_code, headers, response.content, time.time() + seconds)
                cache.set(key, page, seconds)
                _local.put(key, page)
                response["X-Page-Cache"] = "miss"
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper


def rendered_for_everyone(request: HttpRequest) -> bool:
    """True when the page is being rendered for the shared cache (leave out anything personal)."""
    return bool(getattr(request, "shared_page", False))
