"""The plain text of a record that mentions are found in, and that text's words as links.

A mention's ``start`` and ``end`` count characters of ``html_text(html)``: the text of the
HTML's text nodes, with a line break at each block (so that no name is found across two
paragraphs). ``html_with_links`` walks the same nodes in the same way, so the positions
found in the text are the words wrapped in the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from django.template.defaultfilters import linebreaksbr

_BLOCKS = frozenset(
    [
        "p",
        "br",
        "li",
        "ul",
        "ol",
        "tr",
        "td",
        "th",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "caption",
        "blockquote",
        "pre",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    ]
)


@dataclass(frozen=True)
class Link:
    start: int
    end: int
    href: str
    title: str


class _Walker(HTMLParser):
    """Reads HTML into text (and, given links, writes it back with them)."""

    def __init__(self, links: list[Link] | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.length = 0
        self.out: list[str] = []
        self.links = sorted(links or [], key=lambda link: link.start)
        self.in_link = 0

    def _block(self) -> None:
        if self.length and not (self.text and self.text[-1].endswith("\n")):
            self.text.append("\n")
            self.length += 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._block()
        if tag == "a":
            self.in_link += 1
        self.out.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._block()
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._block()
        if tag == "a":
            self.in_link = max(0, self.in_link - 1)
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        start = self.length
        self.text.append(data)
        self.length += len(data)
        self.out.append(self._linked(data, start))

    def _linked(self, data: str, start: int) -> str:
        end = start + len(data)
        pieces, at = [], start
        for link in self.links:
            # Only a mention inside this one text node, and never inside an existing link.
            if self.in_link or link.start < at or link.end > end or link.start >= link.end:
                continue
            pieces.append(escape(data[at - start : link.start - start], quote=False))
            words = escape(data[link.start - start : link.end - start], quote=False)
            pieces.append(
                f'<a class="govuk-link moot-mention" href="{escape(link.href)}" '
                f'title="{escape(link.title)}">{words}</a>'
            )
            at = link.end
        pieces.append(escape(data[at - start :], quote=False))
        return "".join(pieces)


def html_text(html: str) -> str:
    walker = _Walker()
    walker.feed(html)
    walker.close()
    return "".join(walker.text)


def html_with_links(html: str, links: list[Link]) -> str:
    """``html`` with each link's words wrapped in it. The HTML must already be clean: it is
    written back as it was read, with only the links (escaped) added."""
    if not links:
        return html
    walker = _Walker(links)
    walker.feed(html)
    walker.close()
    return "".join(walker.out)


def question_text(text: str) -> str:
    """A question's text as mentions count it: as the page shows it, through ``linebreaksbr``."""
    return html_text(question_html(text))


def question_html(text: str) -> str:
    return str(linebreaksbr(text, autoescape=True))
