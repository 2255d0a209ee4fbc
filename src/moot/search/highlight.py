"""Snippets of matching text with the matched words marked, safe to put in a page."""

from __future__ import annotations

import tantivy
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SNIPPET_LENGTH = 240


def _marked(text: str, ranges: list[tuple[int, int]]) -> str:
    """``text`` escaped, with each (start, end) *byte* range wrapped in <mark>."""
    raw = text.encode()
    parts: list[str] = []
    last = 0
    for start, end in sorted(ranges):
        if start < last:
            continue
        parts.append(escape(raw[last:start].decode(errors="ignore")))
        parts.append(f"<mark>{escape(raw[start:end].decode(errors='ignore'))}</mark>")
        last = end
    parts.append(escape(raw[last:].decode(errors="ignore")))
    return "".join(parts)


def leading_text(text: str, length: int = SNIPPET_LENGTH) -> str:
    """The start of ``text``, cut at a word boundary, with an ellipsis if cut."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0]
    return cut + "…"


class Highlighter:
    """Marks the query's words in titles and body snippets of one search's hits."""

    def __init__(
        self, searcher: tantivy.Searcher, schema: tantivy.Schema, query: tantivy.Query | None
    ) -> None:
        self.title = self.body = None
        if query is not None:
            self.title = tantivy.SnippetGenerator.create(searcher, query, schema, "title")
            self.title.set_max_num_chars(1000)
            self.body = tantivy.SnippetGenerator.create(searcher, query, schema, "body")
            self.body.set_max_num_chars(SNIPPET_LENGTH)

    def title_html(self, doc: tantivy.Document, title: str) -> SafeString:
        if self.title is not None:
            snippet = self.title.snippet_from_doc(doc)
            # Ranges are relative to the fragment; the whole title is shown.
            offset = snippet.fragment_range().start
            ranges = [(r.start + offset, r.end + offset) for r in snippet.highlighted()]
            if ranges:
                return mark_safe(_marked(title, ranges))  # noqa: S308 - escaped in _marked
        return mark_safe(escape(title))  # noqa: S308 - escaped

    def body_html(self, doc: tantivy.Document, body: str) -> SafeString:
        if self.body is not None:
            snippet = self.body.snippet_from_doc(doc)
            fragment = snippet.fragment()
            ranges = [(r.start, r.end) for r in snippet.highlighted()]
            if fragment and ranges:
                where = snippet.fragment_range()
                before = "…" if where.start > 0 else ""
                after = "…" if where.end < len(body.encode()) else ""
                html = _marked(fragment, ranges)
                return mark_safe(f"{before}{html.strip()}{after}")  # noqa: S308 - escaped
        return mark_safe(escape(leading_text(body)))  # noqa: S308 - escaped
