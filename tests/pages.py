"""Helpers for reading pages in client tests as a person reads them."""

from __future__ import annotations

import html
import re


def text_of(markup: str) -> str:
    """The visible text of some HTML, with entities decoded and white space folded."""
    without_tags = re.sub(r"<[^>]+>", " ", markup)
    return re.sub(r"\s+", " ", html.unescape(without_tags))
