"""HTML that arrives from outside (imported answers, emails), cleaned before it is stored."""

from __future__ import annotations

import html as html_lib
import re

import nh3

IMPORTED_TAGS = {
    "p",
    "br",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "blockquote",
    "pre",
}
IMPORTED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}

_BLOCK_END = re.compile(r"</(p|li|tr|h[1-6]|blockquote|table|caption)>|<br\s*/?>", re.IGNORECASE)
_CELL_END = re.compile(r"</t[dh]>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def sanitise_html(html: str) -> str:
    """Keep the structure of imported HTML (paragraphs, lists, tables, links) and drop the rest.

    Scripts, styles, event handlers, ``javascript:`` links and unknown tags are removed; links
    get ``rel="noopener noreferrer"``.
    """
    return nh3.clean(
        html,
        tags=IMPORTED_TAGS,
        attributes=IMPORTED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment, one line per block, for search and plain-text email."""
    cleaned = nh3.clean(html, tags=IMPORTED_TAGS, attributes={})
    text = _BLOCK_END.sub("\n", cleaned)
    text = _CELL_END.sub("\t", text)
    text = html_lib.unescape(_TAG.sub("", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
