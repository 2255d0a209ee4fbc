"""Helpers for alert tests: reading received emails and following their links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

from moot.alerts.services import sending


@pytest.fixture(autouse=True)
def _fresh_state(settings: pytest.FixtureRequest) -> Iterator[None]:
    """Rate-limit counts and the cached matcher never leak from one test into the next."""
    settings.SITE_URL = "https://moot.example"  # type: ignore[attr-defined]
    cache.clear()
    sending._matcher_cache.clear()
    yield
    cache.clear()
    sending._matcher_cache.clear()


def text_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def html_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def links(message: EmailMessage) -> list[str]:
    """Paths of the site's links in the text part, in order."""
    found = re.findall(r"https://moot\.example(/\S*)", text_part(message))
    return [path.rstrip(".,)") for path in found]


def link_to(message: EmailMessage, prefix: str) -> str:
    matching = [path for path in links(message) if path.startswith(prefix)]
    assert matching, f"no {prefix} link in: {text_part(message)}"
    return matching[0]


def unsubscribe_path(message: EmailMessage) -> str:
    header = str(message["List-Unsubscribe"]).strip()
    assert header.startswith("<https://moot.example/")
    assert header.endswith(">")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    return urlsplit(header[1:-1]).path
