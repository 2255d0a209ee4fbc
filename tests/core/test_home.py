"""The home page's recently answered questions lead, page by page, to every answer."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from moot.parliament.selectors.written_answers import questions_answered_newest_first

pytestmark = pytest.mark.django_db

SEED = "/written-questions/2007-12-03/children-sexual-offences/"


def links(page: str) -> list[tuple[str, str]]:
    """(href, text) of every link on the page, text without tags."""
    found = re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', page, flags=re.S)
    return [(html.unescape(href), re.sub(r"<[^>]+>", "", text).strip()) for href, text in found]


def next_link(page: str) -> str | None:
    match = re.search(r'<a [^>]*href="([^"]+)" rel="next"', page)
    return html.unescape(match.group(1)) if match else None


def test_every_answer_is_reachable_from_the_home_page_by_paging(client: Client, demo: None) -> None:
    home = client.get("/").content.decode()
    assert SEED not in home  # only the newest few are on the home page itself
    [start] = [href for href, text in links(home) if text == "All recently answered questions"]
    seen: list[str] = []
    url: str | None = start
    pages = 0
    while url:
        response = client.get(url if url.startswith("/") else f"{start}{url}")
        assert response.status_code == 200
        page = response.content.decode()
        seen += [href for href, _ in links(page) if href.startswith("/written-questions/2")]
        url = next_link(page)
        pages += 1
        assert pages < 100
    assert SEED in seen
    assert pages >= 2  # the seed is past the first page
    assert seen == [q.get_absolute_url() for q in questions_answered_newest_first()]


def test_recently_answered_pages_newest_first(client: Client, demo: None) -> None:
    page = client.get("/recently-answered/?page=2").content.decode()
    assert "Recently answered written questions (page 2)" in page
    assert "answered questions in all, newest first" in page
